"""Form fields every app's forms share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django import forms
from django.core.exceptions import ValidationError

# The largest primary key any of our databases stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class DecimalShape(TypedDict):
    """The digits of a DecimalField, model or form: ``DecimalField(**MONEY)``."""

    max_digits: int
    decimal_places: int


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, a choice field, to set its choices."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a choice field.")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field ``name``, a choice of records, to set its queryset."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a choice of records.")
    return field


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by id, where a posted id that no record could have (not a
    whole number, or too large for the database) is an invalid choice, not a server
    error: SQLite cannot even compare a 20-digit number with an id."""

    def _check_values(self, value: Iterable[Any]) -> Any:
        for item in value:
            text = str(item)
            if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:40]},
                )
        # django-stubs leaves out this private method of ModelMultipleChoiceField.
        return super()._check_values(value)  # type: ignore[misc]
