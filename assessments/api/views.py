"""The assessments API: assessments, inventory imports, submit and reopen, recommendations
with their reasons, the roadmap, starting a projection (processes and their answers are in
``processes.py``, projections in ``projections.py``).

The same access rules, forms and services as the wizard and results pages: objects are
looked up through ``assessments.access`` (another organisation's id is a 404), members
read, managers and admins change, and a submitted assessment's inventory and answers
are locked until it is reopened (409, saying so).
"""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import get_for, organisation_of, scoped
from accounts.api.views import ApiViewSet
from accounts.parsers import BoundedJSONParser
from assessments.access import get_assessment_for
from assessments.api import serializers as s
from assessments.api.filters import AssessmentFilter, RecommendationFilter
from assessments.api.projections import (
    MayStartProjection,
    ProjectionQuotaExceeded,
    ProjectionSerializer,
    ProjectionStartSerializer,
)
from assessments.engine.inventory import TEMPLATE_HEADER, InventoryError
from assessments.forms.wizard import InventoryUploadForm
from assessments.models import Assessment, Recommendation
from assessments.projections import services as projections
from assessments.selectors import recommendations as selectors
from assessments.services import assessments as services

ASSESSMENT_ID = OpenApiParameter(
    "assessment_pk", int, OpenApiParameter.PATH, description="The assessment's id."
)
CONFLICT = OpenApiResponse(
    s.AssessmentsErrorResponseSerializer,
    description="The assessment was submitted: reopen it first.",
)
QUOTA = OpenApiResponse(
    s.AssessmentsErrorResponseSerializer,
    description="Too many projections queued or running; nothing saved.",
)


class AssessmentLocked(APIException):
    status_code = 409
    default_code = "assessment_submitted"
    default_detail = (
        "This assessment was submitted, so its inventory and answers are locked. "
        "Reopen it (POST to its reopen/ URL) to change it, then submit it again."
    )


def django_request(request: Request) -> Any:
    return request._request  # the Django request, which accounts.access reads


def acting_user(request: Request) -> User:
    """The person the request acts as: OrganisationMember let only a member through."""
    return cast(User, request.user)


def editable_assessment(request: Request, pk: Any) -> Assessment:
    """The assessment, for a change to its inventory or answers: a draft only (the page's
    rule), else 409."""
    assessment = get_assessment_for(django_request(request), pk, write=True)
    if not assessment.is_draft:
        raise AssessmentLocked()
    return assessment


def _words(error_list: Any) -> list[str]:
    return [str(message) for message in error_list]


def form_errors(form: Any) -> ValidationError:
    return ValidationError(
        {
            ("non_field_errors" if name == "__all__" else name): _words(errors)
            for name, errors in form.errors.items()
        }
    )


ASSESSMENT_EXAMPLE = OpenApiExample(
    "A new assessment",
    request_only=True,
    value={
        "name": "Back-office review 2027",
        "objectives": ["cost_reduction", "access_to_skills"],
        "home_country": "United Kingdom",
        "customer_languages": ["English"],
        "currency": "GBP",
        "horizon_months": 60,
        "discount_rate": "0.08",
    },
)
IMPORT_EXAMPLE = OpenApiExample(
    "Two processes as JSON",
    request_only=True,
    media_type="application/json",
    value={
        "replace": False,
        "processes": [
            {
                "name": "Payroll processing",
                "business_function": "HR",
                "annual_cost": "450000",
                "fte": "5",
                "strategic_importance": 1,
                "standardisation": 5,
                "volume": 5,
                "knowledge_intensity": 2,
                "technology_intensity": 2,
                "data_sensitivity": 4,
                "customer_contact": 1,
                "onsite_need": 1,
                "capability_gap": 3,
                "demand_variability": 2,
                "interdependence": 2,
            },
            {
                "name": "Market research",
                "business_function": "marketing",
                "annual_cost": "180000.00",
            },
        ],
    },
)
START_EXAMPLE = OpenApiExample(
    "10,000 trials over five years",
    request_only=True,
    value={"trials": 10000, "seed": 0, "horizon_months": 60, "discount_rate": "0.08"},
)


