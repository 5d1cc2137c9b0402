"""One error format for /api/v1/ (drf-standardized-errors), with words a person reads.

Every error reply is ``{"type": "validation_error" | "client_error" | "server_error",
"errors": [{"code": ..., "detail": ..., "attr": ...}]}``. Lock-outs and throttles keep
their sentence and ``Retry-After`` (``worded_exception_handler``, which every other API
route of the project answers with), in the same format.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.forms import BaseForm, BaseFormSet, Form, ModelForm
from drf_standardized_errors.handler import exception_handler as standardized_handler
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from drf_standardized_errors.types import ExceptionHandlerContext
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.lockout import cool_off_seconds, lockout_message


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(
        exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated | exceptions.Throttled
    ):
        worded = worded_exception_handler(exc, context)
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


def _too_many(message: str, wait: int) -> Response:
    return Response(
        {"detail": message},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(wait)},
    )


def _wait_words(seconds: int) -> str:
    return "1 second" if seconds == 1 else f"{seconds} seconds"


def worded_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API's handler (settings): a lock-out or a throttle is a 429 in words with
    ``Retry-After``; anything else is DRF's reply. /api/v1/ wraps it in its one format
    (``exception_handler``).

    DRF checks its throttles only after authentication succeeds, so a wrong password
    would never be counted; failed authentications are counted here against the
    anonymous rate, per address, which stops one address from trying many usernames.
    """
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


def form_errors(
    form: BaseForm, formsets: dict[str, BaseFormSet] | None = None
) -> dict[str, list[ErrorDetail]]:
    """A page form's messages (and its row formsets', under the API names the dict gives
    them), word for word, keyed as the API keys them; what the pages say, the API says."""
    errors: dict[str, list[ErrorDetail]] = {}
    for name, problems in form.errors.get_json_data().items():
        errors.setdefault("non_field_errors" if name == "__all__" else name, []).extend(
            ErrorDetail(p["message"], code=p["code"] or "invalid") for p in problems
        )
    for key, formset in (formsets or {}).items():
        found = [ErrorDetail(str(error), code="invalid") for error in formset.non_form_errors()]
        found += [
            ErrorDetail(p["message"], code=p["code"] or "invalid")
            for row in formset.forms
            for problems in row.errors.get_json_data().values()
            for p in problems
        ]
        if found:
            errors.setdefault(key, []).extend(found)
    return errors


T = TypeVar("T")

# What a page's form may add to a field beyond the serializer's own checks, for the schema:
# its fields' and the model's validators (a number out of range, too many digits or
# characters), its clean() and constraints ("invalid"), a choice it does not offer, a
# line break in one-line text, a field it needs.
FORM_CODES = [
    "invalid",
    "invalid_choice",
    "invalid_pk_value",
    "control_characters",
    "required",
    "min_value",
    "max_value",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "max_length",
]


def form_checked(
    fields: type[Form] | type[ModelForm[Any]] | Iterable[str],
    *,
    actions: list[str] | None = None,
    methods: list[str] | None = None,
    codes: list[str] | None = None,
) -> Callable[[T], T]:
    """Document the error codes a page's form may give on ``actions`` (or ``methods``):
    ``fields`` is the form (all its fields) or the API names its messages come under;
    ``codes`` replaces FORM_CODES (leave out those the serializer already documents for
    that name in a pattern of its own: the schema's `oneOf` needs exactly one match)."""
    names = list(fields.base_fields) if isinstance(fields, type) else list(fields)

    def decorate(view: T) -> T:
        for name in [*names, "non_field_errors"]:
            # The library types its decorator for a view class, not a type variable.
            view = extend_validation_errors(  # type: ignore[type-var]
                codes or FORM_CODES, field_name=name, actions=actions, methods=methods
            )(view)
        return view

    return decorate
