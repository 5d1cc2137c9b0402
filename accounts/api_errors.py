"""The REST API's error replies: a lockout and a throttle are a 429 in words.

DRF checks its throttles only after authentication succeeds, so a wrong password would
never be counted; failed authentications are counted here against the anonymous rate,
per address, which stops one address from trying many usernames.
"""

from __future__ import annotations

import math
from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.lockout import cool_off_seconds, lockout_message


def _too_many(message: str, wait: int) -> Response:
    return Response(
        {"detail": message},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(wait)},
    )


def _wait_words(seconds: int) -> str:
    return "1 second" if seconds == 1 else f"{seconds} seconds"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request, view = context.get("request"), context.get("view")
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
        if getattr(request, "axes_locked_out", False):
            return _too_many(lockout_message(), cool_off_seconds())
        throttle = AnonRateThrottle()
        if (
            isinstance(exc, exceptions.AuthenticationFailed)
            and request is not None
            and view is not None
            and not throttle.allow_request(request, view)
        ):
            wait = math.ceil(throttle.wait() or 1)
            return _too_many(
                "Too many failed authentications from your address. Try again "
                f"in {_wait_words(wait)}.",
                wait,
            )
    if isinstance(exc, exceptions.Throttled):
        # drf-stubs leave out the wait (seconds) that Throttled keeps from its argument.
        wait = math.ceil(exc.wait or 1)  # type: ignore[attr-defined]
        return _too_many(f"Too many requests. Try again in {_wait_words(wait)}.", wait)
    return drf_exception_handler(exc, context)
