"""Service credits for SLAs, as in METHODOLOGY section 7.

Pure: no Django, no database. A service loads the SLAs and measurements, calls
`compute_credits` and stores the inputs beside the result, so a disputed credit can be
explained later (every period's result carries its own working).

Conventions (see docs/methodology-contracts.md for why):

- `at_risk_pct` is a fraction of the monthly fee (0.12 for 12 %), with 0 < pct <= 1.
- Periods are consecutive months, oldest first. A period maps SLA names to actuals; a
  missing name or None means "not measured": never a breach, never a credit, and it does
  not count as "met" for earn-back (a gap in the data forfeits that earn-back).
- Amounts are computed in floats and rounded to cents once, after the cap has been
  applied and credits scaled: the rounded credits of a period always sum exactly to its
  rounded total (largest-remainder rounding), and the total never exceeds `at_risk_amount`
  (P rounded half-up to the cent).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .cents import allocate_cents, round_half_up_cents, sum_half_up_cents

RULES_VERSION = "2026.1"
DIRECTIONS = ("higher", "lower")
CRITICAL_MULTIPLIER = 2.0
EARN_BACK_PERIODS = 3

# Allocation shares such as 0.1 + 0.2 do not add up exactly in binary floating point;
# without a tolerance the cap would "bind" on sums that are exactly P on paper.
_SHARE_TOLERANCE = 1e-12

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
    allocation: float
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


def evaluate_measurement(
    target: float, direction: str, minimum: float | None, actual: float | None
) -> Attainment:
    """Say whether `actual` meets the SLA, breaches it, or breaches it critically.

    Met: actual >= target (direction "higher") or actual <= target ("lower").
    Critical: a breach that also misses `minimum` (strictly worse than it); an SLA without
    a minimum can breach but never critically. `actual` None means not measured: neither
    met nor breached. Raises ValueError for an unknown direction, non-finite numbers or a
    minimum stricter than the target.
    """
    target = _finite(target, "target")
    minimum = None if minimum is None else _finite(minimum, "minimum")
    _check_levels(target, direction, minimum, "SLA")
    return _assess(
        target, direction, minimum, None if actual is None else _finite(actual, "actual")
    )


_NOT_MEASURED = Attainment(measured=False, met=False, breach=False, critical=False, ratio=None)


def _assess(
    target: float, direction: str, minimum: float | None, actual: float | None
) -> Attainment:
    # Inputs already validated: compute_credits checks every SLA once, not every period.
    if actual is None:
        return _NOT_MEASURED
    if direction == "higher":
        met = actual >= target
        critical = minimum is not None and actual < minimum
        ratio = actual / target if target != 0 else None
    else:
        met = actual <= target
        critical = minimum is not None and actual > minimum
        ratio = target / actual if actual != 0 else None
    return Attainment(measured=True, met=met, breach=not met, critical=critical, ratio=ratio)


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
        allocation = _finite(raw["allocation"], f"{what} allocation")
        if allocation < 0:
            raise ValueError(
                f"{what}: allocation must be zero or more (a share of the at-risk amount), "
                f"got {allocation:g}"
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
                f"Period {index} has actuals for unknown SLA name(s) "
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


def _validate_money(monthly_fee: float, at_risk_pct: float) -> float:
    fee = _finite(monthly_fee, "monthly_fee")
    if fee < 0:
        raise ValueError(f"monthly_fee must be zero or more, got {fee:g}")
    if not _is_number(at_risk_pct) or not math.isfinite(at_risk_pct):
        raise ValueError(f"at_risk_pct must be a finite number, got {at_risk_pct!r}")
    if not 0 < at_risk_pct <= 1:
        hint = " (did you pass a percentage? use 0.12 for 12 %)" if at_risk_pct > 1 else ""
        raise ValueError(
            "at_risk_pct is the share of the monthly fee at risk, as a fraction with "
            f"0 < at_risk_pct <= 1, got {at_risk_pct:g}{hint}"
        )
    return fee * float(at_risk_pct)


def compute_credits(
    slas: Sequence[Mapping[str, Any]],
    periods: Sequence[Mapping[str, Any]],
    monthly_fee: float,
    at_risk_pct: float,
) -> list[dict[str, Any]]:
    """Service credits per period, capped at the at-risk amount, with earn-back.

    `slas`: dicts with `name`, `target`, `direction` ("higher" or "lower" is better),
    `minimum` (None: no critical level), `allocation` (share w_i of P, >= 0; the shares
    may add up to more than 1) and `earn_back` (bool). `periods`: consecutive months,
    oldest first, each mapping SLA name -> actual (missing or None: not measured).

    Returns one dict per period:
      `period` (0-based position), `rules_version`, `at_risk_amount` (P, to the cent),
      `measured`, `met`, `breach`, `critical` (SLA name -> bool),
      `raw_credits` (before the cap, each rounded to the cent) and `raw_total`,
      `cap_applied` (the raw credits exceeded P and were scaled down in proportion),
      `credits` (after the cap, every SLA, 0.0 without a credit) and `total`,
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
    at_risk = _validate_money(monthly_fee, at_risk_pct)
    return _compute(parsed, _parse_actuals(periods, parsed), at_risk)


