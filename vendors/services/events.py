"""Writes for sourcing events: scope, shortlist, proposals and evaluators' scores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from accounts.audit.bulk import record_bulk
from accounts.audit.models import Action
from accounts.models import Organisation
from assessments.models import Assessment, Process
from vendors.engine.scoping import guess_service_line
from vendors.engine.shortlist import shortlist
from vendors.models import (
    Candidate,
    CandidateChange,
    CriteriaSet,
    Criterion,
    Evaluation,
    EventProcess,
    EventStatus,
    Proposal,
    SourcingEvent,
    Vendor,
)
from vendors.models.events import RECEIVING_STATUSES
from vendors.selectors.events import event_scope
from vendors.selectors.registry import vendor_profile
from vendors.services.criteria import criteria_set_default
from vendors.services.errors import SelectionError


def event_create(
    *,
    organisation: Organisation,
    user: User,
    name: str,
    assessment: Assessment,
    processes: Sequence[Process],
    model: str,
    wave: int | None,
    deadline: date,
    planned_start: date,
    criteria_set: CriteriaSet | None = None,
) -> SourcingEvent:
    """A draft event for a wave or hand-picked processes, with its shortlist proposed.

    Without ``criteria_set`` the event uses the organisation's default set, created here
    with METHODOLOGY's weights if the organisation has none yet.
    """
    if assessment.organisation_id != organisation.pk or (
        criteria_set is not None and criteria_set.organisation_id != organisation.pk
    ):
        raise SelectionError("The assessment and the criteria set must be your organisation's.")
    if not processes:
        raise SelectionError("Pick at least one process for the event.")
    if any(p.assessment_id != assessment.pk for p in processes):
        raise SelectionError("Every process in an event must come from the same assessment.")
    with transaction.atomic():
        if criteria_set is None:
            criteria_set = criteria_set_default(organisation=organisation)
        event = SourcingEvent.objects.create(
            organisation=organisation,
            name=name.strip(),
            assessment=assessment,
            wave=wave,
            model=model,
            deadline=deadline,
            planned_start=planned_start,
            criteria_set=criteria_set,
            created_by=user,
        )
        scope = EventProcess.objects.bulk_create(
            [
                EventProcess(
                    event=event,
                    process=process,
                    service_line=guess_service_line(
                        name=process.name,
                        description=process.description,
                        business_function=process.business_function,
                        model=model,
                    ),
                    location=_recommended_location(process),
                )
                for process in processes
            ]
        )
        record_bulk(scope, action=Action.CREATE)
        event_run_shortlist(event=event)
    return event


def _recommended_location(process: Process) -> str:
    rec = getattr(process, "recommendation", None)
    location = rec.effective_location if rec is not None else ""
    return "" if location == "in_house" else location


def event_set_service_lines(*, event: SourcingEvent, lines: Mapping[int, str]) -> None:
    """Change the service line sought per process (keyed by EventProcess pk); re-shortlist."""
    require_status(event, (EventStatus.DRAFT,), "change the scope")
    with transaction.atomic():
        for item in event.scope.all():
            if item.pk in lines and lines[item.pk] != item.service_line:
                item.service_line = lines[item.pk]
                item.save(update_fields=["service_line"])
        event_run_shortlist(event=event)


def event_run_shortlist(*, event: SourcingEvent) -> list[Candidate]:
    """Apply the shortlist rules to every active vendor; managers' decisions are kept."""
    require_status(event, (EventStatus.DRAFT,), "re-run the shortlist")
    event = SourcingEvent.objects.prefetch_related("scope__process").get(pk=event.pk)
    vendors = list(Vendor.objects.active().with_profile())
    # Keyed as the engine keys vendors (its ids may be any hashable id).
    by_id: dict[int | str, Vendor] = {vendor.pk: vendor for vendor in vendors}
    entries = shortlist([vendor_profile(v) for v in vendors], event_scope(event))
    with transaction.atomic():
        existing: dict[int | str, Candidate] = {
            c.vendor_id: c for c in event.candidates.select_related("vendor")
        }
        new, changed, before = [], [], {}
        for entry in entries:
            candidate = existing.get(entry.vendor_id)
            if candidate is None:
                candidate = Candidate(event=event, vendor=by_id[entry.vendor_id])
                new.append(candidate)
            else:
                before[candidate.pk] = copy(candidate)
                changed.append(candidate)
            candidate.proposed, candidate.reasons = entry.included, list(entry.reasons)
            if not candidate.decided_by_manager:
                candidate.invited = False
        # In bulk: a registry of thousands of vendors is one insert, not thousands.
        Candidate.objects.bulk_create(new, batch_size=500)
        Candidate.objects.bulk_update(changed, ["proposed", "reasons", "invited"], batch_size=500)
        record_bulk(new, action=Action.CREATE)
        record_bulk(
            changed, action=Action.UPDATE, before=before, fields=["proposed", "reasons", "invited"]
        )
        # A vendor gone inactive since the last run drops out unless a manager chose it.
        keep = {entry.vendor_id for entry in entries}
        event.candidates.exclude(vendor_id__in=keep).filter(decided_by_manager=False).delete()
    return list(event.candidates.select_related("vendor"))


