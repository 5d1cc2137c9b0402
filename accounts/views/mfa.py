"""Two-factor authentication pages: verify a log-in, set up an authenticator, manage it.

The rules and the writes live in accounts/services/mfa.py; the middleware that sends people here
is accounts.middleware.TwoFactorMiddleware.
"""

import django_otp
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.middleware import is_verified
from django_otp.models import Device

from accounts.access import MemberRequest, admins_only, organisation_of
from accounts.audit.models import Action
from accounts.audit.sign_ins import sign_in_record
from accounts.forms import CodeForm, RequireMfaForm
from accounts.services.mfa import (
    RECOVERY_CODE_COUNT,
    authenticator_of,
    enrolment_for,
    mfa_recovery_codes_renew,
    mfa_remove,
    mfa_required_reason,
    mfa_setup_confirm,
    mfa_verify,
    organisation_set_require_mfa,
    pending_authenticator,
    recovery_codes_left,
)

THROTTLED_STATUS = 429
# The secret shown on the setup page until it is confirmed (nothing is saved on a GET).
SETUP_KEY = "mfa_setup_key"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _mark_verified(request: HttpRequest, device: Device) -> None:
    request.session.cycle_key()  # a new session id for the now fully signed-in session
    django_otp.login(request, device)


@require_http_methods(["GET", "POST"])
def mfa_verify_view(request: MemberRequest) -> HttpResponse:
    """The second step of a log-in: a code from the authenticator app or a recovery code."""
    if is_verified(request.user):
        return redirect(_next_url(request))
    if authenticator_of(request.user) is None:
        return redirect("mfa-setup" if mfa_required_reason(request.user) else _next_url(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result = mfa_verify(user=request.user, code=form.cleaned_data["code"])
            if result.device is not None:
                _mark_verified(request, result.device)
                return redirect(_next_url(request))
            if result.retry_after is not None:
                status = THROTTLED_STATUS
                wait = max(1, round((result.retry_after - timezone.now()).total_seconds()))
                form.add_error(
                    "code",
                    f"Too many wrong codes: wait {wait} seconds, then try again with a new code.",
                )
            else:
                form.add_error(
                    "code",
                    "This code is not valid. Enter the current six-digit "
                    "code from your authenticator app, or an unused "
                    "recovery code.",
                )
            sign_in_record(
                action=Action.LOGIN_FAILED,
                request=request,
                user=request.user,
                username=request.user.get_username(),
                outcome="wrong two-factor code",
            )
    return render(
        request,
        "registration/mfa_verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def mfa_setup(request: MemberRequest) -> HttpResponse:
    """Scan a secret into an authenticator app, confirm it with a code, get recovery codes."""
    if authenticator_of(request.user) is not None:
        if not is_verified(request.user):
            return redirect("mfa-verify")
        messages.info(
            request,
            "Two-factor authentication is already on. Remove it first to "
            "move to another authenticator app.",
        )
        return redirect("mfa")
    device = pending_authenticator(user=request.user, key=request.session.get(SETUP_KEY))
    if device.pk is None:
        request.session[SETUP_KEY] = device.key
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            codes = mfa_setup_confirm(device=device, code=form.cleaned_data["code"])
            if codes is not None:
                device.refresh_from_db()
                request.session.pop(SETUP_KEY, None)
                _mark_verified(request, device)
                return _show_recovery_codes(request, codes, first=True)
            form.add_error(
                "code",
                "This code does not match. Check that the app shows "
                "Sourcewise, then enter its current six-digit code.",
            )
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "enrolment": enrolment_for(device),
            "next": _next_url(request),
            "reason": mfa_required_reason(request.user),
        },
        status=status,
    )


def _show_recovery_codes(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    """Shown once, in the response to the POST that made them; never stored in clear again."""
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {"codes": codes, "first": first, "next": _next_url(request)},
    )


def mfa_settings(request: MemberRequest) -> HttpResponse:
    """Whether two-factor authentication is on, and why it is required if it is."""
    return render(
        request,
        "registration/mfa.html",
        {
            "authenticator": authenticator_of(request.user),
            "codes_left": recovery_codes_left(request.user),
            "code_count": RECOVERY_CODE_COUNT,
            "reason": mfa_required_reason(request.user),
        },
    )


@require_POST
def mfa_recovery_codes(request: MemberRequest) -> HttpResponse:
    if authenticator_of(request.user) is None:
        return redirect("mfa-setup")
    return _show_recovery_codes(request, mfa_recovery_codes_renew(user=request.user), first=False)


@require_POST
def mfa_disable(request: MemberRequest) -> HttpResponse:
    reason = mfa_required_reason(request.user)
    if reason:
        return render(
            request,
            "registration/mfa.html",
            {
                "authenticator": authenticator_of(request.user),
                "codes_left": recovery_codes_left(request.user),
                "code_count": RECOVERY_CODE_COUNT,
                "reason": reason,
                "error": f"{reason} To move to another authenticator app, use “Replace”.",
            },
            status=409,
        )
    mfa_remove(user=request.user)
    messages.success(request, "Two-factor authentication is off for your account.")
    return redirect("mfa")


@require_POST
def mfa_replace(request: MemberRequest) -> HttpResponse:
    """Remove the current authenticator and set up another one straight away."""
    mfa_remove(user=request.user)
    return redirect("mfa-setup")


@require_POST
@admins_only
def organisation_require_mfa(request: HttpRequest) -> HttpResponse:
    form = RequireMfaForm(request.POST)
    form.is_valid()  # a checkbox: absent or anything means off or on, never invalid
    organisation = organisation_set_require_mfa(
        organisation=organisation_of(request), required=form.cleaned_data["require_mfa"]
    )
    if organisation.require_mfa:
        messages.success(
            request,
            f"Every member of {organisation} must now use two-factor "
            "authentication; those without it set it up at their next "
            "page.",
        )
    else:
        messages.success(
            request,
            f"{organisation} no longer requires two-factor "
            "authentication of every member (admins still must).",
        )
    return redirect("members")
