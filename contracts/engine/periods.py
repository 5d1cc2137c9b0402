"""Monthly periods: a period is the first day of its month. Pure: no Django.

The month arithmetic itself (``add_months``, ``month_start``, ``month_end``,
``months_between``) lives in ``accounts.engine.months``, where vendors can use it too;
it is imported here so that contracts and the dashboard find every month helper in one
place. ``add_months`` moves a period (the 1st) to a period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from accounts.engine.months import add_months, month_end, month_start, months_between

__all__ = [
    "add_months",
    "month_end",
    "month_range",
    "month_start",
    "months_between",
    "parse_period",
    "period_label",
    "period_problem",
]

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


def month_range(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every period from ``first``'s month to ``last``'s month, both included."""
    for offset in range(months_between(first, last) + 1):
        yield add_months(month_start(first), offset)


def parse_period(value: object) -> dt.date:
    """A period from "2026-03", "2026-03-01" or a date on the 1st; ValueError in words."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if value.day != 1:
            raise ValueError(
                f"{value.isoformat()} is not a month: give the month, e.g. {value:%Y-%m}."
            )
        return value
    text = str(value)
    match = _MONTH.match(text)
    if not match:
        raise ValueError(f"{text.strip()!r} is not a month: write it as YYYY-MM, e.g. 2026-03.")
    year, month, day = int(match[1]), int(match[2]), match[3]
    if not 1 <= month <= 12:
        raise ValueError(f"{text.strip()!r} is not a month: the month must be 01 to 12.")
    if day is not None and int(day) != 1:
        raise ValueError(
            f"{text.strip()!r} is not a month: give the month, e.g. {year:04d}-{month:02d}."
        )
    return dt.date(year, month, 1)


def period_label(period: dt.date) -> str:
    return period.strftime("%b %Y")


def period_problem(period: dt.date, *, start: dt.date, end: dt.date, today: dt.date) -> str | None:
    """Why ``period`` cannot be measured for a contract running ``start`` to ``end``.

    None when it can: from the start month to the end month, and not after this month.
    """
    if period < month_start(start):
        return (
            f"{period_label(period)} is before the contract started "
            f"({period_label(month_start(start))})."
        )
    if period > month_start(end):
        return (
            f"{period_label(period)} is after the contract's current term ends "
            f"({period_label(month_start(end))})."
        )
    if period > month_start(today):
        return f"{period_label(period)} is still to come: record a month once it has begun."
    return None
