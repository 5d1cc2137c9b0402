"""Who may call the vendor endpoints: the pages' rules (``vendors.access``) for the API.

Reading the shared registry is open to every member of an organisation and to registry
curators, who need not belong to one. Changing the record itself is for curators;
an organisation's admin proposes instead. An organisation's own notes, rating and tags
are changed by its managers and admins. A read-only token never changes anything.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.access import can_edit, organisation_of
from accounts.api.authentication import token_of
from accounts.api.permissions import CANNOT_EDIT, NOT_A_MEMBER, READ_ONLY_TOKEN
from accounts.models import Organisation
from vendors.access import can_curate, can_propose
from vendors.api.fields import ID_MAX

ID = r"[0-9]+"  # ids in paths: anything else is not a route (404)
NOT_FOUND = "No such object in your organisation."
ONLY_CURATORS = "Only registry curators change shared vendor records."
PROPOSE_INSTEAD = (
    "Only registry curators change shared vendor records. As your "
    "organisation's admin, propose the change instead: POST "
    "/api/v1/vendor-changes/."
)


def object_id(value: Any) -> int:
    """An id from the path (digits, by the route); one no row can have is a 404."""
    number = int(value)
    if number > ID_MAX:
        raise exceptions.NotFound(NOT_FOUND)
    return number


def caller(request: Request) -> User:
    """The person calling (the permission classes have turned anonymous callers away)."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated()
    return user


def caller_organisation(request: Request) -> Organisation:
    """The organisation the request acts in (403 for a curator outside any)."""
    return organisation_of(request._request)


def member_organisation(request: Request) -> Organisation | None:
    membership = getattr(request._request, "membership", None)
    return membership.organisation if membership is not None else None


class RegistryAccess(BasePermission):
    """Members of an organisation and registry curators (who need none) read; a change
    needs a token that is not read-only. Who may make which change is checked by each
    action, as the pages do."""

    message = NOT_A_MEMBER

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(request._request, "membership", None) is None and not can_curate(
            request._request
        ):
            self.message = NOT_A_MEMBER
            return False
        if request.method in SAFE_METHODS:
            return True
        token = token_of(request)
        if token is not None and token.read_only:
            self.message = READ_ONLY_TOKEN
            return False
        return True


class CuratorsOnly(RegistryAccess):
    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if not can_curate(request._request):
            self.message = "Only registry curators see and decide the curation queue."
            return False
        return True


def require_curator(request: Request) -> None:
    if not can_curate(request._request):
        raise exceptions.PermissionDenied(
            PROPOSE_INSTEAD if can_propose(request._request) else ONLY_CURATORS
        )


def require_editor(request: Request) -> None:
    """Managers and admins change their organisation's own data (``editors_only``)."""
    if getattr(request._request, "membership", None) is None:
        raise exceptions.PermissionDenied(NOT_A_MEMBER)
    if not can_edit(request._request):
        raise exceptions.PermissionDenied(CANNOT_EDIT)
