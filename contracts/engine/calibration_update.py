"""Calibrated savings assumptions: the published ranges moved by the organisation's record.

Pure: no Django (docs/methodology-calibration.md, "The update rule"). For each sourcing
model, the gross saving triangle (low, mode, high) of ``assessments.engine.assumptions``
is shifted by the observed bias and widened by the observed spread, each shrunk towards
the published default in proportion to the evidence:

    w     = n / (n + K)                 shrinkage weight of n contracts (K = PRIOR_WEIGHT)
    shift = 1 + w x clamp(bias, -MAX_BIAS, MAX_BIAS)
    w_s   = (n - 1) / (n - 1 + K)       the spread costs one contract (the mean is estimated)
    widen = 1 + w_s x (clamp(spread, SPREAD_MIN, SPREAD_MAX) - 1)
    mode' = mode x shift
    low'  = mode' - (mode - low) x shift x widen
    high' = mode' + (high - mode) x shift x widen

then each is kept within [SAVING_FLOOR, SAVING_CEILING] and rounded half-up to four
places. Without evidence (n = 0) w = 0 and nothing moves; the mode moves towards
``mode x (1 + bias)`` and never past it; and every value stays bounded however extreme
the evidence, so one contract (w = 1/6) moves a mode by at most 1/12 of itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from assessments.engine.assumptions import Triangle
from contracts.engine.calibration import CalibrationReport

# The published defaults weigh as much as this many contracts of the organisation's own.
PRIOR_WEIGHT = 5
MAX_BIAS = Decimal("0.5")
SPREAD_MIN, SPREAD_MAX = Decimal("0.5"), Decimal("2")
SAVING_FLOOR, SAVING_CEILING = Decimal("0"), Decimal("0.9")
PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Evidence:
    """What the organisation's contracts of one model say about its forecasts.

    ``bias``: mean of (realised - P50) / |P50| (a share: -0.2 is 20 % below forecast);
    ``spread``: observed scatter over stated scatter (1 when the forecasts were as wide
    as the outcomes), None when fewer than two contracts give it."""

    contracts: int
    bias: Decimal
    spread: Decimal | None = None

    def __post_init__(self) -> None:
        if self.contracts < 0:
            raise ValueError(f"contracts must be zero or more, got {self.contracts}")
        if not self.bias.is_finite() or (self.spread is not None and not self.spread.is_finite()):
            raise ValueError("bias and spread must be finite numbers")
        if self.spread is not None and self.spread < 0:
            raise ValueError(f"spread must be zero or more, got {self.spread}")


@dataclass(frozen=True)
class CalibratedRange:
    """A calibrated gross saving triangle and how it was reached."""

    low: Decimal
    mode: Decimal
    high: Decimal
    default: tuple[Decimal, Decimal, Decimal]
    contracts: int
    weight: Decimal  # w, four places
    shift: Decimal  # the factor applied to the mode, four places
    widen: Decimal  # the factor applied to the band's width beyond the shift, four places

    @property
    def moved(self) -> bool:
        return (self.low, self.mode, self.high) != self.default

    def triangle(self) -> Triangle:
        return Triangle(float(self.low), float(self.mode), float(self.high))

    def as_list(self) -> list[str]:
        return [str(self.low), str(self.mode), str(self.high)]


def shrinkage_weight(contracts: int, prior: int = PRIOR_WEIGHT) -> Fraction:
    """n / (n + K): 0 without evidence, 1/2 when the evidence weighs as much as the
    defaults, towards 1 as it grows."""
    if contracts < 0 or prior <= 0:
        raise ValueError("contracts must be zero or more and the prior weight positive")
    return Fraction(contracts, contracts + prior)


def _decimal(value: Fraction | Decimal | float) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def _clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def _round(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def calibrated_range(default: Triangle, evidence: Evidence | None) -> CalibratedRange:
    """The default gross saving triangle moved by the evidence (see the module's rule)."""
    low, mode, high = (_round(_decimal(v)) for v in (default.low, default.mode, default.high))
    n = evidence.contracts if evidence is not None else 0
    weight = shrinkage_weight(n)
    if evidence is None or n == 0:
        return CalibratedRange(
            low, mode, high, (low, mode, high), 0, Decimal(0), Decimal(1), Decimal(1)
        )
    shift = 1 + _decimal(weight) * _clamp(evidence.bias, -MAX_BIAS, MAX_BIAS)
    widen = Decimal(1)
    if evidence.spread is not None and n >= 2:
        spread_weight = _decimal(Fraction(n - 1, n - 1 + PRIOR_WEIGHT))
        widen = 1 + spread_weight * (_clamp(evidence.spread, SPREAD_MIN, SPREAD_MAX) - 1)
    new_mode = _clamp(mode * shift, SAVING_FLOOR, SAVING_CEILING)
    new_low = _clamp(new_mode - (mode - low) * shift * widen, SAVING_FLOOR, new_mode)
    new_high = _clamp(new_mode + (high - mode) * shift * widen, new_mode, SAVING_CEILING)
    return CalibratedRange(
        _round(new_low),
        _round(new_mode),
        _round(new_high),
        (low, mode, high),
        n,
        _round(_decimal(weight)),
        _round(shift),
        _round(widen),
    )


def calibrated_savings(
    defaults: Mapping[str, Triangle], evidence: Mapping[str, Evidence]
) -> dict[str, CalibratedRange]:
    """Every model's calibrated range; a model without evidence keeps its default."""
    return {model: calibrated_range(defaults[model], evidence.get(model)) for model in defaults}


def evidence_from_report(report: CalibrationReport) -> dict[str, Evidence]:
    """The report's bias and spread per sourcing model, as the update rule takes them."""
    return {
        model: Evidence(contracts=group.contracts, bias=group.bias, spread=group.spread)
        for model, group in report.by_model.items()
    }
