"""Benefits realisation (METHODOLOGY 8): realised saving, variance, the ITO rule."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.engine.benefits import (
    escalated_baseline,
    no_financial_difference,
    realised_saving,
    variance_vs_plan,
)


def test_the_baseline_is_escalated_as_in_the_savings_projection():
    # METHODOLOGY 5 worked example: month 6, in-house 83,333.33 x 1.035 ** 0.5.
    assert escalated_baseline(1_000_000, 6) == pytest.approx(84_779.12, abs=0.005)


def test_the_baseline_month_itself_is_not_escalated():
    assert escalated_baseline(1_200_000, 0) == pytest.approx(100_000)


def test_realised_saving_is_the_baseline_minus_vendor_and_governance_cost():
    saving = realised_saving(1_000_000, 6, 66_666.67, 3_333.33)
    assert saving == pytest.approx(84_779.12 - 70_000, abs=0.005)


def test_stored_decimal_amounts_are_taken_as_they_are():
    # A year after the baseline the in-house month is 100,000 x 1.035 = 103,500.
    saving = realised_saving(Decimal("1200000.00"), 12, Decimal("60000.00"), Decimal("5000.00"))
    assert saving == pytest.approx(38_500)


def test_a_month_that_cost_more_than_in_house_realises_a_negative_saving():
    assert realised_saving(1_200_000, 0, 95_000, 10_000) == pytest.approx(-5_000)


def test_a_custom_in_house_inflation_rate_is_used():
    assert escalated_baseline(1_200_000, 12, infl_in=0.10) == pytest.approx(110_000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1_000_000, -1, 0, 0), "months_since_baseline must be zero or more"),
        ((-5, 1, 0, 0), "baseline_annual_cost must be zero or more"),
        ((1_000_000, 1, -10, 0), "must be zero or more"),
        ((1_000_000, 1, 0, float("inf")), "finite"),
    ],
)
def test_impossible_inputs_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        realised_saving(*args)


def test_variance_is_realised_minus_the_median_projection():
    assert variance_vs_plan(90, 70, 100) == (-10, "on plan")


def test_realised_below_p10_is_below_plan():
    assert variance_vs_plan(69.99, 70, 100)[1] == "below plan"


def test_realised_exactly_at_p10_is_still_on_plan():
    assert variance_vs_plan(70, 70, 100)[1] == "on plan"


def test_realised_beyond_the_mirror_of_p10_above_the_median_is_above_plan():
    assert variance_vs_plan(130, 70, 100)[1] == "on plan"
    assert variance_vs_plan(130.01, 70, 100)[1] == "above plan"


def test_a_p10_above_the_p50_is_refused():
    with pytest.raises(ValueError, match="were the two swapped"):
        variance_vs_plan(1, 100, 70)


@given(
    realised=st.floats(-1e9, 1e9),
    p10=st.floats(-1e9, 1e9),
    spread=st.floats(0, 1e9),
)
def test_variance_labels_are_ordered_with_the_realised_saving(realised, p10, spread):
    p50 = p10 + spread
    variance, label = variance_vs_plan(realised, p10, p50)
    assert variance == realised - p50
    assert (label == "below plan") == (realised < p10)


def test_an_ito_contract_past_its_ramp_with_no_cumulative_saving_made_no_difference():
    assert no_financial_difference("ITO", 13, 12, 0.0) is True
    assert no_financial_difference("ito", 24, 12, -50_000) is True


def test_an_ito_contract_with_a_positive_cumulative_saving_made_a_difference():
    assert no_financial_difference("ITO", 24, 12, 0.01) is False


def test_an_ito_contract_still_in_its_ramp_is_not_flagged():
    assert no_financial_difference("ITO", 12, 12, -100_000) is False


@pytest.mark.parametrize("model", ["BPO", "KPO"])
def test_bpo_and_kpo_contracts_are_never_flagged(model):
    assert no_financial_difference(model, 48, 6, -1_000_000) is False


def test_an_unknown_model_is_refused():
    with pytest.raises(ValueError, match="model must be one of ITO, BPO, KPO"):
        no_financial_difference("RPA", 13, 12, 0)
