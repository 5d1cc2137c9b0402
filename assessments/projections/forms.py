"""The form that starts a savings projection: it validates and normalises; a service saves."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from accounts.engine.formatting import percent_text
from assessments.models import Assessment
from assessments.projections.services import (
    MAX_HORIZON,
    MAX_SEED,
    MAX_TRIALS,
    MIN_HORIZON,
    MIN_TRIALS,
)


def _number(*, step) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control", "step": step})


def _range(low, high, message: str) -> list:
    return [MinValueValidator(low, message=message), MaxValueValidator(high, message=message)]


class ProjectionForm(forms.Form):
    trials = forms.IntegerField(
        label="Trials",
        initial=10_000,
        widget=_number(step=100),
        validators=_range(
            MIN_TRIALS, MAX_TRIALS, f"Choose between {MIN_TRIALS:,} and {MAX_TRIALS:,} trials."
        ),
        error_messages={
            "invalid": "Enter the number of trials as a whole number, e.g. 10000.",
            "required": "Enter how many trials to run, e.g. 10000.",
        },
        help_text=f"Monte Carlo trials, {MIN_TRIALS:,} to {MAX_TRIALS:,}. More trials give "
        "steadier percentiles and take longer.",
    )
    seed = forms.IntegerField(
        label="Seed",
        initial=0,
        widget=_number(step=1),
        validators=_range(0, MAX_SEED, f"The seed is a whole number from 0 to {MAX_SEED:,}."),
        error_messages={
            "invalid": "Enter the seed as a whole number, e.g. 0.",
            "required": "Enter a seed, e.g. 0.",
        },
        help_text="The same seed gives the same numbers; change it to see another sample.",
    )
    horizon_months = forms.IntegerField(
        label="Horizon (months)",
        widget=_number(step=1),
        validators=_range(
            MIN_HORIZON, MAX_HORIZON, f"The horizon is {MIN_HORIZON} to {MAX_HORIZON} months."
        ),
        error_messages={
            "invalid": "Enter the horizon in whole months, e.g. 60.",
            "required": "Enter the horizon in months, e.g. 60.",
        },
        help_text=f"How far ahead to project, {MIN_HORIZON} to {MAX_HORIZON} months.",
    )
    discount_rate_pct = forms.DecimalField(
        label="Discount rate (% a year)",
        max_digits=5,
        decimal_places=2,
        widget=_number(step="0.01"),
        validators=_range(Decimal("0"), Decimal("50"), "The discount rate is 0 to 50 %% a year."),
        error_messages={
            "invalid": "Enter the discount rate as a number of per cent, e.g. 8.",
            "required": "Enter a discount rate in per cent, e.g. 8.",
            "max_decimal_places": "Use at most two decimals, e.g. 7.25.",
            # Messages with parameters are %-formatted: %% is one per cent sign.
            "max_digits": "The discount rate is 0 to 50 %% a year.",
            "max_whole_digits": "The discount rate is 0 to 50 %% a year.",
        },
        help_text="Future savings are discounted to today's value at this rate, 0 to 50 %.",
    )

    def __init__(self, *args, assessment: Assessment, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "trials": 10_000,
            "seed": 0,
            "horizon_months": assessment.horizon_months,
            "discount_rate_pct": percent_text(assessment.discount_rate),
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}_error"

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        rate = data.pop("discount_rate_pct", None)
        if rate is not None:
            data["discount_rate"] = float(rate) / 100
        return data

    @staticmethod
    def initial_from(projection) -> dict:
        """The settings of an earlier projection, to run it again or vary it."""
        return {
            "trials": projection.trials,
            "seed": projection.seed,
            "horizon_months": projection.horizon_months,
            "discount_rate_pct": percent_text(projection.discount_rate),
        }
