"""Writes for vendor selection: typed, keyword-only ``<entity>_<action>`` functions.

Each runs in one transaction, so a failure leaves nothing half-saved. A rule broken by
the caller raises ``SelectionError`` with a message meant for the person, in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from assessments.models import Assessment, Process

from .models import (
    Award,
    Candidate,
    CandidateChange,
    Certification,
    CriteriaSet,
    Criterion,
    DeliveryCentre,
    Evaluation,
    EventProcess,
    EventStatus,
    PairwiseJudgement,
    Proposal,
    SourcingEvent,
    Vendor,
    VendorLanguage,
    VendorNote,
    VendorServiceLine,
    WeightMethod,
)
from .models.events import RECEIVING_STATUSES
from .ranking import DEFAULT_CRITERIA, ahp, combine_judgements
from .ranking import weights_from_percentages as fractions_from_percentages
from .scoping import guess_service_line
from .scoreboard import event_scoreboard
from .selectors import event_scope, vendor_profile
from .shortlist import shortlist

DEFAULT_CRITERIA_SET = "Default criteria"
PERCENT = Decimal("0.001")


class SelectionError(Exception):
    """A step of vendor selection that cannot be taken; the message says why."""


# ---------------------------------------------------------------- registry


@dataclass(frozen=True)
class VendorDetails:
    """A vendor's describing rows, as clean data from a form or an import row."""

    service_lines: Sequence[str]
    languages: Sequence[tuple[str, str]]  # (language, proficiency)
    certifications: Sequence[tuple[str, date]]  # (code, expires on)
    centres: Sequence[tuple[str, str]]  # (country, city)


VENDOR_FIELDS = ("name", "website", "headquarters_country", "offers_ito", "offers_bpo",
                 "offers_kpo", "headcount", "founded", "financial_stability", "references",
                 "notes", "active")


def vendor_save(*, vendor: Vendor | None, data: Mapping[str, Any],
                details: VendorDetails) -> Vendor:
    """Create or update a vendor and replace the rows that describe it."""
    with transaction.atomic():
        vendor = vendor or Vendor()
        for name in VENDOR_FIELDS:
            if name in data:
                setattr(vendor, name, data[name])
        vendor.save()
        vendor_replace_details(vendor=vendor, details=details)
    return vendor


def vendor_replace_details(*, vendor: Vendor, details: VendorDetails) -> None:
    """Make the vendor's rows match ``details``; unchanged rows are kept (and their history)."""
    with transaction.atomic():
        _sync(vendor.service_lines, {(code,) for code in details.service_lines},
              lambda key: VendorServiceLine(vendor=vendor, code=key[0]), ("code",))
        _sync(vendor.languages, set(details.languages),
              lambda key: VendorLanguage(vendor=vendor, language=key[0], proficiency=key[1]),
              ("language", "proficiency"))
        _sync(vendor.certifications, set(details.certifications),
              lambda key: Certification(vendor=vendor, code=key[0], expires_on=key[1]),
              ("code", "expires_on"))
        _sync(vendor.delivery_centres, set(details.centres),
              lambda key: DeliveryCentre(vendor=vendor, country=key[0], city=key[1]),
              ("country", "city"))


def _sync(related, wanted: set[tuple], build, fields: tuple[str, ...]) -> None:
    # Row by row rather than in bulk so that django-simple-history records each change.
    existing = {tuple(getattr(row, f) for f in fields): row for row in related.all()}
    for key, row in existing.items():
        if key not in wanted:
            row.delete()
    for key in sorted(wanted - set(existing), key=str):
        build(key).save()


def vendor_note_add(*, organisation: Organisation, vendor: Vendor, author: AbstractBaseUser,
                    text: str) -> VendorNote:
    text = text.strip()
    if not text:
        raise SelectionError("Write the note before saving it.")
    with transaction.atomic():
        return VendorNote.objects.create(organisation=organisation, vendor=vendor,
                                         author=author, text=text)


# ---------------------------------------------------------------- criteria and weights


def criteria_set_default(*, organisation: Organisation) -> CriteriaSet:
    """The organisation's first criteria set, created with METHODOLOGY's defaults if none."""
    with transaction.atomic():
        existing = CriteriaSet.objects.for_org(organisation).order_by("created_at", "pk").first()
        if existing is not None:
            return existing
        return criteria_set_create(organisation=organisation, name=DEFAULT_CRITERIA_SET)


