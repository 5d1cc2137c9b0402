"""The contracts API's relationship endpoints: governance reviews, issues, improvement
actions and realised savings of one contract, under /api/v1/contracts/{contract_pk}/.

A write is checked for shape here, then by the very form the page uses (its rules and
messages: the next review after this one, an issue's due date after it was raised, a
closed issue says how it was resolved, an owner who is a member, a month in the term), and
saved by the page's service. As on the page, a new issue's owner and a new action's owner
default to the caller, and an issue is raised (a review held) today unless a day is given.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, ClassVar, cast

from django import forms
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.errors import form_checked, form_errors
from contracts import services
from contracts.access import get_action_for, get_issue_for, get_review_for
from contracts.api.filters import ActionFilter, IssueFilter
from contracts.api.serializers import (
    GovernanceReviewSerializer,
    ImprovementActionSerializer,
    IssueSerializer,
    SavingsComparisonSerializer,
    SavingSerializer,
    SavingWriteSerializer,
)
from contracts.api.views import (
    CONTRACT,
    ITEM,
    READ_NOTE,
    WRITE_NOTE,
    ContractChildViewSet,
    caller,
    object_id,
)
from contracts.forms import ActionForm, IssueForm, ReviewForm, SavingForm
from contracts.models import Contract, GovernanceReview, ImprovementAction, Issue, RealisedSaving
from contracts.selectors.savings import covered_processes, savings_summary


def _bound(serializer: serializers.Serializer, base: dict[str, Any]) -> dict[str, Any]:
    """The form's data: ``base`` (the stored values, or a new one's defaults) with the
    fields the body gave, by the form's names."""
    data = dict(base)
    given = serializer.validated_data
    for name, field in serializer.fields.items():
        if not field.read_only and field.source in given:
            data[name] = given[field.source]
    return data


class RelationshipViewSet(ContractChildViewSet):
    """List, read, create (POST) and change (PATCH) one kind of record of a contract."""

    model: ClassVar[type[models.Model]]
    form_class: ClassVar[type[forms.ModelForm]]
    getter: ClassVar[Callable[..., Any]]
    related: ClassVar[tuple[str, ...]] = ()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        if self.fake():
            return self.model._default_manager.none()
        return self.model._default_manager.filter(contract=self.contract()).select_related(
            *self.related
        )

    def form(self, contract: Contract, data: dict[str, Any], item: Any) -> forms.ModelForm:
        return self.form_class(data, instance=item)

    def defaults(self) -> dict[str, Any]:
        """What the page's form starts with for a new record."""
        return {}

    def save(self, contract: Contract, data: dict[str, Any], item: Any) -> Any:
        raise NotImplementedError

    def list(self, request: Request, contract_pk: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, contract_pk: str, pk: str) -> Response:
        item = type(self).getter(request._request, self.contract(), object_id(pk))
        return Response(self.get_serializer(item).data)

    def create(self, request: Request, contract_pk: str) -> Response:
        return self._write(request, None)

    def partial_update(self, request: Request, contract_pk: str, pk: str) -> Response:
        return self._write(request, object_id(pk))

    def _write(self, request: Request, pk: int | None) -> Response:
        contract = self.contract(write=True)
        item = None if pk is None else type(self).getter(request._request, contract, pk, write=True)
        serializer = cast(
            serializers.Serializer,
            self.get_serializer(item, data=request.data, partial=item is not None),
        )
        serializer.is_valid(raise_exception=True)
        fields = list(self.form_class._meta.fields or ())
        if item is None:
            base = {
                **model_to_dict(self.model(contract=contract), fields=fields),
                **self.defaults(),
            }
        else:
            base = model_to_dict(item, fields=fields)
        form = self.form(contract, _bound(serializer, base), item)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        with transaction.atomic():
            saved = self.save(contract, form.cleaned_data, item)
        return Response(
            self.get_serializer(saved).data,
            status=status.HTTP_201_CREATED if item is None else status.HTTP_200_OK,
        )


def _crud(
    noun: str, plural: str, about: str, example: dict[str, Any], change: dict[str, Any]
) -> Any:
    return extend_schema_view(
        list=extend_schema(
            summary=f"List a contract's {plural}",
            parameters=[CONTRACT],
            description=f"{about} {READ_NOTE}",
        ),
        retrieve=extend_schema(
            summary=f"Read {noun}", parameters=[CONTRACT, ITEM], description=READ_NOTE
        ),
        create=extend_schema(
            summary=f"Record {noun}",
            parameters=[CONTRACT],
            examples=[OpenApiExample(f"New {noun}", value=example, request_only=True)],
            description=f"Checked by the page's form, saved by its service. {WRITE_NOTE}",
        ),
        partial_update=extend_schema(
            summary=f"Change {noun}",
            parameters=[CONTRACT, ITEM],
            examples=[OpenApiExample("A change", value=change, request_only=True)],
            description=f"Only the fields given change; the result is checked as a whole by "
            f"the page's form. {WRITE_NOTE}",
        ),
    )


@_crud(
    "a governance review",
    "governance reviews",
    "Newest first, with each review's four ratings and their mean.",
    {
        "held_on": "2026-03-10",
        "level": "operational",
        "attendees": "Maya, vendor lead",
        "rating_delivery": 4,
        "rating_communication": 3,
        "rating_responsiveness": 4,
        "rating_innovation": 2,
        "notes": "",
        "decisions": "Monthly report by the 5th.",
        "next_review_on": "2026-04-10",
    },
    {"rating_innovation": 3},
)
@form_checked(ReviewForm, actions=["create", "partial_update"])
class ReviewViewSet(RelationshipViewSet):
    serializer_class = GovernanceReviewSerializer
    model = GovernanceReview
    form_class = ReviewForm
    getter = get_review_for
    related = ("recorded_by",)

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().order_by("-held_on", "-pk")

    def defaults(self) -> dict[str, Any]:
        return {"held_on": timezone.localdate()}

    def save(self, contract: Contract, data: dict[str, Any], item: Any) -> Any:
        return services.review_save(
            contract=contract, data=data, user=caller(self.request), review=item
        )


