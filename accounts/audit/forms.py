"""The audit trail's filters: who, what kind of record, which action, when, and text."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.audit.models import SIGN_IN_ACTIONS, Action, AuditEntry, AuditEntryQuerySet
from accounts.audit.registry import organisation_kinds
from accounts.fields import choice_field
from accounts.models import Organisation

SIGN_INS = "sign-ins"
MAX_SEARCH = 100
# Any real question fits; year 9999 in a far time zone would not fit a datetime at all.
FIRST_YEAR, LAST_YEAR = 2000, 2999

SELECT = {"class": "form-select form-select-sm"}


def people_of(organisation: Organisation):
    """Its members, and anyone else whose writes are in its trail (a member who left)."""
    actors = AuditEntry.objects.for_organisation(organisation).exclude(actor=None).values("actor")
    return (
        get_user_model()
        ._default_manager.filter(Q(memberships__organisation=organisation) | Q(pk__in=actors))
        .distinct()
        .order_by("username")
    )


class AuditFilterForm(forms.Form):
    who = forms.TypedChoiceField(
        label="Person", required=False, coerce=int, empty_value=None, widget=forms.Select(SELECT)
    )
    kind = forms.ChoiceField(label="Kind of record", required=False, widget=forms.Select(SELECT))
    action = forms.TypedChoiceField(
        label="Action",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), *Action.choices],
        widget=forms.Select(SELECT),
    )
    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    q = forms.CharField(
        label="Text",
        required=False,
        max_length=MAX_SEARCH,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "placeholder": "Record, value, person or address",
            }
        ),
    )

    def __init__(self, data, *, organisation: Organisation) -> None:
        super().__init__(data)
        choice_field(self, "who").choices = [
            ("", "Anyone"),
            *((person.pk, person.get_username()) for person in people_of(organisation)),
        ]
        choice_field(self, "kind").choices = [
            ("", "Any"),
            (SIGN_INS, "Log-ins and log-outs"),
            *((item.kind, item.label) for item in organisation_kinds()),
        ]

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if "\x00" in text:
            raise forms.ValidationError("Search text cannot contain a NUL character.")
        return text

    def clean_start(self) -> date | None:
        return _plausible(self.cleaned_data["start"])

    def clean_end(self) -> date | None:
        return _plausible(self.cleaned_data["end"])

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date.")
        return cleaned

    def apply(self, entries: AuditEntryQuerySet) -> AuditEntryQuerySet:
        """The entries that match the (valid) filters."""
        data = self.cleaned_data
        if data.get("who") is not None:
            entries = entries.by_actor(data["who"])
        kind = data.get("kind")
        if kind == SIGN_INS:
            entries = entries.filter(action__in=SIGN_IN_ACTIONS)
        elif kind:
            app_label, model = kind.split(".")
            entries = entries.filter(
                content_type__app_label=app_label, content_type__model=model
            ).exclude(action__in=SIGN_IN_ACTIONS)
        if data.get("action") is not None:
            entries = entries.filter(action=data["action"])
        entries = entries.between(data.get("start"), data.get("end"))
        if data.get("q"):
            entries = entries.mentioning(data["q"])
        return entries


def _plausible(day: date | None) -> date | None:
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise forms.ValidationError(f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.")
    return day
