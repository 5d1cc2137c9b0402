"""Log-in lockout after repeated failures (django-axes), on the login page, the admin's
login and the API's basic authentication. The limits live in settings (AXES_*)."""

from __future__ import annotations

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKOUT_STATUS = 429
USERNAME_LENGTH = 150  # django.contrib.auth's User.username


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = max(1, round(cool_off_seconds() / 60))
    wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return (
        f"Too many failed log-ins for this username from your address. Logging in is "
        f"locked for {wait}; each attempt in that time starts the wait again."
    )


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username failures are counted under: as typed, cut to a username's length.

    Basic authentication accepts any length and any character; the attempt table does
    not (a NUL or a 300-character name would be a database error, not a refusal).
    """
    field = get_user_model().USERNAME_FIELD
    username = (credentials or request.POST).get(field)
    if username is None:
        return None
    return str(username).replace("\x00", "")[:USERNAME_LENGTH]


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted against, as DRF's throttles find it.

    With no proxy in front (TRUSTED_PROXY_COUNT 0) it is the connecting address and
    X-Forwarded-For is ignored, since anyone can send it. Behind N proxies that each
    append the address they saw, it is the N-th entry from the right of that header.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies == 0 or not forwarded:
        return request.META.get("REMOTE_ADDR")
    addresses = forwarded.split(",")
    candidate = addresses[-min(proxies, len(addresses))].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not written by a proxy of ours: fall back to who connected
        return request.META.get("REMOTE_ADDR")


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username and address before any password is checked, and a
    username no account can have (a NUL, which PostgreSQL cannot even look up).

    A call without a request comes from code (the shell, the test client's ``login``),
    never from someone at a login form or the API: there is no address to count against,
    so it is left to the next backend instead of being refused.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs,
    ):
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        if username is not None and "\x00" in str(username):
            # Stops Django's authenticate like a wrong password: counted, then refused.
            raise PermissionDenied("No account has this username.")
        return None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The login page again, with the lockout in words: 429 (the API's: accounts/api/errors)."""
    response = render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(
                request, initial={"username": get_client_username(request, credentials) or ""}
            ),
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "lockout_message": lockout_message(),
        },
        status=LOCKOUT_STATUS,
    )
    response["Retry-After"] = str(cool_off_seconds())
    return response
