"""The exit plan form: one row per checklist item (status, owner, due date, notes) and the
plan's notes. It validates and keeps what was typed; the service saves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from accounts.fields import model_choice_field
from accounts.models import Organisation
from contracts.engine import exit_readiness as rules
from contracts.forms.fields import DateInput, PersonChoiceField, SingleLineText, members_and

EARLIEST_DUE = dt.date(2000, 1, 1)
LATEST_DUE_YEARS = 20


class ExitItemForm(SingleLineText, forms.Form):
    status = forms.ChoiceField(
        choices=[(key, rules.STATUS_LABELS[key]) for key in rules.STATUSES],
        widget=forms.Select(
            attrs={"class": "form-select form-select-sm", "style": "min-width: 9rem"}
        ),
    )
    owner = PersonChoiceField(
        queryset=None,
        required=False,
        empty_label="No owner yet",
        widget=forms.Select(
            attrs={"class": "form-select form-select-sm", "style": "min-width: 10rem"}
        ),
    )
    due_on = forms.DateField(
        label="Due date",
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
    )
    notes = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "style": "min-width: 14rem"}
        ),
    )

    def __init__(
        self,
        *args: Any,
        spec: rules.ExitItem,
        organisation: Organisation,
        today: dt.date,
        current_owner: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.today = today
        # The item's current owner stays a choice after leaving the organisation, so
        # saving the rest of the plan keeps them; only members can be newly chosen.
        owner = model_choice_field(self, "owner")
        owner.queryset, departed = members_and(organisation, current_owner)
        if departed and current_owner is not None and isinstance(owner, PersonChoiceField):
            owner.departed = frozenset({current_owner})
        if not spec.may_skip:
            status = self.fields["status"]
            assert isinstance(status, forms.ChoiceField)
            status.choices = [
                (key, rules.STATUS_LABELS[key])
                for key in rules.STATUSES
                if key != rules.NOT_APPLICABLE
            ]

    def clean_due_on(self) -> dt.date | None:
        due = self.cleaned_data.get("due_on")
        latest = self.today.replace(year=self.today.year + LATEST_DUE_YEARS, day=1)
        if due is not None and not EARLIEST_DUE <= due <= latest:
            raise forms.ValidationError(
                f"Choose a due date between {EARLIEST_DUE:%d %b %Y} and {latest:%d %b %Y}."
            )
        return due

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == rules.NOT_APPLICABLE and not self.spec.may_skip:
            self.add_error("status", f"{self.spec.label} applies to every contract.")
        return data

    def change(self) -> dict[str, Any]:
        """The row as the service takes it: the item's key and what was set."""
        data = self.cleaned_data
        return {
            "key": self.spec.key,
            "status": data["status"],
            "owner": data.get("owner"),
            "due_on": data.get("due_on"),
            "notes": (data.get("notes") or "").strip(),
        }


class ExitPlanNotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes on the exit plan",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="The exit strategy in a few lines: to whom the service would go, who decides.",
    )


class ExitPlanForm:
    """The checklist's rows (each a small form with the item's key as its prefix) and the
    plan's notes, validated together: nothing is saved unless every row is valid."""

    def __init__(
        self,
        data: Any = None,
        *,
        organisation: Organisation,
        today: dt.date,
        initial: dict[str, dict[str, Any]] | None = None,
        notes: str = "",
        current_owners: dict[str, int] | None = None,
    ) -> None:
        initial = initial or {}
        current_owners = current_owners or {}
        self.items = [
            ExitItemForm(
                data,
                prefix=spec.key,
                spec=spec,
                organisation=organisation,
                today=today,
                initial=initial.get(spec.key),
                current_owner=current_owners.get(spec.key),
            )
            for spec in rules.ITEMS
        ]
        self.plan = ExitPlanNotesForm(data, initial={"notes": notes})

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self.items]
        return all(valid) and self.plan.is_valid()

    @property
    def error_count(self) -> int:
        forms_ = [*self.items, self.plan]
        return sum(len(form.errors) for form in forms_ if form.is_bound)

    def changes(self) -> list[dict[str, Any]]:
        return [form.change() for form in self.items]

    @property
    def notes(self) -> str:
        return self.plan.cleaned_data.get("notes", "").strip()
