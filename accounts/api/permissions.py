"""Who may call an endpoint: the same rules as the pages, through ``accounts.access``.

A caller must be a member of an organisation (the token's, or the session's current
one). Reading is open to every role; a change (POST, PUT, PATCH, DELETE) needs a role that
edits (``accounts.access.can_edit``) and a token that is not read-only. Objects are
looked up through each app's access module, so another organisation's id is a 404.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.access import can_edit, membership_of
from accounts.api.authentication import token_of

READ_ONLY_TOKEN = "This API token is read-only: it cannot change anything."
CANNOT_EDIT = "Your role can read this organisation's data but not change it."
NOT_A_MEMBER = "You are not a member of any organisation."


class OrganisationMember(BasePermission):
    message = NOT_A_MEMBER

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(request, "membership", None) is None:
            self.message = NOT_A_MEMBER
            return False
        if request.method in SAFE_METHODS:
            return True
        token = token_of(request)
        if token is not None and token.read_only:
            self.message = READ_ONLY_TOKEN
            return False
        if not can_edit(request._request):
            self.message = CANNOT_EDIT
            return False
        return True


class OrganisationAdmin(OrganisationMember):
    """Changes only for the organisation's admins (reading stays open to members)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        if membership_of(request._request).role != "admin":
            self.message = "Only an admin of your organisation may change this."
            return False
        return True
