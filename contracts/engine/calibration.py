"""Calibration of savings forecasts against realised savings (docs/methodology-calibration.md).

Pure: no Django. A contract's evidence is its cumulative realised saving month by month
beside the cumulative P10, P50 and P90 of the forecast made for the same months (the
contract page's comparison, ``contracts.selectors.savings``). From it:

- the probability integral transform (PIT) of each month: the forecast's percentile at
  which the realised saving falls, read off the three stored percentiles;
- which of the four bands the forecast's percentiles cut (below P10, P10 to P50, P50 to
  P90, above P90) each month falls in; a calibrated forecast puts 10, 40, 40 and 10 % of
  outcomes in them, so 80 % inside P10 to P90;
- the bias at the latest month: realised minus the P50, as a share of the P50.

Each contract counts once whatever its number of months (its months share its weight),
so one long contract cannot dominate. Every figure that is shown or compared is a
Decimal rounded half-up, and sums run over exact fractions or Decimals, so the result
does not depend on the order of the contracts or on floating-point noise.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

NOMINAL_COVERAGE = Decimal("0.80")
# The forecast's own percentiles cut its range into four bands, and how much of a
# calibrated forecast's outcomes fall in each.
BANDS: tuple[tuple[str, Decimal], ...] = (
    ("Below P10", Decimal("0.10")),
    ("P10 to P50", Decimal("0.40")),
    ("P50 to P90", Decimal("0.40")),
    ("Above P90", Decimal("0.10")),
)
INSIDE_BANDS = (1, 2)
# z such that P(|Z| <= z) = 0.8 for a standard normal: half the P10 to P90 width of a
# normal forecast, in standard deviations (turns a stated band into a stated spread).
Z_80 = Decimal("1.2816")
# Below this P50 (one unit of the currency) a relative error means nothing.
MIN_FORECAST = Decimal("1")

CENT = Decimal("0.01")
PIT_PLACES = Decimal("0.001")
SHARE_PLACES = Decimal("0.0001")
ERROR_PLACES = Decimal("0.000001")


def money(value: float | Decimal) -> Decimal:
    """An amount as compared here: a Decimal rounded half-up to the cent."""
    if isinstance(value, bool) or not math.isfinite(float(value)):
        raise ValueError(f"An amount must be a finite number, got {value!r}")
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def share(value: Fraction | Decimal) -> Decimal:
    """A share between 0 and 1 as shown: four places, rounded half-up."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CumulativePoint:
    """One month of evidence: the cumulative realised saving and the cumulative forecast
    percentiles over the same months (amounts in the contract's currency)."""

    label: str
    realised: Decimal
    p10: Decimal
    p50: Decimal
    p90: Decimal

    @classmethod
    def of(
        cls,
        label: str,
        realised: float | Decimal,
        p10: float | Decimal,
        p50: float | Decimal,
        p90: float | Decimal,
    ) -> CumulativePoint:
        """Rounded to the cent; the percentiles sorted, since a P10 above the P50 of a
        difference of cumulative percentiles is noise of the Monte Carlo run."""
        low, mid, high = sorted((money(p10), money(p50), money(p90)))
        return cls(label, money(realised), low, mid, high)


def band_of(point: CumulativePoint) -> int:
    """0 below P10, 1 from P10 to the P50, 2 above the P50 up to P90, 3 above P90.

    The band's ends count as inside it: a saving exactly at P10 or P90 is inside."""
    if point.realised < point.p10:
        return 0
    if point.realised <= point.p50:
        return 1
    if point.realised <= point.p90:
        return 2
    return 3


def pit(point: CumulativePoint) -> Decimal:
    """The forecast's percentile at the realised saving, between 0 and 1 (three places).

    Only P10, P50 and P90 are stored, so the forecast's distribution function is taken
    as the straight lines through (P10, 0.1), (P50, 0.5) and (P90, 0.9). Beyond P10 (P90)
    the line of the nearest band of non-zero width goes on until it reaches 0 (1). Where
    two percentiles are equal the function jumps, and a saving exactly there gets the
    middle of the jump.
    """
    x, p10, p50, p90 = point.realised, point.p10, point.p50, point.p90
    tenth, half, ninth = Fraction(1, 10), Fraction(1, 2), Fraction(9, 10)
    if x < p10:
        width = p50 - p10 if p50 > p10 else p90 - p50
        value = tenth - Fraction(4, 10) * Fraction(p10 - x) / Fraction(width) if width else 0
    elif x > p90:
        width = p90 - p50 if p90 > p50 else p50 - p10
        value = ninth + Fraction(4, 10) * Fraction(x - p90) / Fraction(width) if width else 1
    elif x < p50 or (x == p50 and p10 < p50 < p90):
        value = tenth + Fraction(4, 10) * Fraction(x - p10) / Fraction(p50 - p10)
    elif x > p50:
        value = half + Fraction(4, 10) * Fraction(x - p50) / Fraction(p90 - p50)
    else:  # x == p50 at a jump: p10 == p50, p50 == p90, or both
        low = tenth if p10 == p50 else half
        high = ninth if p50 == p90 else half
        value = (low + high) / 2
    return _rounded_pit(min(Fraction(1), max(Fraction(0), Fraction(value))))


