"""The roadmap: waves, gates and quick wins (METHODOLOGY section 4)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine.assumptions import Triangle
from assessments.engine.projection import deterministic_projection
from assessments.engine.sequencer import RoadmapItem, build_roadmap, quick_win_value


def item(name, model, cost=2_000_000.0, location="offshore", confidence=1.0, **extra):
    return RoadmapItem(
        name=name,
        model=model,
        location=location,
        annual_cost=cost,
        confidence=confidence,
        **extra,
    )


def by_name(roadmap):
    return {s.name: s for s in roadmap.scheduled}


def test_the_ito_wave_comes_first_and_starts_at_month_zero():
    roadmap = build_roadmap(
        [item("Payroll", "BPO"), item("Service desk", "ITO"), item("Analytics", "KPO")]
    )
    assert [w.number for w in roadmap.waves] == [1, 2, 3]
    assert roadmap.waves[0].model == "ITO"
    assert by_name(roadmap)["Service desk"].start_month == 0


def test_the_bpo_wave_starts_the_month_after_the_ito_wave_pays_back():
    # An offshore ITO process of 2,000,000 pays back in month 12 (METHODOLOGY 5).
    roadmap = build_roadmap([item("Service desk", "ITO"), item("Payroll", "BPO")])
    assert roadmap.wave(1).payback_month == 12
    assert by_name(roadmap)["Payroll"].start_month == 13
    assert roadmap.warnings == ()


def test_the_bpo_wave_waits_for_the_whole_ito_wave_to_pay_back():
    ito = [item(f"IT {i}", "ITO", cost=1_000_000.0 * (i + 1)) for i in range(5)]
    roadmap = build_roadmap([*ito, item("Payroll", "BPO")])
    wave_1 = deterministic_projection(
        [s for s in roadmap.projected_processes() if s.wave == 1], horizon=60, discount_rate=0.08
    )
    assert by_name(roadmap)["Payroll"].start_month == wave_1.payback_month + 1


def test_the_bpo_wave_starts_at_month_zero_without_an_ito_wave():
    roadmap = build_roadmap([item("Payroll", "BPO"), item("Claims", "BPO")])
    assert [s.start_month for s in roadmap.scheduled] == [0, 0]


def test_an_ito_wave_that_never_pays_back_gates_bpo_at_its_last_go_live_with_a_warning():
    roadmap = build_roadmap(
        [item("Service desk", "ITO"), item("Payroll", "BPO")], horizon=10, discount_rate=0.08
    )
    assert roadmap.wave(1).payback_month is None
    assert by_name(roadmap)["Payroll"].start_month == 5
    assert any("does not pay back" in w for w in roadmap.warnings)


def test_the_kpo_wave_starts_when_the_bpo_transitions_are_complete():
    bpo = [item(f"BPO {i}", "BPO", cost=100_000.0 * (i + 1)) for i in range(4)]
    roadmap = build_roadmap([item("Service desk", "ITO"), *bpo, item("Analytics", "KPO")])
    last_bpo_go_live = max(s.go_live_month for s in roadmap.scheduled if s.wave == 2)
    assert last_bpo_go_live == 13 + 6 + 6  # four BPO processes: two rounds of three
    assert by_name(roadmap)["Analytics"].start_month == last_bpo_go_live
    assert roadmap.wave(2).end_month == last_bpo_go_live


def test_the_kpo_wave_starts_at_the_bpo_gate_when_there_is_no_bpo_wave():
    roadmap = build_roadmap([item("Service desk", "ITO"), item("Analytics", "KPO")])
    assert by_name(roadmap)["Analytics"].start_month == 13


def test_at_most_three_transitions_run_at_once():
    roadmap = build_roadmap([item(f"BPO {i}", "BPO", cost=1e6 - i) for i in range(7)])
    starts = [s.start_month for s in roadmap.scheduled]
    assert starts == [0, 0, 0, 6, 6, 6, 12]


def test_a_large_ito_wave_can_pay_back_before_its_last_transitions_and_is_warned_about():
    ito = [item(f"IT {i:02d}", "ITO", cost=1e6 * (1 + (i * 7) % 5)) for i in range(10)]
    roadmap = build_roadmap([*ito, *(item(f"BPO {i}", "BPO") for i in range(3))])
    # METHODOLOGY 4 opens wave 2 the month after wave 1 pays back, even mid-wave.
    assert roadmap.wave(2).start_month == roadmap.wave(1).payback_month + 1
    assert roadmap.wave(2).start_month < roadmap.wave(1).end_month
    assert any("up to 4 transitions run at once" in w for w in roadmap.warnings)


def test_quick_wins_go_first_and_ties_are_ordered_by_name():
    roadmap = build_roadmap(
        [
            item("Small", "BPO", cost=100_000.0),
            item("Zeta", "BPO", cost=900_000.0),
            item("Alpha", "BPO", cost=900_000.0),
            item("Unsure", "BPO", cost=900_000.0, confidence=0.1),
        ]
    )
    assert [s.name for s in roadmap.scheduled] == ["Alpha", "Zeta", "Small", "Unsure"]
    assert by_name(roadmap)["Unsure"].start_month == 6


def test_quick_wins_equal_in_exact_arithmetic_are_ordered_by_name_not_by_rounding():
    # 150,000 x 0.30 and 100,000 x 0.45 are both 45,000, so both quick-win values are
    # 45,000 x s x location factor / T; in floats the second comes out a few units in
    # the last place higher, which must not put "Beta" ahead of "Alpha".
    alpha = item("Alpha", "ITO", cost=150_000.0, location="nearshore", confidence=0.3)
    beta = item("Beta", "ITO", cost=100_000.0, location="nearshore", confidence=0.45)
    roadmap = build_roadmap([beta, alpha])
    assert [s.name for s in roadmap.scheduled] == ["Alpha", "Beta"]


def test_quick_win_value_uses_the_modes_and_the_location_factor():
    payroll = item("Payroll", "BPO", cost=1_000_000.0, location="nearshore", confidence=0.5)
    assert quick_win_value(payroll) == pytest.approx(1_000_000 * 0.25 * 0.8 * 0.5 / 6)


def test_retained_and_insufficient_evidence_processes_are_in_no_wave():
    roadmap = build_roadmap(
        [
            item("Core R&D", "retain", location="in_house"),
            RoadmapItem("Unclear", "insufficient_evidence", None, 500_000.0, None),
            item("Payroll", "BPO"),
        ]
    )
    assert [s.name for s in roadmap.scheduled] == ["Payroll"]
    assert roadmap.unscheduled == ("Core R&D", "Unclear")
    assert all("Core R&D" not in w.process_names for w in roadmap.waves)
    assert [p.name for p in roadmap.projected_processes()] == ["Payroll"]


def test_projected_processes_carry_the_schedule():
    roadmap = build_roadmap([item("Service desk", "ITO"), item("Payroll", "BPO")])
    projected = {p.name: p for p in roadmap.projected_processes()}
    assert (projected["Payroll"].start_month, projected["Payroll"].wave) == (13, 2)
    assert projected["Service desk"].model == "ITO"


def test_a_saving_override_above_thirty_percent_is_warned_about():
    roadmap = build_roadmap([item("Payroll", "BPO", saving=Triangle(0.3, 0.45, 0.5))])
    assert any("Payroll" in w and "30%" in w for w in roadmap.warnings)


def test_a_process_starting_after_the_horizon_is_warned_about():
    roadmap = build_roadmap(
        [item(f"BPO {i}", "BPO") for i in range(7)], horizon=12, discount_rate=0.08
    )
    assert any("BPO 6" in w and "after the 12-month horizon" in w for w in roadmap.warnings)


def test_duplicate_names_are_refused():
    with pytest.raises(ValueError, match="unique"):
        build_roadmap([item("Payroll", "BPO"), item("Payroll", "ITO")])


items_strategy = st.lists(
    st.builds(
        RoadmapItem,
        name=st.text("abcdefgh", min_size=1, max_size=6),
        model=st.sampled_from(["ITO", "BPO", "KPO", "retain"]),
        location=st.sampled_from(["onshore", "nearshore", "offshore"]),
        annual_cost=st.floats(10_000, 5_000_000),
        confidence=st.floats(0, 1),
    ),
    max_size=14,
    unique_by=lambda i: i.name,
)


@settings(max_examples=80, deadline=None)
@given(items=items_strategy)
def test_any_roadmap_keeps_the_wave_order_and_the_transition_limit(items):
    roadmap = build_roadmap(items)
    for month in range(120):
        running = [s for s in roadmap.scheduled if s.start_month <= month < s.go_live_month]
        for wave in (1, 2, 3):
            assert sum(1 for s in running if s.wave == wave) <= 3
        if len(running) > 3:
            assert any("transitions run at once" in w for w in roadmap.warnings)
    starts = {w.number: w.start_month for w in roadmap.waves}
    wave_1, wave_2 = roadmap.wave(1), roadmap.wave(2)
    if wave_2 is not None:
        if wave_1 is None:
            assert starts[2] == 0
        elif wave_1.payback_month is not None:
            assert starts[2] == wave_1.payback_month + 1
        else:
            assert starts[2] == wave_1.end_month
        if wave_1 is not None:
            assert starts[2] > wave_1.start_month
    if 3 in starts and wave_2 is not None:
        assert starts[3] == wave_2.end_month
    retained = {i.name for i in items if i.model == "retain"}
    assert retained.isdisjoint(s.name for s in roadmap.scheduled)
