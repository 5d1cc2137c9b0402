"""Words for stored codes: ``{% load vocabulary %}``. Each wraps
``assessments.engine.vocabulary``, so a page reads a code as an export does.

- ``{{ code|model_label }}``: ``insufficient_evidence`` -> "Insufficient evidence";
- ``{{ code|location_label }}``: ``in_house`` -> "In-house";
- ``{{ codes|objective_labels }}``: ``["cost_reduction"]`` -> "Cost reduction".
"""

from collections.abc import Iterable

from django import template

from assessments.engine import vocabulary
from assessments.engine.questions import OBJECTIVE_LABELS

register = template.Library()


@register.filter
def model_label(code: str | None) -> str:
    return vocabulary.model_label(code)


@register.filter
def location_label(code: str | None) -> str:
    return vocabulary.location_label(code)


@register.filter
def objective_labels(codes: Iterable[str] | None) -> str:
    """The objectives' labels joined with commas ("" for none)."""
    return ", ".join(vocabulary.label_of(code, OBJECTIVE_LABELS) for code in codes or ())