def compute_credits_by_row(
    slas: Sequence[Mapping[str, Any]],
    rows: Sequence[Sequence[Any]],
    monthly_fee: float,
    at_risk_pct: float,
) -> list[dict[str, Any]]:
    """`compute_credits` with each period's actuals as a list in the order of `slas`
    (None: not measured) instead of a mapping by name: the same results, without
    turning stored rows into mappings and back. ValueError for a row of the wrong length.
    """
    parsed = _parse_slas(slas)
    at_risk = _validate_money(monthly_fee, at_risk_pct)
    width = len(parsed)
    actuals: list[list[float | None]] = []
    for index, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"Period {index} has {len(row)} actuals for {width} SLAs")
        actuals.append([
            value if value is None or (type(value) is float and math.isfinite(value))
            else _finite(value, f"Period {index}, SLA {parsed[i].name!r}")
            for i, value in enumerate(row)])
    return _compute(parsed, actuals, at_risk)


def _compute(parsed: list[_Sla], actuals: list[list[float | None]], at_risk: float
             ) -> list[dict[str, Any]]:
    at_risk_cents = round_half_up_cents(at_risk)
    at_risk_amount = at_risk_cents / 100

    names = [s.name for s in parsed]
    rules = [(s.target, s.direction == "higher", s.minimum, s.allocation) for s in parsed]
    zeros = dict.fromkeys(names, 0.0)
    results: list[dict[str, Any]] = []
    for index, row in enumerate(actuals):
        measured, met, breach, critical, shares = [], [], [], [], []
        for (target, higher, minimum, allocation), actual in zip(rules, row, strict=True):
            if actual is None:
                measured.append(False), met.append(False), breach.append(False)
                critical.append(False), shares.append(0.0)
                continue
            if higher:
                ok = actual >= target
                worst = minimum is not None and actual < minimum
            else:
                ok = actual <= target
                worst = minimum is not None and actual > minimum
            measured.append(True), met.append(ok), breach.append(not ok)
            critical.append(worst)
            # Work in shares of P so the cap test compares allocations, not rounded money.
            shares.append(0.0 if ok else (CRITICAL_MULTIPLIER if worst else 1.0) * allocation)
        result = {
            "period": index,
            "rules_version": RULES_VERSION,
            "at_risk_amount": at_risk_amount,
            "measured": dict(zip(names, measured, strict=True)),
            "met": dict(zip(names, met, strict=True)),
            "breach": dict(zip(names, breach, strict=True)),
            "critical": dict(zip(names, critical, strict=True)),
        }
        share_sum = math.fsum(shares)
        if share_sum == 0:
            result.update(raw_credits=dict(zeros), raw_total=0.0, cap_applied=False,
                          credits=dict(zeros), total=0.0, _cents=[0] * len(names))
            results.append(result)
            continue
        cap_applied = share_sum > 1.0 + _SHARE_TOLERANCE
        raw = [share * at_risk for share in shares]
        if cap_applied:
            scaled = [share / share_sum * at_risk for share in shares]
            total_cents = at_risk_cents
        else:
            scaled = raw
            total_cents = sum_half_up_cents(raw)
        cents = allocate_cents(scaled, total_cents)
        result.update(
            raw_credits={n: round_half_up_cents(r) / 100 for n, r in zip(names, raw, strict=True)},
            raw_total=round_half_up_cents(math.fsum(raw)) / 100,
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
