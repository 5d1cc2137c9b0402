"""Template helpers for projection pages: thin wrappers around pure functions."""

from __future__ import annotations

from django import template

from ..models import Assessment
from ..projection_forms import ProjectionForm
from ..projection_results import payback_text, share_text

register = template.Library()

register.filter("payback", payback_text)
register.filter("share", share_text)


@register.inclusion_tag("assessments/_projection_form.html")
def projection_start_form(assessment: Assessment) -> dict:
    """The start form with the assessment's horizon and discount rate filled in."""
    return {"assessment": assessment, "form": ProjectionForm(assessment=assessment)}
