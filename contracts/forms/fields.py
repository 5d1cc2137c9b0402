"""Form fields shared by the contracts forms."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts.models import Organisation
from accounts.validators import no_control_characters
from contracts.engine.periods import parse_period

# What the mixins below are mixed into, for the type checker (at run time: object).
if TYPE_CHECKING:
    _ModelForm = forms.ModelForm[Any]
    _Form = forms.BaseForm
else:
    _ModelForm = _Form = object


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.Field):
    """A month typed as YYYY-MM (the browser's month picker); cleans to its first day."""

    widget = MonthInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", "The month, as YYYY-MM.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return f"{value:%Y-%m}"
        return value

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return parse_period(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


def members_of(organisation: Organisation) -> QuerySet:
    """The people who belong to ``organisation``, by name."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, is_active=True)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


class PersonChoiceField(forms.ModelChoiceField):
    # People offered although no longer members (a choice saved before they left).
    departed: frozenset[int] = frozenset()

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.get_username()
        return f"{name} (no longer a member)" if obj.pk in self.departed else name


def members_and(organisation: Organisation, kept: int | None) -> tuple[QuerySet, bool]:
    """The members of ``organisation``, plus the person ``kept`` (a choice already saved)
    even after they have left it; and whether ``kept`` has left. A saved choice then
    stays valid when the rest of a form is saved, and is changed only on purpose."""
    members = members_of(organisation)
    if kept is None or members.filter(pk=kept).exists():
        return members, False
    people = (
        get_user_model()
        .objects.filter(Q(pk__in=members.values("pk")) | Q(pk=kept))
        .order_by("first_name", "last_name", "username")
    )
    return people, people.filter(pk=kept).exists()


class ChecksOnCopy(_ModelForm):
    """A ModelForm that runs the model's checks on a fresh copy of its instance.

    Django's ModelForm writes the typed values onto its instance while validating; here
    the instance a view passed in stays as it was (the service applies the change), so a
    rejected form never leaves a half-changed object behind on the page.
    """

    def checked_copy(self) -> Any:
        return type(self.instance)(pk=self.instance.pk)

    def _post_clean(self) -> None:
        original = self.instance
        self.instance = self.checked_copy()
        try:
            # django-stubs leaves out this private method of BaseModelForm.
            super()._post_clean()  # type: ignore[misc]
        finally:
            self.instance = original


class SingleLineText(_Form):
    """A form whose one-line text boxes refuse line breaks and other control characters.

    Every text field shown as a one-line box (not a textarea) gets the check: a title, a
    name or a reference travels into e-mail subjects, file names and CSV cells, where a
    line break that only a crafted request can send would split a header or a record.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.Textarea)
                and no_control_characters not in field.validators
            ):
                field.validators.append(no_control_characters)