def shortlist_accept(*, event: SourcingEvent, user: User) -> SourcingEvent:
    """Invite every vendor the rules proposed (and the manager kept); the event opens."""
    require_status(event, (EventStatus.DRAFT,), "accept the shortlist")
    with transaction.atomic():
        inviting = event.candidates.filter(proposed=True, decided_by_manager=False)
        before = {c.pk: c for c in inviting.select_related("vendor").exclude(invited=True)}
        inviting.update(invited=True)
        after = [copy(candidate) for candidate in before.values()]
        for candidate in after:
            candidate.invited = True
        record_bulk(after, action=Action.UPDATE, before=before, fields=["invited"])
        if not event.candidates.filter(invited=True).exists():
            raise SelectionError(
                "Nobody is on the shortlist: add at least one vendor, with a "
                "reason, before opening the event."
            )
        event.status = EventStatus.OPEN
        event.save(update_fields=["status", "updated_at"])
    return event


def candidate_decide(*, candidate: Candidate, invite: bool, reason: str, user: User) -> Candidate:
    """A manager adds a vendor to the shortlist or removes one; the reason is kept."""
    event = candidate.event
    require_status(event, (EventStatus.DRAFT, *RECEIVING_STATUSES), "change the shortlist")
    reason = reason.strip()
    if not reason:
        raise SelectionError("Say why: the reason is kept on record with the shortlist.")
    if not invite and event.proposals.filter(vendor_id=candidate.vendor_id).exists():
        raise SelectionError(
            f"{candidate.vendor.name} has already sent a proposal; it cannot "
            "be removed from the shortlist now."
        )
    with transaction.atomic():
        candidate.invited = invite
        candidate.decided_by_manager = True
        candidate.save(update_fields=["invited", "decided_by_manager", "updated_at"])
        CandidateChange.objects.create(
            candidate=candidate,
            reason=reason,
            user=user,
            action=CandidateChange.Action.ADD if invite else CandidateChange.Action.REMOVE,
        )
    return candidate


def event_cancel(*, event: SourcingEvent, reason: str) -> SourcingEvent:
    require_status(event, (EventStatus.DRAFT, *RECEIVING_STATUSES), "cancel it")
    if not reason.strip():
        raise SelectionError("Say why the event is cancelled.")
    with transaction.atomic():
        event.status = EventStatus.CANCELLED
        event.cancel_reason = reason.strip()
        event.save(update_fields=["status", "cancel_reason", "updated_at"])
    return event


def require_status(event: SourcingEvent, allowed: Iterable[str], action: str) -> None:
    if event.status not in allowed:
        raise SelectionError(
            f"The event is {event.get_status_display().lower()}: you can no longer {action}."
        )


# ---------------------------------------------------------------- proposals and scores

PROPOSAL_FIELDS = ("annual_price", "transition_cost", "proposed_slas", "term_months", "notes")


def proposal_save(
    *, event: SourcingEvent, vendor: Vendor, data: Mapping[str, Any], user: User
) -> Proposal:
    """Record or correct an invited vendor's proposal."""
    require_status(event, RECEIVING_STATUSES, "record proposals")
    if not event.candidates.filter(vendor=vendor, invited=True).exists():
        raise SelectionError(f"{vendor.name} is not on the shortlist; add it first, with a reason.")
    with transaction.atomic():
        proposal, _ = Proposal.objects.update_or_create(
            event=event,
            vendor=vendor,
            defaults={**{f: data[f] for f in PROPOSAL_FIELDS if f in data}, "entered_by": user},
        )
    return proposal


def evaluation_record(
    *, proposal: Proposal, evaluator: str, scores: Mapping[Criterion, tuple[int, str]], user: User
) -> list[Evaluation]:
    """Replace one evaluator's scores of a proposal; the event moves to evaluating."""
    event = proposal.event
    require_status(event, RECEIVING_STATUSES, "record scores")
    evaluator = " ".join(evaluator.split())
    if not evaluator:
        raise SelectionError("Name the evaluator whose scores these are.")
    for criterion, (score, _comment) in scores.items():
        if criterion.criteria_set_id != event.criteria_set_id or criterion.is_cost:
            raise SelectionError(f"{criterion.label} is not scored by evaluators here.")
        if not 1 <= int(score) <= 10:
            raise SelectionError(f"{criterion.label}: scores are whole numbers from 1 to 10.")
    with transaction.atomic():
        proposal.evaluations.filter(evaluator__iexact=evaluator).delete()
        evaluations = Evaluation.objects.bulk_create(
            [
                Evaluation(
                    proposal=proposal,
                    criterion=criterion,
                    evaluator=evaluator,
                    score=int(score),
                    comment=comment.strip(),
                    entered_by=user,
                )
                for criterion, (score, comment) in scores.items()
            ]
        )
        record_bulk(evaluations, action=Action.CREATE)
        if event.status == EventStatus.OPEN:
            event.status = EventStatus.EVALUATING
            event.save(update_fields=["status", "updated_at"])
    return evaluations
