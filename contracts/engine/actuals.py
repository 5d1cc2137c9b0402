"""What a measured actual may be, whichever way it arrives (the month's form, a file, the
API): a finite number, never negative, and at most 100 for an SLA measured in per cent
(an availability of 150 % is a typing slip, not a month to credit)."""

from __future__ import annotations

from decimal import Decimal

PERCENT_UNITS = ("%", "percent", "per cent")
PERCENT_MAX = Decimal("100")


def is_percent(unit: str) -> bool:
    """Whether an SLA's unit is a percentage ("%", "percent", "per cent", any case)."""
    return unit.strip().lower() in PERCENT_UNITS


def actual_problem(actual: Decimal, unit: str) -> str | None:
    """Why ``actual`` cannot be an SLA's measurement in ``unit``, as a phrase ("the actual
    value -1 is negative"), or None when it can."""
    shown = f"{actual.normalize():f}"  # as typed: 150, not 150.0000
    if actual < 0:
        return f"the actual value {shown} is negative"
    if is_percent(unit) and actual > PERCENT_MAX:
        return f"the actual value {shown} is above 100 %, and this SLA is measured in per cent"
    return None
