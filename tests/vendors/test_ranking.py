"""Vendor ranking arithmetic, checked against published examples and by properties."""

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendors.engine.ranking import (
    DEFAULT_CRITERIA,
    RANDOM_INDEX,
    InvalidMatrix,
    ahp,
    combine_judgements,
    cost_scores,
    evaluator_spread,
    ranks,
    topsis,
    weight_sensitivity,
    weighted_sum,
    weights_from_percentages,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAATY_VALUES = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]


@st.composite
def reciprocal_matrices(draw, n=None):
    size = n if n is not None else draw(st.integers(1, 9))
    a = np.ones((size, size))
    for i in range(size):
        for j in range(i + 1, size):
            a[i, j] = draw(st.sampled_from(SAATY_VALUES))
            a[j, i] = 1 / a[i, j]
    return a


score_tables = st.integers(2, 6).flatmap(
    lambda m: st.integers(2, 5).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(1, 10), min_size=n, max_size=n), min_size=m, max_size=m),
            # Percentage points; a zero turns a criterion off, but not every one.
            st.lists(st.integers(0, 100), min_size=n, max_size=n).filter(any),
        )
    )
)


def _weights(points):
    w = np.array(points, dtype=float)
    return w / w.sum()


# --- AHP ---------------------------------------------------------------------------


def test_random_index_is_saatys_published_table():
    assert dict(RANDOM_INDEX) == {
        1: 0.0,
        2: 0.0,
        3: 0.58,
        4: 0.90,
        5: 1.12,
        6: 1.24,
        7: 1.32,
        8: 1.41,
        9: 1.45,
        10: 1.49,
        11: 1.51,
        12: 1.48,
        13: 1.56,
        14: 1.57,
        15: 1.59,
    }


def test_default_criteria_carry_the_methodology_weights_and_add_up_to_100():
    assert {c.code: c.percent for c in DEFAULT_CRITERIA} == {
        "cost": 25,
        "capability": 20,
        "quality": 10,
        "culture": 10,
        "communication": 5,
        "financial_stability": 10,
        "security": 10,
        "scalability": 5,
        "location": 5,
    }
    assert sum(c.weight for c in DEFAULT_CRITERIA) == pytest.approx(1)


def test_leader_example_gives_the_published_weights_and_consistency_ratio():
    # Wikipedia, "Analytic hierarchy process - leader example": criteria experience,
    # education, charisma, age; published priorities .547, .127, .270, .056 and CR .044.
    matrix = [[1, 4, 3, 7], [1 / 4, 1, 1 / 3, 3], [1 / 3, 3, 1, 5], [1 / 7, 1 / 3, 1 / 5, 1]]
    result = ahp(matrix)
    assert result.weights == pytest.approx([0.547, 0.127, 0.270, 0.056], abs=1e-3)
    assert result.cr == pytest.approx(0.044, abs=5e-4)
    assert result.consistent


# Saaty (1990), "How to make a decision: the analytic hierarchy process", EJOR 48:9-26,
# the house example (criteria: size, transportation, neighbourhood, age, yard, modern
# facilities, general condition, financing); published lambda_max 9.669, CI 0.238, CR 0.169.
HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_saatys_house_example_is_inconsistent_with_the_published_lambda_and_cr():
    result = ahp(HOUSE)
    assert result.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert result.ci == pytest.approx(0.238, abs=5e-4)
    assert result.cr == pytest.approx(0.169, abs=5e-4)
    assert not result.consistent


def test_most_inconsistent_pair_is_the_judgement_furthest_from_the_weights():
    result = ahp(HOUSE)
    a, w = np.array(HOUSE), result.weights
    worst = max(
        ((i, j) for i in range(8) for j in range(i + 1, 8)),
        key=lambda p: max(a[p] * w[p[1]] / w[p[0]], w[p[0]] / (a[p] * w[p[1]])),
    )
    assert result.most_inconsistent_pair == worst


def test_revising_the_most_inconsistent_judgement_lowers_the_consistency_ratio():
    before = ahp(HOUSE)
    i, j = before.most_inconsistent_pair
    revised = np.array(HOUSE)
    revised[i, j] = min(9, max(1 / 9, before.weights[i] / before.weights[j]))
    revised[j, i] = 1 / revised[i, j]
    assert ahp(revised).cr < before.cr


