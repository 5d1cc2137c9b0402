"""The pages' words in the API's error format: form messages and service refusals."""

from __future__ import annotations

from django.forms import BaseForm, BaseFormSet
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail

from vendors.services import SelectionError


def form_errors(
    form: BaseForm,
    formsets: dict[str, BaseFormSet] | None = None,
    *,
    rename: dict[str, str] | None = None,
) -> dict[str, list[ErrorDetail]]:
    """A page form's (and its row formsets') messages, word for word, under the API's
    field names (``rename`` maps a form field to its API name)."""
    rename = {"__all__": "non_field_errors", **(rename or {})}
    errors: dict[str, list[ErrorDetail]] = {}
    for name, problems in form.errors.get_json_data().items():
        errors.setdefault(rename.get(name, name), []).extend(
            ErrorDetail(p["message"], code=p["code"] or "invalid") for p in problems
        )
    for prefix, formset in (formsets or {}).items():
        key = "delivery_centres" if prefix == "centres" else prefix
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


def selection_error(
    error: SelectionError, field: str = "non_field_errors"
) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [str(error)]})
