"""Reads for savings projections: what a projection of an assessment needs, and the latest results.

Queries only; the services in ``assessments.projections.services`` write.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessments.engine.assumptions import INFLATION_IN, INFLATION_VENDOR
from assessments.engine.projection import ProjectedProcess
from assessments.engine.vocabulary import DELIVERY_LOCATIONS, ONSHORE, is_outsourced
from assessments.models import Assessment, Projection, ProjectionStatus, Recommendation
from assessments.projections.assumption_sets import with_assumption_choice


def latest_projection(assessment: Assessment) -> Projection | None:
    """The assessment's own newest projection (a scenario's are not the assessment's)."""
    return (
        assessment.projections.filter(scenario__isnull=True).order_by("-created_at", "-pk").first()
    )


def latest_finished_projection(
    assessment: Assessment, latest: Projection | None = None
) -> Projection | None:
    """The newest projection that finished with a result (``latest`` saves a query)."""
    if latest is not None and latest.status == ProjectionStatus.DONE and latest.result:
        return latest
    return (
        assessment.projections.filter(
            status=ProjectionStatus.DONE, result__isnull=False, scenario__isnull=True
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def projection_npv(result: Mapping[str, Any] | None) -> tuple[float | None, float | None]:
    """(headline NPV, probability that NPV < 0) from a projection's stored result.

    The headline NPV is the Monte Carlo median (METHODOLOGY 9.1),
    ``result["monte_carlo"]["npv_p50"]``; None for whatever is missing.
    """
    if not result:
        return None, None
    if result.get("nothing_to_project"):
        return 0.0, None  # nothing is outsourced: outsourcing saves nothing
    monte_carlo = result.get("monte_carlo") or {}
    npv = monte_carlo.get("npv_p50")
    prob = monte_carlo.get("prob_npv_negative")
    return (None if npv is None else float(npv)), (None if prob is None else float(prob))


def projection_inputs(*, assessment: Assessment) -> dict[str, Any]:
    """What a projection of the assessment's roadmap needs, as plain JSON data.

    The outsourced processes (the decided model and location: an override when there is
    one) with their wave and start month from the stored roadmap, ordered by wave, start
    month and inventory position. The order is part of the input: the Monte Carlo run
    draws per process in this order.
    """
    rows = (
        Recommendation.objects.filter(
            process__assessment=assessment, wave__isnull=False, start_month__isnull=False
        )
        .order_by("wave", "start_month", "process__position", "process__pk")
        # Plain values: building 2,000 recommendations and their processes as models
        # took most of a 0.24 s request.
        .values_list(
            "process__name",
            "model",
            "override_model",
            "location",
            "override_location",
            "process__annual_cost",
            "start_month",
            "wave",
        )
    )
    processes = []
    for name, model, override_model, location, override_location, cost, start, wave in rows:
        decided = Recommendation.in_force(model, override_model)
        if not is_outsourced(decided):
            continue
        processes.append(
            {
                "name": name,
                "model": decided,
                "location": _projected_location(
                    Recommendation.in_force(location, override_location)
                ),
                "annual_cost": float(cost),
                "start_month": int(start),
                "wave": int(wave),
            }
        )
    inputs = {
        "processes": processes,
        "currency": assessment.currency,
        "inflation_in": INFLATION_IN,
        "inflation_vendor": INFLATION_VENDOR,
    }
    # The published defaults, or the organisation's calibrated set when it chose that.
    return with_assumption_choice(inputs, organisation_id=assessment.organisation_id)


def _projected_location(location: str) -> str:
    # An override that outsources a retained process keeps no location: the roadmap reads
    # it as onshore, the cautious default (engine.pipeline), and so does the projection.
    return location if location in DELIVERY_LOCATIONS else ONSHORE


def projected_processes(projection: Projection) -> list[ProjectedProcess]:
    """The stored processes as the engine takes them; ValueError when they are unreadable."""
    try:
        return [ProjectedProcess(**row) for row in projection.inputs["processes"]]
    except (KeyError, TypeError) as error:
        raise ValueError(f"the stored inputs are incomplete ({error})") from None