def test_two_criteria_are_always_consistent():
    result = ahp([[1, 9], [1 / 9, 1]])
    assert result.weights == pytest.approx([0.9, 0.1])
    assert (result.cr, result.consistent, result.most_inconsistent_pair) == (0.0, True, None)


def test_a_single_criterion_gets_all_the_weight():
    assert ahp([[1]]).weights == pytest.approx([1.0])


@settings(max_examples=200)
@given(reciprocal_matrices())
def test_ahp_weights_are_positive_and_add_up_to_one(matrix):
    result = ahp(matrix)
    assert np.all(result.weights > 0)
    assert result.weights.sum() == pytest.approx(1)
    assert result.cr >= 0


@settings(max_examples=200)
@given(st.lists(st.floats(1, 9), min_size=1, max_size=12))
def test_a_consistent_matrix_returns_the_weights_it_was_built_from(raw):
    w = np.array(raw) / sum(raw)
    result = ahp(w[:, None] / w[None, :])
    assert result.weights == pytest.approx(w, rel=1e-9)
    assert result.cr == pytest.approx(0, abs=1e-9)
    assert result.consistent


@pytest.mark.parametrize(
    ("matrix", "words"),
    [
        ([[1, 0], [0, 1]], "row 1, column 2 (Cost vs Quality) is 0"),
        ([[1, -3], [-1 / 3, 1]], "row 1, column 2 (Cost vs Quality) is -3"),
        ([[1, 3], [1 / 2, 1]], "row 2, column 1 (Quality vs Cost) it is 0.5"),
        ([[2, 3], [1 / 3, 1]], "diagonal at row 1, column 1"),
        ([[1, 12], [1 / 12, 1]], "outside Saaty's 1/9 to 9 scale"),
        ([[1, float("nan")], [1, 1]], "row 1, column 2 (Cost vs Quality) is nan"),
        ([[1, 2, 3], [1, 1, 1]], "must be square"),
    ],
)
def test_an_invalid_matrix_is_refused_with_a_message_naming_the_cell(matrix, words):
    with pytest.raises(InvalidMatrix) as caught:
        ahp(matrix, labels=["Cost", "Quality"] if len(matrix[0]) == 2 else None)
    assert words in str(caught.value)


def test_typed_reciprocals_like_0_333_are_accepted():
    assert ahp([[1, 3, 9], [0.333, 1, 3], [0.111, 0.333, 1]]).consistent


@settings(max_examples=200)
@given(
    reciprocal_matrices(n=4),
    st.integers(0, 3),
    st.integers(0, 3),
    st.sampled_from(["zero", "negative", "not reciprocal"]),
)
def test_zeros_negatives_and_broken_reciprocals_raise_invalid_matrix_naming_the_cell(
    matrix, i, j, damage
):
    if i == j:
        j = (i + 1) % 4
    matrix[i, j] = {"zero": 0.0, "negative": -matrix[i, j], "not reciprocal": matrix[i, j] * 2}[
        damage
    ]
    with pytest.raises(InvalidMatrix) as caught:
        ahp(matrix)
    assert f"row {i + 1}, column {j + 1}" in str(caught.value)


def test_combining_judgements_takes_the_element_wise_geometric_mean():
    combined = combine_judgements([[[1, 2], [1 / 2, 1]], [[1, 8], [1 / 8, 1]]])
    assert combined == pytest.approx(np.array([[1, 4], [1 / 4, 1]]))


@settings(max_examples=100)
@given(
    st.integers(2, 7).flatmap(lambda n: st.lists(reciprocal_matrices(n=n), min_size=1, max_size=5))
)
def test_combining_reciprocal_matrices_stays_reciprocal(matrices):
    combined = combine_judgements(matrices)
    assert combined * combined.T == pytest.approx(np.ones_like(combined), rel=1e-12)
    assert ahp(combined).weights.sum() == pytest.approx(1)


def test_combining_names_the_stakeholder_whose_matrix_is_invalid():
    with pytest.raises(InvalidMatrix, match="Matrix 2: .*row 1, column 2"):
        combine_judgements([[[1, 2], [1 / 2, 1]], [[1, 0], [0, 1]]])


def test_combining_refuses_matrices_over_different_criteria():
    with pytest.raises(InvalidMatrix, match="same criteria"):
        combine_judgements([np.ones((2, 2)), np.ones((3, 3))])


# --- Weighted sum and TOPSIS ---------------------------------------------------------


