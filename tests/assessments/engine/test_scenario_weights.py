"""A scenario's scoring weights: checked strictly, scored exactly, and the published table
giving exactly the results it always gave."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine.pipeline import ProcessInput
from assessments.engine.portfolio_tables import weight_tables
from assessments.engine.questions import QUESTION_KEYS
from assessments.engine.rules import (
    DEFAULT_WEIGHTS,
    MAX_WEIGHT_TWENTIETHS,
    W20_ROWS,
    ScoringWeights,
)
from assessments.engine.scenarios import (
    Scenario,
    ScenarioError,
    load_scenario_json,
    parse_scenario,
    parse_weights,
    run_scenario,
)
from assessments.engine.scoring import score_portfolio, score_process

# Technology intensity, standardisation and volume 4, everything else 3. With the
# published weights (a score is the sum of weight x (answer - 3) / 2):
#   ITO = (0.10 + 0.05 + 0.50) / 2 = 0.325, BPO = (0.30 + 0.20 - 0.20) / 2 = 0.15,
#   so ITO leads by 0.175: ITO, confidence 7/20 = 0.35, nearshore (contact and site 3).
# Raising technology intensity's BPO weight from -0.20 to +0.40:
#   BPO = (0.30 + 0.20 + 0.40) / 2 = 0.45, ITO unchanged: BPO leads by 0.125, so BPO,
#   confidence 5/20 = 0.25, and technology intensity now adds +0.20 to BPO.
SERVICE_DESK = dict.fromkeys(QUESTION_KEYS, 3) | {
    "technology_intensity": 4,
    "standardisation": 4,
    "volume": 4,
}
TECH_FOR_BPO = {"weights": {"technology_intensity": {"BPO": 0.4}}}


def as_row(answers: Mapping[str, int | None]) -> np.ndarray:
    return np.array([[answers.get(key) or 0 for key in QUESTION_KEYS]])


# The known case --------------------------------------------------------------------------


def test_with_the_published_weights_the_service_desk_goes_to_an_it_provider():
    rec = score_process(SERVICE_DESK)
    assert (rec.model, rec.location, rec.confidence) == ("ITO", "nearshore", 0.35)
    assert rec.scores == {"retain": -0.05, "ITO": 0.325, "BPO": 0.15, "KPO": -0.175}


def test_raising_one_weight_flips_the_service_desk_to_a_business_process_provider():
    weights = parse_scenario(TECH_FOR_BPO).weights
    rec = score_process(SERVICE_DESK, weights)
    assert (rec.model, rec.location, rec.confidence) == ("BPO", "nearshore", 0.25)
    assert rec.scores == {"retain": -0.05, "ITO": 0.325, "BPO": 0.45, "KPO": -0.175}
    assert rec.margin == 0.125
    assert rec.reasons[0] == (
        "Technology intensity 4/5: an IT capability in its own right favours BPO (+0.20)."
    )


def test_the_vectorised_path_makes_the_same_flip():
    weights = parse_scenario(TECH_FOR_BPO).weights
    scored = score_portfolio(as_row(SERVICE_DESK), weights)
    assert scored.model_codes.tolist() == ["BPO"]
    assert scored.recommendation(0) == score_process(SERVICE_DESK, weights)


def test_a_scenario_with_the_weight_changes_the_recommendation_it_plans():
    inventory = [
        ProcessInput("Service desk", 400_000.0, SERVICE_DESK),
        ProcessInput("Every answer 3", 100_000.0, dict.fromkeys(QUESTION_KEYS, 3)),
    ]
    base = run_scenario(inventory, Scenario(), horizon=60, discount_rate=0.08)
    changed = run_scenario(inventory, parse_scenario(TECH_FOR_BPO), horizon=60, discount_rate=0.08)
    assert [p.model for p in base.assessed.processes] == ["ITO", "insufficient_evidence"]
    assert [p.model for p in changed.assessed.processes] == ["BPO", "insufficient_evidence"]


def test_a_managers_override_still_wins_over_the_changed_weights():
    inventory = [ProcessInput("Service desk", 400_000.0, SERVICE_DESK, override_model="ITO")]
    run = run_scenario(inventory, parse_scenario(TECH_FOR_BPO), horizon=60, discount_rate=0.08)
    assert run.assessed.processes[0].recommendation.model == "BPO"
    assert run.assessed.processes[0].model == "ITO"


# The published weights change nothing --------------------------------------------------


def test_a_scenario_without_weights_keeps_the_published_table():
    scenario = parse_scenario({"horizon": 36})
    assert scenario.weights == DEFAULT_WEIGHTS
    assert scenario.scoring_weights is None
    assert "weights" not in scenario.to_dict()


def test_setting_a_weight_to_its_published_value_is_no_change():
    scenario = parse_scenario({"weights": {"technology_intensity": {"ITO": 0.5}}})
    assert scenario.is_base
    assert scenario.to_dict() == {}


answer = st.sampled_from([None, 1, 2, 3, 4, 5])
answer_rows = st.lists(st.lists(answer, min_size=11, max_size=11), min_size=1, max_size=30)


@settings(deadline=None)  # timing varies on a shared machine
@given(answer_rows)
def test_an_equal_copy_of_the_published_table_scores_exactly_as_the_default(rows):
    copy = ScoringWeights(tuple(tuple(row) for row in W20_ROWS))
    assert copy is not DEFAULT_WEIGHTS
    matrix = np.array([[v or 0 for v in row] for row in rows])
    default, copied = score_portfolio(matrix), score_portfolio(matrix, copy)
    for name in ("score_units", "model_index", "confidence", "reason_questions", "flags"):
        np.testing.assert_array_equal(getattr(copied, name), getattr(default, name))
    np.testing.assert_array_equal(copied.settle_questions, default.settle_questions)
    for i, row in enumerate(rows):
        answers = dict(zip(QUESTION_KEYS, row, strict=True))
        assert copied.recommendation(i) == default.recommendation(i) == score_process(answers)
        assert score_process(answers, copy) == score_process(answers)


weight_tables_st = st.lists(
    st.lists(st.integers(-MAX_WEIGHT_TWENTIETHS, MAX_WEIGHT_TWENTIETHS), min_size=4, max_size=4),
    min_size=11,
    max_size=11,
).map(lambda rows: ScoringWeights(tuple(tuple(row) for row in rows)))


@settings(deadline=None, max_examples=60)  # timing varies on a shared machine
@given(weight_tables_st, answer_rows)
def test_both_paths_agree_under_any_allowed_weight_table(weights, rows):
    """Includes tables whose scores outgrow the published table's small integer types."""
    matrix = np.array([[v or 0 for v in row] for row in rows])
    scored = score_portfolio(matrix, weights)
    for i, row in enumerate(rows):
        answers = dict(zip(QUESTION_KEYS, row, strict=True))
        assert scored.recommendation(i) == score_process(answers, weights)


