"""The award: the decision, its rationale and a snapshot no later edit can change."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.webhooks.services import emit
from vendors.models import Award, EventStatus, Proposal, SourcingEvent
from vendors.models.events import RECEIVING_STATUSES
from vendors.selectors.scoreboard import event_scoreboard
from vendors.services.errors import SelectionError
from vendors.services.events import require_status


def award_is_early(event: SourcingEvent, today: date | None = None) -> bool:
    """Would an award today come on or before the last day for proposals?"""
    return (today or timezone.localdate()) <= event.deadline


def award_create(
    *,
    event: SourcingEvent,
    proposal: Proposal,
    rationale: str,
    user: User,
    early_reason: str = "",
) -> Award:
    """Record the winner and why, with a snapshot of scores, weights and ranks.

    The snapshot is plain JSON copied at this moment: later changes to weights, scores
    or proposals never reach it, and no service updates an award. An award on or before
    the event's deadline (proposals may still come or change) needs ``early_reason``,
    which is kept with it; after the deadline none is asked and none is kept.
    """
    require_status(event, RECEIVING_STATUSES, "award it")
    rationale = rationale.strip()
    if not rationale:
        raise SelectionError("Write the rationale for the decision; it is kept with the award.")
    early = award_is_early(event)
    early_reason = early_reason.strip() if early else ""
    if early and not early_reason:
        raise SelectionError(
            f"Proposals may still arrive or change until the deadline, "
            f"{event.deadline:%-d %b %Y}. Say why you award before it; the reason is kept "
            "with the award."
        )
    if proposal.event_id != event.pk:
        raise SelectionError("That proposal belongs to another event.")
    criteria_set = event.criteria_set
    if not criteria_set.usable_for_award:
        raise SelectionError(criteria_set.inconsistency_message)
    with transaction.atomic():
        # Lock the event so that two awards cannot race past the status check.
        locked = SourcingEvent.objects.select_for_update().get(pk=event.pk)
        require_status(locked, RECEIVING_STATUSES, "award it")
        board = event_scoreboard(locked)
        if board.row_for(proposal) is None:
            raise SelectionError(
                f"{proposal.vendor.name}'s proposal is not fully scored yet, so it cannot win."
            )
        snapshot = board.snapshot()
        snapshot["awarded_at"] = timezone.now().isoformat()
        award = Award.objects.create(
            event=locked,
            proposal=proposal,
            vendor=proposal.vendor,
            rationale=rationale,
            early_reason=early_reason,
            snapshot=snapshot,
            awarded_by=user,
        )
        locked.status = EventStatus.AWARDED
        locked.save(update_fields=["status", "updated_at"])
        emit(
            organisation_id=locked.organisation_id,
            event="contract.awarded",
            data={
                "event": locked.pk,
                "event_name": locked.name,
                "award": award.pk,
                "vendor": proposal.vendor.name,
                "vendor_id": proposal.vendor_id,
                "proposal": proposal.pk,
                "rationale": rationale,
                "early_reason": early_reason,
                "awarded_by": user.get_username(),
            },
        )
    event.status = locked.status
    return award
