"""Marking one submitted assessment as the organisation's current portfolio."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from accounts.models import Organisation, Role
from assessments.models import Assessment, CurrentPortfolio, Status

# Who may choose the current portfolio: the CIO, whose dashboard opens on it, and the
# organisation's admin. A manager drafts and submits assessments; letting a submission
# (a five-process test, say) move the whole organisation's view is what this mark avoids.
PORTFOLIO_ROLES = (Role.CIO, Role.ADMIN)


class PortfolioError(Exception):
    """The assessment cannot be the current portfolio; the message says why in words."""


def portfolio_mark_current(
    *, organisation: Organisation, assessment: Assessment, user: User | None
) -> CurrentPortfolio:
    """Make ``assessment`` (submitted, of ``organisation``) the current portfolio."""
    if assessment.organisation_id != organisation.pk:
        raise PortfolioError("That assessment belongs to another organisation.")
    if assessment.status != Status.SUBMITTED:
        raise PortfolioError(
            f"“{assessment.name}” is a draft: submit it before making it the current portfolio."
        )
    with transaction.atomic():
        mark, _ = CurrentPortfolio.objects.update_or_create(
            organisation=organisation,
            defaults={"assessment": assessment, "chosen_by": user},
        )
    return mark
