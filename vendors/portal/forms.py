"""Forms of the RFP (the buyer's) and of the response portal (the vendor's).

They validate and normalise; services save. Text fields refuse control characters (other
than line breaks and tabs), so nothing invisible reaches a page or an export.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from accounts.engine.documents import MAX_DOCUMENT_BYTES, DocumentProblem, check_document, megabytes
from vendors.forms.widgets import MONEY
from vendors.models import (
    ClarificationAudience,
    QuestionKind,
    RfpProcess,
    RfpQuestion,
)
from vendors.models.events import MAX_TERM_MONTHS

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_ANSWER = 5000


def _no_control(value: str) -> str:
    if _CONTROL.search(value or ""):
        raise forms.ValidationError(
            "This text holds invisible control characters; type or paste it again as plain text."
        )
    return value


def _mark_invalid(form: forms.BaseForm) -> None:
    """Bootstrap's red border, and aria-invalid, on each field with an error."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"


class CleanText(forms.CharField):
    def clean(self, value: Any) -> str:
        return _no_control(super().clean(value))


class Styled(forms.Form):
    """Bootstrap's classes on every widget."""

    def full_clean(self) -> None:
        super().full_clean()
        _mark_invalid(self)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)


# ------------------------------------------------------------------ the vendor's forms


class ResponseForm(forms.Form):
    """The questionnaire, the price per process and year, the transition cost and term.

    A draft may leave anything blank; a submission must answer every required question
    and price every process.
    """

    transition_cost = forms.DecimalField(
        **MONEY,
        min_value=Decimal("0"),
        required=False,
        label="One-time transition cost",
        error_messages={"min_value": "The transition cost cannot be negative."},
    )
    term_months = forms.IntegerField(
        label="Term (months)",
        min_value=1,
        max_value=MAX_TERM_MONTHS,
        required=False,
        error_messages={
            "min_value": "The term is at least one month.",
            "max_value": f"The term is at most {MAX_TERM_MONTHS} months.",
        },
    )

    def __init__(
        self,
        *args: Any,
        questions: list[RfpQuestion],
        processes: list[RfpProcess],
        currency: str,
        submitting: bool,
        kept_documents: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions, self.processes, self.submitting = questions, processes, submitting
        self.kept_documents = kept_documents  # question pk -> the file name already kept
        self.price_fields: list[str] = []
        self.question_fields: list[str] = []
        for item in processes:
            name = f"price_{item.pk}"
            self.fields[name] = forms.DecimalField(
                **MONEY,
                min_value=Decimal("0"),
                required=False,
                label=f"{item.scope_item.process.name}: price per year ({currency})",
                error_messages={"min_value": "A price cannot be negative."},
            )
            self.price_fields.append(name)
        for question in questions:
            name = question.field_name
            help_text = question.help_text
            field: forms.Field
            if question.kind == QuestionKind.NUMBER:
                field = forms.DecimalField(max_digits=18, decimal_places=4, required=False)
            elif question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    choices=[("", "—"), *((c, c) for c in question.choices)], required=False
                )
            elif question.kind == QuestionKind.FILE:
                field = forms.FileField(
                    required=False,
                    widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
                )
                kept = kept_documents.get(str(question.pk))
                hint = f"PDF, Word (.docx) or Excel (.xlsx), up to {megabytes(MAX_DOCUMENT_BYTES)}."
                if kept:
                    hint += f" Kept: {kept} (choose a file only to replace it)."
                help_text = " ".join(filter(None, [help_text, hint]))
            else:
                field = CleanText(
                    required=False,
                    max_length=MAX_ANSWER,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            field.label = question.text
            field.help_text = help_text
            self.fields[name] = field
            self.question_fields.append(name)
        self.checked_kinds: dict[RfpQuestion, str] = {}
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        _mark_invalid(self)

    @property
    def price_boundfields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.price_fields]

    @property
    def question_boundfields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.question_fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in self.questions:
            name = question.field_name
            value = data.get(name)
            if question.kind == QuestionKind.FILE and isinstance(value, UploadedFile):
                try:
                    self.checked_kinds[question] = check_document(
                        value.name or "",
                        value.size or 0,
                        value,  # type: ignore[arg-type]  # an UploadedFile reads as a stream
                        attached_to="a response",
                    )
                except DocumentProblem as problem:
                    self.add_error(name, str(problem))
        if self.submitting:
            for question in self.questions:
                name = question.field_name
                kept = question.kind == QuestionKind.FILE and str(question.pk) in (
                    self.kept_documents
                )
                if question.required and data.get(name) in (None, "") and not kept:
                    self.add_error(name, "Answer this question before submitting.")
            for name in self.price_fields:
                if data.get(name) is None:
                    self.add_error(name, "Give a price for every process before submitting.")
            if not self.errors and sum(data[n] for n in self.price_fields) <= 0:
                self.add_error(None, "The prices add up to zero; give the price of the work.")
            if data.get("term_months") is None:
                self.add_error("term_months", "Give the term before submitting.")
        return data

    def draft(self) -> dict[str, Any]:
        """The cleaned answers as the service stores them (text; files apart)."""
        data = self.cleaned_data
        return {
            "answers": {
                str(q.pk): ("" if data.get(q.field_name) is None else str(data[q.field_name]))
                for q in self.questions
                if q.kind != QuestionKind.FILE
            },
            "prices": {
                str(p.pk): "" if data.get(f"price_{p.pk}") is None else str(data[f"price_{p.pk}"])
                for p in self.processes
            },
            "transition_cost": ""
            if data.get("transition_cost") is None
            else str(data["transition_cost"]),
            "term_months": "" if data.get("term_months") is None else str(data["term_months"]),
        }

    def uploads(self) -> dict[RfpQuestion, UploadedFile]:
        return {
            q: self.cleaned_data[q.field_name]
            for q in self.questions
            if q.kind == QuestionKind.FILE
            and isinstance(self.cleaned_data.get(q.field_name), UploadedFile)
        }

    def typed(self) -> list[str]:
        """What the person typed, in order, for the page that refuses a late response."""
        return [
            str(self.data.get(name, "")).strip()
            for name in (
                *self.price_fields,
                "transition_cost",
                "term_months",
                *self.question_fields,
            )
            if str(self.data.get(name, "")).strip()
        ]


