"""Renewal arithmetic: notice deadlines, reminders, roll-forward, term checks."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.engine.periods import add_months
from contracts.engine.renewals import (
    due_thresholds,
    notice_deadline,
    roll_forward,
    validate_terms,
)

D = dt.date


def test_the_notice_deadline_is_the_notice_period_before_the_end():
    assert notice_deadline(D(2026, 12, 31), 90) == D(2026, 10, 2)


def test_no_threshold_is_due_long_before_the_deadline():
    assert due_thresholds(D(2026, 1, 1), D(2026, 10, 2)) == ()


def test_thresholds_become_due_as_the_deadline_nears_largest_first():
    deadline = D(2026, 10, 2)
    assert due_thresholds(deadline - dt.timedelta(days=90), deadline) == (90,)
    assert due_thresholds(deadline - dt.timedelta(days=45), deadline) == (90, 60)
    assert due_thresholds(deadline, deadline) == (90, 60, 30)


def test_no_threshold_is_due_once_the_deadline_has_passed():
    assert due_thresholds(D(2026, 10, 3), D(2026, 10, 2)) == ()


def test_custom_thresholds_are_honoured():
    assert due_thresholds(D(2026, 9, 25), D(2026, 10, 2), thresholds=(7, 14, 1)) == (14, 7)


def test_a_month_end_stays_a_month_end():
    assert add_months(D(2025, 1, 31), 1, keep_month_end=True) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1, keep_month_end=True) == D(2024, 2, 29)
    assert add_months(D(2023, 2, 28), 1, keep_month_end=True) == D(2023, 3, 31)
    assert add_months(D(2025, 1, 30), 1, keep_month_end=True) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 30), 2, keep_month_end=True) == D(2025, 3, 30)


def test_without_keep_month_end_the_day_is_only_clamped():
    assert add_months(D(2023, 2, 28), 1) == D(2023, 3, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 31), -2) == D(2024, 11, 30)
    assert add_months(D(2025, 3, 1), -3) == D(2024, 12, 1)  # a period stays a period


def test_a_current_contract_is_not_rolled_forward():
    assert roll_forward(D(2025, 1, 1), D(2025, 12, 31), 12, D(2025, 12, 31)) == (
        D(2025, 1, 1),
        D(2025, 12, 31),
    )


def test_an_expired_auto_renewing_contract_advances_by_whole_terms():
    assert roll_forward(D(2023, 1, 1), D(2023, 12, 31), 12, D(2026, 3, 1)) == (
        D(2026, 1, 1),
        D(2026, 12, 31),
    )


def test_a_monthly_term_ending_on_january_31_renews_to_the_end_of_february_then_march():
    assert roll_forward(D(2025, 1, 1), D(2025, 1, 31), 1, D(2025, 2, 10)) == (
        D(2025, 2, 1),
        D(2025, 2, 28),
    )
    assert roll_forward(D(2025, 1, 1), D(2025, 1, 31), 1, D(2025, 3, 10)) == (
        D(2025, 3, 1),
        D(2025, 3, 31),
    )


def test_a_renewal_term_can_differ_from_the_initial_term():
    assert roll_forward(D(2022, 7, 1), D(2025, 6, 30), 12, D(2025, 7, 1)) == (
        D(2025, 7, 1),
        D(2026, 6, 30),
    )


@given(
    start=st.dates(D(1990, 1, 1), D(2030, 12, 31)),
    length=st.integers(0, 2_000),
    term=st.integers(1, 60),
    ahead=st.integers(-500, 20_000),
)
def test_roll_forward_ends_on_or_after_today_without_skipping_a_term(start, length, term, ahead):
    end = start + dt.timedelta(days=length)
    today = end + dt.timedelta(days=ahead)
    new_start, new_end = roll_forward(start, end, term, today)
    assert new_end >= today
    assert new_start <= new_end
    if end < today:
        # Not one term too far: the term before the returned one ended before today.
        assert new_start - dt.timedelta(days=1) < today


def test_end_before_start_is_refused():
    with pytest.raises(ValueError, match=r"end date \(2025-01-01\) is before the start date"):
        validate_terms(D(2025, 6, 1), D(2025, 1, 1), 30)


def test_a_notice_period_longer_than_the_term_is_refused():
    with pytest.raises(ValueError, match=r"notice period \(32 days\) is longer than the term"):
        validate_terms(D(2025, 1, 1), D(2025, 1, 31), 32)


def test_a_notice_period_as_long_as_the_term_is_allowed():
    validate_terms(D(2025, 1, 1), D(2025, 1, 31), 31)


def test_a_negative_notice_period_is_refused():
    with pytest.raises(ValueError, match="whole number of days, zero or more"):
        validate_terms(D(2025, 1, 1), D(2025, 12, 31), -1)


def test_a_datetime_is_not_taken_for_a_date():
    with pytest.raises(ValueError, match="must be a date"):
        notice_deadline(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 30)
