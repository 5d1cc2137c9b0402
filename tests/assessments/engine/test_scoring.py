"""The scoring engine against METHODOLOGY 3.1 to 3.7.

Every expected number here was worked out by hand from the weight table of 3.1
(contribution = weight * (answer - 3) / 2), not copied from the engine's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assessments.engine.questions import (
    KEY_QUESTIONS,
    QUESTION_KEYS,
    QUESTIONS,
    normalise_business_function,
)
from assessments.engine.scoring import ENGINE_VERSION, MODELS, W, score_process

ROOT = Path(__file__).resolve().parents[3]


def answers(text: str) -> dict[str, int | None]:
    """Answers in table order; "?" is don't know."""
    values = text.split()
    assert len(values) == 11
    return {k: None if v == "?" else int(v) for k, v in zip(QUESTION_KEYS, values, strict=True)}


PAYROLL = "1 5 5 2 2 4 1 1 3 2 2"
MARKET_RESEARCH = "3 2 2 5 2 2 1 1 5 4 2"
CORE_RND = "5 1 2 5 3 4 1 3 1 2 5"
NETWORK = "2 4 4 3 5 3 1 4 4 3 3"
HOTLINE = "2 4 5 2 2 3 5 1 3 4 2"
NEUTRAL = "3 3 3 3 3 3 3 3 3 3 3"


# -- the questionnaire ----------------------------------------------------------------


def test_questions_follow_the_table_order_of_section_2() -> None:
    assert QUESTION_KEYS == (
        "strategic_importance",
        "standardisation",
        "volume",
        "knowledge_intensity",
        "technology_intensity",
        "data_sensitivity",
        "customer_contact",
        "onsite_need",
        "capability_gap",
        "demand_variability",
        "interdependence",
    )
    assert QUESTIONS[3].label == "Knowledge intensity"
    assert QUESTIONS[3].anchor_for(5) == "deep domain expertise, advanced analysis"


def test_the_five_key_questions_are_those_named_in_3_2() -> None:
    assert set(KEY_QUESTIONS) == {
        "strategic_importance",
        "standardisation",
        "knowledge_intensity",
        "technology_intensity",
        "capability_gap",
    }


def test_business_functions_are_matched_ignoring_case() -> None:
    assert normalise_business_function("hr") == "HR"
    assert normalise_business_function("  Customer   Service ") == "customer service"
    assert normalise_business_function("r&d") == "R&D"


def test_an_unknown_business_function_is_an_error_listing_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="Use one of: HR, finance"):
        normalise_business_function("Finanse")


# -- the weights ----------------------------------------------------------------------


def test_the_weight_matrix_is_the_table_of_3_1() -> None:
    assert W.shape == (11, 4)
    assert MODELS == ("retain", "ITO", "BPO", "KPO")
    assert W[QUESTION_KEYS.index("knowledge_intensity"), 3] == pytest.approx(0.40)
    assert W[QUESTION_KEYS.index("technology_intensity"), 1] == pytest.approx(0.50)
    assert W[QUESTION_KEYS.index("capability_gap"), 0] == pytest.approx(-0.30)
    assert ENGINE_VERSION == "2026.1"


# -- the worked cases of 3.7 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "model", "location"),
    [
        (PAYROLL, "BPO", "nearshore"),
        (MARKET_RESEARCH, "KPO", "offshore"),
        (CORE_RND, "retain", "in_house"),
        (NETWORK, "ITO", "onshore"),
        (HOTLINE, "BPO", "onshore"),
    ],
)
def test_each_worked_case_gets_the_model_and_location_of_the_methodology(
    case: str, model: str, location: str
) -> None:
    rec = score_process(answers(case))
    assert (rec.model, rec.location) == (model, location)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (PAYROLL, {"retain": -0.625, "ITO": 0.075, "BPO": 0.975, "KPO": -0.375}),
        (MARKET_RESEARCH, {"retain": -0.6, "ITO": -0.1, "BPO": -0.15, "KPO": 0.9}),
        (CORE_RND, {"retain": 1.125, "ITO": -0.475, "BPO": -1.15, "KPO": 0.2}),
        (NETWORK, {"retain": -0.4, "ITO": 0.675, "BPO": 0.175, "KPO": -0.075}),
        (HOTLINE, {"retain": -0.5, "ITO": 0.025, "BPO": 0.85, "KPO": -0.25}),
        (NEUTRAL, {"retain": 0.0, "ITO": 0.0, "BPO": 0.0, "KPO": 0.0}),
    ],
)
def test_worked_case_scores_are_the_weighted_sums_of_centred_answers(
    case: str, expected: dict[str, float]
) -> None:
    scores = score_process(answers(case)).scores
    assert scores == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("case", [PAYROLL, MARKET_RESEARCH, NETWORK, HOTLINE])
