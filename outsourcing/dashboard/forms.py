"""The dashboard's filters: validated, never trusted."""

from django import forms

from accounts.fields import choice_field
from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES
from assessments.engine.vocabulary import wave_choices
from outsourcing.dashboard.selectors import PERIOD_CHOICES, DashboardFilters


class DashboardFilterForm(forms.Form):
    assessment = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Assessment"
    )
    business_function = forms.ChoiceField(
        required=False,
        label="Business function",
        choices=[("", "All functions"), *BUSINESS_FUNCTION_CHOICES],
    )
    wave = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Wave",
        choices=[("", "All waves"), *wave_choices()],
    )
    # django-stubs types empty_value as text, but any value is allowed (here, 12 months).
    period = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=12,  # type: ignore[arg-type]
        label="Period",
        choices=PERIOD_CHOICES,
        initial=12,
    )

    def __init__(self, data=None, *, assessments, **kwargs) -> None:
        if data is not None and not data.get("period"):
            # A link that names only some filters keeps the default period, and the
            # select shows the period the figures use.
            data = data.copy()
            data["period"] = str(self.base_fields["period"].initial)
        super().__init__(data, **kwargs)
        choice_field(self, "assessment").choices = [("", "Latest submitted")] + [
            (a.pk, a.name) for a in assessments
        ]

    def filters(self) -> DashboardFilters:
        if not self.is_valid():
            return DashboardFilters()
        data = self.cleaned_data
        return DashboardFilters(
            assessment_id=data["assessment"],
            business_function=data["business_function"] or "",
            wave=data["wave"],
            period_months=data["period"],
        )
