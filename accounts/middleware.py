"""Resolve the signed-in person's current organisation for every request."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Membership

SESSION_KEY = "organisation_id"
# Paths a signed-in person without a membership may still reach.
_OPEN_PREFIXES = ("/accounts/", "/admin/", "/static/", "/healthz")


class LoginRequiredOrganisationMiddleware:
    """Every page but login needs a signed-in member; sets ``request.membership``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None
        if request.user.is_authenticated:
            request.membership = self._membership(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if request.membership is None and not request.path.startswith(_OPEN_PREFIXES):
            return render(request, "accounts/no_membership.html", status=403)
        return None

    @staticmethod
    def _membership(request: HttpRequest) -> Membership | None:
        memberships = Membership.objects.for_user(request.user)
        wanted = request.session.get(SESSION_KEY)
        membership = None
        if wanted is not None:
            membership = memberships.filter(organisation_id=wanted).first()
        if membership is None:
            membership = memberships.first()
            if membership is not None:
                request.session[SESSION_KEY] = membership.organisation_id
        return membership