@extend_schema_view(
    list=extend_schema(
        summary="List assessments",
        description="Your organisation's assessments, most recently changed "
        "first; filter by status, search by name.",
    ),
    retrieve=extend_schema(
        summary="An assessment",
        description="Its context, counts, roadmap warnings and links.",
        responses=s.AssessmentDetailSerializer,
    ),
    create=extend_schema(
        summary="Create a draft assessment",
        description="The wizard's first step. Then add processes (one by one "
        "or as an import), answer the questionnaire and submit.",
        request=s.AssessmentCreateSerializer,
        responses={201: s.AssessmentDetailSerializer},
        examples=[ASSESSMENT_EXAMPLE],
    ),
)
class AssessmentViewSet(ApiViewSet):
    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilter
    queryset = Assessment.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        # Counting groups the rows, which drops the model's ordering: say it again.
        return scoped(
            django_request(self.request),
            Assessment.objects.with_counts().select_related("owner").order_by("-updated_at", "-pk"),
        )

    def get_object(self) -> Assessment:
        return get_for(django_request(self.request), self.get_queryset(), pk=self.kwargs["pk"])

    def _detail(self, pk: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
        assessment = get_for(django_request(self.request), self.get_queryset(), pk=pk)
        data = s.AssessmentDetailSerializer(assessment, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(pk)

    def create(self, request: Request) -> Response:
        body = s.AssessmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation = organisation_of(django_request(request))
        data = {
            "home_country": organisation.home_country,
            "currency": organisation.currency,
            **body.validated_data,
        }
        assessment = services.assessment_create(
            organisation=organisation, owner=acting_user(request), data=data
        )
        response = self._detail(assessment.pk, status_code=status.HTTP_201_CREATED)
        response["Location"] = response.data["url"]
        return response

    @extend_schema(
        summary="Submit an assessment",
        description="Scores every process, builds the roadmap and starts a savings "
        "projection, as the review page's Submit button. 400 with the reasons "
        "when a process still has unanswered questions; 409 when already "
        "submitted.",
        request=None,
        responses={200: s.AssessmentDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        assessment = editable_assessment(request, pk)
        try:
            services.assessment_submit(assessment=assessment, user=acting_user(request))
        except services.SubmitError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from None
        return self._detail(pk)

    @extend_schema(
        summary="Reopen an assessment",
        description="Back to draft so the inventory and answers can change; the "
        "recommendations stay until it is submitted again.",
        request=None,
        responses=s.AssessmentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        assessment = get_assessment_for(django_request(request), int(pk), write=True)
        services.assessment_reopen(assessment=assessment)
        return self._detail(pk)

    @extend_schema(
        summary="Import processes",
        description="Adds processes to a draft's inventory, all or none, with the wizard's "
        "import: a CSV or XLSX file (multipart, field `file`) in the template's format, or a "
        "JSON list of processes whose keys are the file's columns. Every problem is listed "
        "(`attr` names the row or the item); nothing is saved when there is one. With "
        "`replace` the import replaces the inventory. 409 when submitted.",
        request={
            "multipart/form-data": s.InventoryUploadSerializer,
            "application/json": s.InventoryListSerializer,
        },
        responses={201: s.InventoryImportResultSerializer, 409: CONFLICT},
        examples=[IMPORT_EXAMPLE],
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, BoundedJSONParser])
    def inventory(self, request: Request, pk: str) -> Response:
        assessment = editable_assessment(request, pk)
        if request.content_type.startswith("multipart/"):
            content, filename, replace, attr = _uploaded(request)
        else:
            body = s.InventoryListSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            content, filename = _as_inventory_csv(body.validated_data["processes"]), "api.csv"
            replace, attr = body.validated_data["replace"], None
        report = services.inventory_import(
            assessment=assessment, data=content, filename=filename, replace=replace
        )
        if not report.ok:
            raise _import_errors(report.errors, attr)
        return Response(
            {
                "imported": report.imported,
                "process_count": assessment.processes.count(),
                "processes": self.request.build_absolute_uri(
                    reverse("assessment-process-list", kwargs={"assessment_pk": assessment.pk})
                ),
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="The roadmap",
        description="The waves (ITO first, then BPO, then KPO) with their start and "
        "end months and payback, and each process's wave, start and go-live "
        "month, as the roadmap page shows them. Month 0 is the first month.",
        responses=s.RoadmapSerializer,
    )
    @action(detail=True, methods=["get"])
    def roadmap(self, request: Request, pk: str) -> Response:
        assessment = get_assessment_for(django_request(request), int(pk))
        rows = selectors.recommendation_rows(
            selectors.recommendations_for(assessment), reasons=False, answers=False
        )
        roadmap = selectors.roadmap_frame(rows)
        currency = assessment.currency
        waves = selectors.wave_summary(
            roadmap,
            horizon=assessment.horizon_months,
            discount_rate=float(assessment.discount_rate),
        )
        return Response(
            s.RoadmapSerializer(
                {
                    "horizon_months": assessment.horizon_months,
                    "waves": [
                        SimpleNamespace(**wave._asdict(), currency=currency) for wave in waves
                    ],
                    "scheduled": _entries(selectors.records(roadmap), currency),
                    "unscheduled": _entries(selectors.records(rows[rows["wave"].isna()]), currency),
                    "warnings": list(assessment.roadmap_warnings or []),
                }
            ).data
        )

    @extend_schema(
        summary="Start a savings projection",
        description="Queues a Monte Carlo projection of the assessment's roadmap and answers "
        "at once (202) with the projection, whose URL (also in `Location`) shows its "
        "progress. Managers, admins and CIOs may start one, as on the pages; 429 when you "
        "or your organisation already have the most projections queued or running.",
        request=ProjectionStartSerializer,
        responses={202: ProjectionSerializer, 429: QUOTA},
        examples=[START_EXAMPLE],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="projections",
        permission_classes=[MayStartProjection],
    )
    def start_projection(self, request: Request, pk: str) -> Response:
        assessment = get_assessment_for(django_request(request), int(pk))
        body = ProjectionStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        settings = dict(body.validated_data)
        if "discount_rate" in settings:
            settings["discount_rate"] = float(settings["discount_rate"])
        try:
            projection = projections.projection_request(
                assessment=assessment, user=acting_user(request), quota=True, **settings
            )
        except projections.ProjectionQuotaError as refusal:
            raise ProjectionQuotaExceeded(str(refusal)) from None
        except projections.ProjectionError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from None
        projection.refresh_from_db()  # the hand-off (on commit) may have moved it on
        data = ProjectionSerializer(projection, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


def _uploaded(request: Request) -> tuple[bytes, str, bool, str]:
    body = s.InventoryUploadSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    upload = body.validated_data["file"]
    form = InventoryUploadForm(
        data={"replace": body.validated_data["replace"]}, files=MultiValueDict({"file": [upload]})
    )
    if not form.is_valid():  # the page's checks: a .csv or .xlsx name, at most 5 MB
        raise form_errors(form)
    return upload.read(), upload.name, form.cleaned_data["replace"], "file"


def _as_inventory_csv(processes: list[dict[str, Any]]) -> bytes:
    """The JSON processes written as the import file, so that the one reader checks them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    for process in processes:
        writer.writerow(
            [
                "" if process.get(column) is None else str(process[column])
                for column in TEMPLATE_HEADER
            ]
        )
    return out.getvalue().encode("utf-8")


def _import_errors(errors: list[InventoryError], attr: str | None) -> ValidationError:
    """Each problem of the import; for JSON, ``processes.<index>.<key>`` says where."""
    found: dict[str, list[str]] = {}
    for error in errors:
        if attr is not None:
            found.setdefault(attr, []).append(str(error))
        elif error.row is not None and error.row > 1:
            where = f"processes.{error.row - 2}" + (f".{error.column}" if error.column else "")
            found.setdefault(where, []).append(error.message)
        else:
            found.setdefault("processes", []).append(error.message)
    return ValidationError(found)


def _entries(records: list[dict[str, Any]], currency: str) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            process_id=row["process_id"],
            name=row["name"],
            model=row["chosen_model"],
            location=row["chosen_location"] or "",
            annual_cost=row["annual_cost"],
            wave=row["wave"],
            start_month=row["start_month"],
            go_live_month=row["go_live_month"],
            currency=currency,
        )
        for row in records
    ]


# Recommendations -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="An assessment's recommendations",
        description="One per scored process, in inventory order (or `sort`): the decided model "
        "and location (a manager's override counts, the engine's answer beside it), confidence, "
        "scores, the reasons in the sentences the results page shows, risk flags, wave and "
        "start month. Filter by model, location, wave, business function, risk flag, or "
        "words (`q`). Empty for a draft that was never submitted.",
        parameters=[ASSESSMENT_ID],
    )
)
class RecommendationViewSet(ApiViewSet):
    serializer_class = s.RecommendationSerializer
    filterset_class = RecommendationFilter
    queryset = Recommendation.objects.none()

    def get_queryset(self) -> QuerySet[Recommendation]:
        if getattr(self, "swagger_fake_view", False):
            return Recommendation.objects.none()
        assessment = get_assessment_for(django_request(self.request), self.kwargs["assessment_pk"])
        return selectors.recommendations_for(assessment).select_related(
            "process__assessment", "overridden_by"
        )

    def list(self, request: Request, assessment_pk: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