def criteria_set_create(*, organisation: Organisation, name: str) -> CriteriaSet:
    name = name.strip()
    if CriteriaSet.objects.for_org(organisation).filter(name__iexact=name).exists():
        raise SelectionError(f"There is already a criteria set called \u201c{name}\u201d.")
    with transaction.atomic():
        criteria_set = CriteriaSet.objects.create(organisation=organisation, name=name)
        Criterion.objects.bulk_create([
            Criterion(criteria_set=criteria_set, code=c.code, label=c.label, position=i,
                      percent=Decimal(c.percent))
            for i, c in enumerate(DEFAULT_CRITERIA, start=1)
        ])
    return criteria_set


def criteria_set_set_weights(*, criteria_set: CriteriaSet,
                             percents: Mapping[str, Decimal]) -> CriteriaSet:
    """Weights typed as percentages; they must add up to 100 (ValueError says how far off)."""
    criteria = list(criteria_set.criteria.all())
    missing = [c.label for c in criteria if c.code not in percents]
    if missing:
        raise SelectionError(f"Give a weight for {', '.join(missing)}.")
    fractions_from_percentages([float(percents[c.code]) for c in criteria],
                               labels=[c.label for c in criteria])
    with transaction.atomic():
        for criterion in criteria:
            criterion.percent = Decimal(percents[criterion.code]).quantize(PERCENT)
            criterion.save(update_fields=["percent"])
        criteria_set.method = WeightMethod.DIRECT
        criteria_set.consistency_ratio = None
        criteria_set.inconsistent_pair = []
        criteria_set.save()
    return criteria_set


def judgement_save(*, criteria_set: CriteriaSet, stakeholder: AbstractBaseUser,
                   matrix: Sequence[Sequence[float]]) -> PairwiseJudgement:
    """Store one stakeholder's pairwise matrix and re-derive the set's weights from all.

    Raises ``InvalidMatrix`` (a ValueError) for zeros, negatives, broken reciprocals.
    """
    criteria = list(criteria_set.criteria.all())
    labels = [c.label for c in criteria]
    result = ahp(matrix, labels=labels)
    with transaction.atomic():
        judgement, _ = PairwiseJudgement.objects.update_or_create(
            criteria_set=criteria_set, stakeholder=stakeholder,
            defaults={"criterion_codes": [c.code for c in criteria],
                      "matrix": [[float(v) for v in row] for row in matrix],
                      "consistency_ratio": float(result.cr)},
        )
        criteria_set_apply_judgements(criteria_set=criteria_set)
    return judgement


def judgement_delete(*, criteria_set: CriteriaSet, stakeholder: AbstractBaseUser) -> None:
    with transaction.atomic():
        criteria_set.judgements.filter(stakeholder=stakeholder).delete()
        if criteria_set.judgements.exists():
            criteria_set_apply_judgements(criteria_set=criteria_set)


def criteria_set_apply_judgements(*, criteria_set: CriteriaSet) -> CriteriaSet:
    """Weights from every stakeholder's matrix, combined by element-wise geometric mean."""
    criteria = list(criteria_set.criteria.all())
    codes = [c.code for c in criteria]
    matrices = [j.matrix for j in criteria_set.judgements.all() if j.criterion_codes == codes]
    if not matrices:
        raise SelectionError("No stakeholder has compared these criteria yet.")
    labels = [c.label for c in criteria]
    result = ahp(combine_judgements(matrices, labels=labels), labels=labels)
    percents = _percents(result.weights)
    with transaction.atomic():
        for criterion, percent in zip(criteria, percents, strict=True):
            criterion.percent = percent
            criterion.save(update_fields=["percent"])
        criteria_set.method = WeightMethod.AHP
        criteria_set.consistency_ratio = float(result.cr)
        pair = result.most_inconsistent_pair
        criteria_set.inconsistent_pair = (
            [labels[pair[0]], labels[pair[1]]] if pair is not None and not result.consistent
            else [])
        criteria_set.save()
    return criteria_set


def _percents(weights: Iterable[float]) -> list[Decimal]:
    """Percentages with three decimals that add up to exactly 100."""
    values = [Decimal(float(w) * 100).quantize(PERCENT) for w in weights]
    values[values.index(max(values))] += Decimal(100) - sum(values)
    return values


# ---------------------------------------------------------------- events


