"""Savings projections over the API: start one (on the assessment), watch it, read its
result as JSON or CSV.

The figures are read from the stored result with the same readers the projection page
uses (``assessments.projections.results``); nothing is computed again here. The CSV is
the page's export (``?table=yearly`` or ``monthly``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import get_for, membership_of, scoped
from accounts.api.authentication import token_of
from accounts.api.fields import MoneyField
from accounts.api.permissions import READ_ONLY_TOKEN, OrganisationMember
from accounts.api.serializers import StrictSerializer
from accounts.api.views import ApiView, ApiViewSet
from accounts.models import Role
from assessments.api.filters import ProjectionFilter
from assessments.api.serializers import AssessmentsErrorResponseSerializer
from assessments.engine.exports import table_csv
from assessments.models import Projection, ProjectionStatus
from assessments.projections import results as projection_results
from assessments.projections.services import (
    MAX_HORIZON,
    MAX_SEED,
    MAX_TRIALS,
    MIN_HORIZON,
    MIN_TRIALS,
)
from assessments.views.projections import CONTENT_TYPES, CSV_TABLES

# The projection pages let every role start one: a projection changes no decision.
START_ROLES = (Role.MANAGER, Role.CIO, Role.ADMIN)


class CsvTableSerializer(serializers.Serializer):
    """The CSV's query: which table."""

    table = serializers.ChoiceField(
        choices=list(CSV_TABLES),
        default="yearly",
        error_messages={"invalid_choice": f"Choose the table {' or '.join(CSV_TABLES)}."},
    )


CSV_TABLE_PARAMETER = OpenApiParameter(
    "table",
    str,
    enum=list(CSV_TABLES),
    default="yearly",
    description="The CSV's table: one row per contract year, or per month.",
)


