"""Writes for assessments: each a typed, keyword-only function inside one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.audit.bulk import record_bulk
from accounts.audit.models import Action
from accounts.engine.countries import continent_of
from accounts.engine.formatting import count_of
from accounts.models import Organisation
from accounts.webhooks.services import emit
from assessments.engine.inventory import InventoryError, read_inventory
from assessments.engine.pipeline import ProcessInput, assess
from assessments.engine.questions import QUESTION_KEYS
from assessments.engine.rules import ENGINE_VERSION
from assessments.models import Assessment, Process, Recommendation, Status, WizardStep
from assessments.models.assessment import DONT_KNOW

CONTEXT_FIELDS = (
    "name",
    "objectives",
    "home_country",
    "customer_languages",
    "currency",
    "horizon_months",
    "discount_rate",
)
PROCESS_FIELDS = ("name", "business_function", "description", "annual_cost", "fte")


class SubmitError(Exception):
    """The assessment cannot be submitted yet; the message says why in words."""


@dataclass(frozen=True)
class ImportReport:
    imported: int
    errors: list[InventoryError]

    @property
    def ok(self) -> bool:
        return not self.errors


def assessment_create(
    *, organisation: Organisation, owner: User, data: dict[str, Any]
) -> Assessment:
    with transaction.atomic():
        assessment = Assessment(
            organisation=organisation, owner=owner, wizard_step=WizardStep.INVENTORY
        )
        _apply_context(assessment, data)
        assessment.save()
    return assessment


def assessment_update_context(*, assessment: Assessment, data: dict[str, Any]) -> Assessment:
    with transaction.atomic():
        _apply_context(assessment, data)
        assessment.wizard_step = _later_step(assessment.wizard_step, WizardStep.INVENTORY)
        assessment.save()
    return assessment


def _apply_context(assessment: Assessment, data: dict[str, Any]) -> None:
    for name in CONTEXT_FIELDS:
        if name in data:
            setattr(assessment, name, data[name])
    assessment.home_continent = continent_of(assessment.home_country)


_STEP_ORDER = list(WizardStep.values)


def _later_step(current: str, reached: str) -> str:
    return max(current, reached, key=_STEP_ORDER.index)


def assessment_set_step(*, assessment: Assessment, step: str) -> None:
    """Record that the wizard reached ``step``: it resumes there, never at an earlier one.

    Called by the services that save a step (showing a page writes nothing); nothing is
    written when the assessment is already that far.
    """
    reached = _later_step(assessment.wizard_step, step)
    if reached == assessment.wizard_step:
        return
    # A save, not a queryset update, so the audit trail records the change of step.
    assessment.wizard_step = reached
    assessment.save(update_fields=["wizard_step", "updated_at"])


def process_create(*, assessment: Assessment, data: dict[str, Any]) -> Process:
    with transaction.atomic():
        position = (assessment.processes.aggregate(m=Max("position"))["m"] or 0) + 1
        process = Process(assessment=assessment, position=position)
        for name in PROCESS_FIELDS:
            if name in data:
                setattr(process, name, data[name])
        process.save()
        _touch(assessment)
        assessment_set_step(assessment=assessment, step=WizardStep.INVENTORY)
    return process


def process_update(*, process: Process, data: dict[str, Any]) -> Process:
    with transaction.atomic():
        for name in (*PROCESS_FIELDS, *QUESTION_KEYS):
            if name in data:
                setattr(process, name, data[name])
        process.save()
        _touch(process.assessment)
    return process


def process_delete(*, process: Process) -> None:
    with transaction.atomic():
        assessment = process.assessment
        process.delete()
        _touch(assessment)


def process_answers_save(
    *, process: Process, answers: dict[str, int | None], step: str = WizardStep.QUESTIONNAIRE
) -> Process:
    """Store answers: 1..5, or DONT_KNOW (0).

    The wizard then resumes at ``step``: the questionnaire, or the review when the person
    moves on to it with these answers (never earlier than it already was).
    """
    with transaction.atomic():
        for key in QUESTION_KEYS:
            if key in answers:
                setattr(process, key, answers[key])
        process.save(update_fields=list(QUESTION_KEYS))
        _touch(process.assessment)
        assessment_set_step(assessment=process.assessment, step=step)
    return process


def inventory_import(
    *, assessment: Assessment, data: bytes, filename: str, replace: bool = False
) -> ImportReport:
    """Import a CSV/XLSX inventory: all rows or none.

    With ``replace`` the file replaces the current inventory; otherwise its rows are
    added, and a name that already exists in the assessment is an error.
    """
    inventory = read_inventory(data, filename)
    errors = list(inventory.errors)
    if not errors and not replace:
        existing = {n.casefold() for n in assessment.processes.values_list("name", flat=True)}
        errors = [
            InventoryError(
                row=row.row,
                column="name",
                message=f"A process named {row.name!r} is already in this assessment.",
            )
            for row in inventory.rows
            if row.name.casefold() in existing
        ]
    if errors:
        return ImportReport(imported=0, errors=errors)
    with transaction.atomic():
        if replace:
            assessment.processes.all().delete()
        start = (assessment.processes.aggregate(m=Max("position"))["m"] or 0) + 1
        processes = Process.objects.bulk_create(
            [
                Process(
                    assessment=assessment,
                    position=start + offset,
                    name=row.name,
                    business_function=row.business_function,
                    description=row.description,
                    annual_cost=row.annual_cost,
                    fte=row.fte,
                    **{
                        key: (DONT_KNOW if row.answers.get(key) is None else row.answers[key])
                        for key in QUESTION_KEYS
                    },
                )
                for offset, row in enumerate(inventory.rows)
            ]
        )
        record_bulk(processes, action=Action.CREATE)
        _touch(assessment)
        assessment_set_step(assessment=assessment, step=WizardStep.INVENTORY)
    return ImportReport(imported=len(inventory.rows), errors=[])


def _touch(assessment: Assessment) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())


def submit_problems(assessment: Assessment) -> list[str]:
    """What stops the assessment from being submitted, in words (empty when ready)."""
    processes = list(assessment.processes.all())
    if not processes:
        return ["Add at least one process to the inventory."]
    incomplete = [p.name for p in processes if not p.is_complete]
    if incomplete:
        shown = ", ".join(incomplete[:5]) + (" and others" if len(incomplete) > 5 else "")
        return [
            f"{count_of(len(incomplete), 'process', 'processes')} still "
            f"{'has' if len(incomplete) == 1 else 'have'} unanswered questions: {shown}. "
            "Answer each question, or choose \u201cDon't know\u201d."
        ]
    return []


def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    """Score every process, build the roadmap, and start a projection."""
    from assessments.projections.services import projection_request

    problems = submit_problems(assessment)
    if problems:
        raise SubmitError(" ".join(problems))
    with transaction.atomic():
        assessment_score(assessment=assessment)
        assessment.status = Status.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.wizard_step = WizardStep.REVIEW
        assessment.save()
        # Announced before the projection starts, so subscribers hear of it first.
        emit(
            organisation_id=assessment.organisation_id,
            event="assessment.submitted",
            data={
                "assessment": assessment.pk,
                "name": assessment.name,
                "submitted_at": assessment.submitted_at,
                "processes": assessment.processes.count(),
                "submitted_by": user.get_username(),
            },
        )
        projection_request(assessment=assessment, user=user)
    return assessment


def assessment_score(*, assessment: Assessment) -> None:
    """(Re)compute every recommendation and the roadmap, keeping managers' overrides."""
    processes = list(assessment.processes.select_related("recommendation"))
    overrides = {}
    for process in processes:
        rec = getattr(process, "recommendation", None)
        if rec is not None and rec.override_model:
            overrides[process.pk] = rec
    inputs = [
        ProcessInput(
            name=p.name,
            annual_cost=float(p.annual_cost),
            answers=p.engine_answers,
            override_model=overrides[p.pk].override_model if p.pk in overrides else None,
            override_location=overrides[p.pk].override_location or None
            if p.pk in overrides
            else None,
        )
        for p in processes
    ]
    result = assess(
        inputs, horizon=assessment.horizon_months, discount_rate=float(assessment.discount_rate)
    )
    with transaction.atomic():
        Recommendation.objects.filter(process__assessment=assessment).delete()
        recommendations = []
        for process, assessed in zip(processes, result.processes, strict=True):
            rec = assessed.recommendation
            schedule = assessed.schedule
            kept = overrides.get(process.pk)
            recommendations.append(
                Recommendation(
                    process=process,
                    model=rec.model,
                    location=rec.location or "",
                    confidence=rec.confidence,
                    margin=rec.margin,
                    scores=rec.scores,
                    reasons=list(rec.reasons),
                    flags=list(rec.flags),
                    settle_questions=list(rec.settle_questions),
                    guard_rail=rec.guard_rail,
                    wave=schedule.wave if schedule else None,
                    start_month=schedule.start_month if schedule else None,
                    go_live_month=schedule.go_live_month if schedule else None,
                    engine_version=rec.engine_version,
                    inputs={
                        "answers": process.engine_answers,
                        "annual_cost": str(process.annual_cost),
                        "fte": str(process.fte),
                        "business_function": process.business_function,
                    },
                    override_model=kept.override_model if kept else "",
                    override_location=kept.override_location if kept else "",
                    override_justification=kept.override_justification if kept else "",
                    overridden_by=kept.overridden_by if kept else None,
                    overridden_at=kept.overridden_at if kept else None,
                )
            )
        Recommendation.objects.bulk_create(recommendations)
        record_bulk(recommendations, action=Action.CREATE)
        assessment.roadmap_warnings = result.warnings
        assessment.engine_version = ENGINE_VERSION
        assessment.save(update_fields=["roadmap_warnings", "engine_version", "updated_at"])


