"""Template helpers for projection pages: thin wrappers around pure functions."""

from __future__ import annotations

from django import template

from assessments.models import Assessment
from assessments.projections.forms import ProjectionForm
from assessments.projections.results import headline, payback_text, share_text

register = template.Library()

register.filter("payback", payback_text)
register.filter("share", share_text)
register.filter("projection_headline", headline)


@register.inclusion_tag("assessments/_projection_form.html", takes_context=True)
def projection_start_form(context: template.Context, assessment: Assessment) -> dict:
    """The start form with the assessment's horizon and discount rate filled in (compact,
    for a card); the page's CSRF token goes with it."""
    return {
        "assessment": assessment,
        "form": ProjectionForm(assessment=assessment),
        "compact": True,
        "csrf_token": context.get("csrf_token"),
    }
