"""Named scenarios: what a scenario file may say, and what applying it changes (pure)."""

import json
import math
from typing import Any

import pytest

from assessments.engine.assumptions import (
    ASSUMPTIONS,
    DEFAULT_SET,
    Triangle,
    active_assumptions,
    assumptions_for,
    location_factor,
    using_assumptions,
)
from assessments.engine.pipeline import ProcessInput, assess
from assessments.engine.projection import ProjectedProcess, deterministic_projection
from assessments.engine.projection_mc import monte_carlo, run_fingerprint
from assessments.engine.scenario_compare import (
    PlannedProcess,
    ScenarioOutcome,
    compare,
    comparison_sheets,
    figure_rows,
)
from assessments.engine.scenarios import (
    APP_KEYS,
    FILE_KEYS,
    MAX_TEXT_BYTES,
    Override,
    Scenario,
    ScenarioError,
    assumptions_from_json,
    assumptions_to_json,
    load_scenario_json,
    parse_scenario,
    run_scenario,
)
from assessments.engine.sequencer import RoadmapItem, build_roadmap

PAYROLL = {  # the engine recommends BPO offshore for it
    "strategic_importance": 1,
    "standardisation": 5,
    "volume": 5,
    "knowledge_intensity": 2,
    "technology_intensity": 2,
    "data_sensitivity": 2,
    "customer_contact": 1,
    "onsite_need": 1,
    "capability_gap": 3,
    "demand_variability": 2,
    "interdependence": 2,
}
NETWORK = {  # ITO
    "strategic_importance": 2,
    "standardisation": 4,
    "volume": 4,
    "knowledge_intensity": 3,
    "technology_intensity": 5,
    "data_sensitivity": 3,
    "customer_contact": 1,
    "onsite_need": 4,
    "capability_gap": 4,
    "demand_variability": 3,
    "interdependence": 3,
}
INVENTORY = [
    ProcessInput("Payroll processing", 1_000_000.0, PAYROLL),
    ProcessInput("Network infrastructure", 2_000_000.0, NETWORK),
]


# Reading ---------------------------------------------------------------------------------


def test_an_empty_scenario_is_the_base_and_changes_nothing():
    scenario = parse_scenario({})
    assert scenario.is_base
    assert scenario.assumption_set() is None
    assert scenario.describe() == ["The assessment's own settings"]


def test_a_full_scenario_reads_back_to_the_same_json():
    data = {
        "discount_rate": 0.1,
        "horizon": 72,
        "drivers": {"gross_saving": {"BPO": [0.05, 0.12, 0.2]}},
        "location_factors": {"offshore": 0.9},
        "escalation": {"in_house": 0.03, "vendor": 0.05},
        "waves": {"gate_on_payback": False, "max_concurrent": 2},
        "allowed_locations": ["onshore", "nearshore"],
        "overrides": {"Payroll processing": {"model": "retain"}},
    }
    scenario = parse_scenario(data)
    assert scenario.to_dict() == data
    assert parse_scenario(json.loads(json.dumps(scenario.to_dict()))) == scenario


