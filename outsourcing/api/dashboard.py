"""The portfolio dashboard over the API: its headline and each of its figures, as JSON.

Nothing is computed here: the figures and the headline are the dashboard's own, read
through ``outsourcing.dashboard.figures`` (``cached_parts``, ``cached_figure_json``: the
API and the page share one cache), with the filters validated by the page's own form
(``DashboardFilterForm``): a value it would not offer (another organisation's assessment,
a period not in the list) is a 400 naming the parameter. Every member of the
organisation may read them, as the page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, TypeVar

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import organisation_of
from accounts.api.errors import form_errors
from accounts.api.fields import MoneyField
from accounts.api.views import ApiMixin, ApiViewSet
from accounts.models import Organisation
from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES
from assessments.engine.vocabulary import wave_choices
from assessments.models import Assessment
from outsourcing.dashboard.figures import FIGURES, cached_figure_json, cached_parts
from outsourcing.dashboard.forms import DashboardFilterForm
from outsourcing.dashboard.selectors import (
    PERIOD_CHOICES,
    DashboardFilters,
    submitted_assessments,
    with_default_assessment,
)

T = TypeVar("T")
# The dashboard's summary part (headline, notes), cached apart from the figures.
SUMMARY = "summary"

FILTER_PARAMETERS = [
    OpenApiParameter(
        "assessment",
        OpenApiTypes.INT,
        description=(
            "One of your submitted assessments, by id; when left out, the current "
            "portfolio, else the newest submitted."
        ),
    ),
    OpenApiParameter(
        "business_function",
        OpenApiTypes.STR,
        enum=[value for value, _ in BUSINESS_FUNCTION_CHOICES],
        description="Only this business function's processes (and the contracts covering them).",
    ),
    OpenApiParameter(
        "wave",
        OpenApiTypes.INT,
        enum=[number for number, _ in wave_choices()],
        description="Only this wave of the roadmap.",
    ),
    OpenApiParameter(
        "period",
        OpenApiTypes.INT,
        enum=[months for months, _ in PERIOD_CHOICES],
        description="The months of SLA data and credits shown: 3, 6, 12 (when "
        "left out), 24, or 0 for all time.",
    ),
]
FILTER_NAMES = [parameter.name for parameter in FILTER_PARAMETERS]


def filters_checked(**where: list[str]) -> Callable[[T], T]:
    """Document the codes the dashboard's form gives a filter it would not offer."""

    def decorate(view: T) -> T:
        for name in FILTER_NAMES:
            # The library types its decorator for a view class, not a type variable.
            view = extend_validation_errors(["invalid_choice"], field_name=name, **where)(view)  # type: ignore[type-var]
        return view

    return decorate


def dashboard_request(request: Request) -> tuple[Organisation, DashboardFilters, list[Assessment]]:
    """The caller's organisation, the filters the query asks for (checked by the page's
    form; 400 when it refuses one; no assessment named: the current portfolio, else the
    newest submitted), and the submitted assessments read for it."""
    organisation = organisation_of(request._request)
    assessments = list(submitted_assessments(organisation))
    form = DashboardFilterForm(request.query_params or None, assessments=assessments)
    if form.is_bound and not form.is_valid():
        raise ValidationError(form_errors(form))
    filters, _, _ = with_default_assessment(organisation, form.filters(), assessments)
    return organisation, filters, assessments


class DashboardFiltersSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(source="assessment_id", allow_null=True)
    business_function = serializers.CharField()
    wave = serializers.IntegerField(allow_null=True)
    period = serializers.IntegerField(source="period_months")


class DashboardAssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    engine_version = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)


def _money(help_text: str) -> MoneyField:
    return MoneyField(allow_null=True, help_text=help_text)


class DashboardHeadlineSerializer(serializers.Serializer):
    """The headline cards (``DashboardData.headline``), money with the dashboard's
    currency. A figure that does not follow the filter is listed in ``unfiltered``."""

    processes = serializers.IntegerField()
    total_spend = MoneyField(help_text="The selected processes' in-house cost a year.")
    addressable_spend = MoneyField(help_text="Of which recommended for outsourcing.")
    mix_count = serializers.DictField(
        child=serializers.IntegerField(), help_text="Processes by chosen sourcing model."
    )
    npv_p50 = _money("Projected NPV, median of the trials.")
    npv_p10 = _money("P10 of the projected NPV.")
    npv_p90 = _money("P90 of the projected NPV.")
    npv_mean = _money("Mean of the trials; null when the stored result lacks it.")
    npv_at_modes = _money("NPV with every driver at its most likely value.")
    payback_month = serializers.IntegerField(
        allow_null=True,
        help_text=("At the modes, months from the programme's start; null beyond the horizon."),
    )
    prob_npv_negative = serializers.FloatField(allow_null=True, help_text="0..1")
    realised_to_date = _money("Savings realised to date by the selected contracts.")
    plan_to_date = _money("The projected median for the same contracts and months.")
    sla_attainment_quarter = serializers.FloatField(
        allow_null=True, help_text="Share of SLA-months met this quarter, 0..1."
    )
    credits_gross = MoneyField(help_text="Service credits in the period, after the cap.")
    credits_earned_back = MoneyField()
    credits_net = MoneyField(help_text="Gross less earned back.")
    notices_due_90 = serializers.IntegerField()
    open_critical_issues = serializers.IntegerField()
    overdue_issues = serializers.IntegerField()
    low_exit_readiness = serializers.IntegerField(
        default=0, help_text="Live contracts near renewal whose exit readiness is low."
    )
    empty_selection = serializers.BooleanField()
    unfiltered = serializers.ListField(child=serializers.CharField())