def test_a_clear_lead_with_every_answer_given_has_confidence_one(case: str) -> None:
    assert score_process(answers(case)).confidence == 1.0


def test_core_rnd_is_retained_by_the_guard_rail_with_confidence_one() -> None:
    rec = score_process(answers(CORE_RND))
    assert rec.guard_rail is True
    assert rec.confidence == 1.0
    assert rec.reasons[0].startswith("Guard rail: strategic importance 5/5 with capability gap 1/5")


def test_every_neutral_answer_is_insufficient_evidence_with_no_location() -> None:
    rec = score_process(answers(NEUTRAL))
    assert rec.model == "insufficient_evidence"
    assert rec.location is None
    assert rec.confidence is None
    # All scores tie at 0, so retain then ITO lead in table order; their weights differ
    # most on strategic importance (0.40 vs -0.15) and technology intensity (0 vs 0.50).
    assert rec.settle_questions == ("strategic_importance", "technology_intensity")
    assert "would settle it" in rec.reasons[-1]


# -- reasons (3.3) --------------------------------------------------------------------


def test_reasons_quote_the_methodology_example_for_knowledge_intensity() -> None:
    rec = score_process(answers(MARKET_RESEARCH))
    assert rec.reasons[0] == (
        "Knowledge intensity 5/5: specialist analytical work favours KPO (+0.40)."
    )


def test_payroll_reasons_are_its_three_largest_bpo_contributions_then_the_runner_up() -> None:
    # BPO contributions: standardisation 0.30*1, strategic importance -0.25*-1,
    # volume 0.20*1, knowledge intensity -0.25*-0.5 = 0.125, ...
    rec = score_process(answers(PAYROLL))
    assert rec.reasons[0].startswith("Standardisation 5/5:")
    assert rec.reasons[0].endswith("favours BPO (+0.30).")
    assert rec.reasons[1].startswith("Strategic importance 1/5:")
    assert rec.reasons[1].endswith("(+0.25).")
    assert rec.reasons[2].startswith("Volume 5/5:")
    # ITO is second (0.075); its largest contribution is strategic importance -0.15*-1.
    assert rec.runner_up == "ITO"
    assert rec.reasons[3].startswith("Runner-up ITO:")
    assert "strategic importance 1/5" in rec.reasons[3]
    assert rec.reasons[3].endswith("(+0.15).")
    contributions = [c for c in rec.reason_codes if c.kind == "contribution"]
    assert [(c.question_key, c.model) for c in contributions] == [
        ("standardisation", "BPO"),
        ("strategic_importance", "BPO"),
        ("volume", "BPO"),
    ]
    assert [c.contribution for c in contributions] == pytest.approx([0.30, 0.25, 0.20])


def test_a_contribution_needing_three_decimals_is_not_rounded() -> None:
    # Market research, KPO: standardisation 2/5 gives -0.15 * -0.5 = +0.075.
    rec = score_process(answers(MARKET_RESEARCH))
    assert rec.reasons[2] == (
        "Standardisation 2/5: ad hoc work that needs judgement every time favours KPO (+0.075)."
    )


def test_the_onshore_location_rule_adds_its_own_sentence() -> None:
    rec = score_process(answers(HOTLINE))
    assert (
        "Onshore: customer contact 5/5 needs native language and cultural fluency." in rec.reasons
    )


def test_the_nearshore_sentence_names_the_data_sensitivity_that_decided_it() -> None:
    rec = score_process(answers(PAYROLL))
    assert rec.reasons[-1].startswith("Nearshore: data sensitivity 4/5")


