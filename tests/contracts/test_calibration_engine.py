"""The calibration engine: where realised savings fall within their forecasts, and the
update rule that moves the published savings ranges by the organisation's record."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.engine.assumptions import ASSUMPTIONS, Triangle
from contracts.engine.calibration import (
    ContractRecord,
    CumulativePoint,
    band_of,
    calibration_report,
    pit,
    relative_error,
)
from contracts.engine.calibration_update import (
    MAX_BIAS,
    PRIOR_WEIGHT,
    SAVING_CEILING,
    SAVING_FLOOR,
    Evidence,
    calibrated_range,
)

D = Decimal


def point(realised, p10=100, p50=200, p90=300, label="Jan 2025") -> CumulativePoint:
    return CumulativePoint.of(label, realised, p10, p50, p90)


def record(contract_id, realised, band=(100, 200, 300), model="ITO", location="offshore"):
    points = tuple(point(r, *band, label=f"m{i}") for i, r in enumerate(realised))
    return ContractRecord(contract_id, f"Contract {contract_id}", model, location, points)


# The probability integral transform ----------------------------------------------------


@pytest.mark.parametrize(
    ("realised", "percentile"),
    [(100, "0.100"), (150, "0.300"), (200, "0.500"), (250, "0.700"), (300, "0.900")],
)
def test_the_percentile_of_a_saving_on_the_band_is_read_off_the_straight_lines(
    realised, percentile
):
    assert pit(point(realised)) == D(percentile)


def test_a_saving_far_outside_the_band_is_at_the_forecasts_very_end():
    assert pit(point(-1_000_000)) == D("0.000")
    assert pit(point(1_000_000)) == D("1.000")
    assert pit(point(90)) == D("0.060")  # the P10 to P50 line carried on below P10


def test_a_band_of_zero_width_gives_the_middle_of_its_jump():
    assert pit(point(5, 5, 5, 5)) == D("0.500")
    assert pit(point(4, 5, 5, 5)) == D("0.000")
    assert pit(point(6, 5, 5, 5)) == D("1.000")
    assert pit(point(5, 5, 5, 9)) == D("0.300")


def test_the_ends_of_the_band_count_as_inside_it():
    assert [band_of(point(r)) for r in (99.99, 100, 200, 300, 300.01)] == [0, 1, 1, 2, 3]


def test_the_bias_is_realised_minus_the_median_as_a_share_of_the_median():
    assert relative_error(point(150)) == D("-0.25")
    assert relative_error(point(250, -100, -200, 300)) is not None
    assert relative_error(point(10, 0, 0.4, 1)) is None  # a median under one unit


# The report ------------------------------------------------------------------------------


def test_coverage_counts_each_contract_once_whatever_its_months():
    inside_for_a_year = record(1, [200] * 12)
    outside_for_two_months = record(2, [500, 500])
    report = calibration_report([inside_for_a_year, outside_for_two_months])
    assert report.contracts == 2 and report.outcomes == 14
    assert report.coverage == D("0.5000")
    assert [b.observed for b in report.band_shares] == [D(0), D("0.5000"), D(0), D("0.5000")]


def test_the_bias_by_model_and_location_is_the_mean_of_the_latest_months():
    report = calibration_report(
        [
            record(1, [150], model="ITO", location="offshore"),  # -25 %
            record(2, [300], model="ITO", location="nearshore"),  # +50 %
            record(3, [100], model="BPO", location="offshore"),  # -50 %
        ]
    )
    assert report.bias_by_model == {"BPO": D("-0.5000"), "ITO": D("0.1250")}
    assert report.bias_by_location == {"nearshore": D("0.5000"), "offshore": D("-0.3750")}
    assert report.as_dict()["bias_by_model"] == {"BPO": -0.5, "ITO": 0.125}


def test_the_contracts_outside_their_band_come_first_biggest_miss_first():
    report = calibration_report(
        [record(1, [200]), record(2, [350]), record(3, [1000]), record(4, [20])]
    )
    assert [c.contract_id for c in report.drivers] == [3, 4, 2]
    assert [c.contract_id for c in report.per_contract][-1] == 1


def test_the_report_does_not_depend_on_the_order_of_the_contracts():
    records = [record(i, [100 + 37 * i, 90 + 41 * i]) for i in range(1, 8)]
    assert calibration_report(records) == calibration_report(list(reversed(records)))


def test_no_evidence_gives_no_coverage_rather_than_a_made_up_share():
    report = calibration_report([])
    assert report.contracts == 0 and report.coverage is None
    assert report.as_dict()["coverage_p10_p90"] is None


# The update rule: known cases ------------------------------------------------------------

ITO = ASSUMPTIONS["ITO"].saving  # 5 / 20 / 35 %


def test_five_contracts_twenty_percent_short_move_the_mode_half_way():
    moved = calibrated_range(ITO, Evidence(contracts=5, bias=D("-0.2")))
    # w = 5 / (5 + 5) = 1/2: shift = 1 - 0.1 = 0.9, mode 0.20 x 0.9 = 0.18
    assert (moved.weight, moved.shift) == (D("0.5000"), D("0.9000"))
    assert (moved.low, moved.mode, moved.high) == (D("0.0450"), D("0.1800"), D("0.3150"))


def test_a_spread_twice_the_forecasts_widens_the_range_by_its_weight():
    moved = calibrated_range(ITO, Evidence(contracts=6, bias=D(0), spread=D(2)))
    # w_s = 5 / (5 + 5) = 1/2: widen = 1 + 0.5 x (2 - 1) = 1.5 around the mode
    assert moved.widen == D("1.5000")
    assert (moved.low, moved.mode, moved.high) == (D("0.0000"), D("0.2000"), D("0.4250"))


def test_one_contract_moves_a_range_by_at_most_a_twelfth():
    moved = calibrated_range(ITO, Evidence(contracts=1, bias=D("10"), spread=D("50")))
    assert moved.mode == D("0.2167")  # 0.20 x (1 + 1/6 x 0.5)
    assert moved.widen == D(1)  # one contract says nothing about spread


# The update rule: properties ---------------------------------------------------------------

triangles = st.tuples(
    st.decimals(min_value=0, max_value="0.6", places=4),
    st.decimals(min_value=0, max_value="0.3", places=4),
    st.decimals(min_value=0, max_value="0.3", places=4),
).map(lambda t: Triangle(float(t[0]), float(t[0] + t[1]), float(t[0] + t[1] + t[2])))
biases = st.decimals(min_value=-5, max_value=5, places=6)
spreads = st.none() | st.decimals(min_value=0, max_value=50, places=4)
counts = st.integers(min_value=0, max_value=10_000)


@given(triangles, biases, spreads)
def test_without_evidence_nothing_moves(default, bias, spread):
    moved = calibrated_range(default, Evidence(contracts=0, bias=bias, spread=spread))
    assert not moved.moved and (moved.low, moved.mode, moved.high) == moved.default
    assert calibrated_range(default, None) == moved


@given(triangles, biases, spreads, counts.filter(lambda n: n > 0))
def test_the_mode_moves_towards_the_evidence_and_never_past_it(default, bias, spread, n):
    moved = calibrated_range(default, Evidence(contracts=n, bias=bias, spread=spread))
    mode = moved.default[1]
    target = calibrated_range(default, Evidence(contracts=10**9, bias=bias)).mode
    assert min(mode, target) <= moved.mode <= max(mode, target)


@given(triangles, biases, st.decimals(min_value=0, max_value=50, places=4), counts)
def test_more_evidence_moves_further(default, bias, spread, n):
    fewer = calibrated_range(default, Evidence(contracts=n, bias=bias, spread=spread))
    more = calibrated_range(default, Evidence(contracts=n + 1, bias=bias, spread=spread))
    assert abs(more.mode - more.default[1]) >= abs(fewer.mode - fewer.default[1])


@given(triangles, biases, spreads, counts)
def test_the_range_stays_bounded_however_extreme_the_evidence(default, bias, spread, n):
    moved = calibrated_range(default, Evidence(contracts=n, bias=bias, spread=spread))
    assert SAVING_FLOOR <= moved.low <= moved.mode <= moved.high <= SAVING_CEILING
    mode = moved.default[1]
    bound = mode * MAX_BIAS * D(n) / D(n + PRIOR_WEIGHT)
    assert abs(moved.mode - mode) <= bound + D("0.0001")  # one rounding step
    assert D("0.5") <= moved.widen <= D("2")