def event_create(*, organisation: Organisation, user: AbstractBaseUser, name: str,
                 assessment: Assessment, processes: Sequence[Process], model: str,
                 wave: int | None, deadline: date, planned_start: date,
                 criteria_set: CriteriaSet) -> SourcingEvent:
    """A draft event for a wave or hand-picked processes, with its shortlist proposed."""
    if assessment.organisation_id != organisation.pk or \
            criteria_set.organisation_id != organisation.pk:
        raise SelectionError("The assessment and the criteria set must be your organisation's.")
    if not processes:
        raise SelectionError("Pick at least one process for the event.")
    if any(p.assessment_id != assessment.pk for p in processes):
        raise SelectionError("Every process in an event must come from the same assessment.")
    with transaction.atomic():
        event = SourcingEvent.objects.create(
            organisation=organisation, name=name.strip(), assessment=assessment, wave=wave,
            model=model, deadline=deadline, planned_start=planned_start,
            criteria_set=criteria_set, created_by=user,
        )
        EventProcess.objects.bulk_create([
            EventProcess(
                event=event, process=process,
                service_line=guess_service_line(
                    name=process.name, description=process.description,
                    business_function=process.business_function, model=model),
                location=_recommended_location(process),
            )
            for process in processes
        ])
        event_run_shortlist(event=event)
    return event


def _recommended_location(process: Process) -> str:
    rec = getattr(process, "recommendation", None)
    location = rec.effective_location if rec is not None else ""
    return "" if location == "in_house" else location


def event_set_service_lines(*, event: SourcingEvent, lines: Mapping[int, str]) -> None:
    """Change the service line sought per process (keyed by EventProcess pk); re-shortlist."""
    _require_status(event, (EventStatus.DRAFT,), "change the scope")
    with transaction.atomic():
        for item in event.scope.all():
            if item.pk in lines and lines[item.pk] != item.service_line:
                item.service_line = lines[item.pk]
                item.save(update_fields=["service_line"])
        event_run_shortlist(event=event)


def event_run_shortlist(*, event: SourcingEvent) -> list[Candidate]:
    """Apply the shortlist rules to every active vendor; managers' decisions are kept."""
    _require_status(event, (EventStatus.DRAFT,), "re-run the shortlist")
    event = SourcingEvent.objects.prefetch_related("scope__process").get(pk=event.pk)
    vendors = list(Vendor.objects.active().with_profile())
    entries = shortlist([vendor_profile(v) for v in vendors], event_scope(event))
    with transaction.atomic():
        existing = {c.vendor_id: c for c in event.candidates.all()}
        keep = set()
        for entry in entries:
            candidate = existing.get(entry.vendor_id)
            if candidate is None:
                candidate = Candidate(event=event, vendor_id=entry.vendor_id)
            candidate.proposed, candidate.reasons = entry.included, list(entry.reasons)
            if not candidate.decided_by_manager:
                candidate.invited = False
            candidate.save()
            keep.add(entry.vendor_id)
        # A vendor gone inactive since the last run drops out unless a manager chose it.
        event.candidates.exclude(vendor_id__in=keep).filter(decided_by_manager=False).delete()
    return list(event.candidates.select_related("vendor"))


def shortlist_accept(*, event: SourcingEvent, user: AbstractBaseUser) -> SourcingEvent:
    """Invite every vendor the rules proposed (and the manager kept); the event opens."""
    _require_status(event, (EventStatus.DRAFT,), "accept the shortlist")
    with transaction.atomic():
        event.candidates.filter(proposed=True, decided_by_manager=False).update(invited=True)
        if not event.candidates.filter(invited=True).exists():
            raise SelectionError("Nobody is on the shortlist: add at least one vendor, with a "
                                 "reason, before opening the event.")
        event.status = EventStatus.OPEN
        event.save(update_fields=["status", "updated_at"])
    return event


def candidate_decide(*, candidate: Candidate, invite: bool, reason: str,
                     user: AbstractBaseUser) -> Candidate:
    """A manager adds a vendor to the shortlist or removes one; the reason is kept."""
    event = candidate.event
    _require_status(event, (EventStatus.DRAFT, *RECEIVING_STATUSES), "change the shortlist")
    reason = reason.strip()
    if not reason:
        raise SelectionError("Say why: the reason is kept on record with the shortlist.")
    if not invite and event.proposals.filter(vendor_id=candidate.vendor_id).exists():
        raise SelectionError(f"{candidate.vendor.name} has already sent a proposal; it cannot "
                             "be removed from the shortlist now.")
    with transaction.atomic():
        candidate.invited = invite
        candidate.decided_by_manager = True
        candidate.save(update_fields=["invited", "decided_by_manager", "updated_at"])
        CandidateChange.objects.create(
            candidate=candidate, reason=reason, user=user,
            action=CandidateChange.Action.ADD if invite else CandidateChange.Action.REMOVE)
    return candidate


