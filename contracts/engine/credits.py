"""Service credits for SLAs, as in METHODOLOGY section 7.

Pure: no Django, no database. A service loads the SLAs and measurements, calls
`compute_credits` and stores the inputs beside the result, so a disputed credit can be
explained later (every period's result carries its own working).

Conventions (see docs/methodology-contracts.md for why):

- `at_risk_pct` is a fraction of the monthly fee (0.12 for 12 %), with 0 < pct <= 1.
- Periods are consecutive months, oldest first. A period maps SLA names to actuals; a
  missing name or None means "not measured": never a breach, never a credit, and it does
  not count as "met" for earn-back (a gap in the data forfeits that earn-back).
- Attainment (met, breach, critical breach) has one rule, `_level`; every caller, here
  and in the pages, goes through it (`evaluate_measurement` outside this module).
- Money is exact. The fee, the at-risk share and the allocations are read as the
  decimals they are (a float as its shortest decimal form), and every amount is worked
  out in integers: P is fee x share rounded half-up to the cent, an SLA's credit is its
  share (doubled when critical) of that P, and a period's credits are whole cents that
  sum exactly to its total (largest remainder), which is P when the cap binds and the
  exact sum of the credits rounded half-up otherwise. Money values in the result are
  floats holding whole cents (`cents.to_decimal` gives their exact Decimal).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from contracts.engine.cents import cents_half_up, exact, half_up, largest_remainder

# 2026.2: money exact from the decimal inputs (2026.1 multiplied floats, and could round
# a half cent down).
RULES_VERSION = "2026.2"
DIRECTIONS = ("higher", "lower")
CRITICAL_MULTIPLIER = 2
EARN_BACK_PERIODS = 3

# Attainment levels of a measured SLA in a period (`_level`); a level indexes the
# multiplier of the SLA's allocation.
MET, BREACH, CRITICAL = 0, 1, 2
_MULTIPLIER = (0, 1, CRITICAL_MULTIPLIER)

# Money and shares are read exactly whichever of these they come as.
Amount = float | int | Decimal | Fraction

EARNED_BACK = "earned back"
NOT_EARNED_BACK = "not earned back"
EARN_BACK_PENDING = "pending"
NO_EARN_BACK = "no earn-back"


@dataclass(frozen=True)
class Attainment:
    """How one measurement stands against its SLA.

    `ratio` is actual / target when higher is better and target / actual when lower is
    better, so 1.0 is exactly on target and above 1.0 is better than target. It is None
    when the SLA was not measured or the ratio would divide by zero.
    """

    measured: bool
    met: bool
    breach: bool
    critical: bool
    ratio: float | None


@dataclass(frozen=True)
class _Sla:
    name: str
    target: float
    direction: str
    minimum: float | None
    allocation: Fraction  # exact share of P
    earn_back: bool


def _is_number(value: Any) -> bool:
    if type(value) is float or type(value) is int:  # the common case, without ABC checks
        return True
    # Decimal comes straight from model fields; bool is a numbers.Real, but True as an
    # SLA target is always a mistake.
    return isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool)


def _finite(value: Any, what: str) -> float:
    if not _is_number(value) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _check_levels(target: float, direction: str, minimum: float | None, what: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(
            f"{what}: direction must be 'higher' or 'lower' (which way is better), "
            f"got {direction!r}"
        )
    if minimum is None:
        return
    # A minimum stricter than the target would make a period "met" and "critical" at once.
    if direction == "higher" and minimum > target:
        raise ValueError(
            f"{what}: the minimum service level ({minimum:g}) is above the target "
            f"({target:g}); when higher is better the minimum must be at or below the target"
        )
    if direction == "lower" and minimum < target:
        raise ValueError(
            f"{what}: the minimum service level ({minimum:g}) is below the target "
            f"({target:g}); when lower is better the minimum must be at or above the target"
        )


def _level(actual: float, target: float, higher: bool, minimum: float | None) -> int:
    """The attainment rule, the only place it is written: MET, BREACH or CRITICAL.

    Met when actual >= target (higher is better) or actual <= target (lower is better);
    otherwise a breach, critical when the actual is also strictly worse than `minimum`
    (None: no critical level). Levels are compared as floats; a float is exact for any
    decimal of up to 15 significant digits, and every stored level has at most 14.
    """
    if higher:
        if actual >= target:
            return MET
        return CRITICAL if minimum is not None and actual < minimum else BREACH
    if actual <= target:
        return MET
    return CRITICAL if minimum is not None and actual > minimum else BREACH


def evaluate_measurement(
    target: float | Decimal,
    direction: str,
    minimum: float | Decimal | None,
    actual: float | Decimal | None,
) -> Attainment:
    """Say whether `actual` meets the SLA, breaches it, or breaches it critically.

    The rule is `_level` (met: actual >= target, or <= when lower is better; critical: a
    breach strictly worse than `minimum`; an SLA without a minimum can breach but never
    critically); pages and selectors call this so that they judge exactly as the credits
    do. `actual` None means not measured: neither met nor breached. Raises ValueError
    for an unknown direction, non-finite numbers or a minimum stricter than the target.
    """
    target = _finite(target, "target")
    minimum = None if minimum is None else _finite(minimum, "minimum")
    _check_levels(target, direction, minimum, "SLA")
    if actual is None:
        return _NOT_MEASURED
    actual = _finite(actual, "actual")
    higher = direction == "higher"
    level = _level(actual, target, higher, minimum)
    if higher:
        ratio = actual / target if target != 0 else None
    else:
        ratio = target / actual if actual != 0 else None
    return Attainment(
        measured=True,
        met=level == MET,
        breach=level != MET,
        critical=level == CRITICAL,
        ratio=ratio,
    )


_NOT_MEASURED = Attainment(measured=False, met=False, breach=False, critical=False, ratio=None)


def _parse_slas(slas: Sequence[Mapping[str, Any]]) -> list[_Sla]:
    parsed: list[_Sla] = []
    seen: set[str] = set()
    for position, raw in enumerate(slas, start=1):
        for key in ("name", "target", "direction", "allocation"):
            if key not in raw:
                raise ValueError(f"SLA #{position} is missing {key!r}")
        name = raw["name"]
        if not isinstance(name, str) or not name:
            raise ValueError(f"SLA #{position}: name must be a non-empty string, got {name!r}")
        if name in seen:
            raise ValueError(f"Duplicate SLA name {name!r}: each SLA needs its own name")
        seen.add(name)
        what = f"SLA {name!r}"
        target = _finite(raw["target"], f"{what} target")
        minimum = raw.get("minimum")
        minimum = None if minimum is None else _finite(minimum, f"{what} minimum")
        _check_levels(target, raw["direction"], minimum, what)
        allocation = exact(raw["allocation"], f"{what} allocation")
        if allocation < 0:
            raise ValueError(
                f"{what}: allocation must be zero or more (a share of the at-risk amount), "
                f"got {float(allocation):g}"
            )
        earn_back = raw.get("earn_back", False)
        if not isinstance(earn_back, bool):
            raise ValueError(f"{what}: earn_back must be True or False, got {earn_back!r}")
        parsed.append(_Sla(name, target, raw["direction"], minimum, allocation, earn_back))
    return parsed


def _parse_actuals(
    periods: Sequence[Mapping[str, Any]], slas: list[_Sla]
) -> list[list[float | None]]:
    """Each period's actuals as a list in SLA order (None: not measured)."""
    names = [s.name for s in slas]
    known = set(names)
    parsed: list[list[float | None]] = []
    for index, period in enumerate(periods):
        if not known.issuperset(period):
            unknown = sorted(str(k) for k in period if k not in known)
            listed = ", ".join(repr(n) for n in names) or "none"
            raise ValueError(
                f"Period {index} has actuals for unknown SLA "
                f"{'name' if len(unknown) == 1 else 'names'} "
                f"{', '.join(repr(u) for u in unknown)}; the SLAs are: {listed}"
            )
        row: list[float | None] = []
        for name in names:
            value = period.get(name)
            if value is None:
                row.append(None)
            elif type(value) is float and math.isfinite(value):
                row.append(value)
            else:
                row.append(_finite(value, f"Period {index}, SLA {name!r}"))
        parsed.append(row)
    return parsed


