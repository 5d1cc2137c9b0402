"""The dashboard's filters: validated, never trusted."""

from django import forms

from accounts.fields import choice_field
from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES
from assessments.engine.vocabulary import wave_choices
from assessments.models import Assessment
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
        self.assessments = list(assessments)
        self.default: Assessment | None = None
        self.marked = False
        choice_field(self, "assessment").choices = [(a.pk, a.name) for a in self.assessments]

    def show_default(self, default: Assessment | None, *, marked: bool) -> None:
        """Offer first, and say so, the assessment the dashboard opens on when none is
        named: the current portfolio when one is ``marked``, else the newest submitted.
        (No empty choice: a select showing none shows the first.)"""
        self.default, self.marked = default, marked
        if default is None:
            return
        note = "current portfolio" if marked else "newest submitted"
        field = choice_field(self, "assessment")
        field.choices = [(default.pk, f"{default.name} ({note})")] + [
            (a.pk, a.name) for a in self.assessments if a.pk != default.pk
        ]
        field.initial = default.pk

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
