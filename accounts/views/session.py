"""Switching the current organisation (login, logout, password: Django's auth views)."""

import hashlib

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.lockout import client_address
from accounts.middleware import SESSION_KEY
from accounts.models import Membership


@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.get("organisation", "")
    if not chosen.isascii() or not chosen.isdigit() or len(chosen) > 18:
        return HttpResponseBadRequest(
            "Choose an organisation from the list in the navigation bar.",
            content_type="text/plain; charset=utf-8",
        )
    membership = get_object_or_404(
        Membership.objects.for_user(request.user), organisation_id=int(chosen)
    )
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(request, f"You are now working in {membership.organisation}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


# A reset e-mail goes to someone who did not ask for it when the requester is hostile:
# at most this many an hour for one address, and this many requests from one client.
RESETS_PER_EMAIL = 3
RESETS_PER_CLIENT = 10
RESET_WINDOW_SECONDS = 60 * 60


def _within(key: str, limit: int) -> bool:
    """Count one more use of ``key`` in the window; False once it is past ``limit``."""
    cache.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: this is the first use again
        cache.set(key, 1, RESET_WINDOW_SECONDS)
        return True


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with limits so nobody can flood an inbox or probe at speed.

    Past the limit for one e-mail address the page answers as if the e-mail was sent (as
    it does for unknown addresses, so neither reveals anything); past the limit for one
    client it says so, with a 429.
    """

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        client = client_address(self.request) or "unknown"
        if not _within(f"password-reset:client:{client}", RESETS_PER_CLIENT):
            form.add_error(
                None,
                "Too many password-reset requests from your network in the "
                "last hour. Please try again later.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        email = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(email.encode()).hexdigest()
        if not _within(f"password-reset:email:{digest}", RESETS_PER_EMAIL):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