def test_the_file_keys_are_the_three_of_the_interface():
    assert FILE_KEYS == ("discount_rate", "horizon", "drivers")
    with pytest.raises(ScenarioError, match="Unknown key 'waves'"):
        parse_scenario({"waves": {"max_concurrent": 2}}, keys=FILE_KEYS)
    assert set(FILE_KEYS) < set(APP_KEYS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"discount": 0.1}, "Unknown key 'discount'"),
        ({"discount_rate": 10}, "Write 10 % as 0.1"),
        ({"discount_rate": -0.01}, "discount_rate must be from 0 to 0.5"),
        ({"discount_rate": "0.1"}, 'discount_rate must be a number, not "0.1"'),
        ({"discount_rate": True}, "must be a number"),
        ({"horizon": 60.5}, "whole number of months"),
        ({"horizon": 0}, "from 1 to 240"),
        ({"horizon": 10**30}, "from 1 to 240"),
        ({"drivers": []}, "drivers must be a JSON object"),
        ({"drivers": {"saving": {"ITO": [0.1, 0.2, 0.3]}}}, 'Unknown driver "saving"'),
        ({"drivers": {"gross_saving": {"RPA": [0.1, 0.2, 0.3]}}}, 'Unknown model "RPA"'),
        ({"drivers": {"gross_saving": {"ITO": [0.1, 0.2]}}}, "list of three numbers"),
        ({"drivers": {"gross_saving": {"ITO": [0.1, 0.2, 0.3, 0.4]}}}, "list of three"),
        ({"drivers": {"gross_saving": {"ITO": "0.1,0.2,0.3"}}}, "list of three"),
        ({"drivers": {"gross_saving": {"ITO": [0.3, 0.2, 0.1]}}}, "low <= mode <= high"),
        ({"drivers": {"gross_saving": {"ITO": [0.1, 0.4, 0.3]}}}, "low <= mode <= high"),
        ({"drivers": {"gross_saving": {"ITO": [10, 20, 30]}}}, "write 20 % as 0.2"),
        ({"drivers": {"governance": {"KPO": [-0.1, 0.0, 0.1]}}}, "must lie from 0 to 1"),
        ({"drivers": {"transition_months": {"BPO": [3, 6, 1e308]}}}, "must lie from 0 to 60"),
        ({"drivers": {"productivity_dip": {"BPO": [0, "x", 1]}}}, "must be a number"),
        ({"drivers": {"one_time_cost": {"ITO": [0, None, 1]}}}, "must be a number"),
        ({"waves": {"max_concurrent": 0}}, "1 to 20"),
        ({"waves": {"gate_on_payback": "no"}}, "true or false"),
        ({"allowed_locations": []}, "non-empty list"),
        ({"allowed_locations": ["moon"]}, 'Unknown location "moon"'),
        ({"overrides": {"Payroll": {"model": "outsource"}}}, "model must be one of"),
        ([0.1], "must be a JSON object"),
    ],
)
def test_a_malformed_scenario_is_refused_with_what_is_wrong(data, message):
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_scenario(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"discount_rate": NaN}', "NaN is not a number"),
        ('{"drivers": {"gross_saving": {"ITO": [0.1, Infinity, 1]}}}', "Infinity is not"),
        ('{"horizon": 1e999}', "finite number"),
        ("[" * 150_000 + "]" * 150_000, "at most"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ('{"horizon": ' + "9" * 5000 + "}", "not valid JSON"),
        ("{'horizon': 12}", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_hostile_json_is_refused_in_words_not_a_crash(text, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario_json(text)


def test_a_file_just_under_the_size_limit_is_read():
    padding = " " * (MAX_TEXT_BYTES - 20)
    assert load_scenario_json('{"horizon": 12}' + padding).horizon == 12


# Applying ---------------------------------------------------------------------------------


def test_a_triangle_left_out_keeps_its_default_and_one_given_replaces_it():
    scenario = parse_scenario({"drivers": {"gross_saving": {"BPO": [0.05, 0.12, 0.2]}}})
    changed = scenario.assumption_set()
    assert changed is not None
    assert changed.models["BPO"].saving == Triangle(0.05, 0.12, 0.2)
    assert changed.models["BPO"].governance == ASSUMPTIONS["BPO"].governance
    assert changed.models["ITO"] == ASSUMPTIONS["ITO"]
    assert changed.location_factors == DEFAULT_SET.location_factors


def test_the_active_set_applies_inside_the_block_only():
    changed = parse_scenario({"location_factors": {"offshore": 0.5}}).assumption_set()
    with using_assumptions(changed):
        assert location_factor("offshore") == 0.5
        assert assumptions_for("ITO") == ASSUMPTIONS["ITO"]
    assert location_factor("offshore") == 1.0
    assert active_assumptions() is DEFAULT_SET


def test_a_lower_saving_lowers_the_npv_by_the_known_amount():
    # One offshore BPO process of 1,200,000 a year, no transition cost or dip, no
    # escalation, no discounting: each month after go-live saves 100,000 x (s - gamma (1-s)).
    process = ProjectedProcess("Payroll", "BPO", "offshore", 1_200_000.0, start_month=0, wave=2)
    flat = {
        "one_time_cost": {"BPO": [0, 0, 0]},
        "productivity_dip": {"BPO": [0, 0, 0]},
        "transition_months": {"BPO": [1, 1, 1]},
        "governance": {"BPO": [0, 0, 0]},
    }

    def npv(saving):
        scenario = parse_scenario({"drivers": {**flat, "gross_saving": {"BPO": saving}}})
        with using_assumptions(scenario.assumption_set()):
            return deterministic_projection(
                [process], horizon=13, discount_rate=0.0, inflation_in=0.0, inflation_vendor=0.0
            ).npv

    # Live from month 1 to 12: twelve months of 100,000 x s.
    assert npv([0.25, 0.25, 0.25]) == pytest.approx(12 * 100_000 * 0.25)
    assert npv([0.10, 0.10, 0.10]) == pytest.approx(12 * 100_000 * 0.10)


def test_the_scenario_is_part_of_the_monte_carlo_fingerprint():
    process = ProjectedProcess("Payroll", "BPO", "offshore", 1_000_000.0, start_month=0, wave=2)
    args: dict[str, Any] = {
        "seed": 0,
        "total_trials": 500,
        "horizon": 24,
        "discount_rate": 0.08,
        "inflation_in": 0.035,
        "inflation_vendor": 0.04,
    }
    base = run_fingerprint([process], **args)
    cautious = parse_scenario({"drivers": {"gross_saving": {"BPO": [0, 0.1, 0.2]}}})
    with using_assumptions(cautious.assumption_set()):
        assert run_fingerprint([process], **args) != base
    assert run_fingerprint([process], **args) == base


def test_the_monte_carlo_keeps_the_npv_distribution_in_order():
    process = ProjectedProcess("Payroll", "BPO", "offshore", 1_000_000.0, start_month=0, wave=2)
    summary = monte_carlo([process], trials=1000, seed=3, horizon=36, discount_rate=0.08)
    quantiles = summary.npv_quantiles
    assert len(quantiles) == 101
    assert list(quantiles) == sorted(quantiles)
    assert quantiles[10] == pytest.approx(summary.npv_p10)
    assert quantiles[50] == pytest.approx(summary.npv_p50)
    assert quantiles[90] == pytest.approx(summary.npv_p90)


def test_the_base_scenario_plans_exactly_what_the_pipeline_plans():
    run = run_scenario(INVENTORY, Scenario(), horizon=60, discount_rate=0.08)
    plain = assess(INVENTORY, horizon=60, discount_rate=0.08)
    assert run.assessed.roadmap == plain.roadmap
    assert (run.horizon, run.discount_rate, run.assumptions) == (60, 0.08, None)


def test_no_offshore_moves_an_offshore_process_nearshore_keeping_its_model():
    base = assess(INVENTORY)
    assert [(p.model, p.location) for p in base.processes] == [
        ("BPO", "offshore"),
        ("ITO", "onshore"),
    ]
    run = run_scenario(
        INVENTORY,
        parse_scenario({"allowed_locations": ["onshore", "nearshore"]}),
        horizon=60,
        discount_rate=0.08,
    )
    assert [(p.model, p.location) for p in run.assessed.processes] == [
        ("BPO", "nearshore"),
        ("ITO", "onshore"),
    ]
    # The recommendation's confidence is kept: only the location moved.
    assert run.assessed.processes[0].recommendation == base.processes[0].recommendation


def test_onshore_only_moves_offshore_past_nearshore():
    run = run_scenario(
        INVENTORY,
        parse_scenario({"allowed_locations": ["onshore"]}),
        horizon=60,
        discount_rate=0.08,
    )
    assert run.assessed.processes[0].location == "onshore"


def test_an_override_retains_a_process_and_so_takes_it_off_the_roadmap():
    scenario = parse_scenario({"overrides": {"Payroll processing": {"model": "retain"}}})
    run = run_scenario(INVENTORY, scenario, horizon=60, discount_rate=0.08)
    assert run.assessed.roadmap.unscheduled == ("Payroll processing",)
    assert scenario.overrides == {"Payroll processing": Override("retain")}


def test_an_override_of_a_missing_process_is_refused():
    scenario = parse_scenario({"overrides": {"Catering": {"model": "BPO"}}})
    with pytest.raises(ScenarioError, match="does not have: Catering"):
        run_scenario(INVENTORY, scenario, horizon=60, discount_rate=0.08)


def test_the_scenarios_horizon_and_rate_replace_the_bases():
    scenario = parse_scenario({"horizon": 36, "discount_rate": 0.12})
    run = run_scenario(INVENTORY, scenario, horizon=60, discount_rate=0.08)
    assert (run.horizon, run.discount_rate) == (36, 0.12)
    assert run.assessed.roadmap.horizon == 36


def items(count, model="BPO"):
    return [
        RoadmapItem(f"P{i}", model, "offshore", 1_000_000.0 + i, confidence=1.0)
        for i in range(count)
    ]


def test_at_most_n_transitions_run_at_once():
    # Six BPO transitions of six months: three at a time take two slots, one at a time six.
    three = build_roadmap(items(6))
    one = build_roadmap(items(6), max_concurrent=1)
    assert sorted({s.start_month for s in three.scheduled}) == [0, 6]
    assert sorted(s.start_month for s in one.scheduled) == [0, 6, 12, 18, 24, 30]


def test_without_the_payback_gate_wave_2_starts_when_wave_1_goes_live():
    ito = RoadmapItem("Service desk", "ITO", "offshore", 2_000_000.0, confidence=1.0)
    bpo = RoadmapItem("Payroll", "BPO", "offshore", 2_000_000.0, confidence=1.0)
    gated = build_roadmap([ito, bpo])
    ungated = build_roadmap([ito, bpo], gate_on_payback=False)
    gated_2, ungated_2, wave_1 = gated.wave(2), ungated.wave(2), gated.wave(1)
    assert gated_2 is not None and ungated_2 is not None and wave_1 is not None
    assert gated_2.start_month == 13  # the month after wave 1's payback (month 12)
    assert ungated_2.start_month == wave_1.end_month == 5


def test_an_assumption_set_survives_its_json_form():
    changed = parse_scenario(
        {
            "drivers": {"transition_months": {"KPO": [6, 9, 15]}},
            "location_factors": {"onshore": 0.4},
        }
    ).assumption_set()
    assert assumptions_from_json(json.loads(json.dumps(assumptions_to_json(changed)))) == changed
    assert assumptions_from_json(None) is None
    with pytest.raises(ValueError, match="unreadable"):
        assumptions_from_json({"models": {"ITO": {"saving": [0.3, 0.2, 0.1]}}})


# Comparing --------------------------------------------------------------------------------


def outcome(name, plan, npv=None):
    result = None
    if npv is not None:
        result = {
            "monte_carlo": {
                "npv_p10": npv - 10,
                "npv_p50": npv,
                "npv_p90": npv + 10,
                "npv_mean": npv,
                "prob_npv_negative": 0.25,
                "npv_quantiles": [npv - 50 + k for k in range(101)],
            },
            "deterministic": {"payback_month": 17},
        }
    return ScenarioOutcome(name, [PlannedProcess(*p) for p in plan], result)


def test_the_comparison_lists_only_what_differs():
    base = outcome(
        "Base",
        [("Payroll", "BPO", "offshore", 2, 13), ("Brand", "retain", "in_house")],
        npv=1000.0,
    )
    no_offshore = outcome(
        "No offshore",
        [("Payroll", "BPO", "nearshore", 2, 13), ("Brand", "retain", "in_house")],
    )
    comparison = compare([base, no_offshore])
    assert [(d.name, d.values) for d in comparison.recommendations] == [
        ("Payroll", ("BPO (offshore)", "BPO (nearshore)"))
    ]
    assert comparison.roadmap == ()
    assert comparison.figures[0].npv_p50 == 1000.0
    assert comparison.figures[1].projected is False
    assert figure_rows(comparison)[1][1] == "not projected yet"
    assert len(comparison.distributions[0][1]) == 101
    assert comparison.distributions[1] == ("No offshore", ())
    assert [s.title for s in comparison_sheets(comparison)] == [
        "Scenario figures",
        "Scenario recommendations",
        "Scenario roadmap",
    ]


def test_a_process_missing_from_one_scenario_shows_as_missing():
    comparison = compare(
        [
            outcome("Base", [("Payroll", "BPO", "offshore", 2, 13)]),
            outcome(
                "Later", [("Payroll", "BPO", "offshore", 2, 20), ("New", "ITO", "onshore", 1, 0)]
            ),
        ]
    )
    assert [(d.name, d.values) for d in comparison.roadmap] == [
        ("Payroll", ("wave 2, month 13", "wave 2, month 20")),
        ("New", ("not in this scenario", "wave 1, month 0")),
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_only_two_to_four_scenarios_are_compared(count):
    with pytest.raises(ValueError, match="Compare 2 to 4"):
        compare([outcome(f"S{i}", []) for i in range(count)])


def test_the_same_scenario_twice_is_refused():
    with pytest.raises(ValueError, match="different scenarios"):
        compare([outcome("Base", []), outcome("Base", [])])


def test_nothing_to_project_counts_as_zero_npv_not_as_missing():
    comparison = compare(
        [
            ScenarioOutcome("Base", [], {"nothing_to_project": True}),
            outcome("Other", [], npv=5.0),
        ]
    )
    first = comparison.figures[0]
    assert (first.projected, first.npv_p50, first.nothing_to_project) == (True, 0.0, True)
    assert first.npv_p10 is not None and not math.isnan(first.npv_p10)


def test_a_changed_recommendation_reads_in_words_never_as_a_code():
    base = outcome("Base", [("Brand", "insufficient_evidence", None)])
    other = outcome("Other", [("Brand", "retain", "in_house")])
    [difference] = compare([base, other]).recommendations
    assert difference.values == ("Insufficient evidence", "Retain (in-house)")