def initial_from_draft(draft: dict[str, Any], questions: list[RfpQuestion]) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "transition_cost": draft.get("transition_cost") or None,
        "term_months": draft.get("term_months") or None,
    }
    for pk, amount in draft.get("prices", {}).items():
        initial[f"price_{pk}"] = amount or None
    answers = draft.get("answers", {})
    for question in questions:
        if question.kind != QuestionKind.FILE:
            initial[question.field_name] = answers.get(str(question.pk), "")
    return initial


class ClarificationForm(Styled):
    question = CleanText(
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        label="Your question",
        help_text="The buyer answers you alone, or every invited vendor without your name.",
        error_messages={"required": "Write your question."},
    )


# ------------------------------------------------------------------ the buyer's forms


class RfpForm(Styled):
    introduction = CleanText(
        max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    required_documents = CleanText(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One document per line.",
    )

    def __init__(self, *args: Any, processes: list[RfpProcess], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.processes = processes
        for item in processes:
            name = item.scope_item.process.name
            self.fields[f"volumes_{item.pk}"] = CleanText(
                max_length=500, required=False, label=f"{name}: volumes"
            )
            self.fields[f"levels_{item.pk}"] = CleanText(
                max_length=500, required=False, label=f"{name}: current service levels"
            )
            self.initial.setdefault(f"volumes_{item.pk}", item.volumes)
            self.initial.setdefault(f"levels_{item.pk}", item.service_levels)

    def process_values(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {p.pk: (data[f"volumes_{p.pk}"], data[f"levels_{p.pk}"]) for p in self.processes}


class QuestionForm(Styled):
    text = CleanText(max_length=500, label="Question")
    kind = forms.ChoiceField(choices=QuestionKind.choices, label="Answer as")
    choices = CleanText(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For a choice question: one choice per line.",
    )
    required = forms.BooleanField(
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line.strip()[:200] for line in data.get("choices", "").splitlines()]
        data["choice_list"] = list(dict.fromkeys(line for line in lines if line))
        if data.get("kind") == QuestionKind.CHOICE and len(data["choice_list"]) < 2:
            self.add_error("choices", "A choice question needs at least two choices, one a line.")
        return data


class AmendmentForm(Styled):
    text = CleanText(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Amendment",
        help_text="Every invited vendor sees it, dated.",
        error_messages={"required": "Write what changes."},
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label="Contact e-mail",
        error_messages={"required": "Give the contact's e-mail address."},
    )


class AnswerForm(Styled):
    answer = CleanText(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the answer."},
    )
    audience = forms.ChoiceField(
        choices=[
            (ClarificationAudience.ASKER, ClarificationAudience.ASKER.label),
            (ClarificationAudience.ALL, ClarificationAudience.ALL.label),
        ],
        widget=forms.RadioSelect,
        label="Who sees the answer",
        error_messages={"required": "Choose who sees the answer."},
    )