def test_the_largest_table_scores_every_extreme_process_exactly():
    weights = ScoringWeights(((MAX_WEIGHT_TWENTIETHS,) * 4,) * 11)
    assert weight_tables(weights).units_dtype is np.int32
    scored = score_portfolio(np.array([[5] * 11, [1] * 11]), weights)
    assert scored.scores.tolist() == [[11.0] * 4, [-11.0] * 4]


def test_the_lookup_tables_are_built_once_per_table():
    weights = parse_weights({"volume": {"KPO": 0.3}})
    assert weight_tables(weights) is weight_tables(parse_weights({"volume": {"KPO": 0.3}}))


def test_a_table_beyond_the_bound_is_refused_by_the_scorer_too():
    too_big = ScoringWeights(((MAX_WEIGHT_TWENTIETHS + 1,) * 4,) * 11)
    with pytest.raises(ValueError, match="within"):
        score_portfolio(np.array([[3] * 11]), too_big)


# Reading and describing ----------------------------------------------------------------


def test_weights_round_trip_through_the_json_form():
    data = {"weights": {"volume": {"BPO": 0.35, "retain": -0.2}, "data_sensitivity": {"KPO": 0}}}
    scenario = parse_scenario(data)
    assert scenario.weights.weight("volume", "BPO") == 0.35
    assert parse_scenario(scenario.to_dict()) == scenario
    assert scenario.to_dict()["weights"]["volume"] == {"retain": -0.2, "BPO": 0.35}


def test_a_weight_change_is_described_in_words():
    lines = parse_scenario(TECH_FOR_BPO).describe()
    assert lines == ["Scoring weight of technology intensity for BPO: +0.40 (published -0.20)"]


@pytest.mark.parametrize(
    ("weights", "words"),
    [
        ({"volumes": {"BPO": 0.1}}, 'Unknown question "volumes" in weights'),
        ({"volume": {"RPA": 0.1}}, 'Unknown model "RPA" in weights.volume'),
        ({"volume": {"BPO": "0.1"}}, 'weights.volume.BPO must be a number, not "0.1"'),
        ({"volume": {"BPO": True}}, "weights.volume.BPO must be a number"),
        ({"volume": {"BPO": 1.05}}, "weights.volume.BPO must be from -1 to 1; got 1.05"),
        ({"volume": {"BPO": -30}}, "must be from -1 to 1; got -30"),
        ({"volume": {"BPO": 1e308}}, "must be from -1 to 1"),
        ({"volume": {"BPO": 0.33}}, "must be a multiple of 0.05, as the published weights"),
        ({"volume": [0.1]}, "weights.volume must be a JSON object"),
        ([["volume", 0.1]], "weights must be a JSON object"),
    ],
)
def test_a_bad_weight_is_refused_in_words(weights, words):
    with pytest.raises(ScenarioError, match=re.escape(words)):
        parse_scenario({"weights": weights})


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_weight_that_is_not_finite_is_refused(constant):
    text = '{"weights": {"volume": {"BPO": ' + constant + "}}}"
    with pytest.raises(ScenarioError, match="is not a number a scenario can use"):
        load_scenario_json(text, keys=("weights",))


def test_the_projection_commands_file_does_not_take_weights():
    with pytest.raises(ScenarioError, match="Unknown key 'weights'"):
        load_scenario_json('{"weights": {}}')
