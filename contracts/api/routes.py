"""The contracts API's endpoints, mounted under /api/v1/ by outsourcing/api/urls.py.

A contract's SLAs, measurements, credits, reviews, issues, actions and realised savings
are nested under it: /api/v1/contracts/{contract_pk}/<kind>/. Its exit plan, one per
contract, is /api/v1/contracts/{contract_pk}/exit-plan/ (read, and changed with PATCH).
"""

from __future__ import annotations

from django.urls import re_path

from contracts.api.exit_plans import ExitPlanViewSet
from contracts.api.relationship import (
    ActionViewSet,
    IssueViewSet,
    ReviewViewSet,
    SavingViewSet,
)
from contracts.api.views import (
    ContractViewSet,
    CreditViewSet,
    MeasurementViewSet,
    SlaViewSet,
)

# Any segment: a contract_pk that is not an id is a 404 in the API's format.
CONTRACT = r"contracts/(?P<contract_pk>[^/]+)"

ROUTES = [
    ("contracts", ContractViewSet, "api-contract"),
    (f"{CONTRACT}/slas", SlaViewSet, "api-contract-sla"),
    (f"{CONTRACT}/measurements", MeasurementViewSet, "api-contract-measurement"),
    (f"{CONTRACT}/credits", CreditViewSet, "api-contract-credit"),
    (f"{CONTRACT}/reviews", ReviewViewSet, "api-contract-review"),
    (f"{CONTRACT}/issues", IssueViewSet, "api-contract-issue"),
    (f"{CONTRACT}/actions", ActionViewSet, "api-contract-action"),
    (f"{CONTRACT}/savings", SavingViewSet, "api-contract-saving"),
]

urlpatterns = [
    re_path(
        rf"^{CONTRACT}/exit-plan/$",
        ExitPlanViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-contract-exit-plan",
    ),
]
