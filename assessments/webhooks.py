"""What assessments announce to an organisation's webhooks (accounts/webhooks/)."""

from __future__ import annotations

from typing import Any

from accounts.webhooks.services import emit
from assessments.models import Projection
from assessments.projections.results import has_figures, headline


def announce_projection_finished(sender: Any, *, projection_id: int, **kwargs: Any) -> None:
    """Receiver of ``assessments.signals.projection_finished``: ``projection.finished``."""
    projection = Projection.objects.select_related("assessment").filter(pk=projection_id).first()
    if projection is None:
        return
    figures = headline(projection.result) if has_figures(projection.result) else {}
    emit(
        organisation_id=projection.assessment.organisation_id,
        event="projection.finished",
        data={
            "projection": projection.pk,
            "assessment": projection.assessment_id,
            "assessment_name": projection.assessment.name,
            "currency": projection.assessment.currency,
            **{
                key: figures.get(key)
                for key in ("npv_p10", "npv_p50", "npv_p90", "npv_mean", "prob_npv_negative")
            },
        },
    )
