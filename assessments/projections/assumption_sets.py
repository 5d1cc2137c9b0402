"""Which assumption set a new projection starts from, and why (docs/methodology-calibration.md).

The published defaults (``assessments.engine.assumptions``) unless the organisation chose
to start projections from its calibrated set (``CalibratedAssumptions``, written by the
contracts app from its realised savings). The choice and its reason are stored with the
projection's inputs, so its page says which set it used even after the choice changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from accounts.engine.formatting import percent
from assessments.engine.assumptions import DEFAULT_SET, AssumptionSet
from assessments.engine.scenarios import assumptions_to_json
from assessments.models import CalibratedAssumptions

PUBLISHED = "published"
CALIBRATED = "calibrated"
LABELS = {
    PUBLISHED: "Published default assumptions",
    CALIBRATED: "Calibrated assumptions (your organisation's track record)",
}
NOT_CHOSEN = (
    "Your organisation has not chosen to start projections from its own track record, so "
    "the published default ranges apply."
)
NONE_STORED = (
    "No calibrated assumption set has been computed for your organisation yet, so the "
    "published default ranges apply."
)


@dataclass(frozen=True)
class AssumptionChoice:
    name: str
    reason: str
    assumptions: AssumptionSet | None = None  # None: the published defaults

    @property
    def label(self) -> str:
        return LABELS[self.name]


def calibrated_set(stored: CalibratedAssumptions) -> AssumptionSet:
    """The published defaults with the stored gross saving triangles in their place."""
    models = {}
    for model, drivers in DEFAULT_SET.models.items():
        triangle = stored.saving_triangle(model)
        models[model] = drivers if triangle is None else replace(drivers, saving=triangle)
    return AssumptionSet(models=models, location_factors=dict(DEFAULT_SET.location_factors))


def calibrated_reason(stored: CalibratedAssumptions) -> str:
    """One sentence: where the calibrated ranges come from."""
    moved = []
    for model, values in sorted(stored.evidence.items()):
        triangle = stored.saving_triangle(model)
        default = values.get("default") if isinstance(values, dict) else None
        if triangle is None or not default or int(values.get("contracts", 0)) == 0:
            continue
        moved.append(
            f"{model} gross saving {percent(triangle.mode, 1)} "
            f"(default {percent(float(default[1]), 1)}, {values['contracts']} contract"
            f"{'s' if int(values['contracts']) != 1 else ''})"
        )
    evidence = "; ".join(moved) if moved else "no model had evidence, so every range is the default"
    return (
        f"Your organisation chose to start projections from its own track record: the "
        f"savings ranges were calibrated on {stored.computed_at:%d %b %Y} from "
        f"{stored.contracts} contract{'s' if stored.contracts != 1 else ''} with realised "
        f"savings, shrunk towards the published defaults in proportion to the evidence: "
        f"{evidence}."
    )


def assumption_choice(*, organisation_id: int) -> AssumptionChoice:
    """The set a new projection of the organisation's assessments starts from."""
    stored = CalibratedAssumptions.objects.filter(organisation_id=organisation_id).first()
    if stored is None:
        return AssumptionChoice(PUBLISHED, NONE_STORED)
    if not stored.use_for_projections:
        return AssumptionChoice(PUBLISHED, NOT_CHOSEN)
    return AssumptionChoice(CALIBRATED, calibrated_reason(stored), calibrated_set(stored))


def with_assumption_choice(inputs: dict[str, Any], *, organisation_id: int) -> dict[str, Any]:
    """``inputs`` with the chosen set (``assumptions``, read by the projection run) and
    what to say about it (``assumption_set``)."""
    choice = assumption_choice(organisation_id=organisation_id)
    if choice.assumptions is not None:
        inputs["assumptions"] = assumptions_to_json(choice.assumptions)
    inputs["assumption_set"] = {"name": choice.name, "label": choice.label, "reason": choice.reason}
    return inputs


def described(inputs: dict[str, Any] | None) -> dict[str, str]:
    """What a stored projection's page says about its assumption set: label and reason.

    Projections stored before the choice existed used the published defaults, unless a
    scenario gave them a set of its own."""
    stored = (inputs or {}).get("assumption_set")
    if isinstance(stored, dict) and stored.get("label"):
        return {"label": str(stored["label"]), "reason": str(stored.get("reason", ""))}
    if (inputs or {}).get("assumptions") is not None:
        return {
            "label": "The scenario's assumptions",
            "reason": "This projection ran under a scenario that sets its own ranges.",
        }
    return {
        "label": LABELS[PUBLISHED],
        "reason": "The published default ranges applied (the projection predates the choice "
        "of a calibrated set).",
    }
