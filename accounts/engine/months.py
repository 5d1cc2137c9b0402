"""Calendar months: a month's first and last day, moving a date by whole months.

Pure: no Django. Every app counts months with these (vendors' certificate horizons,
contract terms and renewals, monthly SLA periods, the dashboard's period filter); they
live at the bottom of the import order so each app can use them. Contracts' monthly
periods (``contracts.engine.periods``) are built on them.
"""

from __future__ import annotations

import calendar
import datetime as dt


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month: 2024-02-10 -> 2024-02-29."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_month_end(day: dt.date) -> bool:
    return day == month_end(day)


def add_months(day: dt.date, months: int, *, keep_month_end: bool = False) -> dt.date:
    """``day`` moved by whole months (back for a negative ``months``).

    The day of the month is clamped to the target month's length (Jan 31 + 1 month is
    Feb 28 or 29); the first of a month stays the first, so a monthly period moves to a
    period. With ``keep_month_end`` a month-end date stays a month end (Feb 28 2023 +
    1 month is Mar 31, Apr 30 + 1 month is May 31): contract terms end on the last day
    of a month.
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    length = calendar.monthrange(year, month)[1]
    if keep_month_end and is_month_end(day):
        return dt.date(year, month, length)
    return dt.date(year, month, min(day.day, length))


def months_between(first: dt.date, last: dt.date) -> int:
    """Whole months from ``first``'s month to ``last``'s month (0 when the same month)."""
    return (last.year - first.year) * 12 + last.month - first.month
