"""Switching the current organisation (login, logout, password: Django's auth views)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .middleware import SESSION_KEY
from .models import Membership


@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.get("organisation", "")
    if not chosen.isascii() or not chosen.isdigit() or len(chosen) > 18:
        return HttpResponseBadRequest(
            "Choose an organisation from the list in the navigation bar.",
            content_type="text/plain; charset=utf-8")
    membership = get_object_or_404(Membership.objects.for_user(request.user),
                                   organisation_id=int(chosen))
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(request, f"You are now working in {membership.organisation}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)