def recommendation_override(
    *, recommendation: Recommendation, model: str, location: str, justification: str, user: User
) -> Recommendation:
    """A manager's decision replaces the engine's; the engine's answer stays beside it."""
    from assessments.projections.services import projection_request

    justification = justification.strip()
    if not justification:
        raise ValueError("Say why you override the engine's recommendation.")
    with transaction.atomic():
        recommendation.override_model = model
        recommendation.override_location = "in_house" if model == "retain" else location
        recommendation.override_justification = justification
        recommendation.overridden_by = user
        recommendation.overridden_at = timezone.now()
        recommendation.save()
        assessment = recommendation.process.assessment
        assessment_score(assessment=assessment)
        projection_request(assessment=assessment, user=user)
    return Recommendation.objects.get(process=recommendation.process)


def recommendation_clear_override(*, recommendation: Recommendation, user: User) -> None:
    from assessments.projections.services import projection_request

    with transaction.atomic():
        # One row, saved (not updated) so the trail records the override it clears.
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        recommendation.override_model = recommendation.override_location = ""
        recommendation.override_justification = ""
        recommendation.overridden_by, recommendation.overridden_at = None, None
        recommendation.save()
        assessment = recommendation.process.assessment
        assessment_score(assessment=assessment)
        projection_request(assessment=assessment, user=user)


def assessment_reopen(*, assessment: Assessment) -> Assessment:
    """Back to draft so the inventory and answers can change; recommendations are kept."""
    assessment.status = Status.DRAFT
    assessment.wizard_step = WizardStep.INVENTORY
    assessment.save(update_fields=["status", "wizard_step", "updated_at"])
    return assessment
