"""One error format for /api/v1/ (drf-standardized-errors), with words a person reads.

Every error reply is ``{"type": "validation_error" | "client_error" | "server_error",
"errors": [{"code": ..., "detail": ..., "attr": ...}]}``. Lock-outs and throttles keep
their sentence and ``Retry-After`` (``accounts.api_errors``), in the same format.
"""

from __future__ import annotations

from typing import Any, cast

from drf_standardized_errors.handler import exception_handler as standardized_handler
from drf_standardized_errors.types import ExceptionHandlerContext
from rest_framework import exceptions
from rest_framework.response import Response

from accounts.api_errors import exception_handler as words_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(
        exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated | exceptions.Throttled
    ):
        worded = words_handler(exc, context)
        if worded is not None and worded.status_code == 429:
            return Response(
                {
                    "type": "client_error",
                    "errors": [
                        {"code": "throttled", "detail": worded.data["detail"], "attr": None}
                    ],
                },
                status=429,
                headers={"Retry-After": worded["Retry-After"]},
            )
    # DRF's context holds exactly the keys drf-standardized-errors types (view, args, ...).
    return standardized_handler(exc, cast(ExceptionHandlerContext, context))