def test_offshore_mentions_round_the_clock_cover_when_demand_swings() -> None:
    rec = score_process(answers(MARKET_RESEARCH))
    assert rec.reasons[-1].startswith("Offshore:")
    assert "demand variability 4/5" in rec.reasons[-1]


# -- guard rail and insufficient evidence (3.2) ---------------------------------------


def test_the_guard_rail_retains_a_core_process_even_when_bpo_scores_far_higher() -> None:
    # 5 5 5 1 1 1 1 1 2 5 1 scores retain -0.25, ITO -0.35, BPO 1.025, KPO -0.575.
    rec = score_process(answers("5 5 5 1 1 1 1 1 2 5 1"))
    assert rec.best == "BPO"
    assert (rec.model, rec.location, rec.confidence) == ("retain", "in_house", 1.0)
    assert rec.runner_up == "BPO"
    assert rec.margin == pytest.approx(-0.25 - 1.025)
    assert rec.flags == []


def test_the_guard_rail_needs_a_capability_gap_of_two_or_less() -> None:
    # The same process with a capability gap of 3 is not core-and-done-well: BPO wins.
    rec = score_process(answers("5 5 5 1 1 1 1 1 3 5 1"))
    assert rec.guard_rail is False
    assert rec.model == "BPO"


def test_fewer_than_eight_answers_is_insufficient_evidence() -> None:
    # Payroll with volume, data sensitivity, customer contact and on-site need unknown:
    # 7 answers; scores retain -0.525, ITO 0, BPO 0.775, KPO -0.25.
    rec = score_process(answers("1 5 ? 2 2 ? ? ? 3 2 2"))
    assert rec.model == "insufficient_evidence"
    assert rec.scores["BPO"] == pytest.approx(0.775)
    assert "only 7 of 11 questions are answered" in rec.reasons[0]
    # Among the unanswered, BPO and ITO weights differ most on volume (0.20 vs 0.05),
    # then data sensitivity (-0.10 vs -0.05).
    assert rec.settle_questions == ("volume", "data_sensitivity")


def test_two_unknown_key_answers_are_insufficient_evidence_settled_by_those_answers() -> None:
    rec = score_process(answers("? 5 5 2 2 4 1 1 ? 2 2"))
    assert rec.model == "insufficient_evidence"
    assert rec.settle_questions == ("strategic_importance", "capability_gap")
    assert rec.reasons[-1] == ("Answering strategic importance and capability gap would settle it.")


def test_one_unknown_key_answer_still_recommends_with_reduced_confidence() -> None:
    # Payroll's capability gap was 3 (contributes 0), so scores stay; margin 0.9 gives
    # min(1, 1.8) = 1, less 0.1 for the one "don't know".
    rec = score_process(answers("1 5 5 2 2 4 1 1 ? 2 2"))
    assert rec.model == "BPO"
    assert rec.confidence == pytest.approx(0.9)


def test_a_margin_of_exactly_point_one_is_enough_and_gives_confidence_point_two() -> None:
    # Technology intensity 4 (ITO +0.25, KPO -0.05) and knowledge intensity 5 (KPO +0.40):
    # ITO 0.25, KPO 0.35, margin 0.10.
    rec = score_process(answers("3 3 3 5 4 3 3 3 3 3 3"))
    assert rec.model == "KPO"
    assert rec.margin == pytest.approx(0.10)
    assert rec.confidence == pytest.approx(0.2)


def test_a_margin_below_point_one_is_insufficient_evidence() -> None:
    # Knowledge intensity 4, technology intensity 4, capability gap 4:
    # ITO 0.25 + 0.05 = 0.30, KPO 0.20 - 0.05 + 0.125 = 0.275, margin 0.025.
    rec = score_process(answers("3 3 3 4 4 3 3 3 4 3 3"))
    assert rec.model == "insufficient_evidence"
    assert rec.best == "ITO" and rec.runner_up == "KPO"
    assert rec.margin == pytest.approx(0.025)
    # ITO and KPO weights differ most on technology (0.50 vs -0.10) then knowledge (0 vs 0.40).
    assert rec.settle_questions == ("technology_intensity", "knowledge_intensity")
    assert rec.reasons[-1].startswith(
        "Checking the answers to technology intensity and knowledge intensity would settle it"
    )


