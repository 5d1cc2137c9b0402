"""Reads about the organisation's current portfolio."""

from __future__ import annotations

from collections.abc import Sequence

from accounts.models import Organisation
from assessments.models import Assessment, CurrentPortfolio


def current_portfolio_id(organisation: Organisation) -> int | None:
    """The id of the assessment marked as the current portfolio, or None (one query)."""
    return (
        CurrentPortfolio.objects.filter(organisation=organisation)
        .values_list("assessment_id", flat=True)
        .first()
    )


def default_assessment(submitted: Sequence[Assessment], marked_id: int | None) -> Assessment | None:
    """The assessment a portfolio view opens on: the marked one while it is submitted,
    else the newest submitted (``submitted`` is newest first), else None."""
    by_id = {a.pk: a for a in submitted}
    if marked_id is not None and marked_id in by_id:
        return by_id[marked_id]
    return submitted[0] if submitted else None
