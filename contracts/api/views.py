"""The contracts API: contracts, their SLAs, measurements and credits (reads, and a month's
actuals posted), under /api/v1/contracts/. Reviews, issues, actions and realised savings
are in ``relationship.py``.

Every contract is read through ``contracts.access`` (another organisation's id is a 404;
a change needs an editing role, else 403) and every figure through the selectors the
pages use. The one write here, a month's measurements, goes through the service the
older endpoint uses (``measurements_record_by_name``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import organisation_of, require_edit
from accounts.api.views import ApiViewSet
from contracts.access import get_contract_for, get_credit_for, get_sla_for
from contracts.api.filters import ContractFilter, MeasurementFilter
from contracts.api.serializers import (
    ContractSerializer,
    CreditDetailSerializer,
    CreditMonthSerializer,
    MeasurementBatchSerializer,
    MeasurementResultSerializer,
    MeasurementSerializer,
    SlaDetailSerializer,
    SlaSerializer,
    with_currency,
)
from contracts.engine.periods import parse_period
from contracts.models import Contract, Measurement, MeasurementSource, ServiceCredit, Sla
from contracts.selectors.contracts import contract_list, credits_by_contract
from contracts.selectors.renewals import renewal_action
from contracts.selectors.slas import (
    credit_explanation,
    credit_rows,
    credit_totals,
    latest_computation,
    sla_summaries,
    sla_trend_frame,
)
from contracts.services.slas import (
    MeasurementError,
    MeasurementProblems,
    measurements_record_by_name,
)

# Any path segment: one that is not an id is a 404 in the API's format (object_id).
ID = "[^/]+"
CONTRACT = OpenApiParameter(
    "contract_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The contract's id."
)
ITEM = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The record's id."
)
PERIOD = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The month, YYYY-MM.",
    pattern=r"^\d{4}-\d{2}$",
)
# The largest id a database column holds: SQLite cannot even compare a larger number.
MAX_ID = 2**63 - 1
READ_NOTE = (
    "Every member of the organisation may read this; another organisation's contract is a 404."
)
WRITE_NOTE = (
    "Managers and admins only (a CIO, or a read-only token, gets 403), as on the "
    "contract's pages; nothing is saved unless everything is right."
)


def object_id(value: str) -> int:
    """An id from the path; anything no row can have (not digits, too large) is a 404."""
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        raise NotFound("No such object in your organisation.")
    return int(value)


def caller(request: Request) -> User:
    """The person calling (the permission class has turned anonymous callers away)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


class ContractChildViewSet(ApiViewSet):
    """An endpoint under /contracts/{contract_pk}/: the contract is read (and checked)
    once per request."""

    lookup_value_regex = ID
    _contract: Contract | None = None

    def contract(self, *, write: bool = False) -> Contract:
        if write:
            require_edit(self.request._request)  # even when the contract is read already
        if self._contract is None:
            self._contract = get_contract_for(
                self.request._request, object_id(self.kwargs["contract_pk"]), write=write
            )
        return self._contract

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def fake(self) -> bool:
        """True while drf-spectacular inspects the view (no request to scope by)."""
        return getattr(self, "swagger_fake_view", False)


# ---------------------------------------------------------------- contracts


def _contract_context(contracts: list[Contract], today: dt.date) -> dict[str, Any]:
    return {
        "credits": credits_by_contract(contracts),
        "renewals": {c.pk: renewal_action(c, today) for c in contracts if c.is_live},
    }


