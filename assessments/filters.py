"""Filtering and sorting the recommendations table (query parameters of the results page)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from assessments.engine.flags import FLAG_CHOICES
from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES
from assessments.engine.vocabulary import wave_choices
from assessments.models import Recommendation
from assessments.models.recommendation import Location, Model

WAVE_CHOICES = wave_choices()

# Sort key in the URL -> field of ``selectors.recommendations_for``'s queryset.
SORT_FIELDS = {
    "name": "process__name",
    "function": "process__business_function",
    "cost": "process__annual_cost",
    "model": "chosen_model",
    "location": "chosen_location",
    "confidence": "confidence",
    "wave": "wave",
    "start": "start_month",
}


class _Ordering(django_filters.OrderingFilter):
    """Sorting by any column, ties broken by the inventory's order so pages are stable."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        ordered = super().filter(qs, value)
        return ordered.order_by(*ordered.query.order_by, "process__position", "process_id")


class RecommendationFilter(django_filters.FilterSet):
    """Filters act on the decided model and location (a manager's override counts)."""

    q = django_filters.CharFilter(
        method="search",
        label="Search",
        help_text="Words in the process name, description or reasons.",
    )
    function = django_filters.ChoiceFilter(
        field_name="process__business_function",
        choices=BUSINESS_FUNCTION_CHOICES,
        label="Function",
        empty_label="Any function",
    )
    model = django_filters.ChoiceFilter(
        field_name="chosen_model", choices=Model.choices, label="Model", empty_label="Any model"
    )
    location = django_filters.ChoiceFilter(
        field_name="chosen_location",
        choices=Location.choices,
        label="Location",
        empty_label="Any location",
    )
    wave = django_filters.ChoiceFilter(
        field_name="wave", choices=WAVE_CHOICES, label="Wave", empty_label="Any wave"
    )
    flag = django_filters.ChoiceFilter(
        method="with_flag", choices=FLAG_CHOICES, label="Risk flag", empty_label="Any flag"
    )
    sort = _Ordering(
        fields=tuple((field, key) for key, field in SORT_FIELDS.items()),
        label="Sort by",
    )

    class Meta:
        model = Recommendation
        fields: list[str] = []

    @property
    def form(self) -> forms.Form:
        """The filter form with Bootstrap's classes on its widgets (rendered as plain HTML:
        crispy costs milliseconds a field, and this form is on every results page)."""
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            widget.attrs.setdefault("class", css)
        return form

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for word in value.split():
            condition &= (
                Q(process__name__icontains=word)
                | Q(process__description__icontains=word)
                | Q(reasons__icontains=word)
            )
        return queryset.filter(condition)

    def with_flag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Flags are a JSON list of codes; the quotes stop one code matching inside another.
        return queryset.filter(flags__icontains=f'"{value}"')
