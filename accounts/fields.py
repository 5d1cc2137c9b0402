"""Form fields every app's forms share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The largest primary key any of our databases stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by id, where a posted id that no record could have (not a
    whole number, or too large for the database) is an invalid choice, not a server
    error: SQLite cannot even compare a 20-digit number with an id."""

    def _check_values(self, value: Iterable[Any]) -> Any:
        for item in value:
            text = str(item)
            if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"],
                                      code="invalid_choice", params={"value": text[:40]})
        return super()._check_values(value)