class DashboardSummarySerializer(serializers.Serializer):
    organisation = serializers.CharField()
    currency = serializers.CharField()
    assessment = DashboardAssessmentSerializer(allow_null=True)
    filters = DashboardFiltersSerializer()
    headline = serializers.SerializerMethodField()
    notes = serializers.ListField(child=serializers.CharField())
    scope_notes = serializers.DictField(
        child=serializers.CharField(),
        help_text=("Headline key or figure name -> why it does not follow the filter."),
    )

    @extend_schema_field(DashboardHeadlineSerializer)
    def get_headline(self, summary: dict[str, Any]) -> dict[str, Any]:
        return DashboardHeadlineSerializer(
            SimpleNamespace(**summary["headline"], currency=summary["currency"])
        ).data


class DashboardFigureRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "properties": {
            "data": {"type": "array", "items": {"type": "object"}},
            "layout": {"type": "object"},
        },
        "description": "A Plotly figure: its traces (data) and layout, as the page draws it.",
    }
)
class PlotlyFigureField(serializers.JSONField):
    pass


class DashboardFigureSerializer(DashboardFigureRefSerializer):
    filters = DashboardFiltersSerializer()
    figure = PlotlyFigureField()


HEADLINE_EXAMPLE = OpenApiExample(
    "A portfolio",
    response_only=True,
    value={
        "organisation": "Acme Holdings",
        "currency": "GBP",
        "assessment": {
            "id": 3,
            "name": "2026 review",
            "engine_version": "1.4",
            "submitted_at": "2026-01-20T10:00:00Z",
        },
        "filters": {"assessment": 3, "business_function": "", "wave": None, "period": 12},
        "headline": {
            "processes": 24,
            "total_spend": {"amount": "8400000.00", "currency": "GBP"},
            "credits_net": {"amount": "4800.00", "currency": "GBP"},
            "sla_attainment_quarter": 0.94,
            "empty_selection": False,
            "unfiltered": [],
        },
        "notes": [],
        "scope_notes": {},
    },
)


@filters_checked(methods=["get"])
class DashboardHeadlineView(ApiMixin, GenericAPIView):
    serializer_class = DashboardSummarySerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        summary="The dashboard's headline",
        description="The headline figures of the portfolio dashboard for the filters given "
        "(processes and spend, projected NPV, savings realised against the plan, "
        "SLA attainment and credits, what needs attention), with the notes the "
        "page shows. Every member of the organisation may read it.",
        parameters=FILTER_PARAMETERS,
        responses=DashboardSummarySerializer,
        examples=[HEADLINE_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        organisation, filters, assessments = dashboard_request(request)
        # The summary part alone (headline, notes): no figure is built for it.
        part = cached_parts(organisation, filters, timezone.localdate(), assessments, [SUMMARY])
        summary = part[SUMMARY]["summary"]
        return Response(DashboardSummarySerializer({**summary, "filters": filters}).data)


FIGURE = OpenApiParameter(
    "name",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(FIGURES),
    description="The figure's name.",
)


@filters_checked(actions=["retrieve"])
class DashboardFigureViewSet(ApiViewSet):
    """The dashboard's figures: which there are, and each one's data."""

    serializer_class = DashboardFigureSerializer
    lookup_field = "name"
    lookup_value_regex = "[^/]+"  # an unknown name is a 404 in the API's format
    pagination_class = None
    filter_backends: list[Any] = []
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="List the dashboard's figures",
        responses=DashboardFigureRefSerializer(many=True),
        description="The name and title of each figure of the dashboard.",
    )
    def list(self, request: Request) -> Response:
        return Response(
            DashboardFigureRefSerializer(
                [{"name": name, "title": title} for name, (title, _) in FIGURES.items()], many=True
            ).data
        )

    @extend_schema(
        summary="A dashboard figure's data",
        description="The figure as the dashboard draws it (the same JSON as the page's "
        "figure), for the filters given. Every member of the organisation may "
        "read it.",
        parameters=[FIGURE, *FILTER_PARAMETERS],
        responses=DashboardFigureSerializer,
    )
    def retrieve(self, request: Request, name: str) -> Response:
        if name not in FIGURES:
            raise NotFound(f"No such figure; the figures are: {', '.join(FIGURES)}.")
        organisation, filters, assessments = dashboard_request(request)
        # The very JSON the page's figure endpoint sends, from the same cached part.
        figure = json.loads(
            cached_figure_json(organisation, filters, timezone.localdate(), name, assessments)
        )
        return Response(
            DashboardFigureSerializer(
                {
                    "name": name,
                    "title": FIGURES[name][0],
                    "filters": filters,
                    "figure": figure,
                }
            ).data
        )
