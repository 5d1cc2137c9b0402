"""The one tie rule: equal within 1e-9 (relative, or absolute near zero), then lowest index."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.engine.ties import exceeds, first_best, first_lowest, tie_ranks


def tied(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# Values that crowd around a few points, so that ties, near-ties and chains of near-ties
# (a ~ b, b ~ c, a !~ c) all come up.
crowded = st.lists(
    st.builds(
        lambda base, nudge: base * (1 + nudge),
        st.sampled_from([-2.0, 0.0, 0.3, 1.0, 1e6]),
        st.sampled_from([0.0, 1e-16, -1e-16, 4e-10, -7e-10, 1.5e-9, 1e-6]),
    ),
    min_size=1,
    max_size=12,
) | st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=12)


def test_rounding_never_splits_a_tie_and_the_lowest_index_wins():
    values = [0.3, 0.1 + 0.2, 0.2]  # 0.3 and 0.30000000000000004
    assert list(tie_ranks(values)) == [1, 1, 3]
    assert first_best(values) == 0
    assert first_best(values[1::-1]) == 0


def test_a_real_difference_is_never_a_tie():
    assert list(tie_ranks([0.3, 0.3000001, 0.3])) == [2, 1, 2]
    assert first_best([0.3, 0.3000001]) == 1


def test_near_zero_the_absolute_tolerance_applies():
    assert list(tie_ranks([0.0, 5e-10, -5e-10])) == [1, 1, 1]
    assert list(tie_ranks([0.0, 2e-9])) == [2, 1]


def test_large_values_tie_within_one_part_in_a_billion():
    assert list(tie_ranks([1e6, 1e6 + 5e-4, 1e6 + 2e-3])) == [2, 2, 1]


def test_the_lowest_value_ties_the_same_way():
    assert first_lowest([0.1 + 0.2, 0.5, 0.3]) == 0
    assert first_lowest([0.5, 0.3, 0.1 + 0.2]) == 1


def test_a_threshold_is_exceeded_only_by_more_than_a_tie():
    assert not exceeds(0.1 + 1e-17, 0.1)
    assert not exceeds(0.10000000000000087, 0.1)
    assert not exceeds(0.1, 0.1)
    assert exceeds(0.1000001, 0.1)
    assert not exceeds(0.09, 0.1)


def test_nothing_to_choose_from_or_a_non_finite_value_is_refused():
    with pytest.raises(ValueError, match="nothing to choose"):
        first_best([])
    with pytest.raises(ValueError, match="finite"):
        tie_ranks([1.0, float("nan")])


@given(crowded)
def test_a_rank_is_one_plus_the_values_above_by_more_than_a_tie(values):
    expected = [1 + sum(1 for u in values if u > v and not tied(u, v)) for v in values]
    assert list(tie_ranks(values)) == expected


@given(crowded)
def test_the_best_is_the_first_value_tied_with_the_largest(values):
    top = max(values)
    assert first_best(values) == next(i for i, v in enumerate(values) if tied(v, top))


@given(crowded)
def test_sorting_by_rank_never_puts_a_clearly_smaller_value_first(values):
    r = tie_ranks(values)
    for i, u in enumerate(values):
        for j, v in enumerate(values):
            if u > v and not tied(u, v):
                assert r[i] < r[j]
