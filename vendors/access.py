"""Permission-checked getters for vendor resources (built on accounts.access).

The registry is shared reference data: every member reads it, and only people whose
role is admin change it (in Django admin they must be staff as well). Criteria sets,
events, proposals and notes belong to one organisation: another organisation's ids
are reported as missing (404), and only managers and admins change them.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from accounts.access import get_for, membership_of
from accounts.models import Membership, Role

from .models import Award, Candidate, CriteriaSet, Proposal, SourcingEvent, Vendor
from .selectors import event_with_scope


def is_vendor_curator(user: AbstractBaseUser | AnonymousUser) -> bool:
    """May this person change vendor records? Active, and an admin of some organisation."""
    if not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def can_curate(request: HttpRequest) -> bool:
    """In the app: is the person an admin of the organisation they are working in?"""
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role == Role.ADMIN


def require_vendor_curator(request: HttpRequest) -> None:
    membership_of(request)  # a person without an organisation is refused first
    if not can_curate(request):
        raise PermissionDenied("Only admins curate vendor records.")


def get_vendor(request: HttpRequest, pk: int, *, write: bool = False) -> Vendor:
    """A vendor of the shared registry (any member reads; admins write), or 404."""
    if write:
        require_vendor_curator(request)
    try:
        return Vendor.objects.with_profile().get(pk=pk)
    except (Vendor.DoesNotExist, ValueError, TypeError):
        raise Http404("No such vendor.") from None


def get_criteria_set_for(request: HttpRequest, pk: int, *, write: bool = False) -> CriteriaSet:
    return get_for(request, CriteriaSet.objects.prefetch_related("criteria"), write=write, pk=pk)


def get_event_for(request: HttpRequest, pk: int, *, write: bool = False) -> SourcingEvent:
    return get_for(request, event_with_scope(SourcingEvent.objects.all()), write=write, pk=pk)


def get_candidate_for(request: HttpRequest, event: SourcingEvent, pk: int, *,
                      write: bool = False) -> Candidate:
    return get_for(request, Candidate.objects.filter(event=event).select_related("vendor",
                                                                              "event"),
                   write=write, via="event__organisation", pk=pk)


def get_proposal_for(request: HttpRequest, event: SourcingEvent, pk: int, *,
                     write: bool = False) -> Proposal:
    return get_for(request, Proposal.objects.filter(event=event).select_related("vendor",
                                                                             "event"),
                   write=write, via="event__organisation", pk=pk)


def get_award_for(request: HttpRequest, pk: int) -> Award:
    return get_for(request, Award.objects.select_related("event", "vendor", "proposal",
                                                         "awarded_by"),
                   via="event__organisation", pk=pk)
