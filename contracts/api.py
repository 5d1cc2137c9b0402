"""The measurements API: POST one month's actuals for a contract's SLAs.

    POST /contracts/api/measurements/
    {"contract": 12, "period": "2026-03",
     "measurements": [{"sla": "Availability", "actual": 99.7}, ...]}

Session (with CSRF) or HTTP basic authentication. The contract must belong to one of
the caller's organisations (404 otherwise) and the caller's role there must edit (403).
Everything is validated before anything is saved; the reply carries the month's credit.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from rest_framework import serializers, status
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from contracts import services
from contracts.access import get_contract_for_api
from contracts.models import MeasurementSource, ServiceCredit
from contracts.periods import parse_period, period_label, period_problem

MAX_ITEMS = 100


class MeasurementItemSerializer(serializers.Serializer):
    sla = serializers.CharField(max_length=100)
    actual = serializers.DecimalField(max_digits=14, decimal_places=4, min_value=0)


class MeasurementBatchSerializer(serializers.Serializer):
    contract = serializers.IntegerField(min_value=1)
    period = serializers.CharField(max_length=10)
    measurements = MeasurementItemSerializer(many=True, allow_empty=False,
                                             max_length=MAX_ITEMS)

    def validate_period(self, value: str):
        try:
            return parse_period(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


def _check_against(contract, data: dict[str, Any]) -> dict[str, Any]:
    """Errors for SLA names the contract lacks, repeats, and a month outside its term."""
    errors: dict[str, Any] = {}
    problem = period_problem(data["period"], start=contract.start_date, end=contract.end_date,
                             today=timezone.localdate())
    if problem:
        errors["period"] = [f"Unknown period: {problem}"]
    by_lower = {sla.name.lower(): sla for sla in contract.slas.all()}
    item_errors, seen, any_error = [], set(), False
    for item in data["measurements"]:
        name = item["sla"].strip().lower()
        if name not in by_lower:
            known = ", ".join(sla.name for sla in by_lower.values()) or "none yet"
            item_errors.append({"sla": [f"Unknown SLA {item['sla']!r}; this contract's SLAs: "
                                        f"{known}."]})
            any_error = True
        elif name in seen:
            item_errors.append({"sla": [f"{item['sla']!r} is given twice."]})
            any_error = True
        else:
            item_errors.append({})
        seen.add(name)
    if any_error:
        errors["measurements"] = item_errors
    return errors


@login_not_required
@api_view(["POST"])
@authentication_classes([BasicAuthentication, SessionAuthentication])
@permission_classes([IsAuthenticated])
def measurements_api(request: Request) -> Response:
    batch = MeasurementBatchSerializer(data=request.data)
    batch.is_valid(raise_exception=True)
    data = batch.validated_data
    contract = get_contract_for_api(request.user, data["contract"], write=True)
    errors = _check_against(contract, data)
    if errors:
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    by_lower = {sla.name.lower(): sla for sla in contract.slas.all()}
    actuals = {by_lower[item["sla"].strip().lower()].pk: item["actual"]
               for item in data["measurements"]}
    services.measurements_record(contract=contract, period=data["period"], actuals=actuals,
                                 user=request.user, source=MeasurementSource.API)
    credit = ServiceCredit.objects.get(contract=contract, period=data["period"])
    return Response({
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
    }, status=status.HTTP_201_CREATED)
