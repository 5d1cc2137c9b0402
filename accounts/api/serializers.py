"""Serializer parts every app's API shares: bodies with keys nobody asked for are refused.

A typo in a field name (``anual_cost``) silently ignored would look like a saved change
that never happened, so a body naming a field the serializer does not accept, or one
that is read-only (``id``, ``created_at``), is a 400 naming each such key; nothing is
saved. Nested serializers that use the mixin report their own keys
(``processes.0.colour``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

UNKNOWN_FIELD = "unknown_field"
READ_ONLY_FIELD = "read_only_field"


class StrictSerializerMixin:
    """Mix into a ``serializers.Serializer`` (before it) to reject unknown and read-only
    keys in the incoming data with ``code`` ``unknown_field`` / ``read_only_field``."""

    fields: Any  # provided by the Serializer this is mixed into

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            self._refuse_extra_keys(data)
        return super().to_internal_value(data)  # type: ignore[misc]

    def _refuse_extra_keys(self, data: Mapping[str, Any]) -> None:
        fields = self.fields
        writable = sorted(name for name, field in fields.items() if not field.read_only)
        problems: dict[str, list[ErrorDetail]] = {}
        for key in data:
            name = str(key)
            if name in fields and not fields[name].read_only:
                continue
            if name in fields:
                message = f"{name} is read-only: it cannot be set or changed here."
                code = READ_ONLY_FIELD
            else:
                accepted = ", ".join(writable) if writable else "none"
                message = (
                    f"Unknown field {_shortened(name)!r}. The fields accepted are: {accepted}."
                )
                code = UNKNOWN_FIELD
            problems[_shortened(name)] = [ErrorDetail(message, code=code)]
        if problems:
            raise ValidationError(problems)


def _shortened(name: str, limit: int = 80) -> str:
    """A key as echoed back: a megabyte-long key is not repeated in full."""
    return name if len(name) <= limit else f"{name[: limit - 1]}\u2026"


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    """A plain Serializer that refuses unknown and read-only keys."""