def event_cancel(*, event: SourcingEvent, reason: str) -> SourcingEvent:
    _require_status(event, (EventStatus.DRAFT, *RECEIVING_STATUSES), "cancel it")
    if not reason.strip():
        raise SelectionError("Say why the event is cancelled.")
    with transaction.atomic():
        event.status = EventStatus.CANCELLED
        event.cancel_reason = reason.strip()
        event.save(update_fields=["status", "cancel_reason", "updated_at"])
    return event


def _require_status(event: SourcingEvent, allowed: Iterable[str], action: str) -> None:
    if event.status not in allowed:
        raise SelectionError(f"The event is {event.get_status_display().lower()}: you can no "
                             f"longer {action}.")


# ---------------------------------------------------------------- proposals and scores

PROPOSAL_FIELDS = ("annual_price", "transition_cost", "proposed_slas", "term_months", "notes")


def proposal_save(*, event: SourcingEvent, vendor: Vendor, data: Mapping[str, Any],
                  user: AbstractBaseUser) -> Proposal:
    """Record or correct an invited vendor's proposal."""
    _require_status(event, RECEIVING_STATUSES, "record proposals")
    if not event.candidates.filter(vendor=vendor, invited=True).exists():
        raise SelectionError(f"{vendor.name} is not on the shortlist; add it first, with a "
                             "reason.")
    with transaction.atomic():
        proposal, _ = Proposal.objects.update_or_create(
            event=event, vendor=vendor,
            defaults={**{f: data[f] for f in PROPOSAL_FIELDS if f in data}, "entered_by": user},
        )
    return proposal


def evaluation_record(*, proposal: Proposal, evaluator: str,
                      scores: Mapping[Criterion, tuple[int, str]],
                      user: AbstractBaseUser) -> list[Evaluation]:
    """Replace one evaluator's scores of a proposal; the event moves to evaluating."""
    event = proposal.event
    _require_status(event, RECEIVING_STATUSES, "record scores")
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
        evaluations = Evaluation.objects.bulk_create([
            Evaluation(proposal=proposal, criterion=criterion, evaluator=evaluator,
                       score=int(score), comment=comment.strip(), entered_by=user)
            for criterion, (score, comment) in scores.items()
        ])
        if event.status == EventStatus.OPEN:
            event.status = EventStatus.EVALUATING
            event.save(update_fields=["status", "updated_at"])
    return evaluations


# ---------------------------------------------------------------- award


def award_create(*, event: SourcingEvent, proposal: Proposal, rationale: str,
                 user: AbstractBaseUser) -> Award:
    """Record the winner and why, with a snapshot of scores, weights and ranks.

    The snapshot is plain JSON copied at this moment: later changes to weights, scores
    or proposals never reach it, and no service updates an award.
    """
    _require_status(event, RECEIVING_STATUSES, "award it")
    rationale = rationale.strip()
    if not rationale:
        raise SelectionError("Write the rationale for the decision; it is kept with the award.")
    if proposal.event_id != event.pk:
        raise SelectionError("That proposal belongs to another event.")
    criteria_set = event.criteria_set
    if not criteria_set.usable_for_award:
        raise SelectionError(criteria_set.inconsistency_message)
    with transaction.atomic():
        # Lock the event so that two awards cannot race past the status check.
        locked = SourcingEvent.objects.select_for_update().get(pk=event.pk)
        _require_status(locked, RECEIVING_STATUSES, "award it")
        board = event_scoreboard(locked)
        if board.row_for(proposal) is None:
            raise SelectionError(f"{proposal.vendor.name}'s proposal is not fully scored yet, "
                                 "so it cannot win.")
        snapshot = board.snapshot()
        snapshot["awarded_at"] = timezone.now().isoformat()
        award = Award.objects.create(event=locked, proposal=proposal, vendor=proposal.vendor,
                                     rationale=rationale, snapshot=snapshot, awarded_by=user)
        locked.status = EventStatus.AWARDED
        locked.save(update_fields=["status", "updated_at"])
    event.status = locked.status
    return award