@_crud(
    "an issue",
    "issues",
    "Soonest due first, each marked overdue when open past its due "
    "date; filter by status and severity.",
    {
        "title": "Monthly report late",
        "description": "",
        "severity": "high",
        "status": "open",
        "owner": 12,
        "raised_on": "2026-03-02",
        "due_on": "2026-03-31",
        "escalation_level": 1,
        "resolution": "",
        "resolved_on": None,
    },
    {"status": "resolved", "resolution": "Report automated."},
)
@form_checked(IssueForm, actions=["create", "partial_update"])
class IssueViewSet(RelationshipViewSet):
    serializer_class = IssueSerializer
    filterset_class = IssueFilter
    model = Issue
    form_class = IssueForm
    getter = get_issue_for
    related = ("owner",)

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().order_by("due_on", "pk")

    def form(self, contract: Contract, data: dict[str, Any], item: Any) -> forms.ModelForm:
        return IssueForm(data, instance=item, organisation=contract.organisation)

    def defaults(self) -> dict[str, Any]:
        return {"raised_on": timezone.localdate(), "owner": caller(self.request).pk}

    def save(self, contract: Contract, data: dict[str, Any], item: Any) -> Any:
        return services.issue_save(
            contract=contract, data=data, issue=item, today=timezone.localdate()
        )


@_crud(
    "an improvement action",
    "improvement actions",
    "Soonest due first, each marked overdue when proposed or in progress past its due "
    "date; filter by status.",
    {
        "description": "Self-service password resets",
        "owner": 12,
        "due_on": "2026-06-30",
        "expected_benefit": "5 % fewer tickets",
        "status": "in_progress",
    },
    {"status": "done"},
)
@form_checked(ActionForm, actions=["create", "partial_update"])
class ActionViewSet(RelationshipViewSet):
    serializer_class = ImprovementActionSerializer
    filterset_class = ActionFilter
    model = ImprovementAction
    form_class = ActionForm
    getter = get_action_for
    related = ("owner",)

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().order_by("due_on", "pk")

    def form(self, contract: Contract, data: dict[str, Any], item: Any) -> forms.ModelForm:
        return ActionForm(data, instance=item, organisation=contract.organisation)

    def defaults(self) -> dict[str, Any]:
        return {"owner": caller(self.request).pk}

    def save(self, contract: Contract, data: dict[str, Any], item: Any) -> Any:
        return services.action_save(contract=contract, data=data, action=item)


# ---------------------------------------------------------------- realised savings


@extend_schema_view(
    list=extend_schema(
        summary="List a contract's actual costs",
        parameters=[CONTRACT],
        description="What each recorded month of the service actually cost (vendor and "
        "governance), by month. " + READ_NOTE,
    ),
    create=extend_schema(
        summary="Record a month's actual cost",
        parameters=[CONTRACT],
        request=SavingWriteSerializer,
        responses={201: SavingSerializer, 200: SavingSerializer},
        examples=[
            OpenApiExample(
                "March's costs",
                request_only=True,
                value={
                    "period": "2026-03",
                    "vendor_cost": "81250.00",
                    "governance_cost": "6400.00",
                    "notes": "Includes the quarterly true-up.",
                },
            )
        ],
        description="Checked by the page's form (a month in the contract's term and not to "
        "come; costs not negative) and saved by its service: 201 for a new month, "
        "200 when the month is recorded again (corrected). " + WRITE_NOTE,
    ),
    comparison=extend_schema(
        summary="Realised savings against the plan",
        parameters=[CONTRACT],
        responses=SavingsComparisonSerializer,
        description="The contract page's comparison (`contracts.selectors.savings`): per "
        "recorded month the baseline, the realised saving and the projected P10 "
        "and P50 of the covered processes, with the totals over the months both "
        "exist, the variance, the plan status and the ITO 'no financial "
        "difference' flag. The projection is read as stored; while it is being "
        "prepared `projection.preparing` is true. " + READ_NOTE,
    ),
)
@form_checked(SavingForm, actions=["create"])
class SavingViewSet(ContractChildViewSet):
    serializer_class = SavingSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[RealisedSaving]:
        if self.fake():
            return RealisedSaving.objects.none()
        return (
            RealisedSaving.objects.filter(contract=self.contract())
            .select_related("contract", "recorded_by")
            .order_by("period")
        )

    def list(self, request: Request, contract_pk: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SavingSerializer(page, many=True).data)

    def create(self, request: Request, contract_pk: str) -> Response:
        contract = self.contract(write=True)
        body = SavingWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {"governance_cost": Decimal("0"), "notes": "", **body.validated_data}
        form = SavingForm(data, contract=contract, today=timezone.localdate())
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        period = form.cleaned_data["period"]
        with transaction.atomic():
            existed = RealisedSaving.objects.filter(contract=contract, period=period).exists()
            saving = services.saving_record(
                contract=contract, period=period, data=form.cleaned_data, user=caller(request)
            )
        return Response(
            SavingSerializer(saving).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def comparison(self, request: Request, contract_pk: str) -> Response:
        contract = self.contract()
        summary = savings_summary(contract, covered_processes(contract), timezone.localdate())
        return Response(
            SavingsComparisonSerializer(
                SimpleNamespace(**vars(summary), currency=contract.currency)
            ).data
        )
