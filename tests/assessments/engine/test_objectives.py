"""Objective fit (METHODOLOGY 3.5): how the recommended portfolio serves each objective."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from assessments.engine.objectives import ObjectiveProcess, objective_fit
from assessments.engine.questions import OBJECTIVE_CODES, OBJECTIVES, QUESTION_KEYS


@dataclass(frozen=True)
class Verdict:
    model: str


def process(cost: int, text: str) -> ObjectiveProcess:
    values = [None if v == "?" else int(v) for v in text.split()]
    return ObjectiveProcess(
        annual_cost=Decimal(cost), answers=dict(zip(QUESTION_KEYS, values, strict=True))
    )


# The worked cases of 3.7 with their expected models, and invented yearly costs.
PORTFOLIO = [
    (process(400_000, "1 5 5 2 2 4 1 1 3 2 2"), Verdict("BPO")),  # payroll
    (process(100_000, "3 2 2 5 2 2 1 1 5 4 2"), Verdict("KPO")),  # market research
    (process(900_000, "5 1 2 5 3 4 1 3 1 2 5"), Verdict("retain")),  # core R&D
    (process(500_000, "2 4 4 3 5 3 1 4 4 3 3"), Verdict("ITO")),  # network
    (process(100_000, "2 4 5 2 2 3 5 1 3 4 2"), Verdict("BPO")),  # hotline
]
PROCESSES = [p for p, _ in PORTFOLIO]
VERDICTS = [v for _, v in PORTFOLIO]


def fit(objectives, processes=PROCESSES, verdicts=VERDICTS, **kwargs):
    results = objective_fit(processes, verdicts, objectives=objectives, **kwargs)
    return {r.objective: r for r in results}


def test_objectives_are_the_six_of_the_methodology_as_code_label_and_help() -> None:
    assert OBJECTIVE_CODES == (
        "cost_reduction",
        "operational_efficiency",
        "access_to_skills",
        "focus_on_core",
        "scalability",
        "innovation",
    )
    code, label, help_text = OBJECTIVES[4]
    assert (code, label) == ("scalability", "Scalability and 24/7 coverage")
    assert help_text


def test_operational_efficiency_is_the_share_of_spend_recommended_for_bpo() -> None:
    result = fit(["operational_efficiency"])["operational_efficiency"]
    # BPO: payroll 400,000 + hotline 100,000 of 2,000,000 in all.
    assert result.value == pytest.approx(0.25)
    assert "25% of in-house spend" in result.sentence
    assert result.warning is None


def test_access_to_skills_is_the_share_of_large_capability_gaps_outsourced() -> None:
    # Capability gap >= 4: market research (5, KPO) and network (4, ITO).
    result = fit(["access_to_skills"])["access_to_skills"]
    assert (result.numerator, result.denominator, result.value) == (2, 2, 1.0)


def test_focus_on_core_is_the_share_of_non_core_spend_outsourced() -> None:
    # Strategic importance <= 2: payroll, network, hotline; all outsourced.
    result = fit(["focus_on_core"])["focus_on_core"]
    assert result.denominator == pytest.approx(1_000_000)
    assert result.value == pytest.approx(1.0)


def test_scalability_is_the_share_of_swinging_demand_outsourced() -> None:
    # Demand variability >= 4: market research and hotline, both outsourced.
    assert fit(["scalability"])["scalability"].value == 1.0


def test_innovation_counts_the_kpo_processes() -> None:
    result = fit(["innovation"])["innovation"]
    assert result.value == 1
    assert "1 process is recommended for KPO" in result.sentence


def test_cost_reduction_shows_the_npv_and_the_chance_it_is_negative() -> None:
    result = fit(["cost_reduction"], npv=Decimal("1250000"), prob_npv_negative=0.12)
    cost = result["cost_reduction"]
    assert cost.value == 1_250_000
    assert "1,250,000" in cost.sentence and "12% chance" in cost.sentence
    assert cost.warning is None


def test_a_negative_npv_warns_that_cost_reduction_is_not_served() -> None:
    cost = fit(["cost_reduction"], npv=-30_000.0)["cost_reduction"]
    assert cost.warning is not None
    assert cost.warning.startswith("Cost reduction is not served")
    assert "would change" in cost.warning


def test_cost_reduction_before_any_projection_says_so_without_a_warning() -> None:
    cost = fit(["cost_reduction"])["cost_reduction"]
    assert cost.value is None
    assert "no savings projection" in cost.sentence
    assert cost.warning is None


def test_a_portfolio_that_keeps_everything_warns_on_every_objective_it_cannot_serve() -> None:
    kept = [Verdict("retain")] * len(PROCESSES)
    results = fit(list(OBJECTIVE_CODES), verdicts=kept, npv=0)
    for code, result in results.items():
        label = next(o.label for o in OBJECTIVES if o.code == code)
        assert result.warning is not None, code
        assert result.warning.startswith(f"{label} is not served"), result.warning
        assert "would change" in result.warning


def test_insufficient_evidence_does_not_count_as_outsourced() -> None:
    verdicts = [Verdict("insufficient_evidence")] * len(PROCESSES)
    result = fit(["operational_efficiency", "scalability"], verdicts=verdicts)
    assert result["operational_efficiency"].value == 0
    assert result["scalability"].value == 0


def test_an_objective_no_process_qualifies_for_has_no_share_and_a_warning() -> None:
    steady = [process(100, "3 3 3 3 3 3 3 3 3 2 3")]
    result = fit(["scalability"], processes=steady, verdicts=[Verdict("BPO")])["scalability"]
    assert result.value is None
    assert result.warning is not None and "demand variability of 4 or 5" in result.warning


def test_results_come_in_the_order_of_the_methodology_table() -> None:
    results = objective_fit(PROCESSES, VERDICTS, objectives=["innovation", "cost_reduction"])
    assert [r.objective for r in results] == ["cost_reduction", "innovation"]


def test_an_unknown_objective_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown objectives: growth"):
        objective_fit(PROCESSES, VERDICTS, objectives=["growth"])
