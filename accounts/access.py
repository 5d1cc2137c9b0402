"""Who may see or change what: the one place every view asks.

A request carries the person's current membership (set by
``accounts.middleware.LoginRequiredOrganisationMiddleware``). Every queryset a view
touches is first scoped to that membership's organisation; an object of another
organisation is reported as missing (404), never as forbidden, so ids leak nothing.
A person whose role may only read gets 403 on any change.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseBase

from accounts.models import EDIT_ROLES, Membership, Organisation, Role

ModelT = TypeVar("ModelT", bound=models.Model)
View = Callable[..., HttpResponseBase]


class OrganisationRequest(HttpRequest):
    """A request once ``accounts.middleware.LoginRequiredOrganisationMiddleware`` has set
    the person's current membership (None: signed out, or a member of no organisation)."""

    membership: Membership | None
    # All of the signed-in person's memberships, by organisation name (one query).
    memberships: list[Membership]


class MemberRequest(OrganisationRequest):
    """A request as a view gets it unless the view is ``login_not_required``: the
    middleware lets only a signed-in person through, so ``user`` is never anonymous."""

    user: User


def membership_of(request: HttpRequest) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied("You are not a member of any organisation.")
    return membership


def organisation_of(request: HttpRequest) -> Organisation:
    return membership_of(request).organisation


def can_edit(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in EDIT_ROLES


def require_edit(request: HttpRequest) -> None:
    if not can_edit(request):
        raise PermissionDenied("Your role can read this organisation's data but not change it.")


def roles_required(*roles: str) -> Callable[[View], View]:
    """Allow the view only to members whose role in the current organisation is listed."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if membership_of(request).role not in roles:
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


editors_only = roles_required(Role.MANAGER, Role.ADMIN)
admins_only = roles_required(Role.ADMIN)


def scoped(
    request: HttpRequest, queryset: models.QuerySet[ModelT], *, via: str = "organisation"
) -> models.QuerySet[ModelT]:
    """The queryset restricted to the current organisation (``via`` is the lookup path)."""
    return queryset.filter(**{via: organisation_of(request)})


def get_for(
    request: HttpRequest,
    queryset: models.QuerySet[ModelT],
    *,
    write: bool = False,
    via: str = "organisation",
    **lookup: Any,
) -> ModelT:
    """One object of the current organisation, or 404; 403 when writing without the right."""
    if write:
        require_edit(request)
    try:
        return scoped(request, queryset, via=via).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):  # the model's DoesNotExist is one
        raise Http404("No such object in your organisation.") from None