@extend_schema_view(
    list=extend_schema(
        summary="List contracts",
        description="Your organisation's contracts, as the contracts page lists them (by "
        "status, then end date), each with its terms and its credits added up: "
        "gross (after the cap, before earn-back), earned back and net. " + READ_NOTE,
    ),
    retrieve=extend_schema(
        summary="A contract's terms",
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The contract's id."
            )
        ],
        description="The contract's terms, covered processes, credits added up and, while "
        "it is live, what its renewal calls for today. " + READ_NOTE,
    ),
)
class ContractViewSet(ApiViewSet):
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    lookup_value_regex = ID
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[Contract]:
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        return contract_list(
            organisation_of(self.request._request), today=timezone.localdate()
        ).prefetch_related("processes")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        contracts = list(page if page is not None else [])
        context = {
            **self.get_serializer_context(),
            **_contract_context(contracts, timezone.localdate()),
        }
        return self.get_paginated_response(
            ContractSerializer(contracts, many=True, context=context).data
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        contract = get_contract_for(request._request, object_id(pk))
        rows, today = credit_rows(contract), timezone.localdate()
        context = {
            **self.get_serializer_context(),
            # As the list: a contract with nothing measured has no credits (null).
            "credits": {contract.pk: credit_totals(rows)} if rows else {},
            "renewals": (
                {contract.pk: renewal_action(contract, today)} if contract.is_live else {}
            ),
        }
        return Response(ContractSerializer(contract, context=context).data)


# ---------------------------------------------------------------- SLAs


@extend_schema_view(
    list=extend_schema(
        summary="List a contract's SLAs",
        parameters=[CONTRACT],
        description="Each SLA with its latest measured month and its attainment over the "
        "last 12 months, as on the contract page. " + READ_NOTE,
    ),
    retrieve=extend_schema(
        summary="An SLA and its trend",
        parameters=[CONTRACT, ITEM],
        description="The SLA, and every measured month: actual against target, breach and "
        "the credit billed (as the SLA page shows it). " + READ_NOTE,
    ),
)
class SlaViewSet(ContractChildViewSet):
    serializer_class = SlaSerializer
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[Sla]:
        return Sla.objects.none() if self.fake() else self.contract().slas.all()

    def list(self, request: Request, contract_pk: str) -> Response:
        contract = self.contract()
        summaries = sla_summaries(
            list(contract.slas.all()), latest_computation(contract), timezone.localdate()
        )
        page = self.paginate_queryset(cast(Any, summaries))  # a list pages too
        return self.get_paginated_response(SlaSerializer(page, many=True).data)

    def retrieve(self, request: Request, contract_pk: str, pk: str) -> Response:
        contract = self.contract()
        sla = get_sla_for(request._request, contract, object_id(pk))
        summary = sla_summaries([sla], latest_computation(contract), timezone.localdate())[0]
        trend = with_currency(sla_trend_frame(sla).to_dict("records"), contract.currency)
        return Response(SlaDetailSerializer(summary, context={"trend": trend}).data)


# ---------------------------------------------------------------- measurements

MEASUREMENTS_EXAMPLE = OpenApiExample(
    "A month's actuals",
    request_only=True,
    value={
        "period": "2026-03",
        "measurements": [
            {"sla": "Availability", "actual": "99.7"},
            {"sla": "Response hours", "actual": "3.5"},
        ],
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="List a contract's measurements",
        parameters=[CONTRACT],
        description="Every recorded actual, by month then SLA, with where it came from "
        "(form, file import or API). " + READ_NOTE,
    ),
    create=extend_schema(
        summary="Record a month's actuals",
        parameters=[CONTRACT],
        request=MeasurementBatchSerializer,
        responses={201: MeasurementResultSerializer},
        examples=[MEASUREMENTS_EXAMPLE],
        description="One month's actuals, SLAs named as on the contract (any case). An SLA "
        "left out keeps what it had; a month recorded again is corrected. The "
        "month must lie in the contract's term and not be to come; every "
        "problem is named at once (an unknown SLA by its position in "
        "`measurements`) and nothing is saved. The credits are recomputed and the "
        "reply carries the month's credit with its working. The same service as "
        "the older `POST /contracts/api/measurements/`. " + WRITE_NOTE,
    ),
)
class MeasurementViewSet(ContractChildViewSet):
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Measurement]:
        if self.fake():
            return Measurement.objects.none()
        return (
            Measurement.objects.filter(sla__contract=self.contract())
            .select_related("sla", "recorded_by")
            .order_by("period", "sla__position", "sla_id")
        )

    def list(self, request: Request, contract_pk: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(MeasurementSerializer(page, many=True).data)

    def create(self, request: Request, contract_pk: str) -> Response:
        contract = self.contract(write=True)
        batch = MeasurementBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        period = batch.validated_data["period"]
        actuals = [(item["sla"], item["actual"]) for item in batch.validated_data["measurements"]]
        with transaction.atomic():
            try:
                measurements_record_by_name(
                    contract=contract,
                    period=period,
                    actuals=actuals,
                    user=caller(request),
                    source=MeasurementSource.API,
                )
            except MeasurementProblems as refusal:
                raise ValidationError(refusal.problems) from None
            except MeasurementError as refusal:
                raise ValidationError({"non_field_errors": [str(refusal)]}) from None
            credit = get_credit_for(request._request, contract, period=period)
        credit.contract = contract
        context = {"explanation": credit_explanation(credit)}
        return Response(
            MeasurementResultSerializer(
                {"recorded": len(actuals), "credit": credit}, context=context
            ).data,
            status=status.HTTP_201_CREATED,
        )


# ---------------------------------------------------------------- credits


@extend_schema_view(
    list=extend_schema(
        summary="List a contract's monthly credits",
        parameters=[CONTRACT],
        description="Each measured month's credit from the latest computation: gross (after "
        "the cap, before earn-back), earned back and net, with the SLAs measured, "
        "breached and critically breached. " + READ_NOTE,
    ),
    retrieve=extend_schema(
        summary="One month's credit and its working",
        parameters=[CONTRACT, PERIOD],
        description="What the credit page shows: the fee, the at-risk pool and cap, and per "
        "SLA its target, minimum, actual, result, share, credit before and after "
        "the cap, earn-back and the next three months, all read from the stored "
        "computation (nothing is recomputed). " + READ_NOTE,
    ),
)
class CreditViewSet(ContractChildViewSet):
    serializer_class = CreditMonthSerializer
    lookup_field = "period"
    # Any segment: a month that cannot be (2025-13, abc) is a 404 in the API's format.
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[ServiceCredit]:
        if self.fake():
            return ServiceCredit.objects.none()
        return ServiceCredit.objects.for_contract(self.contract())

    def list(self, request: Request, contract_pk: str) -> Response:
        contract = self.contract()
        rows = credit_rows(contract)
        for row in rows:
            row.contract = contract
        page = self.paginate_queryset(cast(Any, rows))  # a list pages too
        return self.get_paginated_response(CreditMonthSerializer(page, many=True).data)

    def retrieve(self, request: Request, contract_pk: str, period: str) -> Response:
        contract = self.contract()
        try:
            month = parse_period(period)
        except ValueError:
            month = None
        credit: ServiceCredit = get_credit_for(request._request, contract, period=month)
        credit.contract = contract
        return Response(
            CreditDetailSerializer(credit, context={"explanation": credit_explanation(credit)}).data
        )
