"""Reads for scenarios: an assessment's scenarios, what the engine needs, the comparison.

Queries only; ``assessments.scenarios.services`` writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assessments.engine.pipeline import ProcessInput
from assessments.engine.scenario_compare import (
    MAX_COMPARED,
    MIN_COMPARED,
    Comparison,
    PlannedProcess,
    ScenarioOutcome,
    compare,
)
from assessments.engine.scenarios import Scenario as ScenarioChanges
from assessments.engine.scenarios import ScenarioError, parse_scenario, run_scenario
from assessments.models import Assessment, Projection, ProjectionStatus, Scenario
from assessments.projections.assumption_sets import assumption_choice
from assessments.projections.selectors import projection_npv


def scenarios_of(assessment: Assessment) -> list[Scenario]:
    """The assessment's scenarios, the base first, each with ``latest`` (its newest
    projection, or None) and ``finished`` (its newest finished one, or None)."""
    scenarios = list(assessment.scenarios.all())
    projections: dict[int, list[Projection]] = {}
    rows = (
        Projection.objects.filter(scenario__in=scenarios)
        .defer("inputs")
        .order_by("-created_at", "-pk")
    )
    for projection in rows:
        assert projection.scenario_id is not None
        projections.setdefault(projection.scenario_id, []).append(projection)
    for scenario in scenarios:
        runs = projections.get(scenario.pk, [])
        scenario.latest = runs[0] if runs else None  # type: ignore[attr-defined]
        finished = next((p for p in runs if p.status == ProjectionStatus.DONE), None)
        scenario.finished = finished  # type: ignore[attr-defined]
        scenario.npv_p50 = projection_npv(finished.result)[0] if finished else None  # type: ignore[attr-defined]
    return scenarios


def changes_of(scenario: Scenario) -> ScenarioChanges:
    """The stored changes as the engine takes them (checked when saved, checked again)."""
    return parse_scenario(scenario.changes)


def engine_inputs(assessment: Assessment) -> list[ProcessInput]:
    """The assessment's processes as the pipeline takes them, managers' overrides kept."""
    inputs = []
    for process in assessment.processes.select_related("recommendation").order_by("position", "pk"):
        rec = getattr(process, "recommendation", None)
        overridden = rec is not None and bool(rec.override_model)
        inputs.append(
            ProcessInput(
                name=process.name,
                annual_cost=float(process.annual_cost),
                answers=process.engine_answers,
                override_model=rec.override_model if overridden and rec else None,
                override_location=(rec.override_location or None) if overridden and rec else None,
            )
        )
    return inputs


def planned(run_processes: Any) -> list[PlannedProcess]:
    """The pipeline's assessed processes as the comparison takes them."""
    return [
        PlannedProcess(
            name=p.name,
            model=p.model,
            location=p.location,
            wave=p.schedule.wave if p.schedule else None,
            start_month=p.schedule.start_month if p.schedule else None,
        )
        for p in run_processes
    ]


def plan_of(scenario: Scenario, projection: Projection | None) -> list[PlannedProcess]:
    """What the scenario plans: as its projection stored it, else computed now."""
    stored = (projection.inputs or {}).get("plan") if projection is not None else None
    if stored:
        return [PlannedProcess(**row) for row in stored]
    assessment = scenario.assessment
    run = run_scenario(
        engine_inputs(assessment),
        changes_of(scenario),
        horizon=assessment.horizon_months,
        discount_rate=float(assessment.discount_rate),
        base_assumptions=assumption_choice(organisation_id=assessment.organisation_id).assumptions,
    )
    return planned(run.assessed.processes)


def comparison_of(scenarios: Sequence[Scenario]) -> Comparison:
    """Compare 2 to 4 scenarios (from ``scenarios_of``); ValueError otherwise."""
    chosen = [getattr(s, "finished", None) for s in scenarios]
    finished = {
        p.scenario_id: p
        for p in Projection.objects.filter(pk__in=[p.pk for p in chosen if p is not None])
    }
    outcomes = []
    for scenario in scenarios:
        projection = finished.get(scenario.pk)
        outcomes.append(
            ScenarioOutcome(
                name=scenario.name,
                processes=plan_of(scenario, projection),
                result=projection.result if projection is not None else None,
                changes=tuple(changes_of(scenario).describe()),
            )
        )
    return compare(outcomes)


def pack_comparison(assessment_id: int | None) -> Comparison | None:
    """The board pack's comparison: the assessment's scenarios with a finished
    projection, the base first, at most four; None when fewer than two have one."""
    if assessment_id is None:
        return None
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return None
    projected = [s for s in scenarios_of(assessment) if getattr(s, "finished", None)]
    if len(projected) < MIN_COMPARED:
        return None
    try:
        return comparison_of(projected[:MAX_COMPARED])
    except ScenarioError:  # changes that no longer fit the assessment: leave it out
        return None