def test_each_dont_know_lowers_confidence_by_a_tenth_down_to_zero() -> None:
    base = "3 3 3 5 4 3 {cc} 3 3 {dv} 3"  # KPO with margin 0.10: confidence 0.2
    one = score_process(answers(base.format(cc="?", dv=3)))
    assert one.confidence == pytest.approx(0.1)
    three = score_process(answers("3 3 3 5 4 3 ? ? 3 ? 3"))
    assert three.model == "KPO"
    assert three.confidence == 0.0


# -- location (3.4) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "location"),
    [
        ("1 5 5 2 2 2 1 1 3 2 2", "offshore"),
        ("1 5 5 2 2 2 4 1 3 2 2", "onshore"),  # customer contact 4
        ("1 5 5 2 2 2 1 4 3 2 2", "onshore"),  # on-site need 4
        ("1 5 5 2 2 5 1 1 3 2 2", "onshore"),  # data sensitivity 5
        ("1 5 5 2 2 2 3 1 3 2 2", "nearshore"),  # customer contact 3
        ("1 5 5 2 2 2 1 3 3 2 2", "nearshore"),  # on-site need 3
        ("1 5 5 2 2 4 1 1 3 2 2", "nearshore"),  # data sensitivity 4
        ("1 5 5 2 2 5 3 1 3 2 2", "onshore"),  # the first matching rule wins
        ("1 5 5 2 2 2 ? ? 3 2 2", "offshore"),  # don't know triggers no rule
    ],
)
def test_location_is_the_first_rule_that_matches(case: str, location: str) -> None:
    rec = score_process(answers(case))
    assert rec.model == "BPO"
    assert rec.location == location


# -- risk flags (3.6) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "flags"),
    [
        (PAYROLL, ["data"]),
        (HOTLINE, ["language"]),
        (NETWORK, ["hands_on"]),
        # Network with interdependence 4 is still ITO (0.65) and now tightly coupled.
        ("2 4 4 3 5 3 1 4 4 3 4", ["hands_on", "disconnection"]),
        # Payroll with strategic importance 4: BPO 0.6 still leads retain -0.025.
        ("4 5 5 2 2 4 1 1 3 2 2", ["data", "core"]),
        (MARKET_RESEARCH, []),
    ],
)
def test_risk_flags_are_raised_beside_an_outsourcing_recommendation(
    case: str, flags: list[str]
) -> None:
    assert score_process(answers(case)).flags == flags


def test_retained_and_undecided_processes_carry_no_risk_flags() -> None:
    assert score_process(answers("5 1 2 5 3 5 5 5 1 2 5")).flags == []
    assert score_process(answers("? ? 3 3 3 5 5 5 3 3 3")).flags == []


# -- input and output -----------------------------------------------------------------


def test_missing_keys_count_as_dont_know() -> None:
    partial = {k: v for k, v in answers(PAYROLL).items() if k != "capability_gap"}
    assert score_process(partial).confidence == pytest.approx(0.9)


@pytest.mark.parametrize(
    "bad", [{"volume": 6}, {"volume": 0}, {"volume": 2.5}, {"volume": True}, {"colour": 3}]
)
def test_answers_outside_one_to_five_or_unknown_keys_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        score_process(bad)


def test_a_recommendation_serialises_to_json() -> None:
    data = json.loads(json.dumps(score_process(answers(PAYROLL)).to_dict()))
    assert data["model"] == "BPO"
    assert data["location"] == "nearshore"
    assert data["engine_version"] == "2026.1"
    assert data["reason_codes"][0] == {
        "question_key": "standardisation",
        "model": "BPO",
        "contribution": 0.3,
        "kind": "contribution",
        "detail": None,
    }
    undecided = json.loads(json.dumps(score_process(answers(NEUTRAL)).to_dict()))
    assert undecided["location"] is None and undecided["confidence"] is None


def test_weights_are_read_only() -> None:
    with pytest.raises(ValueError):
        W[0, 0] = 1.0
    assert isinstance(W, np.ndarray)
