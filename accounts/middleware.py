"""Resolve the signed-in person's current organisation, and require their second factor."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp.middleware import is_verified

from accounts.access import OrganisationRequest
from accounts.models import Membership
from accounts.services.mfa import is_registry_curator, second_factor_state

SESSION_KEY = "organisation_id"
# Paths a signed-in person without a membership may still reach.
_OPEN_PREFIXES = ("/accounts/", "/admin/", "/static/", "/healthz", "/health/")


class LoginRequiredOrganisationMiddleware:
    """Every page but login needs a signed-in member; sets ``request.membership``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: OrganisationRequest) -> HttpResponse:
        request.membership = None
        if request.user.is_authenticated:
            # All of the person's memberships in one query, kept on the request: the
            # second-factor check and the organisation menu read them from there.
            request.memberships = list(Membership.objects.for_user(request.user))
            request.membership = self._membership(request, request.memberships)
        return self.get_response(request)

    def process_view(
        self,
        request: OrganisationRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if not getattr(view_func, "login_required", True):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if request.membership is None and not request.path.startswith(_OPEN_PREFIXES):
            return render(
                request,
                "accounts/no_membership.html",
                status=403,
                context={"is_curator": is_registry_curator(request.user)},
            )
        return None

    @staticmethod
    def _membership(request: HttpRequest, memberships: list[Membership]) -> Membership | None:
        """The membership of the organisation chosen in this session, else the first by
        organisation name (which becomes the chosen one)."""
        wanted = request.session.get(SESSION_KEY)
        membership = None
        if wanted is not None:
            membership = next((m for m in memberships if m.organisation_id == wanted), None)
        if membership is None and memberships:
            membership = memberships[0]
            request.session[SESSION_KEY] = membership.organisation_id
        return membership


# Reachable before the second factor: verifying it or setting it up, logging out, static
# files and the health check; not the pages that remove or replace it. The API's basic
# authentication happens inside the API view, after this middleware, so it is
# password-only for now (API tokens come later).
_BEFORE_SECOND_FACTOR = (
    "/accounts/mfa/verify/",
    "/accounts/mfa/setup/",
    "/accounts/logout/",
    "/static/",
    "/healthz",
    "/health/",
)


class TwoFactorMiddleware:
    """A signed-in person passes a second factor before any other page (accounts/services/mfa.py).

    Someone who has set up an authenticator is sent to the verification page until this
    session has accepted a code; someone who must use one and has none is sent to set it
    up. Django admin included. Must come after django-otp's OTPMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        if request.path.startswith(_BEFORE_SECOND_FACTOR):
            return None
        state = second_factor_state(user, getattr(request, "memberships", None))
        if state.has_authenticator:
            return _to_mfa_page(request, "mfa-verify")
        if state.must_use:
            return _to_mfa_page(request, "mfa-setup")
        return None


def _to_mfa_page(request: HttpRequest, url_name: str) -> HttpResponse:
    if "/api/" in request.path:  # a session-authenticated API call: no page to go to
        return JsonResponse(
            {
                "detail": "Confirm this session with your second factor first "
                "(two-factor authentication)."
            },
            status=403,
        )
    target = reverse(url_name)
    if request.method == "GET":
        target += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return redirect(target)