def _at_risk_cents(monthly_fee: Amount, at_risk_pct: Amount) -> int:
    """P in whole cents: the exact fee x share, rounded half-up (ValueError when invalid)."""
    fee = exact(monthly_fee, "monthly_fee")
    if fee < 0:
        raise ValueError(f"monthly_fee must be zero or more, got {float(fee):g}")
    pct = exact(at_risk_pct, "at_risk_pct")
    if not 0 < pct <= 1:
        hint = " (did you pass a percentage? use 0.12 for 12 %)" if pct > 1 else ""
        raise ValueError(
            "at_risk_pct is the share of the monthly fee at risk, as a fraction with "
            f"0 < at_risk_pct <= 1, got {float(pct):g}{hint}"
        )
    return cents_half_up(fee * pct)


def at_risk_amount(monthly_fee: Amount, at_risk_pct: Amount) -> Decimal:
    """P, the monthly pool and cap: the exact monthly fee x `at_risk_pct` (a fraction),
    rounded half-up to the cent. 50,000.10 x 0.15 = 7,500.015 -> Decimal('7500.02')."""
    return Decimal(_at_risk_cents(monthly_fee, at_risk_pct)).scaleb(-2)


def monthly_fee_from_annual(annual_value: Amount) -> Decimal:
    """The monthly fee a contract bills: its exact annual value / 12, rounded half-up to
    the cent (1,000.02 a year -> 83.34 a month)."""
    annual = exact(annual_value, "annual_value")
    if annual < 0:
        raise ValueError(f"annual_value must be zero or more, got {float(annual):g}")
    return Decimal(cents_half_up(annual / 12)).scaleb(-2)