def test_weighted_sum_is_the_weighted_mean_score_on_a_0_to_1_scale():
    scores = [[10, 5], [4, 8]]
    assert weighted_sum(scores, [0.25, 0.75]) == pytest.approx(
        [(0.25 * 10 + 0.75 * 5) / 10, (0.25 * 4 + 0.75 * 8) / 10]
    )


def test_weighted_sum_refuses_a_score_above_10_and_names_it():
    with pytest.raises(ValueError, match="alternative 2 on criterion 1 is 11"):
        weighted_sum([[5, 5], [11, 5]], [0.5, 0.5])


def test_topsis_reproduces_the_facility_location_example_to_three_decimals():
    # Papathanasiou and Ploskas (2018), "Multiple Criteria Decision Aid: Methods,
    # Examples and Python Implementations", Springer, ch. 2 (TOPSIS) on the facility
    # location problem of ch. 1: six sites, four criteria to maximise. The expectation
    # is worked here from that table step by step. (The book's listing rounds every
    # intermediate step to 3 decimals, so its printout can differ in the third decimal.)
    sites = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
    weights = [0.4, 0.3, 0.1, 0.2]
    norms = [math.sqrt(sum(site[j] ** 2 for site in sites)) for j in range(4)]
    v = [[weights[j] * site[j] / norms[j] for j in range(4)] for site in sites]
    best = [max(row[j] for row in v) for j in range(4)]
    worst = [min(row[j] for row in v) for j in range(4)]
    expected = []
    for row in v:
        d_plus = math.dist(row, best)
        d_minus = math.dist(row, worst)
        expected.append(round(d_minus / (d_plus + d_minus), 3))

    closeness = topsis(sites, weights)

    assert [round(c, 3) for c in closeness] == expected
    assert list(ranks(closeness)) == [sorted(expected, reverse=True).index(e) + 1 for e in expected]


def test_topsis_gives_every_alternative_one_half_when_they_are_identical():
    assert topsis([[5, 7], [5, 7], [5, 7]], [0.5, 0.5]) == pytest.approx([0.5, 0.5, 0.5])
    assert topsis([[3, 9]], [0.5, 0.5]) == pytest.approx([0.5])


def test_topsis_ignores_a_criterion_on_which_everyone_scores_zero():
    with_zeros = topsis([[8, 0, 3], [6, 0, 9], [4, 0, 5]], [0.5, 0.2, 0.3])
    without = topsis([[8, 3], [6, 9], [4, 5]], [0.5, 0.3])
    assert np.all(np.isfinite(with_zeros))
    assert with_zeros == pytest.approx(without)


@settings(max_examples=200)
@given(score_tables, st.data())
def test_a_proposal_that_dominates_every_criterion_ranks_first_by_both_methods(table, data):
    scores, points = np.array(table[0]), table[1]
    scores = np.minimum(scores, 9)
    best = data.draw(st.integers(0, len(scores) - 1))
    scores[best] = scores.max(axis=0) + 1
    w = _weights(points)
    assert ranks(weighted_sum(scores, w))[best] == 1
    assert ranks(topsis(scores, w))[best] == 1


@settings(max_examples=200)
@given(score_tables, st.data())
def test_scaling_one_criterion_by_a_positive_constant_keeps_the_topsis_ranks(table, data):
    scores, w = np.array(table[0], dtype=float), _weights(table[1])
    column = data.draw(st.integers(0, scores.shape[1] - 1))
    factor = data.draw(st.floats(0.01, 1000))
    scaled = scores.copy()
    scaled[:, column] *= factor
    before, after = topsis(scores, w), topsis(scaled, w)
    assert after == pytest.approx(before, abs=1e-12)
    assert list(ranks(after)) == list(ranks(before))


def test_ranks_put_the_highest_first_and_ties_share_the_better_rank():
    assert list(ranks([0.2, 0.9, 0.5, 0.9])) == [4, 1, 3, 1]


def test_rounding_noise_does_not_split_a_tie():
    assert list(ranks([0.1 + 0.2, 0.3])) == [1, 1]


# --- Inputs: percentages, prices, evaluators -----------------------------------------


def test_percentages_become_fractions():
    assert weights_from_percentages([25, 75]) == pytest.approx([0.25, 0.75])


def test_percentages_rounded_to_two_decimals_are_accepted():
    assert weights_from_percentages([33.33, 33.33, 33.33]) == pytest.approx([1 / 3] * 3)


def test_percentages_that_do_not_add_up_to_100_are_refused_saying_by_how_much():
    with pytest.raises(ValueError, match=r"add up to 95 % \(5 points short\)"):
        weights_from_percentages([50, 45])