def _rounded_pit(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        PIT_PLACES, rounding=ROUND_HALF_UP
    )


def relative_error(point: CumulativePoint) -> Decimal | None:
    """(realised - P50) / |P50|: the bias of one outcome as a share of the forecast; None
    when the P50 is too close to zero for a share to mean anything."""
    if abs(point.p50) < MIN_FORECAST:
        return None
    return ((point.realised - point.p50) / abs(point.p50)).quantize(
        ERROR_PLACES, rounding=ROUND_HALF_UP
    )


def stated_spread(point: CumulativePoint) -> Decimal | None:
    """The forecast's own relative standard deviation: (P90 - P10) / (2 x 1.2816 x |P50|),
    as for a normal forecast; None for a zero-width band or a P50 near zero."""
    if abs(point.p50) < MIN_FORECAST or point.p90 <= point.p10:
        return None
    return ((point.p90 - point.p10) / (2 * Z_80 * abs(point.p50))).quantize(
        ERROR_PLACES, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class ContractRecord:
    """A contract's evidence: its cumulative points, oldest first."""

    contract_id: int
    title: str
    model: str
    location: str
    points: tuple[CumulativePoint, ...]


@dataclass(frozen=True)
class ContractCalibration:
    """Where one contract's realised savings fell within its forecast."""

    contract_id: int
    title: str
    model: str
    location: str
    months: int
    pits: tuple[Decimal, ...]
    bands: tuple[int, ...]
    inside: int  # months inside P10 to P90
    latest: CumulativePoint
    latest_pit: Decimal
    bias: Decimal | None  # relative error at the latest month
    spread: Decimal | None  # the forecast's stated relative spread at the latest month

    @property
    def inside_share(self) -> Decimal:
        """Share of the contract's months inside P10 to P90 (four places)."""
        return share(Fraction(self.inside, self.months))

    @property
    def latest_inside(self) -> bool:
        return self.bands[-1] in INSIDE_BANDS

    @property
    def miss(self) -> Decimal:
        """How far the latest outcome lies outside the band, as a share of |P50|
        (0 inside the band, or when the P50 is near zero)."""
        point = self.latest
        if abs(point.p50) < MIN_FORECAST or self.latest_inside:
            return Decimal(0)
        gap = (
            point.p10 - point.realised if point.realised < point.p10 else point.realised - point.p90
        )
        return (gap / abs(point.p50)).quantize(ERROR_PLACES, rounding=ROUND_HALF_UP)


def contract_calibration(record: ContractRecord) -> ContractCalibration | None:
    """The contract's calibration; None without a single month of evidence."""
    if not record.points:
        return None
    bands = tuple(band_of(p) for p in record.points)
    latest = record.points[-1]
    return ContractCalibration(
        contract_id=record.contract_id,
        title=record.title,
        model=record.model,
        location=record.location,
        months=len(record.points),
        pits=tuple(pit(p) for p in record.points),
        bands=bands,
        inside=sum(1 for b in bands if b in INSIDE_BANDS),
        latest=latest,
        latest_pit=pit(latest),
        bias=relative_error(latest),
        spread=stated_spread(latest),
    )


@dataclass(frozen=True)
class BandShare:
    label: str
    expected: Decimal
    observed: Decimal | None
    months: int


@dataclass(frozen=True)
class GroupBias:
    """The mean relative error of a group (a model or a location), with its evidence."""

    contracts: int
    bias: Decimal  # mean of the contracts' relative errors, six places
    spread: Decimal | None  # observed scatter / stated scatter; None below two contracts


@dataclass(frozen=True)
class CalibrationReport:
    contracts: int
    outcomes: int  # contract-months
    coverage: Decimal | None
    band_shares: tuple[BandShare, ...]
    by_model: dict[str, GroupBias]
    by_location: dict[str, GroupBias]
    per_contract: tuple[ContractCalibration, ...]  # the biggest misses first

    @property
    def bias_by_model(self) -> dict[str, Decimal]:
        return {model: share(group.bias) for model, group in self.by_model.items()}

    @property
    def bias_by_location(self) -> dict[str, Decimal]:
        return {where: share(group.bias) for where, group in self.by_location.items()}

    @property
    def drivers(self) -> tuple[ContractCalibration, ...]:
        """The contracts whose latest outcome lies outside their band, biggest miss first."""
        return tuple(c for c in self.per_contract if not c.latest_inside)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON data (shares as numbers with four places, amounts
        with two); the keys ``contracts``, ``coverage_p10_p90`` and ``bias_by_model`` are
        an interface used outside the project."""
        return {
            "contracts": self.contracts,
            "outcomes": self.outcomes,
            "coverage_p10_p90": _number(self.coverage),
            "nominal_coverage": _number(NOMINAL_COVERAGE),
            "bias_by_model": {k: _number(v) for k, v in self.bias_by_model.items()},
            "bias_by_location": {k: _number(v) for k, v in self.bias_by_location.items()},
            "spread_by_model": {k: _number(g.spread) for k, g in self.by_model.items()},
            "bands": [
                {
                    "band": b.label,
                    "expected": _number(b.expected),
                    "observed": _number(b.observed),
                    "months": b.months,
                }
                for b in self.band_shares
            ],
            "per_contract": [
                {
                    "contract": c.contract_id,
                    "title": c.title,
                    "model": c.model,
                    "location": c.location,
                    "months": c.months,
                    "inside_share": _number(c.inside_share),
                    "latest_month": c.latest.label,
                    "realised": _number(c.latest.realised),
                    "p10": _number(c.latest.p10),
                    "p50": _number(c.latest.p50),
                    "p90": _number(c.latest.p90),
                    "percentile": _number(c.latest_pit),
                    "bias": _number(None if c.bias is None else share(c.bias)),
                    "outside_band": not c.latest_inside,
                }
                for c in self.per_contract
            ],
            "drivers": [c.contract_id for c in self.drivers],
        }


def _number(value: Decimal | None) -> float | None:
    # A Decimal of a few places prints as that decimal once made a float (0.3333).
    return None if value is None else float(value)


def group_bias(contracts: Sequence[ContractCalibration]) -> GroupBias | None:
    """Mean relative error of the contracts that have one, and their observed scatter
    against the scatter their forecasts stated.

    The spread is sqrt(sum(((e_i - mean) / s_i)^2) / (n - 1)) over the contracts with a
    stated spread s_i: 1 for forecasts as wide as the outcomes, above 1 for forecasts too
    narrow. None below two such contracts (one outcome says nothing about scatter)."""
    errors = [(c.bias, c.spread) for c in contracts if c.bias is not None]
    if not errors:
        return None
    mean = sum((e for e, _ in errors), Decimal(0)) / len(errors)
    mean = mean.quantize(ERROR_PLACES, rounding=ROUND_HALF_UP)
    scaled = [(e - mean) / s for e, s in errors if s is not None and s > 0]
    spread = None
    if len(scaled) >= 2:
        squares = sum((z * z for z in scaled), Decimal(0))
        spread = (squares / (len(scaled) - 1)).sqrt().quantize(SHARE_PLACES, ROUND_HALF_UP)
    return GroupBias(contracts=len(errors), bias=mean, spread=spread)


def _grouped(contracts: Iterable[ContractCalibration], key: str) -> dict[str, GroupBias]:
    groups: dict[str, list[ContractCalibration]] = {}
    for contract in contracts:
        groups.setdefault(getattr(contract, key), []).append(contract)
    found = {name: group_bias(members) for name, members in sorted(groups.items())}
    return {name: group for name, group in found.items() if group is not None}


def calibration_report(records: Iterable[ContractRecord]) -> CalibrationReport:
    """The organisation's calibration over its contracts' evidence (any order)."""
    contracts = sorted(
        (c for c in map(contract_calibration, records) if c is not None),
        key=lambda c: c.contract_id,
    )
    count = len(contracts)
    coverage = (
        share(sum((Fraction(c.inside, c.months) for c in contracts), Fraction(0)) / count)
        if count
        else None
    )
    band_shares = []
    for index, (label, expected) in enumerate(BANDS):
        months = sum(c.bands.count(index) for c in contracts)
        observed = (
            share(
                sum((Fraction(c.bands.count(index), c.months) for c in contracts), Fraction(0))
                / count
            )
            if count
            else None
        )
        band_shares.append(BandShare(label, expected, observed, months))
    ranked = sorted(
        contracts,
        key=lambda c: (c.latest_inside, -c.miss, -abs(c.bias or Decimal(0)), c.contract_id),
    )
    return CalibrationReport(
        contracts=count,
        outcomes=sum(c.months for c in contracts),
        coverage=coverage,
        band_shares=tuple(band_shares),
        by_model=_grouped(contracts, "model"),
        by_location=_grouped(contracts, "location"),
        per_contract=tuple(ranked),
    )
