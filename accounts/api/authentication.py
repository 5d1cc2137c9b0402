"""API tokens: ``Authorization: Token sw_…`` acts as its owner, in the token's organisation.

django-rest-knox checks the token against its stored digest (in constant time) and
deletes expired tokens. This class then looks up the owner's membership of the token's
organisation, so ``request.membership`` means the same for a token as for a signed-in
browser, and every access check in ``accounts.access`` applies unchanged. A token whose
owner has left the organisation, or whose account is inactive, is refused.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.request import Request

from accounts.access import OrganisationRequest
from accounts.models import ApiToken, Membership

NO_LONGER_A_MEMBER = (
    "This token's owner is no longer a member of the token's organisation. Create a new token."
)


# A header no token of ours could be (control characters, text beyond ASCII) is refused
# before any lookup: the database never sees it.
PRINTABLE_ASCII = re.compile(r"[\x21-\x7e ]*")


class OrganisationTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not isinstance(header, str) or not PRINTABLE_ASCII.fullmatch(header):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user=user, organisation_id=token.organisation_id)
            .first()
        )
        if membership is None:
            raise exceptions.AuthenticationFailed(NO_LONGER_A_MEMBER)
        # The Django request is what every access check reads (accounts.access), carrying
        # the membership as the middleware sets it for a browser session.
        cast(OrganisationRequest, request._request).membership = membership
        return user, token


def token_of(request: Request) -> ApiToken | None:
    """The API token a request authenticated with, or None (a browser session)."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None
