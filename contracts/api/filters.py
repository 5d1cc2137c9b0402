"""Query-string filters of the contracts API's lists (django-filter): a value that is not
one of the choices, or not a date or a number, is a 400 naming the parameter."""

from __future__ import annotations

import django_filters
from django import forms

from contracts.forms.fields import MonthField
from contracts.models import (
    ActionStatus,
    Contract,
    ContractStatus,
    ImprovementAction,
    Issue,
    IssueStatus,
    Measurement,
    Severity,
    SourcingModel,
)

# The largest id a database column holds: a larger number is a 400, not an overflow.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField


class MonthFormField(MonthField):
    # MonthField's own refusal, named so that the schema lists its code.
    default_error_messages = {"invalid": "Give the month as YYYY-MM, e.g. 2026-03."}


class MonthFilter(django_filters.Filter):
    field_class = MonthFormField


def id_filter(field_name: str, help_text: str) -> IdFilter:
    return IdFilter(field_name=field_name, min_value=1, max_value=MAX_ID, help_text=help_text)


class ContractFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices)
    vendor = id_filter("vendor_id", "The vendor's id.")
    model = django_filters.ChoiceFilter(
        choices=SourcingModel.choices, help_text="The sourcing model."
    )
    ending_before = django_filters.DateFilter(
        field_name="end_date",
        lookup_expr="lt",
        help_text="Only contracts whose current term ends before this day (YYYY-MM-DD).",
    )

    class Meta:
        model = Contract
        fields = ["status", "vendor", "model", "ending_before"]


class MeasurementFilter(django_filters.FilterSet):
    period = MonthFilter(help_text="A month, YYYY-MM.")
    sla = id_filter("sla_id", "The SLA's id.")

    class Meta:
        model = Measurement
        fields = ["period", "sla"]


class IssueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)

    class Meta:
        model = Issue
        fields = ["status", "severity"]


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)

    class Meta:
        model = ImprovementAction
        fields = ["status"]
