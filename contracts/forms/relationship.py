"""Forms for governance reviews, issues and improvement actions."""

from __future__ import annotations

from django import forms

from accounts.fields import model_choice_field
from accounts.models import Organisation
from contracts.forms.fields import (
    ChecksOnCopy,
    DateInput,
    PersonChoiceField,
    SingleLineText,
    members_of,
)
from contracts.models import GovernanceReview, ImprovementAction, Issue

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _rating_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
        help_text="1 (poor) to 5 (excellent).",
    )


class ReviewForm(SingleLineText, ChecksOnCopy, forms.ModelForm):
    rating_delivery = _rating_field("Delivery")
    rating_communication = _rating_field("Communication")
    rating_responsiveness = _rating_field("Responsiveness")
    rating_innovation = _rating_field("Innovation")

    class Meta:
        model = GovernanceReview
        fields = [
            "held_on",
            "level",
            "attendees",
            "rating_delivery",
            "rating_communication",
            "rating_responsiveness",
            "rating_innovation",
            "notes",
            "decisions",
            "next_review_on",
        ]
        widgets = {
            "held_on": DateInput(),
            "next_review_on": DateInput(),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        held, following = data.get("held_on"), data.get("next_review_on")
        if held and following and following <= held:
            self.add_error(
                "next_review_on", f"The next review must come after this one ({held:%d %b %Y})."
            )
        return data


class IssueForm(SingleLineText, ChecksOnCopy, forms.ModelForm):
    owner = PersonChoiceField(queryset=None)

    class Meta:
        model = Issue
        fields = [
            "title",
            "description",
            "severity",
            "status",
            "owner",
            "raised_on",
            "due_on",
            "escalation_level",
            "resolution",
            "resolved_on",
        ]
        widgets = {
            "raised_on": DateInput(),
            "due_on": DateInput(),
            "resolved_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = members_of(organisation)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        raised, due = data.get("raised_on"), data.get("due_on")
        if raised and due and due < raised:
            self.add_error(
                "due_on", f"The due date is before the day it was raised ({raised:%d %b %Y})."
            )
        resolved = data.get("resolved_on")
        if raised and resolved and resolved < raised:
            self.add_error("resolved_on", "It cannot be resolved before it was raised.")
        if (
            data.get("status") in ("resolved", "closed")
            and not (data.get("resolution") or "").strip()
        ):
            self.add_error("resolution", "Say how it was resolved before closing it.")
        return data


class ActionForm(SingleLineText, ChecksOnCopy, forms.ModelForm):
    owner = PersonChoiceField(queryset=None)

    class Meta:
        model = ImprovementAction
        fields = ["description", "owner", "due_on", "status", "expected_benefit"]
        widgets = {"due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = members_of(organisation)
