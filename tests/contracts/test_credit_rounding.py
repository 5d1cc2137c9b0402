"""The float fast paths of the credit engine's rounding agree with exact Decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import cents

# Amounts near ties: thousandths (x.xx5 is a tie in cents), and their float neighbours.
tie_prone = st.integers(min_value=0, max_value=10**9).map(lambda n: n / 1000)
amounts = st.one_of(tie_prone, st.floats(min_value=0, max_value=1e9, allow_nan=False),
                    st.sampled_from([0.005, 0.015, 1.005, 2.675, 1.125, 0.675, 0.225,
                                     12345.675, 0.1 + 0.2]))


def exact_half_up(amount: float) -> int:
    return int((Decimal(repr(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@settings(max_examples=3000, deadline=None)
@given(amounts)
def test_rounding_a_credit_to_the_cent_matches_exact_decimals(amount):
    assert cents.round_half_up_cents(amount) == exact_half_up(amount)


@settings(max_examples=1500, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=8))
def test_a_sum_rounded_to_the_cent_matches_exact_decimals(values):
    exact = int(sum((Decimal(repr(v)) * 100 for v in values if v), Decimal(0)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP))
    assert cents.sum_half_up_cents(values) == exact


@settings(max_examples=1500, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=8), st.integers(min_value=-3, max_value=8))
def test_largest_remainder_cents_match_exact_decimals(values, extra):
    total = sum(int(Decimal(repr(v)) * 100) for v in values) + extra
    assert cents.allocate_cents(values, total) == cents.allocate_cents_exact(values, total)
