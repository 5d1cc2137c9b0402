"""The selection services' refusals in the API's error format (a form's messages:
``accounts.api.errors.form_errors``)."""

from __future__ import annotations

from rest_framework import exceptions

from vendors.services import SelectionError


def selection_error(
    error: SelectionError, field: str = "non_field_errors"
) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [str(error)]})
