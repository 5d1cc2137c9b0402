"""Permission-checked getters for vendor resources (built on accounts.access).

The registry is shared reference data. Every member reads it; only registry curators
(members of the platform-level group "Registry curators", and superusers) change it.
An organisation's admin proposes a change instead, which a curator accepts or rejects.
Curators are platform staff and need not belong to any organisation, so the pages they
use check sign-in and membership themselves (``members_or_curators``).

Criteria sets, events, proposals, notes, ratings, tags and change proposals belong to
one organisation: another organisation's ids are reported as missing (404), and only
managers and admins change them. A curator, as curator, never reads an organisation's
private data: the curation pages show a change proposal and its organisation's name only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from weakref import WeakKeyDictionary

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import get_for, membership_of
from accounts.models import Role
from accounts.services.mfa import is_registry_curator
from vendors.models import (
    Award,
    Candidate,
    Clarification,
    CriteriaSet,
    Invitation,
    Proposal,
    Rfp,
    RfpQuestion,
    SourcingEvent,
    Vendor,
    VendorChangeProposal,
)
from vendors.selectors.events import event_with_scope

View = Callable[..., HttpResponse]
# Asked once per request: the answer is a query.
_CURATOR: WeakKeyDictionary[HttpRequest, bool] = WeakKeyDictionary()


def is_vendor_curator(user: User | AnonymousUser) -> bool:
    """May this person change shared vendor records? Active, and a curator or superuser.

    Decided in accounts, which also requires two-factor authentication of curators.
    """
    return is_registry_curator(user)


def can_curate(request: HttpRequest) -> bool:
    if request not in _CURATOR:
        _CURATOR[request] = is_vendor_curator(request.user)
    return _CURATOR[request]


def can_propose(request: HttpRequest) -> bool:
    """Is the person an admin of the organisation they are working in (may propose)?"""
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role == Role.ADMIN


def require_vendor_curator(request: HttpRequest) -> None:
    if not can_curate(request):
        raise PermissionDenied("Only registry curators change shared vendor records.")


def members_or_curators(*roles: str) -> Callable[[View], View]:
    """Allow members with one of ``roles`` (any role when none are named) and curators.

    The view is marked so the organisation middleware does not demand a membership:
    this decorator checks sign-in and membership in its place.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can_curate(request):
                membership = getattr(request, "membership", None)
                if membership is None:
                    return render(request, "accounts/no_membership.html", status=403)
                if roles and membership.role not in roles:
                    raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return login_not_required(wrapped)

    return decorator


def curators_only(view: View) -> View:
    """Allow registry curators only; they need not belong to an organisation."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_vendor_curator(request)
        return view(request, *args, **kwargs)

    return login_not_required(wrapped)


def get_vendor(
    request: HttpRequest, pk: int, *, write: bool = False, profile: bool = True
) -> Vendor:
    """A vendor of the shared registry, or 404.

    Any member reads; with ``write``, only curators and organisation admins (who propose
    rather than change) get the record. ``profile=False`` reads the record alone, for a
    page that shows no more than the vendor's name (four queries fewer).
    """
    if write and not can_curate(request):
        membership_of(request)  # a person without an organisation is refused first
        if not can_propose(request):
            raise PermissionDenied(
                "Only registry curators and organisation admins change vendor records."
            )
    vendors = (
        Vendor.objects.with_profile().select_related("merged_into") if profile else Vendor.objects
    )
    try:
        return vendors.get(pk=pk)
    except (Vendor.DoesNotExist, ValueError, TypeError):
        raise Http404("No such vendor.") from None


def get_change_proposal_for(request: HttpRequest, pk: int) -> VendorChangeProposal:
    """One of the organisation's own change proposals, or 404."""
    return get_for(
        request,
        VendorChangeProposal.objects.select_related("vendor", "proposed_by", "decided_by"),
        pk=pk,
    )


def get_change_proposal_to_decide(request: HttpRequest, pk: int) -> VendorChangeProposal:
    """Any organisation's change proposal, for a curator (403 for anyone else)."""
    require_vendor_curator(request)
    try:
        return VendorChangeProposal.objects.select_related("vendor", "organisation").get(pk=pk)
    except (VendorChangeProposal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such change proposal.") from None


def get_criteria_set_for(request: HttpRequest, pk: int, *, write: bool = False) -> CriteriaSet:
    return get_for(request, CriteriaSet.objects.prefetch_related("criteria"), write=write, pk=pk)


def get_event_for(request: HttpRequest, pk: int, *, write: bool = False) -> SourcingEvent:
    return get_for(request, event_with_scope(SourcingEvent.objects.all()), write=write, pk=pk)


def get_candidate_for(
    request: HttpRequest, event: SourcingEvent, pk: int, *, write: bool = False
) -> Candidate:
    return get_for(
        request,
        Candidate.objects.filter(event=event).select_related("vendor", "event"),
        write=write,
        via="event__organisation",
        pk=pk,
    )


def get_proposal_for(
    request: HttpRequest, event: SourcingEvent, pk: int, *, write: bool = False
) -> Proposal:
    return get_for(
        request,
        Proposal.objects.filter(event=event).select_related("vendor", "event"),
        write=write,
        via="event__organisation",
        pk=pk,
    )


def get_award_for(request: HttpRequest, pk: int, *, write: bool = False) -> Award:
    """An award of the current organisation (turning it into a contract is a write).

    The one award getter: the award page and the contracts app (draft from an award)
    both use it, so it loads what both show."""
    return get_for(
        request,
        Award.objects.select_related(
            "event__assessment", "event__organisation", "vendor", "proposal", "awarded_by"
        ),
        write=write,
        via="event__organisation",
        pk=pk,
    )


# ---------------------------------------------------------------- the RFP (vendors/portal/)
# The buyer's side of the response portal: the same rules as the event's. The vendor's
# side has no account; its pages check the invitation token (vendors/portal/views.py).


def get_rfp_for(request: HttpRequest, event: SourcingEvent, *, write: bool = False) -> Rfp:
    return get_for(
        request,
        Rfp.objects.filter(event=event).select_related("event", "published_by", "opened_by"),
        write=write,
        via="event__organisation",
    )


def get_rfp_part_for(
    request: HttpRequest,
    rfp: Rfp,
    model: type[Invitation] | type[Clarification] | type[RfpQuestion],
    pk: int,
    *,
    write: bool = False,
) -> Any:
    """An invitation, clarification or question of the RFP, or 404."""
    return get_for(
        request,
        model.objects.filter(rfp=rfp).select_related("rfp__event"),
        write=write,
        via="rfp__event__organisation",
        pk=pk,
    )
