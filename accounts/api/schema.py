"""OpenAPI schema pieces (drf-spectacular): how API tokens are described, and which paths
the public schema covers (only /api/v1/; the older measurements endpoint is documented in
docs/api.md as deprecated)."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import PolymorphicProxySerializer
from drf_standardized_errors.handler import exception_handler as standardized_handler
from drf_standardized_errors.openapi import AutoSchema as StandardizedAutoSchema
from drf_standardized_errors.openapi_serializers import ValidationErrorEnum
from drf_standardized_errors.openapi_utils import (
    get_error_serializer,
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from drf_standardized_errors.settings import package_settings as standardized_settings
from inflection import camelize
from rest_framework import serializers
from rest_framework.settings import api_settings as drf_settings

from accounts.api.serializers import READ_ONLY_FIELD, UNKNOWN_FIELD

API_PREFIX = "/api/v1/"


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.OrganisationTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )
        definition["description"] = (
            "An API token from your account's API tokens page: "
            "`Authorization: Token sw_…`. It acts with your role in one organisation; a "
            "read-only token can only read."
        )
        return definition


def only_the_public_api(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[Any]:
    """Preprocessing hook: keep the endpoints under /api/v1/ (not the schema's own)."""
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith(API_PREFIX)
        and not endpoint[0].startswith((f"{API_PREFIX}schema", f"{API_PREFIX}docs"))
    ]


class AutoSchema(StandardizedAutoSchema):
    """drf-standardized-errors' schema, which documents each endpoint's error replies.

    It documents them only for views whose exception handler is its own; ours
    (``accounts.api.errors``) wraps that handler and only rewords lock-outs and throttles,
    so the replies have the same shape and are documented the same way.
    """

    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        view = self.view
        view.get_exception_handler = lambda: standardized_handler  # type: ignore[method-assign]
        try:
            return bool(super()._should_add_error_response(responses, status_code))
        finally:
            del view.get_exception_handler

    def _get_response_for_code(
        self,
        serializer: Any,
        status_code: Any,
        media_types: Any = None,
        direction: Any = "response",
    ) -> Any:
        # Errors are JSON everywhere, also from an endpoint that answers CSV (docs/api.md).
        if media_types is None and str(status_code)[:1] in ("4", "5"):
            media_types = ["application/json"]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)

    # Two kinds of 400 the library cannot see, documented for every change (POST, PUT,
    # PATCH): a service's refusal in words (``non_field_errors``, code ``invalid``:
    # docs/api.md's convention, also for a change that takes no body), and a key of the
    # body that no field takes (StrictSerializerMixin: ``attr`` is the key as sent). A
    # key as sent cannot be a discriminator's value, so these errors are told apart by
    # their ``attr`` and ``code`` instead (oneOf without a discriminator).

    def _should_add_validation_error_response(self) -> bool:
        return self.method in CHANGES or bool(super()._should_add_validation_error_response())

    def _get_validation_error_codes_by_field(self, data_fields: list[Any]) -> dict[str, set[str]]:
        codes = super()._get_validation_error_codes_by_field(data_fields)
        if self.method in CHANGES:
            codes["non_field_errors"] = {*codes.get("non_field_errors", ()), "invalid"}
        return dict(codes)

    def _determine_fields_with_error_codes(self) -> list[Any]:
        body = self.get_request_serializer()
        if self.method not in CHANGES or not isinstance(body, dict):
            return list(super()._determine_fields_with_error_codes())
        # A body in several media types (a file upload, or JSON): the fields of each.
        bodies = [
            each
            for each in body.values()
            if isinstance(each, serializers.Field)
            or (isinstance(each, type) and issubclass(each, serializers.Field))
        ]
        return list(get_serializer_fields_with_error_codes(get_flat_serializer_fields(bodies)))

    def _get_serializer_for_validation_error_response(self) -> Any:
        if self.method not in CHANGES:
            return super()._get_serializer_for_validation_error_response()
        operation_id = self.get_operation_id()
        codes = self._get_validation_error_codes_by_field(self._determine_fields_with_error_codes())
        variants = [
            _error_variant(operation_id, attr, field_codes)
            for attr, field_codes in sorted(codes.items())
        ]
        name = camelize(operation_id)

        class ValidationErrorSerializer(serializers.Serializer):
            type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
            # Only describes the reply's "errors" (it shadows Serializer.errors, unused here).
            errors = PolymorphicProxySerializer(  # type: ignore[assignment]
                component_name=f"{name}Error",
                serializers=[*variants, UnknownFieldError],
                resource_type_field_name=None,
                many=True,
            )

            class Meta:
                ref_name = f"{name}ValidationError"

        return ValidationErrorSerializer


CHANGES = ("POST", "PUT", "PATCH")


def _error_variant(operation_id: str, attr: str, codes: set[str]) -> Any:
    """The library's error of one field, except that a field inside a list or a dict is
    named as the reply names it (``processes.0.name``, not ``processes.INDEX.name``): by
    a pattern in place of the placeholder. And a nested body's own errors (documented as
    ``proposed.non_field_errors``) are replied as ``proposed`` when it is missing or not
    an object: both are described."""
    separator = standardized_settings.NESTED_FIELD_SEPARATOR
    parts = attr.split(separator) if attr else []
    index = standardized_settings.LIST_INDEX_IN_API_SCHEMA
    key = standardized_settings.DICT_KEY_IN_API_SCHEMA
    own = len(parts) > 1 and parts[-1] == drf_settings.NON_FIELD_ERRORS_KEY
    if index not in parts and key not in parts and not own:
        return get_error_serializer(operation_id, attr, codes)
    pattern = re.escape(separator).join(
        r"\d+" if part == index else r"[^.]+" if part == key else re.escape(part)
        for part in (parts[:-1] if own else parts)
    )
    if own:
        pattern += f"({re.escape(separator + parts[-1])})?"

    class ErrorSerializer(serializers.Serializer):
        attr = serializers.RegexField(f"^{pattern}$")
        code = serializers.ChoiceField(choices=sorted(codes))
        detail = serializers.CharField()

        class Meta:
            ref_name = (
                f"{camelize(operation_id)}{camelize(attr.replace('.', '_'))}"
                f"{standardized_settings.ERROR_COMPONENT_NAME_SUFFIX}"
            )

    return ErrorSerializer


class UnknownFieldError(serializers.Serializer):
    """A key of the body that the endpoint does not take, or may not set."""

    attr = serializers.CharField(
        help_text="The key as sent (shortened beyond 80 characters); "
        "for a nested body, with its path (``processes.0.colour``)."
    )
    code = serializers.ChoiceField(choices=[UNKNOWN_FIELD, READ_ONLY_FIELD])
    detail = serializers.CharField()