def test_a_negative_percentage_is_refused_naming_the_criterion():
    with pytest.raises(ValueError, match="weight of Cost is -5"):
        weights_from_percentages([-5, 105], labels=["Cost", "Quality"])


def test_the_cheapest_proposal_scores_10_on_cost_and_twice_the_price_scores_5():
    assert cost_scores([200, 100, 400]) == pytest.approx([5, 10, 2.5])


def test_a_price_of_zero_is_refused():
    with pytest.raises(ValueError, match="Price 2 is 0"):
        cost_scores([100, 0])


def test_evaluators_4_points_apart_are_flagged_and_named():
    spread = evaluator_spread({"Ann": [3, 6], "Bob": [7, 7], "Cy": [5, 8]})
    assert (spread[0].mean, spread[0].score_range, spread[0].flagged) == (5.0, 4.0, True)
    assert (spread[0].lowest_evaluator, spread[0].highest_evaluator) == ("Ann", "Bob")
    assert (spread[1].score_range, spread[1].flagged) == (2.0, False)


def test_an_unscored_criterion_has_no_mean_and_is_not_flagged():
    spread = evaluator_spread([[4, None], [9, None]])
    assert spread[0].highest_evaluator == "evaluator 2"
    assert (spread[1].mean, spread[1].flagged) == (None, False)


def test_an_evaluator_score_outside_1_to_10_is_refused_naming_the_evaluator():
    with pytest.raises(ValueError, match="Bob scored criterion 1 11"):
        evaluator_spread({"Ann": [3], "Bob": [11]})


# --- Sensitivity -------------------------------------------------------------------


def _rescaled(w, k, delta):
    t, rest = w[k] + delta, 1 - w[k]
    out = w * (1 - t) / rest if rest > 0 else np.full(len(w), (1 - t) / (len(w) - 1))
    out[k] = t
    return out


def test_sensitivity_finds_the_crossing_worked_by_hand():
    scores, w = [[7, 5, 9], [8, 6, 4], [6, 9, 6]], np.array([0.5, 0.3, 0.2])
    # Proposal 3 wins (0.69). Raising cost to t rescales the others to 0.6 and 0.4 of
    # the rest: P1 = 0.7t + 0.66(1 - t), P3 = 0.6t + 0.78(1 - t); they meet at t = 6/11.
    result = weight_sensitivity(scores, w)[0]
    assert result.delta_points == pytest.approx((6 / 11 - 0.5) * 100)
    assert result.new_winner == 0


def test_a_proposal_that_dominates_everywhere_is_stable_on_every_criterion():
    results = weight_sensitivity([[9, 9, 9], [5, 6, 7], [8, 2, 4]], [0.5, 0.3, 0.2])
    assert all(r.stable and r.new_winner is None for r in results)


def test_sensitivity_refuses_weights_that_do_not_add_up_to_one():
    with pytest.raises(ValueError, match="add up to 1"):
        weight_sensitivity([[1, 2], [2, 1]], [0.5, 0.6])


@settings(max_examples=300)
@given(score_tables)
def test_the_reported_change_is_exactly_where_the_winner_changes(table):
    scores, w = np.array(table[0], dtype=float), _weights(table[1])
    winner = int(np.argmax(ranks(weighted_sum(scores, w)) == 1))  # first of those ranked 1

    def leads(k, delta):  # the old winner is still (weakly) first
        sums = weighted_sum(scores, _rescaled(w, k, delta))
        return sums.max() - sums[winner] <= 1e-12

    for r in weight_sensitivity(scores, w):
        k = r.criterion
        if r.stable:
            # Each sum is linear in the weight, so checking both ends of the range suffices.
            assert leads(k, max(-0.5, -w[k])) and leads(k, min(0.5, 1 - w[k]))
            continue
        delta = r.delta_points / 100
        assert abs(delta) < 0.5 + 1e-9 and -1e-9 < w[k] + delta < 1 + 1e-9
        assert leads(k, delta * (1 - 1e-6))
        beyond = delta + math.copysign(1e-6, r.delta_points)
        if abs(beyond) <= 0.5 and 0 <= w[k] + beyond <= 1:
            sums = weighted_sum(scores, _rescaled(w, k, beyond))
            assert sums[r.new_winner] > sums[winner]
            assert sums[r.new_winner] == pytest.approx(sums.max(), abs=1e-12)
