"""Vendor scorecard (METHODOLOGY 8): four weighted parts, missing data left out."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.engine.scorecard import IssueState, sla_attainment, vendor_scorecard

OVERDUE = IssueState(open_past_due=True, critical=False)
OVERDUE_CRITICAL = IssueState(open_past_due=True, critical=True)
FINE = IssueState(open_past_due=False, critical=False)


def score(**overrides):
    arguments = {
        "sla_periods_met": 12,
        "sla_periods_total": 12,
        "review_ratings": [5],
        "realised": 100.0,
        "projected_p50": 100.0,
        "issues": [FINE],
    }
    return vendor_scorecard(**{**arguments, **overrides})


def part(card, key):
    return next(p for p in card.parts if p.key == key)


def test_a_vendor_perfect_on_every_part_scores_100():
    card = score()
    assert card.total == pytest.approx(100)
    assert card.rescaled is False


def test_the_parts_are_weighted_40_20_20_20():
    card = score(
        sla_periods_met=9,  # 0.75 -> 30 points
        review_ratings=[3, 4],  # mean 3.5 -> 0.625 -> 12.5 points
        realised=50.0,  # 0.5 -> 10 points
        issues=[OVERDUE, FINE, FINE, FINE],  # 0.75 -> 15 points
    )
    assert [p.weight for p in card.parts] == [0.4, 0.2, 0.2, 0.2]
    assert [p.points for p in card.parts] == pytest.approx([30, 12.5, 10, 15])
    assert card.total == pytest.approx(67.5)


def test_savings_beyond_the_plan_are_capped_at_full_marks():
    assert part(score(realised=250.0), "savings_realisation").value == 1.0


def test_negative_realised_savings_score_zero_not_below():
    assert part(score(realised=-40.0), "savings_realisation").value == 0.0


def test_a_critical_overdue_issue_counts_twice():
    card = score(issues=[OVERDUE_CRITICAL, FINE, FINE, FINE])
    assert part(card, "issue_health").value == pytest.approx(0.5)


def test_issue_health_is_floored_at_zero():
    card = score(issues=[OVERDUE_CRITICAL, OVERDUE_CRITICAL])
    assert part(card, "issue_health").value == 0.0


def test_a_part_without_data_is_left_out_and_the_others_rescaled():
    card = score(review_ratings=[], sla_periods_met=6)
    review = part(card, "review_rating")
    assert review.value is None and review.points == 0
    assert "left out" in review.note
    assert card.rescaled is True
    assert "governance review rating" in card.summary
    assert part(card, "sla_attainment").effective_weight == pytest.approx(0.5)
    assert card.total == pytest.approx(0.5 * 50 + 25 + 25)


def test_no_issues_and_no_projected_saving_are_treated_as_missing_data():
    card = score(issues=[], projected_p50=0.0)
    assert part(card, "issue_health").value is None
    assert part(card, "savings_realisation").value is None
    assert card.total == pytest.approx(100)


def test_a_vendor_with_no_data_at_all_has_no_score():
    card = vendor_scorecard(
        sla_periods_met=0,
        sla_periods_total=0,
        review_ratings=[],
        realised=None,
        projected_p50=None,
        issues=[],
    )
    assert card.total is None
    assert "no score" in card.summary


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sla_periods_met": 13}, "cannot exceed"),
        ({"sla_periods_total": -1}, "zero or more"),
        ({"review_ratings": [0]}, "from 1 to 5"),
        ({"review_ratings": [5.5]}, "from 1 to 5"),
        ({"realised": float("nan")}, "finite"),
    ],
)
def test_impossible_inputs_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        score(**overrides)


@given(
    total=st.integers(0, 500),
    met_share=st.floats(0, 1),
    ratings=st.lists(st.floats(1, 5), max_size=10),
    realised=st.none() | st.floats(-1e9, 1e9),
    p50=st.none() | st.floats(-1e9, 1e9),
    issues=st.lists(st.builds(IssueState, st.booleans(), st.booleans()), max_size=20),
)
def test_the_score_stays_within_0_and_100_and_equals_the_sum_of_its_parts(
    total, met_share, ratings, realised, p50, issues
):
    card = vendor_scorecard(
        sla_periods_met=int(total * met_share),
        sla_periods_total=total,
        review_ratings=ratings,
        realised=realised,
        projected_p50=p50,
        issues=issues,
    )
    if card.total is None:
        assert all(p.value is None for p in card.parts)
        return
    assert 0 <= card.total <= 100
    assert card.total == pytest.approx(sum(p.points for p in card.parts))
    assert sum(p.effective_weight for p in card.parts) == pytest.approx(1)
    assert all(0 <= p.value <= 1 for p in card.parts if p.value is not None)


def test_sla_attainment_is_the_share_of_sla_periods_met():
    assert sla_attainment(9, 12) == 0.75
    assert sla_attainment(0, 4) == 0.0


def test_sla_attainment_with_nothing_measured_is_unknown_not_zero():
    assert sla_attainment(0, 0) is None


@pytest.mark.parametrize(
    ("met", "measured", "message"),
    [
        (5, 4, "cannot exceed"),
        (-1, 4, "zero or more"),
        (1.5, 4, "whole number"),
        (True, 4, "whole number"),
    ],
)
def test_impossible_sla_counts_are_refused(met, measured, message):
    with pytest.raises(ValueError, match=message):
        sla_attainment(met, measured)


def test_the_scorecards_sla_part_is_the_sla_attainment():
    card = score(sla_periods_met=7, sla_periods_total=11)
    assert part(card, "sla_attainment").value == sla_attainment(7, 11)