class MayStartProjection(OrganisationMember):
    """As the projection pages: managers, admins and CIOs may start a projection; a
    read-only token may not."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return super().has_permission(request, view)
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(request, "membership", None) is None:
            return False
        token = token_of(request)
        if token is not None and token.read_only:
            self.message = READ_ONLY_TOKEN
            return False
        if membership_of(request._request).role not in START_ROLES:
            self.message = "Your role may not start a projection."
            return False
        return True


class ProjectionConflict(APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = "The projection has no result to show."


class ProjectionQuotaExceeded(APIException):
    status_code = 429
    default_code = "projection_quota"
    default_detail = "Too many projections are queued or running."


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        if isinstance(data, str):
            return data.encode("utf-8")
        return json.dumps(data).encode("utf-8")  # never reached: errors are sent as JSON


class _ErrorsAsJson:
    """An endpoint that answers CSV still says what went wrong in the JSON error format."""

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(response, "exception", False):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]


# Serializers ---------------------------------------------------------------------------


class ProjectionStartSerializer(StrictSerializer):
    """A projection's settings; horizon and discount rate default to the assessment's."""

    trials = serializers.IntegerField(
        min_value=MIN_TRIALS, max_value=MAX_TRIALS, default=10_000, help_text="Monte Carlo trials."
    )
    seed = serializers.IntegerField(
        min_value=0,
        max_value=MAX_SEED,
        default=0,
        help_text="The same seed gives the same numbers.",
    )
    horizon_months = serializers.IntegerField(
        min_value=MIN_HORIZON, max_value=MAX_HORIZON, required=False
    )
    discount_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal("0"),
        max_value=Decimal("0.5"),
        required=False,
        help_text="A year, as a fraction from 0 to 0.5 (8 % is 0.08).",
    )


class ProjectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    assessment = serializers.IntegerField(source="assessment_id")
    assessment_url = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ProjectionStatus.choices)
    progress = serializers.IntegerField(help_text="0 to 100.")
    message = serializers.CharField(help_text="Where the run is, or why it failed, in words.")
    trials = serializers.IntegerField()
    seed = serializers.IntegerField()
    horizon_months = serializers.IntegerField()
    discount_rate = serializers.FloatField(help_text="A year, as a fraction.")
    engine_version = serializers.CharField()
    requested_by = serializers.CharField(
        source="requested_by.username", allow_null=True, default=None
    )
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    result_url = serializers.SerializerMethodField(
        help_text="The figures, once the status is done; null before."
    )
    result_csv_url = serializers.SerializerMethodField(
        help_text="The yearly figures as CSV, once the status is done; null before."
    )

    def _url(self, name: str, **kwargs: Any) -> str:
        path = reverse(name, kwargs=kwargs)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, projection: Projection) -> str:
        return self._url("projection-detail", pk=projection.pk)

    def get_assessment_url(self, projection: Projection) -> str:
        return self._url("assessment-detail", pk=projection.assessment_id)

    def get_result_url(self, projection: Projection) -> str | None:
        if projection.status != ProjectionStatus.DONE:
            return None
        return self._url("projection-result", pk=projection.pk)

    def get_result_csv_url(self, projection: Projection) -> str | None:
        if projection.status != ProjectionStatus.DONE:
            return None
        return self._url("projection-result-csv", pk=projection.pk)


class ProjectionHeadlineSerializer(serializers.Serializer):
    npv_p50 = MoneyField(help_text="The headline NPV: the median of the trials.")
    npv_p10 = MoneyField(help_text="1 trial in 10 does worse.")
    npv_p90 = MoneyField(help_text="1 trial in 10 does better.")
    npv_mean = MoneyField(
        allow_null=True,
        help_text="The expected NPV, the mean of the "
        "trials; null for a run stored before it was kept.",
    )
    npv_at_modes = MoneyField(
        source="npv",
        help_text="The NPV with every driver at its most "
        "likely value (where the waterfall and tornado start).",
    )
    prob_npv_negative = serializers.FloatField(help_text="The share of trials with NPV < 0.")
    payback_month = serializers.IntegerField(
        allow_null=True, help_text="At the modes, month 0 first; null when not within the horizon."
    )
    trials = serializers.IntegerField()
    seed = serializers.IntegerField()


class ProjectionWaveSerializer(serializers.Serializer):
    wave = serializers.IntegerField()
    model = serializers.CharField()
    processes = serializers.IntegerField(allow_null=True)
    npv_at_modes = MoneyField(source="npv")
    npv_p10 = MoneyField(allow_null=True)
    npv_p50 = MoneyField(allow_null=True)
    npv_p90 = MoneyField(allow_null=True)
    prob_npv_negative = serializers.FloatField(allow_null=True)
    payback_month = serializers.IntegerField(allow_null=True)


class ProjectionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assessment = serializers.IntegerField()
    currency = serializers.CharField()
    nothing_to_project = serializers.BooleanField(
        help_text="True when no process is outsourced: there are no savings to compute."
    )
    message = serializers.CharField(allow_blank=True)
    processes = serializers.IntegerField(help_text="Outsourced processes projected.")
    headline = ProjectionHeadlineSerializer(allow_null=True)
    waves = ProjectionWaveSerializer(many=True)


def result_figures(projection: Projection) -> dict[str, Any]:
    """The stored result as the result serializer reads it (money with its currency)."""
    result = projection.result or {}
    currency = result.get("currency") or projection.assessment.currency
    figures: dict[str, Any] = {
        "id": projection.pk,
        "assessment": projection.assessment_id,
        "currency": currency,
        "nothing_to_project": bool(result.get("nothing_to_project")),
        "message": result.get("message", ""),
        "processes": result.get("processes", 0),
        "headline": None,
        "waves": [],
    }
    if projection_results.has_figures(result):
        figures["headline"] = SimpleNamespace(
            **projection_results.headline(result), currency=currency
        )
        figures["waves"] = [
            SimpleNamespace(**{str(key): value for key, value in row.items()}, currency=currency)
            for row in projection_results.wave_frame(result).to_dict("records")
        ]
    return figures


# Views ---------------------------------------------------------------------------------


def _unfinished(projection: Projection) -> ProjectionConflict:
    if projection.status == ProjectionStatus.FAILED:
        return ProjectionConflict(projection.message or "The projection failed.")
    return ProjectionConflict(
        f"The projection is {projection.status} ({projection.progress} % done): its result "
        "is ready once its status is done. Poll the projection's URL."
    )


def _csv_response(request: Request, projection: Projection) -> Response:
    result = projection.result
    if projection.status != ProjectionStatus.DONE:
        raise _unfinished(projection)
    if not projection_results.has_figures(result):
        raise ProjectionConflict(
            (result or {}).get("message") or "This projection has no figures to export."
        )
    query = CsvTableSerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    table = query.validated_data["table"]
    columns, rows = CSV_TABLES[table]
    assessment = projection.assessment
    body = table_csv(columns, rows(result), currency=assessment.currency)
    name = f"{slugify(assessment.name) or 'assessment'}-projection-{projection.pk}-{table}"
    return Response(
        body,
        content_type=CONTENT_TYPES["csv"],
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _without_result() -> QuerySet[Projection]:
    return Projection.objects.select_related("assessment", "requested_by").defer("inputs", "result")


def _projection_with_result(request: Request, pk: Any) -> Projection:
    return get_for(
        request._request,
        Projection.objects.select_related("assessment"),
        via="assessment__organisation",
        pk=pk,
    )


STATUS_EXAMPLE = OpenApiExample(
    "A running projection",
    value={
        "id": 42,
        "url": "https://sourcewise.example/api/v1/projections/42/",
        "assessment": 7,
        "assessment_url": "https://sourcewise.example/api/v1/assessments/7/",
        "status": "running",
        "progress": 50,
        "message": "Running: 2 of 4 parts computed.",
        "trials": 10000,
        "seed": 0,
        "horizon_months": 60,
        "discount_rate": 0.08,
        "engine_version": "2026.1",
        "requested_by": "manager",
        "created_at": "2027-03-01T09:00:00Z",
        "started_at": "2027-03-01T09:00:01Z",
        "finished_at": None,
        "result_url": None,
        "result_csv_url": None,
    },
)
RESULT_EXAMPLE = OpenApiExample(
    "A finished projection",
    value={
        "id": 42,
        "assessment": 7,
        "currency": "GBP",
        "nothing_to_project": False,
        "message": "",
        "processes": 5,
        "headline": {
            "npv_p50": {"amount": "2841510.37", "currency": "GBP"},
            "npv_p10": {"amount": "1203944.10", "currency": "GBP"},
            "npv_p90": {"amount": "4410862.95", "currency": "GBP"},
            "npv_mean": {"amount": "2830117.46", "currency": "GBP"},
            "npv_at_modes": {"amount": "2950033.18", "currency": "GBP"},
            "prob_npv_negative": 0.021,
            "payback_month": 17,
            "trials": 10000,
            "seed": 0,
        },
        "waves": [
            {
                "wave": 1,
                "model": "ITO",
                "processes": 2,
                "npv_at_modes": {"amount": "1950033.18", "currency": "GBP"},
                "npv_p10": {"amount": "903944.10", "currency": "GBP"},
                "npv_p50": {"amount": "1841510.37", "currency": "GBP"},
                "npv_p90": {"amount": "2610862.95", "currency": "GBP"},
                "prob_npv_negative": 0.01,
                "payback_month": 9,
            }
        ],
    },
)
CONFLICT = OpenApiResponse(
    AssessmentsErrorResponseSerializer,
    description="The projection has not finished, failed, or has "
    "nothing to project; the detail says which.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List projections",
        description="Your organisation's savings projections, newest first; filter by "
        "assessment or status.",
    ),
    retrieve=extend_schema(
        summary="A projection's status",
        description="Status (queued, running, done, failed), progress 0 to 100 and a message "
        "in words. Poll this after starting a projection; once done, `result_url` and "
        "`result_csv_url` give the figures.",
        examples=[STATUS_EXAMPLE],
    ),
)
@extend_validation_errors(["invalid_choice"], field_name="table", actions=["result"])
class ProjectionViewSet(
    _ErrorsAsJson, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet
):
    serializer_class = ProjectionSerializer
    filterset_class = ProjectionFilter
    queryset = Projection.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Projection]:
        if getattr(self, "swagger_fake_view", False):
            return Projection.objects.none()
        return scoped(self.request._request, _without_result(), via="assessment__organisation")

    def get_object(self) -> Projection:
        return get_for(
            self.request._request,
            _without_result(),
            via="assessment__organisation",
            pk=self.kwargs["pk"],
        )

    @extend_schema(
        summary="A projection's result",
        description="The headline figures (NPV P10, P50 and P90, the mean, the NPV at the "
        "modes, the probability that NPV < 0, the payback month) and each wave's, as the "
        "projection page shows them. Money is rounded half-up to the cent. `?format=csv` "
        "(or `Accept: text/csv`, or the `result.csv` URL) gives the page's CSV export "
        "instead. 409 while the projection has not finished.",
        parameters=[
            CSV_TABLE_PARAMETER,
            OpenApiParameter(
                "format",
                str,
                enum=["json", "csv"],
                description="csv: the CSV export instead of JSON.",
            ),
        ],
        responses={
            (200, "application/json"): ProjectionResultSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            409: CONFLICT,
        },
        examples=[RESULT_EXAMPLE],
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, CsvRenderer])
    def result(self, request: Request, pk: str | None = None) -> Response:
        projection = _projection_with_result(request, pk)
        if request.accepted_renderer.format == "csv":
            return _csv_response(request, projection)
        if projection.status != ProjectionStatus.DONE:
            raise _unfinished(projection)
        return Response(ProjectionResultSerializer(result_figures(projection)).data)


# The CSV's `table` is checked by hand (one of CSV_TABLES): documented as a field error.
@extend_validation_errors(["invalid_choice"], field_name="table", methods=["get"])
class ProjectionResultCsvView(_ErrorsAsJson, ApiView):
    """``/api/v1/projections/{id}/result.csv``: the CSV whatever the Accept header says."""

    renderer_classes = [CsvRenderer]
    serializer_class = CsvTableSerializer  # its query, for the schema's error codes

    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[BaseRenderer, str]:
        return CsvRenderer(), CsvRenderer.media_type

    @extend_schema(
        operation_id="projections_result_csv",
        summary="A projection's result as CSV",
        description="The projection page's CSV export: one row per contract year "
        "(`?table=yearly`, the default) or per month (`?table=monthly`), money to the cent "
        "with the currency in each header.",
        parameters=[CSV_TABLE_PARAMETER],
        responses={(200, "text/csv"): OpenApiTypes.STR, 409: CONFLICT},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _csv_response(request, _projection_with_result(request, pk))
