"""Monthly periods: a period is the first day of its month. Pure: no Django."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(period: dt.date, months: int) -> dt.date:
    index = period.year * 12 + period.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> int:
    """Whole months from ``first``'s month to ``last``'s month (0 when the same month)."""
    return (last.year - first.year) * 12 + last.month - first.month


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
            raise ValueError(f"{value.isoformat()} is not a month: give the month, e.g. "
                             f"{value:%Y-%m}.")
        return value
    text = str(value)
    match = _MONTH.match(text)
    if not match:
        raise ValueError(f"{text.strip()!r} is not a month: write it as YYYY-MM, e.g. 2026-03.")
    year, month, day = int(match[1]), int(match[2]), match[3]
    if not 1 <= month <= 12:
        raise ValueError(f"{text.strip()!r} is not a month: the month must be 01 to 12.")
    if day is not None and int(day) != 1:
        raise ValueError(f"{text.strip()!r} is not a month: give the month, e.g. "
                         f"{year:04d}-{month:02d}.")
    return dt.date(year, month, 1)


def period_label(period: dt.date) -> str:
    return period.strftime("%b %Y")


def period_problem(period: dt.date, *, start: dt.date, end: dt.date, today: dt.date
                   ) -> str | None:
    """Why ``period`` cannot be measured for a contract running ``start`` to ``end``.

    None when it can: from the start month to the end month, and not after this month.
    """
    if period < month_start(start):
        return (f"{period_label(period)} is before the contract started "
                f"({period_label(month_start(start))}).")
    if period > month_start(end):
        return (f"{period_label(period)} is after the contract's current term ends "
                f"({period_label(month_start(end))}).")
    if period > month_start(today):
        return f"{period_label(period)} has not happened yet."
    return None
