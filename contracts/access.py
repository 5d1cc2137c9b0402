"""Permission-checked getters for contract resources (built on accounts.access.get_for).

Another organisation's ids are reported as missing (404), documents included; a person
whose role only reads gets 403 when ``write`` is set.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from accounts.access import get_for, organisation_of, require_edit
from accounts.models import EDIT_ROLES, Membership, Organisation
from contracts.models import (
    Contract,
    ContractDocument,
    GovernanceReview,
    ImprovementAction,
    Issue,
    ServiceCredit,
    Sla,
)
from vendors.access import get_award_for

# get_award_for lives in vendors.access (imports flow vendors -> contracts); the contract
# views import it from here.
__all__ = [
    "get_action_for",
    "get_award_for",
    "get_calibration_organisation_for",
    "get_contract_for",
    "get_contract_for_api",
    "get_credit_for",
    "get_document_for",
    "get_issue_for",
    "get_review_for",
    "get_sla_for",
]

_VIA = "contract__organisation"


def get_contract_for(request: HttpRequest, pk: int, *, write: bool = False) -> Contract:
    return get_for(request, Contract.objects.with_parties(), write=write, pk=pk)


def get_sla_for(request: HttpRequest, contract: Contract, pk: int, *, write: bool = False) -> Sla:
    return get_for(
        request,
        Sla.objects.filter(contract=contract).select_related("contract"),
        write=write,
        via=_VIA,
        pk=pk,
    )


def get_document_for(
    request: HttpRequest, contract: Contract, pk: int, *, write: bool = False
) -> ContractDocument:
    return get_for(
        request, ContractDocument.objects.filter(contract=contract), write=write, via=_VIA, pk=pk
    )


def get_credit_for(request: HttpRequest, contract: Contract, **period: Any) -> ServiceCredit:
    return get_for(
        request,
        ServiceCredit.objects.filter(contract=contract).select_related("computation"),
        via=_VIA,
        **period,
    )


def get_review_for(
    request: HttpRequest, contract: Contract, pk: int, *, write: bool = False
) -> GovernanceReview:
    return get_for(
        request, GovernanceReview.objects.filter(contract=contract), write=write, via=_VIA, pk=pk
    )


def get_issue_for(
    request: HttpRequest, contract: Contract, pk: int, *, write: bool = False
) -> Issue:
    return get_for(request, Issue.objects.filter(contract=contract), write=write, via=_VIA, pk=pk)


def get_action_for(
    request: HttpRequest, contract: Contract, pk: int, *, write: bool = False
) -> ImprovementAction:
    return get_for(
        request, ImprovementAction.objects.filter(contract=contract), write=write, via=_VIA, pk=pk
    )


def get_calibration_organisation_for(request: HttpRequest, *, write: bool = False) -> Organisation:
    """The organisation whose calibration report the person may read (every role: the
    CIO reads it, managers act on it); 403 when choosing assumptions without an editing
    role."""
    if write:
        require_edit(request)
    return organisation_of(request)


def get_contract_for_api(
    user: User, pk: int, *, write: bool = False, organisation_id: int | None = None
) -> Contract:
    """A contract of one of ``user``'s organisations (of ``organisation_id`` alone when
    given: an API token's), for calls that carry no current organisation: 404 when the
    person is not a member of the contract's organisation, 403 when writing without an
    editing role."""
    only = {} if organisation_id is None else {"organisation_id": organisation_id}
    try:
        contract = Contract.objects.with_parties().get(
            pk=pk, organisation__memberships__user=user, **only
        )
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise Http404("No such contract in your organisations.") from None
    if write:
        role = (
            Membership.objects.filter(user=user, organisation=contract.organisation)
            .values_list("role", flat=True)
            .first()
        )
        if role not in EDIT_ROLES:
            raise PermissionDenied("Your role can read this organisation's data but not change it.")
    return contract
