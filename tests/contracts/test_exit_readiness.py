"""The exit-readiness score, its reasons and the transition-out cost (docs/methodology-exit.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from contracts.engine.exit_readiness import (
    DONE,
    ITEM_KEYS,
    LOW,
    MISSING,
    NOT_APPLICABLE,
    PARTIAL,
    PARTLY_READY,
    READY,
    ContractTerms,
    ItemState,
    default_items,
    exit_readiness,
    exit_transition_months,
    is_near_renewal,
    transition_out_cost,
)

TODAY = dt.date(2026, 6, 1)


def terms(**changes) -> ContractTerms:
    """An ITO contract far from renewal, with termination terms and a 180-day notice."""
    values = {
        "model": "ITO",
        "notice_days": 180,
        "notice_deadline": dt.date(2028, 1, 1),
        "end_date": dt.date(2028, 6, 29),
        "has_termination_terms": True,
        "in_notice": False,
        **changes,
    }
    return ContractTerms(**values)


def plan(**statuses: str) -> list[ItemState]:
    """Every item done, except the ones given."""
    return [ItemState(key, statuses.get(key, DONE)) for key in ITEM_KEYS]


def test_a_complete_plan_with_supporting_terms_scores_100() -> None:
    readiness = exit_readiness(plan(), terms(), TODAY)
    assert (readiness.score, readiness.level) == (100, READY)
    assert readiness.penalties == ()
    assert readiness.reasons == (
        "Every item of the exit plan is done and the terms support an exit.",
    )


def test_partly_done_items_count_half_and_missing_ones_nothing() -> None:
    # 4 done, 2 partly done, 1 missing: 100 x 5 / 7 = 71.43, rounded to 71.
    readiness = exit_readiness(
        plan(data_return=PARTIAL, people=PARTIAL, parallel_run=MISSING), terms(), TODAY
    )
    assert readiness.checklist_score == Decimal("71.43")
    assert (readiness.score, readiness.level) == (71, PARTLY_READY)
    assert "Data return format is only partly done (half credit)." in readiness.reasons
    assert any(r.startswith("Parallel run is missing:") for r in readiness.reasons)


def test_items_that_do_not_apply_leave_the_denominator() -> None:
    # Tooling and people not applicable, one of the other five partly done: 100 x 4.5 / 5.
    readiness = exit_readiness(
        plan(tooling_licences=NOT_APPLICABLE, people=NOT_APPLICABLE, data_return=PARTIAL),
        terms(),
        TODAY,
    )
    assert (readiness.score, readiness.applicable, readiness.done) == (90, 5, 4)


def test_an_item_every_exit_needs_cannot_be_waved_away() -> None:
    readiness = exit_readiness(plan(knowledge_transfer=NOT_APPLICABLE), terms(), TODAY)
    assert readiness.checklist_score == Decimal("85.71")
    assert (
        "Knowledge transfer cannot be marked not applicable: counted as missing."
        in readiness.reasons
    )


def test_empty_termination_terms_cost_15_points() -> None:
    readiness = exit_readiness(plan(), terms(has_termination_terms=False), TODAY)
    assert readiness.score == 85
    assert [p.code for p in readiness.penalties] == ["no_termination_terms"]


def test_a_notice_shorter_than_the_exit_transition_costs_10_points_without_assistance() -> None:
    # ITO exits take 5 months (152 days); 90 days of notice leave a gap.
    short = terms(notice_days=90)
    assert exit_readiness(plan(), short, TODAY).score == 100  # the clause covers the gap
    readiness = exit_readiness(plan(termination_assistance=PARTIAL), short, TODAY)
    # 100 x 6.5 / 7 = 92.86, less 10.
    assert readiness.score == 83
    assert readiness.reasons[-1] == (
        "The 90-day notice period is shorter than the 5 months an ITO exit transition "
        "typically takes, and no termination-assistance clause covers the gap."
    )


def test_missing_essentials_near_renewal_cost_10_points() -> None:
    near = terms(notice_deadline=TODAY + dt.timedelta(days=45))
    readiness = exit_readiness(plan(data_return=MISSING), near, TODAY)
    assert readiness.near_renewal
    # 100 x 6 / 7 = 85.71, less 10.
    assert readiness.score == 76
    assert readiness.reasons[-1] == (
        "The last day to give notice is in 45 days and the data return format is still "
        "missing: an exit at this renewal could not be prepared in time."
    )
    far = exit_readiness(plan(data_return=MISSING), terms(), TODAY)
    assert far.score == 86 and not far.near_renewal


def test_the_score_never_falls_below_zero() -> None:
    nothing = [ItemState(key, MISSING) for key in ITEM_KEYS]
    readiness = exit_readiness(
        nothing,
        terms(
            notice_days=30,
            has_termination_terms=False,
            notice_deadline=TODAY + dt.timedelta(days=10),
        ),
        TODAY,
    )
    assert (readiness.score, readiness.level) == (0, LOW)
    assert sum(p.points for p in readiness.penalties) == 35


def test_an_item_left_out_counts_as_missing() -> None:
    assert exit_readiness([], terms(), TODAY).checklist_score == Decimal("0.00")


def test_an_overdue_item_says_so_with_its_owner() -> None:
    late = ItemState("parallel_run", PARTIAL, TODAY - dt.timedelta(days=3), "Maya Patel")
    readiness = exit_readiness([*plan()[:4], late, *plan()[5:]], terms(), TODAY)
    assert "Parallel run is 3 days overdue (Maya Patel)." in readiness.reasons


@pytest.mark.parametrize(
    ("deadline_in", "in_notice", "near"),
    [
        (0, False, True),
        (180, False, True),
        (181, False, False),
        (-1, False, False),
        (-1, True, True),
    ],
)
def test_near_renewal_means_notice_due_within_180_days_or_already_given(
    deadline_in: int, in_notice: bool, near: bool
) -> None:
    contract = terms(notice_deadline=TODAY + dt.timedelta(days=deadline_in), in_notice=in_notice)
    assert is_near_renewal(contract, TODAY) is near


def test_the_default_plan_starts_from_what_the_terms_already_show() -> None:
    items = {s.key: s for s in default_items(terms(), TODAY)}
    assert items["notice_period"].status == DONE
    assert items["termination_assistance"].status == PARTIAL
    assert items["knowledge_transfer"].status == MISSING
    assert items["knowledge_transfer"].due_on == dt.date(2028, 1, 1) - dt.timedelta(days=150)
    bare = {s.key: s for s in default_items(terms(has_termination_terms=False), TODAY)}
    assert bare["termination_assistance"].status == MISSING


def test_a_default_due_date_already_past_becomes_today() -> None:
    items = default_items(terms(notice_deadline=TODAY + dt.timedelta(days=30)), TODAY)
    assert all(s.due_on == TODAY for s in items)


def test_unknown_items_and_statuses_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown exit checklist item"):
        ItemState("golden_parachute", DONE)
    with pytest.raises(ValueError, match="Unknown exit checklist status"):
        ItemState("people", "nearly")


# -- transition-out cost ------------------------------------------------------------------


def test_exit_transitions_take_the_projection_s_most_likely_transition_months() -> None:
    assert [exit_transition_months(m) for m in ("ITO", "BPO", "KPO")] == [5, 6, 6]


def test_leaving_an_ito_contract_of_one_million_a_year() -> None:
    cost = transition_out_cost(Decimal("1000000"), "ITO")
    # tau 4 %, 8 %, 15 %; T 3, 5, 9 months at 1,000,000 / 12 a month.
    assert cost.one_time == (Decimal("40000.00"), Decimal("80000.00"), Decimal("150000.00"))
    assert cost.parallel_run == (
        Decimal("250000.00"),
        Decimal("416666.67"),
        Decimal("750000.00"),
    )
    assert cost.months == (3, 5, 9)
    assert (cost.low, cost.mode, cost.high) == (
        Decimal("290000.00"),
        Decimal("496666.67"),
        Decimal("900000.00"),
    )


def test_leaving_a_bpo_contract_of_one_million_a_year() -> None:
    cost = transition_out_cost(Decimal("1000000"), "BPO")
    assert (cost.low, cost.mode, cost.high) == (
        Decimal("300000.00"),
        Decimal("600000.00"),
        Decimal("1200000.00"),
    )


def test_amounts_round_half_up_to_the_cent() -> None:
    # 0.0625 x 8 % = 0.005 exactly: half-up gives a cent where banker's rounding gives none.
    assert transition_out_cost(Decimal("0.0625"), "ITO").one_time[1] == Decimal("0.01")


@pytest.mark.parametrize("bad", [Decimal("-1"), Decimal("NaN"), Decimal("Infinity"), 1000.0])
def test_an_impossible_annual_cost_is_refused(bad) -> None:
    with pytest.raises(ValueError, match="annual cost"):
        transition_out_cost(bad, "ITO")


def test_retained_work_has_no_exit_transition() -> None:
    with pytest.raises(ValueError, match="No projection drivers"):
        transition_out_cost(Decimal("1000"), "retain")
