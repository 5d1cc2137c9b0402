"""The measurements API: POST one month's actuals for a contract's SLAs.

    POST /contracts/api/measurements/
    {"contract": 12, "period": "2026-03",
     "measurements": [{"sla": "Availability", "actual": 99.7}, ...]}

An API token (``Authorization: Token sw_…``) or a browser session (with CSRF); a
password (HTTP basic authentication) is no longer accepted. The contract must belong to
the token's organisation, or with a session to one of the caller's organisations (404
otherwise), and the caller's role there must edit (403), with a token that may write.
Everything is validated before anything is saved (the shape here; the period and the SLA
names by the service, which names every problem); the reply carries the month's credit.

Deprecated: its successor is ``POST /api/v1/contracts/{id}/measurements/`` (an API token,
the same service, money as a decimal string with its currency). Every reply here, errors
included, says so in two headers (``Deprecation`` as the IETF draft first wrote it, and a
link of relation ``successor-version``, RFC 5829):

    Deprecation: true
    Link: </api/v1/contracts/12/measurements/>; rel="successor-version"

The link names the contract's own measurements endpoint when the reply is about one
contract (a 201), and the list of contracts, ``</api/v1/contracts/>``, otherwise. The
endpoint itself works exactly as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.authentication import OrganisationTokenAuthentication, token_of
from accounts.api.permissions import READ_ONLY_TOKEN
from contracts.access import get_contract_for_api
from contracts.engine.periods import parse_period, period_label
from contracts.models import MeasurementSource, ServiceCredit
from contracts.services.slas import (
    MeasurementError,
    MeasurementProblems,
    measurements_record_by_name,
)

MAX_ITEMS = 100


class MeasurementItemSerializer(serializers.Serializer):
    sla = serializers.CharField(max_length=100)
    actual = serializers.DecimalField(max_digits=14, decimal_places=4, min_value=0)


class MeasurementBatchSerializer(serializers.Serializer):
    contract = serializers.IntegerField(min_value=1)
    period = serializers.CharField(max_length=10)
    # What many=True builds, spelled out (the stubs know max_length only here).
    measurements: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=MeasurementItemSerializer(), allow_empty=False, max_length=MAX_ITEMS
    )

    def validate_period(self, value: str) -> dt.date:
        try:
            return parse_period(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


def deprecated(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Mark every reply of ``view`` deprecated, pointing at its successor under /api/v1/.

    A link the view set already (the contract's own endpoint) is kept. ``wraps`` carries
    the view's markers (``csrf_exempt``, ``login_required``) over to the wrapper.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Deprecation"] = "true"
        if not response.has_header("Link"):
            response["Link"] = successor_link(reverse("api-contract-list"))
        return response

    return wrapped


def successor_link(path: str) -> str:
    return f'<{path}>; rel="successor-version"'


@login_not_required
@deprecated
@api_view(["POST"])
@authentication_classes([OrganisationTokenAuthentication, SessionAuthentication])
@permission_classes([IsAuthenticated])
def measurements_api(request: Request) -> Response:
    batch = MeasurementBatchSerializer(data=request.data)
    batch.is_valid(raise_exception=True)
    data = batch.validated_data
    user = request.user
    if not user.is_authenticated:  # IsAuthenticated has turned anonymous callers away
        raise NotAuthenticated()
    token = token_of(request)
    if token is not None and token.read_only:
        raise PermissionDenied(READ_ONLY_TOKEN)
    contract = get_contract_for_api(
        user,
        data["contract"],
        write=True,
        organisation_id=None if token is None else token.organisation_id,
    )
    actuals = [(item["sla"], item["actual"]) for item in data["measurements"]]
    try:
        measurements_record_by_name(
            contract=contract,
            period=data["period"],
            actuals=actuals,
            user=user,
            source=MeasurementSource.API,
        )
    except MeasurementProblems as refusal:
        return Response(refusal.problems, status=status.HTTP_400_BAD_REQUEST)
    except MeasurementError as refusal:
        return Response({"detail": str(refusal)}, status=status.HTTP_400_BAD_REQUEST)
    credit = ServiceCredit.objects.get(contract=contract, period=data["period"])
    return Response(
        {
            "contract": contract.pk,
            "period": f"{data['period']:%Y-%m}",
            "recorded": len(actuals),
            "month": period_label(data["period"]),
            "currency": contract.currency,
            "breaches": credit.result["breach"],
            "credits": credit.result["credits"],
            # credit_total is gross (before earn-back), as it always was; the net figure is
            # beside it. Earn-back of this month is only known three months later.
            "credit_total": f"{credit.total:.2f}",
            "credit_net": f"{credit.net_total:.2f}",
        },
        status=status.HTTP_201_CREATED,
        headers={
            "Link": successor_link(
                reverse("api-contract-measurement-list", kwargs={"contract_pk": contract.pk})
            )
        },
    )