def compute_credits(
    slas: Sequence[Mapping[str, Any]],
    periods: Sequence[Mapping[str, Any]],
    monthly_fee: Amount,
    at_risk_pct: Amount,
) -> list[dict[str, Any]]:
    """Service credits per period, capped at the at-risk amount, with earn-back.

    `slas`: dicts with `name`, `target`, `direction` ("higher" or "lower" is better),
    `minimum` (None: no critical level), `allocation` (share w_i of P, >= 0; the shares
    may add up to more than 1) and `earn_back` (bool). `periods`: consecutive months,
    oldest first, each mapping SLA name -> actual (missing or None: not measured).

    `monthly_fee`, `at_risk_pct` and the allocations may be int, float, Decimal or
    Fraction and are used exactly (a float as its shortest decimal form, 0.1 as 1/10).

    Returns one dict per period (money as floats holding whole cents):
      `period` (0-based position), `rules_version`, `at_risk_amount` (P, to the cent),
      `measured`, `met`, `breach`, `critical` (SLA name -> bool),
      `raw_credits` (before the cap, each rounded half-up to the cent) and `raw_total`
      (their exact sum rounded half-up),
      `cap_applied` (the raw credits exceeded P and were scaled down in proportion),
      `credits` (after the cap, every SLA, 0.0 without a credit; largest remainder) and
      `total` (their sum: P when the cap binds, else `raw_total`),
      `earned_back` (SLA name -> this period's credit returned, only those returned),
      `earned_back_total`, `net_total` (total minus what was earned back),
      `earn_back_status` (for each SLA with a credit: "earned back", "not earned back",
      "pending" when fewer than 3 later periods are known, or "no earn-back"),
      `earned_back_in` (SLA name -> the period whose result completed the earn-back).

    Raises ValueError for an unknown direction, a negative allocation or fee, duplicate
    SLA names, an actual for an SLA that is not in `slas`, an at_risk_pct outside (0, 1],
    or a non-finite number.
    """
    parsed = _parse_slas(slas)
    at_risk_cents = _at_risk_cents(monthly_fee, at_risk_pct)
    return _compute(parsed, _parse_actuals(periods, parsed), at_risk_cents)


def compute_credits_by_row(
    slas: Sequence[Mapping[str, Any]],
    rows: Sequence[Sequence[Any]],
    monthly_fee: Amount,
    at_risk_pct: Amount,
) -> list[dict[str, Any]]:
    """`compute_credits` with each period's actuals as a list in the order of `slas`
    (None: not measured) instead of a mapping by name: the same results, without
    turning stored rows into mappings and back. ValueError for a row of the wrong length.
    """
    parsed = _parse_slas(slas)
    at_risk_cents = _at_risk_cents(monthly_fee, at_risk_pct)
    width = len(parsed)
    actuals: list[list[float | None]] = []
    for index, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"Period {index} has {len(row)} actuals for {width} SLAs")
        actuals.append(
            [
                value
                if value is None or (type(value) is float and math.isfinite(value))
                else _finite(value, f"Period {index}, SLA {parsed[i].name!r}")
                for i, value in enumerate(row)
            ]
        )
    return _compute(parsed, actuals, at_risk_cents)


