"""Service credits (METHODOLOGY 7): the worked example, the rules, and their properties."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contracts.engine.credits import compute_credits, evaluate_measurement

PROJECT_ROOT = Path(__file__).resolve().parents[2]

WORKED_SLAS = [
    {
        "name": "availability",
        "target": 99.5,
        "direction": "higher",
        "minimum": 99.0,
        "allocation": 0.5,
        "earn_back": True,
    },
    {
        "name": "response",
        "target": 4,
        "direction": "lower",
        "minimum": 8,
        "allocation": 0.4,
        "earn_back": False,
    },
    {
        "name": "csat",
        "target": 85,
        "direction": "higher",
        "minimum": 75,
        "allocation": 0.6,
        "earn_back": True,
    },
]
ALL_MET = {"availability": 99.7, "response": 3, "csat": 90}
WORKED_PERIODS = [
    {"availability": 99.6, "response": 5, "csat": 80},
    {"availability": 98.5, "response": 3, "csat": 70},
    ALL_MET,
    ALL_MET,
    ALL_MET,
]


def sla(
    name="uptime", target=99.0, direction="higher", minimum=None, allocation=0.5, earn_back=True
):
    return {
        "name": name,
        "target": target,
        "direction": direction,
        "minimum": minimum,
        "allocation": allocation,
        "earn_back": earn_back,
    }


@pytest.fixture
def worked():
    return compute_credits(WORKED_SLAS, WORKED_PERIODS, monthly_fee=100_000, at_risk_pct=0.12)


def test_worked_example_month_1_credits_response_and_csat_within_the_cap(worked):
    month1 = worked[0]
    assert month1["at_risk_amount"] == 12_000.00
    assert month1["credits"] == {"availability": 0.0, "response": 4_800.00, "csat": 7_200.00}
    assert month1["total"] == 12_000.00
    assert month1["cap_applied"] is False


def test_worked_example_month_2_is_capped_and_scaled_to_the_cent(worked):
    month2 = worked[1]
    assert month2["critical"] == {"availability": True, "response": False, "csat": True}
    assert month2["raw_credits"] == {"availability": 12_000.0, "response": 0.0, "csat": 14_400.0}
    assert month2["raw_total"] == 26_400.00
    assert month2["cap_applied"] is True
    assert month2["credits"] == {"availability": 5_454.55, "response": 0.0, "csat": 6_545.45}
    assert month2["total"] == 12_000.00


def test_worked_example_month_2_credits_are_earned_back_after_three_met_months(worked):
    month2 = worked[1]
    assert month2["earned_back"] == {"availability": 5_454.55, "csat": 6_545.45}
    assert month2["earned_back_total"] == 12_000.00
    assert month2["earned_back_in"] == {"availability": 4, "csat": 4}
    # Shown as returned, not deleted.
    assert month2["credits"]["availability"] == 5_454.55
    assert month2["net_total"] == 0.0


def test_worked_example_month_1_csat_is_not_earned_back_because_csat_missed_month_2(worked):
    month1 = worked[0]
    assert month1["earned_back"] == {}
    assert month1["earn_back_status"] == {"response": "no earn-back", "csat": "not earned back"}
    assert month1["net_total"] == 12_000.00


def test_worked_example_months_3_to_5_earn_no_credit(worked):
    assert [m["total"] for m in worked[2:]] == [0.0, 0.0, 0.0]


def test_an_actual_exactly_on_target_is_met_in_both_directions():
    assert evaluate_measurement(99.5, "higher", 99.0, 99.5).met
    assert evaluate_measurement(4, "lower", 8, 4).met


def test_an_actual_exactly_at_the_minimum_is_a_breach_but_not_critical():
    at_minimum = evaluate_measurement(99.5, "higher", 99.0, 99.0)
    assert (at_minimum.breach, at_minimum.critical) == (True, False)
    lower = evaluate_measurement(4, "lower", 8, 8)
    assert (lower.breach, lower.critical) == (True, False)


def test_an_sla_without_a_minimum_never_breaches_critically():
    result = evaluate_measurement(99.5, "higher", None, 0.0)
    assert result.breach and not result.critical


def test_attainment_ratio_is_above_one_when_better_than_target():
    assert evaluate_measurement(80, "higher", None, 100).ratio == pytest.approx(1.25)
    assert evaluate_measurement(4, "lower", None, 2).ratio == pytest.approx(2.0)
    assert evaluate_measurement(4, "lower", None, 0).ratio is None


def test_an_unmeasured_actual_is_neither_met_nor_breached():
    result = evaluate_measurement(99.5, "higher", 99.0, None)
    assert (result.measured, result.met, result.breach, result.ratio) == (False, False, False, None)


def test_an_unmeasured_sla_earns_no_credit_whether_missing_or_none():
    result = compute_credits([sla(minimum=98.0)], [{}, {"uptime": None}], 10_000, 0.1)
    assert [r["total"] for r in result] == [0.0, 0.0]
    assert [r["measured"]["uptime"] for r in result] == [False, False]


def test_a_gap_in_measurements_forfeits_the_earn_back():
    periods = [{"uptime": 90.0}, {"uptime": 99.5}, {}, {"uptime": 99.5}]
    result = compute_credits([sla()], periods, 10_000, 0.1)
    assert result[0]["credits"]["uptime"] == 500.0
    assert result[0]["earned_back"] == {}
    assert result[0]["earn_back_status"] == {"uptime": "not earned back"}


def test_earn_back_is_pending_until_three_later_periods_are_known():
    result = compute_credits([sla()], [{"uptime": 90.0}, {"uptime": 99.5}], 10_000, 0.1)
    assert result[0]["earn_back_status"] == {"uptime": "pending"}
    assert result[0]["earned_back"] == {}


def test_earn_back_is_not_granted_by_later_breaches_of_other_slas():
    slas = [sla("a"), sla("b", earn_back=False)]
    periods = [{"a": 90, "b": 99}, {"a": 99, "b": 90}, {"a": 99, "b": 90}, {"a": 99, "b": 90}]
    result = compute_credits(slas, periods, 10_000, 0.1)
    assert result[0]["earned_back"] == {"a": 500.0}


def test_a_breach_earns_its_allocation_and_a_critical_breach_twice_that():
    slas = [sla("a", minimum=95.0, allocation=0.25), sla("b", minimum=95.0, allocation=0.25)]
    result = compute_credits(slas, [{"a": 98.0, "b": 90.0}], 20_000, 0.1)
    assert result[0]["credits"] == {"a": 500.0, "b": 1_000.0}


def test_credit_is_capped_at_the_at_risk_amount():
    slas = [sla("a", allocation=1.0), sla("b", allocation=3.0)]
    result = compute_credits(slas, [{"a": 0, "b": 0}], 10_000, 0.1)
    assert result[0]["total"] == 1_000.0
    assert result[0]["credits"] == {"a": 250.0, "b": 750.0}


def test_rounding_a_capped_period_puts_every_cent_somewhere_and_no_more():
    slas = [sla(name, allocation=1.0) for name in ("a", "b", "c")]
    result = compute_credits(slas, [{"a": 0, "b": 0, "c": 0}], 100_000, 0.1)
    assert sorted(result[0]["credits"].values()) == [3_333.33, 3_333.33, 3_333.34]
    assert round(sum(result[0]["credits"].values()), 2) == result[0]["total"] == 10_000.0


def test_allocations_summing_to_exactly_one_do_not_trip_the_cap_through_float_noise():
    slas = [sla(name, allocation=w) for name, w in (("a", 0.1), ("b", 0.2), ("c", 0.7))]
    result = compute_credits(slas, [{"a": 0, "b": 0, "c": 0}], 100_000, 0.1)[0]
    assert result["cap_applied"] is False
    assert result["credits"] == {"a": 1_000.0, "b": 2_000.0, "c": 7_000.0}


def test_decimal_inputs_from_model_fields_are_accepted():
    slas = [sla(target=Decimal("99.5"), minimum=Decimal("99.0"), allocation=Decimal("0.5"))]
    result = compute_credits(
        slas, [{"uptime": Decimal("98.5")}], Decimal("100000.00"), Decimal("0.12")
    )
    assert result[0]["credits"] == {"uptime": 12_000.0}


def test_every_result_records_the_rules_version():
    assert compute_credits([sla()], [{}], 1_000, 0.1)[0]["rules_version"] == "2026.2"


@pytest.mark.parametrize(
    ("slas", "periods", "fee", "pct", "message"),
    [
        ([sla(direction="up")], [], 1_000, 0.1, "direction must be 'higher' or 'lower'"),
        ([sla(allocation=-0.1)], [], 1_000, 0.1, "allocation must be zero or more"),
        ([sla(), sla()], [], 1_000, 0.1, "Duplicate SLA name 'uptime'"),
        ([sla()], [{"uptme": 99}], 1_000, 0.1, "unknown SLA name 'uptme'"),
        ([sla()], [], -1, 0.1, "monthly_fee must be zero or more"),
        ([sla()], [], 1_000, 12, "did you pass a percentage"),
        ([sla()], [], 1_000, 0, "0 < at_risk_pct <= 1"),
        ([sla(minimum=99.9)], [], 1_000, 0.1, "minimum service level (99.9) is above the target"),
        (
            [{"name": "x", "direction": "higher", "allocation": 1}],
            [],
            1_000,
            0.1,
            "missing 'target'",
        ),
        ([sla()], [{"uptime": float("nan")}], 1_000, 0.1, "must be a finite number"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(slas, periods, fee, pct, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compute_credits(slas, periods, fee, pct)


# --- properties -------------------------------------------------------------------------

NAMES = ("a", "b", "c", "d", "e")


@st.composite
def sla_sets(draw):
    count = draw(st.integers(1, len(NAMES)))
    slas = []
    for name in NAMES[:count]:
        direction = draw(st.sampled_from(["higher", "lower"]))
        target = draw(st.floats(1, 100))
        gap = draw(st.none() | st.floats(0, 50))
        minimum = None if gap is None else (target - gap if direction == "higher" else target + gap)
        allocation = draw(st.floats(0, 3))
        slas.append(sla(name, target, direction, minimum, allocation, draw(st.booleans())))
    return slas


actuals = st.none() | st.floats(0, 200)
fees = st.floats(0, 10_000_000)
pcts = st.floats(0.001, 1)


def periods_for(slas):
    return st.lists(
        st.fixed_dictionaries({s["name"]: actuals for s in slas}), min_size=1, max_size=6
    )


@given(data=st.data(), fee=fees, pct=pcts)
def test_the_period_total_never_exceeds_the_at_risk_amount(data, fee, pct):
    slas = data.draw(sla_sets())
    for result in compute_credits(slas, data.draw(periods_for(slas)), fee, pct):
        assert result["total"] <= result["at_risk_amount"]
        assert round(sum(result["credits"].values()), 2) == result["total"]
        assert 0 <= result["earned_back_total"] <= result["total"]


@given(data=st.data(), fee=fees, pct=pcts)
def test_meeting_every_target_earns_no_credit(data, fee, pct):
    slas = data.draw(sla_sets())
    met = {s["name"]: s["target"] for s in slas}
    assert all(r["total"] == 0 for r in compute_credits(slas, [met, met], fee, pct))


@given(data=st.data(), fee=fees, pct=pcts)
@settings(max_examples=300)
def test_a_worse_actual_never_earns_a_smaller_credit_for_that_sla(data, fee, pct):
    """With the cap binding, SLA i's share is raw_i * P / (raw_i + others), which rises
    with raw_i; so a worse actual (others unchanged) never lowers SLA i's own credit.
    It can lower the other SLAs' scaled credits, but never the period total."""
    slas = data.draw(sla_sets())
    period = data.draw(st.fixed_dictionaries({s["name"]: actuals for s in slas}))
    chosen = data.draw(st.sampled_from(slas))
    name = chosen["name"]
    before = period.get(name)
    assume(before is not None)
    delta = data.draw(st.floats(0, 200))
    worse = before - delta if chosen["direction"] == "higher" else before + delta
    old = compute_credits(slas, [period], fee, pct)[0]
    new = compute_credits(slas, [{**period, name: worse}], fee, pct)[0]
    assert new["credits"][name] >= old["credits"][name]
    assert new["total"] >= old["total"]


def test_a_worse_actual_can_lower_another_slas_credit_when_the_cap_binds():
    slas = [sla("a", minimum=95.0, allocation=1.0), sla("b", minimum=95.0, allocation=1.0)]
    breach = compute_credits(slas, [{"a": 98, "b": 98}], 10_000, 0.1)[0]["credits"]
    critical = compute_credits(slas, [{"a": 90, "b": 98}], 10_000, 0.1)[0]["credits"]
    assert critical["a"] > breach["a"]
    assert critical["b"] < breach["b"]
