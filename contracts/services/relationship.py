"""Writing the relationship: governance reviews, issues, improvement actions, and the
actual cost recorded per month for realised savings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from contracts.models import Contract, GovernanceReview, ImprovementAction, Issue, RealisedSaving

REVIEW_FIELDS = (
    "held_on",
    "level",
    "attendees",
    "rating_delivery",
    "rating_communication",
    "rating_responsiveness",
    "rating_innovation",
    "notes",
    "decisions",
    "next_review_on",
)
ISSUE_FIELDS = (
    "title",
    "description",
    "severity",
    "status",
    "owner",
    "raised_on",
    "due_on",
    "escalation_level",
    "resolution",
    "resolved_on",
)
ACTION_FIELDS = ("description", "owner", "due_on", "status", "expected_benefit")
SAVING_FIELDS = ("vendor_cost", "governance_cost", "notes")


def _assign(instance: Any, data: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])


def review_save(
    *,
    contract: Contract,
    data: Mapping[str, Any],
    user: User,
    review: GovernanceReview | None = None,
) -> GovernanceReview:
    with transaction.atomic():
        if review is None:
            review = GovernanceReview(contract=contract, recorded_by=user)
        _assign(review, data, REVIEW_FIELDS)
        review.save()
    return review


def issue_save(
    *,
    contract: Contract,
    data: Mapping[str, Any],
    issue: Issue | None = None,
    today: dt.date | None = None,
) -> Issue:
    """Create or update an issue; resolving it stamps the day unless one was given."""
    with transaction.atomic():
        if issue is None:
            issue = Issue(contract=contract)
        _assign(issue, data, ISSUE_FIELDS)
        if issue.is_open:
            issue.resolved_on = None
        elif issue.resolved_on is None:
            issue.resolved_on = today or timezone.localdate()
        issue.save()
    return issue


def action_save(
    *, contract: Contract, data: Mapping[str, Any], action: ImprovementAction | None = None
) -> ImprovementAction:
    with transaction.atomic():
        if action is None:
            action = ImprovementAction(contract=contract)
        _assign(action, data, ACTION_FIELDS)
        action.save()
    return action


def saving_record(
    *, contract: Contract, period: dt.date, data: Mapping[str, Any], user: User
) -> RealisedSaving:
    """Record (or correct) what one month of the service actually cost."""
    with transaction.atomic():
        saving = RealisedSaving.objects.filter(contract=contract, period=period).first()
        if saving is None:
            saving = RealisedSaving(contract=contract, period=period)
        _assign(saving, data, SAVING_FIELDS)
        saving.recorded_by = user
        saving.save()
    return saving
