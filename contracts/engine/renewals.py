"""Renewal arithmetic: notice deadlines, reminder thresholds, auto-renewal roll-forward.

Pure: no Django, and no clock: every function takes `today` (or the dates it needs)
so the caller decides which day it is (`timezone.localdate()` in the service).

Dates are inclusive: a contract from 2025-01-01 to 2025-12-31 runs for the whole of
both days, and its next twelve-month term is 2026-01-01 to 2026-12-31.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Sequence

from contracts.engine.periods import add_months, months_between

DEFAULT_THRESHOLDS = (90, 60, 30)


def _check_date(value: object, what: str) -> None:
    # datetime is a subclass of date; mixing the two silently compares wrong.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValueError(f"{what} must be a date (not a datetime), got {value!r}")


def _check_days(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{what} must be a whole number of days, zero or more, got {value!r}")
    return int(value)


def notice_deadline(end_date: dt.date, notice_days: int) -> dt.date:
    """The last day on which notice can be given: `notice_days` before the end date."""
    _check_date(end_date, "end_date")
    return end_date - dt.timedelta(days=_check_days(notice_days, "notice_days"))


def due_thresholds(
    today: dt.date, deadline: dt.date, thresholds: Sequence[int] = DEFAULT_THRESHOLDS
) -> tuple[int, ...]:
    """The reminder thresholds (days before the deadline) that have been reached.

    A threshold t is due once `deadline - today <= t` days, up to and including the
    deadline itself, largest first. Once the deadline has passed none is due: a reminder
    can no longer help, and a missed deadline is its own state for the caller to show.
    The caller remembers which reminders were sent; this only says which are due.
    """
    _check_date(today, "today")
    _check_date(deadline, "deadline")
    for threshold in thresholds:
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Integral):
            raise ValueError(f"thresholds must be whole numbers of days, got {threshold!r}")
        if threshold < 0:
            raise ValueError(f"thresholds must be zero or more days, got {threshold}")
    days_left = (deadline - today).days
    if days_left < 0:
        return ()
    return tuple(sorted({int(t) for t in thresholds if days_left <= t}, reverse=True))


def roll_forward(
    start: dt.date, end: dt.date, term_months: int, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The current term of an auto-renewing contract: (start, end) with end >= today.

    Advances by whole renewal terms of `term_months` until the end is on or after
    `today`; returns the dates unchanged if it already is. Each renewal starts the day
    after the previous end. Every end is computed from the original end, not from the
    previous renewal, so month ends do not drift (Jan 31 renews to Feb 28 or 29, then
    Mar 31, not Mar 28).
    """
    _check_date(start, "start")
    _check_date(end, "end")
    _check_date(today, "today")
    if isinstance(term_months, bool) or not isinstance(term_months, numbers.Integral):
        raise ValueError(f"term_months must be a whole number of months, got {term_months!r}")
    if term_months < 1:
        raise ValueError(f"term_months must be at least 1, got {term_months}")
    if end < start:
        raise ValueError(f"The end date ({end}) is before the start date ({start}).")
    if end >= today:
        return start, end
    # Jump close to the answer instead of looping a monthly contract over decades.
    renewals = max(1, months_between(end, today) // term_months)
    while renewals > 1 and _term_end(end, renewals * term_months) >= today:
        renewals -= 1
    while _term_end(end, renewals * term_months) < today:
        renewals += 1
    previous_end = _term_end(end, (renewals - 1) * term_months)
    return previous_end + dt.timedelta(days=1), _term_end(end, renewals * term_months)


def _term_end(end: dt.date, months: int) -> dt.date:
    # A month-end date stays a month end: terms end on the last day of a month.
    return add_months(end, months, keep_month_end=True)


def validate_terms(start: dt.date, end: dt.date, notice_days: int) -> None:
    """Raise ValueError with a plain message when the dates and notice do not fit.

    The term is inclusive, so a contract from Jan 1 to Jan 31 lasts 31 days; a notice
    period as long as the whole term is allowed (notice due on the first day), a longer
    one is not.
    """
    _check_date(start, "start")
    _check_date(end, "end")
    notice = _check_days(notice_days, "notice_days")
    if end < start:
        raise ValueError(f"The end date ({end}) is before the start date ({start}).")
    term_days = (end - start).days + 1
    if notice > term_days:
        raise ValueError(
            f"The notice period ({notice} days) is longer than the term itself "
            f"({term_days} days from {start} to {end})."
        )
