"""Scenario writes: the base, saving and deleting a scenario, and projecting it.

A scenario is projected through the same pipeline as the assessment
(``assessments.projections.services.projection_request``, then Celery): its
recommendations and roadmap are computed under its changes here, and what the run needs
(the scheduled processes, the escalation, the assumption set, the plan for the
comparison) is stored with the projection, so the result can be reproduced whatever
happens to the scenario later.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction

from assessments.engine.scenarios import (
    BASE_NAME,
    ScenarioRun,
    assumptions_to_json,
    run_scenario,
)
from assessments.engine.scenarios import Scenario as ScenarioChanges
from assessments.models import Assessment, Projection, Scenario
from assessments.projections.assumption_sets import assumption_choice
from assessments.projections.services import projection_request
from assessments.scenarios.selectors import changes_of, engine_inputs, planned


class ScenarioInputError(ValueError):
    """A scenario that cannot be saved or projected; the message says why, in words."""


def scenario_base(*, assessment: Assessment, user: User | AnonymousUser | None = None) -> Scenario:
    """The assessment's "Base" scenario (its own settings), created the first time."""
    base = assessment.scenarios.filter(is_base=True).first()
    if base is not None:
        return base
    try:
        with transaction.atomic():
            return Scenario.objects.create(
                assessment=assessment,
                name=_free_name(assessment, BASE_NAME),
                description="The assessment's own settings.",
                is_base=True,
                created_by=_person(user),
            )
    except IntegrityError:  # created at the same moment by another request
        return assessment.scenarios.get(is_base=True)


def scenario_save(
    *,
    assessment: Assessment,
    user: User | AnonymousUser | None,
    name: str,
    description: str,
    changes: ScenarioChanges,
    scenario: Scenario | None = None,
) -> Scenario:
    """Create (``scenario`` None) or update a scenario; the base is created alongside.

    ScenarioInputError when the name is taken or an override names a process the
    assessment does not have; nothing is saved then.
    """
    name = name.strip()
    taken = assessment.scenarios.filter(name__iexact=name)
    if scenario is not None:
        taken = taken.exclude(pk=scenario.pk)
    if taken.exists():
        raise ScenarioInputError(f"This assessment already has a scenario called {name}.")
    unknown = sorted(
        set(changes.overrides) - set(assessment.processes.values_list("name", flat=True))
    )
    if unknown:
        raise ScenarioInputError(
            "The scenario overrides processes the assessment does not have: "
            f"{', '.join(unknown[:5])}."
        )
    if scenario is not None and scenario.is_base and not changes.is_base:
        raise ScenarioInputError(
            "The base scenario is the assessment's own settings: change those, or create "
            "a new scenario."
        )
    with transaction.atomic():
        scenario_base(assessment=assessment, user=user)
        if scenario is None:
            scenario = Scenario(assessment=assessment, created_by=_person(user))
        scenario.name = name
        scenario.description = description.strip()
        scenario.changes = changes.to_dict()
        try:
            with transaction.atomic():
                scenario.save()
        except IntegrityError:
            raise ScenarioInputError(
                f"This assessment already has a scenario called {name}."
            ) from None
    return scenario


def scenario_delete(*, scenario: Scenario) -> None:
    if scenario.is_base:
        raise ScenarioInputError("The base scenario stays: every comparison can start from it.")
    scenario.delete()


def scenario_project(
    *,
    scenario: Scenario,
    user: User | AnonymousUser | None,
    trials: int = 10_000,
    seed: int = 0,
    quota: bool = True,
) -> Projection:
    """Queue the scenario's projection (``projection_request``'s errors pass through:
    ProjectionError, ProjectionQuotaError); ScenarioInputError when its changes no longer
    fit the assessment."""
    assessment = scenario.assessment
    choice = assumption_choice(organisation_id=assessment.organisation_id)
    try:
        run = run_scenario(
            engine_inputs(assessment),
            changes_of(scenario),
            horizon=assessment.horizon_months,
            discount_rate=float(assessment.discount_rate),
            base_assumptions=choice.assumptions,
        )
    except ValueError as error:
        raise ScenarioInputError(str(error)) from None
    inputs = scenario_projection_inputs(assessment, run)
    if choice.assumptions is not None:
        # The scenario starts from the organisation's calibrated ranges, as its plan does.
        inputs["assumption_set"] = {
            "name": choice.name,
            "label": "The scenario's changes to your calibrated ranges",
            "reason": choice.reason,
        }
    return projection_request(
        assessment=assessment,
        user=user,
        trials=trials,
        seed=seed,
        horizon_months=run.horizon,
        discount_rate=run.discount_rate,
        quota=quota,
        scenario=scenario,
        scenario_inputs=inputs,
    )


def scenario_projection_inputs(assessment: Assessment, run: ScenarioRun) -> dict[str, Any]:
    """What the scenario's projection needs, in the form of ``projection_inputs``: the
    scheduled processes ordered by wave, start month and inventory position (the Monte
    Carlo run draws per process in this order, as the base's does), plus the assumption
    set and the plan the comparison shows."""
    position = {p.name: i for i, p in enumerate(run.assessed.processes)}
    scheduled = sorted(
        run.assessed.roadmap.projected_processes(),
        key=lambda p: (p.wave, p.start_month, position[p.name]),
    )
    return {
        "processes": [
            {
                "name": p.name,
                "model": p.model,
                "location": p.location,
                "annual_cost": p.annual_cost,
                "start_month": p.start_month,
                "wave": p.wave,
            }
            for p in scheduled
        ],
        "currency": assessment.currency,
        **run.escalation,
        "assumptions": assumptions_to_json(run.assumptions),
        "plan": [vars(p) for p in planned(run.assessed.processes)],
        "warnings": list(run.assessed.warnings),
    }


def _free_name(assessment: Assessment, name: str) -> str:
    taken = {n.lower() for n in assessment.scenarios.values_list("name", flat=True)}
    if name.lower() not in taken:
        return name
    number = 2
    while f"{name} ({number})".lower() in taken:
        number += 1
    return f"{name} ({number})"


def _person(user: User | AnonymousUser | None) -> User | None:
    return user if user is not None and user.is_authenticated else None
