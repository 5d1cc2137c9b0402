"""The deterministic savings projection and the tornado (METHODOLOGY section 5)."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine.assumptions import ASSUMPTIONS, LOCATION_FACTOR, Triangle
from assessments.engine.projection import (
    ProjectedProcess,
    deterministic_projection,
    payback_month,
    tornado,
)

ROOT = Path(__file__).resolve().parents[3]


def payroll(**changes) -> ProjectedProcess:
    fields = {
        "name": "Payroll processing",
        "model": "BPO",
        "location": "nearshore",
        "annual_cost": 1_000_000.0,
        "start_month": 0,
        "wave": 2,
    }
    return ProjectedProcess(**{**fields, **changes})


def test_worked_example_transition_months_each_cost_a_sixth_of_the_one_time_cost():
    result = deterministic_projection([payroll()], horizon=60, discount_rate=0.08)
    assert result.net[:6] == pytest.approx([-16_666.67] * 6, abs=0.005)


def test_worked_example_go_live_month_matches_the_methodology_to_the_cent():
    result = deterministic_projection([payroll()], horizon=60, discount_rate=0.08)
    parts = result.components
    assert parts.in_house_avoided[6] == pytest.approx(84_779.12, abs=0.005)
    assert parts.vendor_fee[6] == pytest.approx(66_666.67, abs=0.005)
    assert parts.governance[6] == pytest.approx(3_333.33, abs=0.005)
    assert parts.dip[6] == pytest.approx(12_716.87, abs=0.005)
    assert result.net[6] == pytest.approx(2_062.26, abs=0.005)


def test_worked_example_npv_and_payback_month_match_the_methodology():
    result = deterministic_projection([payroll()], horizon=60, discount_rate=0.08)
    assert result.npv == pytest.approx(503_474.59, abs=0.005)
    assert result.payback_month == 17


@pytest.mark.parametrize(
    ("model", "npv", "payback"),
    [("ITO", 1_085_551, 12), ("BPO", 1_342_570, 14), ("KPO", 336_511, 29)],
)
def test_an_offshore_process_of_two_million_pays_back_as_the_methodology_says(model, npv, payback):
    process = payroll(model=model, location="offshore", annual_cost=2_000_000.0)
    result = deterministic_projection([process], horizon=60, discount_rate=0.10)
    assert result.npv == pytest.approx(npv, abs=0.5)
    assert result.payback_month == payback


def closed_form_npv(a, s_eff, t0, transition, tau, gamma, d0, dip_months, horizon, rate, i_in, i_v):
    """The NPV by geometric series, written independently of the engine."""
    v = (1 + rate) ** (-1 / 12)
    grow_in = (1 + i_in) ** (1 / 12)
    grow_v = (1 + i_v) ** (1 / 12)
    go_live = t0 + transition

    def geometric(q, first, stop):  # sum of q**t for first <= t < stop
        return (q**first - q**stop) / (1 - q)

    def weighted(q, n):  # sum of k * q**k for 0 <= k < n
        return q * (1 - n * q ** (n - 1) + (n - 1) * q**n) / (1 - q) ** 2

    one_time = -tau * a / transition * v * geometric(v, t0, go_live)
    avoided = a / 12 * v * geometric(grow_in * v, go_live, horizon)
    fees = (
        (1 + gamma)
        * (1 - s_eff)
        * a
        / 12
        * v
        * grow_v**-go_live
        * geometric(grow_v * v, go_live, horizon)
    )
    x = grow_in * v
    dip = (
        d0
        * a
        / 12
        * v
        * x**go_live
        * (geometric(x, 0, dip_months) - weighted(x, dip_months) / dip_months)
    )
    return one_time + avoided - fees - dip


def test_one_process_npv_equals_the_closed_form_to_the_cent():
    kpo = ASSUMPTIONS["KPO"]
    process = payroll(model="KPO", location="onshore", annual_cost=3_456_789.0, start_month=7)
    expected = closed_form_npv(
        3_456_789.0,
        kpo.saving.mode * LOCATION_FACTOR["onshore"],
        7,
        int(kpo.transition_months.mode),
        kpo.one_time_cost.mode,
        kpo.governance.mode,
        kpo.dip.mode,
        kpo.dip_months,
        48,
        0.07,
        0.035,
        0.04,
    )
    result = deterministic_projection([process], horizon=48, discount_rate=0.07)
    assert abs(result.npv - expected) < 0.005


def test_nothing_changes_before_a_process_starts():
    result = deterministic_projection([payroll(start_month=10)], horizon=30, discount_rate=0.08)
    assert np.all(result.net[:10] == 0)
    assert result.net[10] < 0


def test_a_process_starting_after_the_horizon_adds_nothing():
    result = deterministic_projection([payroll(start_month=70)], horizon=60, discount_rate=0.08)
    assert result.npv == 0
    assert result.payback_month is None


def test_portfolio_net_is_the_sum_of_processes_and_of_waves():
    processes = [
        payroll(),
        payroll(name="Service desk", model="ITO", location="offshore", wave=1, start_month=0),
        payroll(name="Analytics", model="KPO", location="offshore", wave=3, start_month=20),
    ]
    result = deterministic_projection(processes, horizon=60, discount_rate=0.08)
    np.testing.assert_allclose(result.net, result.process_net.sum(axis=0))
    np.testing.assert_allclose(result.net, result.wave_net.sum(axis=0))
    assert result.npv == pytest.approx(sum(result.wave_npv.values()))
    assert result.waves == (1, 2, 3)


def test_each_wave_has_its_own_npv_and_payback_month():
    late = payroll(name="Late payroll", start_month=20, wave=3)
    result = deterministic_projection([payroll(), late], horizon=60, discount_rate=0.08)
    alone = deterministic_projection([late], horizon=60, discount_rate=0.08)
    assert result.wave_payback_month == {2: 17, 3: alone.payback_month}
    assert result.wave_npv[3] == pytest.approx(alone.npv)
    # In-house cost escalates from month 0 while the fee is priced at today's cost, so a
    # later start pays back in fewer months after its own start (14 rather than 17).
    assert alone.payback_month == 20 + 14


def test_the_monthly_components_add_up_to_the_net():
    result = deterministic_projection([payroll()], horizon=60, discount_rate=0.08)
    c = result.components
    np.testing.assert_allclose(
        c.in_house_avoided - c.vendor_fee - c.governance - c.dip - c.one_time, result.net
    )


def test_yearly_figures_sum_months_and_the_last_year_may_be_partial():
    result = deterministic_projection([payroll()], horizon=30, discount_rate=0.08)
    years = result.yearly()
    assert [y.year for y in years] == [1, 2, 3]
    assert years[0].one_time == pytest.approx(100_000)
    assert years[2].net == pytest.approx(result.net[24:].sum())
    assert sum(y.net for y in years) == pytest.approx(result.cumulative[-1])


def test_the_projection_converts_to_plain_json_types():
    import json

    result = deterministic_projection([payroll()], horizon=24, discount_rate=0.08)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["payback_month"] == 17
    assert len(data["cumulative"]) == 24


def test_an_empty_portfolio_projects_zero():
    result = deterministic_projection([], horizon=12, discount_rate=0.08)
    assert result.npv == 0
    assert result.payback_month is None
    assert result.waves == ()


@pytest.mark.parametrize(
    ("cumulative", "expected"),
    [
        ([0, -5, -3, 1, 2], 3),
        ([0, -5, 1, -1, 2, 3], 4),
        ([-5, -3, -1], None),
        ([0, 0, 3], None),
        ([-1, 0, 0], 1),
    ],
)
def test_payback_is_the_first_month_of_the_final_non_negative_run(cumulative, expected):
    assert payback_month(np.array(cumulative, dtype=float)) == expected


def test_the_tornado_moves_each_driver_and_lists_the_largest_swing_first():
    bars = tornado([payroll()], horizon=60, discount_rate=0.08)
    assert [b.driver for b in bars][0] == "saving"
    assert {b.driver for b in bars} == {
        "saving",
        "transition_months",
        "one_time_cost",
        "governance",
        "dip",
    }
    swings = [b.swing for b in bars]
    assert swings == sorted(swings, reverse=True)


def test_a_tornado_bar_is_the_npv_with_that_driver_at_its_low_and_high_value():
    bars = {b.driver: b for b in tornado([payroll()], horizon=60, discount_rate=0.08)}
    low = deterministic_projection(
        [payroll(saving=Triangle.fixed(0.10))], horizon=60, discount_rate=0.08
    )
    high = deterministic_projection(
        [payroll(saving=Triangle.fixed(0.40))], horizon=60, discount_rate=0.08
    )
    assert bars["saving"].npv_at_low == pytest.approx(low.npv, rel=1e-12)
    assert bars["saving"].npv_at_high == pytest.approx(high.npv, rel=1e-12)
    assert bars["saving"].swing == pytest.approx(high.npv - low.npv, rel=1e-12)
    # A longer transition delays savings, so its high value gives the lower NPV.
    assert bars["transition_months"].npv_at_high < bars["transition_months"].npv_at_low


def test_a_saving_override_replaces_the_gross_saving_before_the_location_factor():
    overridden = payroll(saving=Triangle(0.2, 0.3, 0.4))
    result = deterministic_projection([overridden], horizon=60, discount_rate=0.08)
    assert result.components.vendor_fee[6] == pytest.approx((1 - 0.3 * 0.8) * 1_000_000 / 12)


processes_strategy = st.lists(
    st.builds(
        ProjectedProcess,
        name=st.just("p"),
        model=st.sampled_from(["ITO", "BPO", "KPO"]),
        location=st.sampled_from(["onshore", "nearshore", "offshore"]),
        annual_cost=st.floats(1_000, 10_000_000),
        start_month=st.integers(0, 40),
        wave=st.integers(1, 3),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(
    processes=processes_strategy,
    low=st.floats(-0.2, 0.9),
    raise_by=st.floats(0, 0.5),
    rate=st.floats(0, 0.2),
)
def test_a_higher_saving_rate_never_lowers_npv(processes, low, raise_by, rate):
    def with_saving(s):
        return [ProjectedProcess(**{**vars(p), "saving": Triangle.fixed(s)}) for p in processes]

    lower = deterministic_projection(with_saving(low), horizon=60, discount_rate=rate)
    higher = deterministic_projection(
        with_saving(min(low + raise_by, 1.0)), horizon=60, discount_rate=rate
    )
    assert higher.npv >= lower.npv - 1e-9 * max(1.0, abs(lower.npv))


def discounted_costs_without_saving(process, horizon, rate, inflation):
    """One-time, governance and dip costs, and the price-lock gain, discounted; loops."""
    drivers = ASSUMPTIONS[process.model]
    a = process.annual_cost
    transition = int(drivers.transition_months.mode)
    go_live = process.start_month + transition
    costs = gain = 0.0
    for t in range(process.start_month, horizon):
        v = (1 + rate) ** (-(t + 1) / 12)
        if t < go_live:
            costs += drivers.one_time_cost.mode * a / transition * v
            continue
        k = t - go_live
        avoided = a / 12 * (1 + inflation) ** (t / 12)
        fee = a / 12 * (1 + inflation) ** (k / 12)
        fade = max(0.0, 1 - k / drivers.dip_months)
        costs += (drivers.governance.mode * fee + drivers.dip.mode * avoided * fade) * v
        gain += (avoided - fee) * v
    return costs, gain


@settings(max_examples=60, deadline=None)
@given(processes=processes_strategy, rate=st.floats(0, 0.2), inflation=st.floats(0, 0.1))
def test_without_saving_npv_is_minus_the_discounted_one_time_governance_and_dip_costs(
    processes, rate, inflation
):
    """The dip is included. With equal escalation the fee, priced at today's in-house cost
    and escalating from go-live, still trails the in-house cost escalated from month 0:
    that price-lock gain is added back, and it is zero when escalation is zero."""
    zero = [ProjectedProcess(**{**vars(p), "saving": Triangle.fixed(0.0)}) for p in processes]
    result = deterministic_projection(
        zero, horizon=60, discount_rate=rate, inflation_in=inflation, inflation_vendor=inflation
    )
    costs, gain = zip(
        *(discounted_costs_without_saving(p, 60, rate, inflation) for p in zero), strict=True
    )
    assert result.npv == pytest.approx(sum(gain) - sum(costs), rel=1e-9, abs=1e-6)
    if inflation == 0:
        assert sum(gain) == 0
        assert result.npv == pytest.approx(-sum(costs), rel=1e-9, abs=1e-6)


def test_a_saving_override_above_thirty_percent_gets_a_warning_sentence():
    from assessments.engine.assumptions import saving_override_warning

    assert saving_override_warning("Payroll", Triangle(0.2, 0.3, 0.45)) is None
    assert saving_override_warning("Payroll", None) is None
    warning = saving_override_warning("Payroll", Triangle(0.3, 0.35, 0.45))
    assert warning.startswith("The saving entered for Payroll (35%) exceeds the 30%")


def test_a_triangle_must_be_ordered():
    with pytest.raises(ValueError, match="low <= mode <= high"):
        Triangle(0.3, 0.2, 0.4)


def test_retained_processes_cannot_be_projected():
    with pytest.raises(ValueError, match="only ITO, BPO and KPO"):
        payroll(model="retain")
