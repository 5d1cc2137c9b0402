"""Wizard forms: they validate and normalise; services save."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from accounts.engine.countries import COUNTRY_CHOICES, CURRENCIES, LANGUAGE_CHOICES
from assessments.engine.inventory import MAX_BYTES
from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES, OBJECTIVES, QUESTIONS
from assessments.models import Process
from assessments.models.assessment import DONT_KNOW

REQUIRED_ANSWER = "Choose an answer from 1 to 5, or \u201cDon't know\u201d."
ANSWER_CHOICES = [(str(n), str(n)) for n in range(1, 6)] + [(str(DONT_KNOW), "Don't know")]


class ContextForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        help_text="A name you will recognise later, e.g. \u201cBack-office review 2027\u201d.",
    )
    objectives = forms.MultipleChoiceField(
        choices=[(o.code, o.label) for o in OBJECTIVES],
        widget=forms.CheckboxSelectMultiple,
        help_text="What the organisation wants from outsourcing. The results page shows how "
        "the recommended portfolio serves each one, and warns when it does not.",
    )
    home_country = forms.ChoiceField(
        choices=COUNTRY_CHOICES,
        help_text="Where the organisation is based. Onshore means this country, nearshore "
        "another country on the same continent, offshore another continent.",
    )
    customer_languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Languages your customers speak. Vendors for customer-facing work must "
        "deliver natively in each.",
    )
    currency = forms.ChoiceField(
        choices=[(c, c) for c in CURRENCIES],
        help_text="The currency of the costs you enter; every figure is shown in it.",
    )
    horizon_months = forms.IntegerField(
        label="Horizon (months)",
        initial=60,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="How far ahead savings are projected: 1 to 240 months. Five years (60) is "
        "a typical contract term.",
    )
    discount_rate_pct = forms.DecimalField(
        label="Discount rate (% a year)",
        initial=Decimal("8"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
        help_text="What money tied up in this programme costs the organisation a year, "
        "0 to 50 %. Future savings are discounted at this rate to today's value (NPV).",
    )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        rate = data.pop("discount_rate_pct", None)
        if rate is not None:
            data["discount_rate"] = (rate / 100).quantize(Decimal("0.0001"))
        return data

    @staticmethod
    def initial_from(assessment) -> dict:
        return {
            "name": assessment.name,
            "objectives": assessment.objectives,
            "home_country": assessment.home_country,
            "customer_languages": assessment.customer_languages,
            "currency": assessment.currency,
            "horizon_months": assessment.horizon_months,
            "discount_rate_pct": (assessment.discount_rate * 100).normalize(),
        }


class ProcessForm(forms.Form):
    name = forms.CharField(max_length=200)
    business_function = forms.ChoiceField(choices=BUSINESS_FUNCTION_CHOICES, initial="other")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    annual_cost = forms.DecimalField(
        label="Annual in-house cost",
        max_digits=14,
        decimal_places=2,
        help_text="What running the process in-house costs a year today (people, systems, "
        "space), in the assessment's currency.",
    )
    fte = forms.DecimalField(
        label="FTEs",
        max_digits=8,
        decimal_places=2,
        initial=0,
        min_value=0,
        help_text="Full-time equivalents working on it.",
    )

    def __init__(self, *args, assessment, process: Process | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.process = process

    def clean_annual_cost(self) -> Decimal:
        cost = self.cleaned_data["annual_cost"]
        if cost <= 0:
            raise forms.ValidationError("The annual cost must be more than zero.")
        return cost

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the process a name.")
        clash = self.assessment.processes.filter(name__iexact=name)
        if self.process is not None:
            clash = clash.exclude(pk=self.process.pk)
        if clash.exists():
            raise forms.ValidationError(
                f"There is already a process called \u201c{name}\u201d in this assessment."
            )
        return name


class InventoryUploadForm(forms.Form):
    file = forms.FileField(
        label="Inventory file (CSV or XLSX)",
        help_text="Up to 5 MB and 10,000 rows, in the template's format. The import is all "
        "or nothing: if any row is wrong, nothing is imported and every problem is listed.",
    )
    replace = forms.BooleanField(
        required=False,
        label="Replace the current inventory",
        help_text="Otherwise the file's processes are added to the ones already here.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. Split the "
                "inventory into smaller files."
            )
        return upload


class AnswersForm(forms.Form):
    """The questionnaire for one process.

    Any subset of answers may be saved (a draft keeps what was answered); submitting the
    assessment still needs every question answered or marked "don't know". An answer that
    is not 1 to 5 or "don't know" is refused.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.key] = forms.TypedChoiceField(
                label=question.text,
                choices=ANSWER_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=question.help,
                error_messages={"invalid_choice": REQUIRED_ANSWER},
            )

    def given_answers(self) -> dict[str, int | None]:
        """The answers chosen on this page (unanswered questions are left out)."""
        return {key: value for key, value in self.cleaned_data.items() if value is not None}

    @staticmethod
    def initial_from(process: Process) -> dict:
        return {
            key: str(value) for key, value in process.stored_answers.items() if value is not None
        }

    def question_rows(self) -> list[tuple]:
        return [(question, self[question.key]) for question in QUESTIONS]