def _compute(
    parsed: list[_Sla], actuals: list[list[float | None]], at_risk_cents: int
) -> list[dict[str, Any]]:
    # Integers throughout: each allocation is a whole number of 1/denominator of P, so a
    # credit in cents is (multiplier x weight x P in cents) / denominator, exactly.
    denominator = math.lcm(*(s.allocation.denominator for s in parsed))
    names = [s.name for s in parsed]
    levels_of = [(s.target, s.direction == "higher", s.minimum) for s in parsed]
    weights = [s.allocation.numerator * (denominator // s.allocation.denominator) for s in parsed]
    at_risk_amount = at_risk_cents / 100
    zeros = dict.fromkeys(names, 0.0)
    results: list[dict[str, Any]] = []
    for index, row in enumerate(actuals):
        levels = [
            None if actual is None else _level(actual, target, higher, minimum)
            for (target, higher, minimum), actual in zip(levels_of, row, strict=True)
        ]
        pairs = list(zip(names, levels, strict=True))
        result = {
            "period": index,
            "rules_version": RULES_VERSION,
            "at_risk_amount": at_risk_amount,
            "measured": {n: level is not None for n, level in pairs},
            "met": {n: level == MET for n, level in pairs},
            "breach": {n: level is not None and level != MET for n, level in pairs},
            "critical": {n: level == CRITICAL for n, level in pairs},
        }
        shares = [
            0 if level is None else _MULTIPLIER[level] * weight
            for level, weight in zip(levels, weights, strict=True)
        ]
        share_sum = sum(shares)
        if share_sum == 0:
            result.update(
                raw_credits=dict(zeros),
                raw_total=0.0,
                cap_applied=False,
                credits=dict(zeros),
                total=0.0,
                _cents=[0] * len(names),
            )
            results.append(result)
            continue
        # Credit i before the cap, in cents: raw[i] / denominator. The cap binds when the
        # shares (x multiplier) add up to more than the whole of P; each credit is then
        # raw[i] / share_sum of P, so the same numerators serve both cases.
        raw = [share * at_risk_cents for share in shares]
        raw_total_cents = half_up(share_sum * at_risk_cents, denominator)
        cap_applied = share_sum > denominator
        if cap_applied:
            cents = largest_remainder(raw, share_sum, at_risk_cents)
        else:
            cents = largest_remainder(raw, denominator, raw_total_cents)
        result.update(
            raw_credits={
                n: half_up(r, denominator) / 100 if r else 0.0
                for n, r in zip(names, raw, strict=True)
            },
            raw_total=raw_total_cents / 100,
            cap_applied=cap_applied,
            credits={n: c / 100 for n, c in zip(names, cents, strict=True)},
            total=sum(cents) / 100,
            _cents=cents,
        )
        results.append(result)
    _apply_earn_back(parsed, results)
    return results


def _apply_earn_back(slas: list[_Sla], results: list[dict[str, Any]]) -> None:
    """Mark each credit returned when its SLA is met in each of the next 3 periods.

    The credit stays in `credits`; `earned_back` shows it returned, keyed on the period
    whose credit it is. Cents are kept until here so the totals stay exact.
    """
    for index, result in enumerate(results):
        cents: list[int] = result.pop("_cents")
        earned: dict[str, float] = {}
        earned_in: dict[str, int] = {}
        statuses: dict[str, str] = {}
        returned_cents = 0
        total_cents = sum(cents)
        if total_cents:
            window = results[index + 1 : index + 1 + EARN_BACK_PERIODS]
            for sla, amount in zip(slas, cents, strict=True):
                if amount == 0:
                    continue
                if not sla.earn_back:
                    statuses[sla.name] = NO_EARN_BACK
                    continue
                if not all(later["met"][sla.name] for later in window):
                    statuses[sla.name] = NOT_EARNED_BACK
                elif len(window) < EARN_BACK_PERIODS:
                    statuses[sla.name] = EARN_BACK_PENDING
                else:
                    statuses[sla.name] = EARNED_BACK
                    earned[sla.name] = amount / 100
                    earned_in[sla.name] = window[-1]["period"]
                    returned_cents += amount
        result["earned_back"] = earned
        result["earned_back_total"] = returned_cents / 100
        result["net_total"] = (total_cents - returned_cents) / 100
        result["earn_back_status"] = statuses
        result["earned_back_in"] = earned_in
