"""The dashboard's filters: validated, never trusted."""

from django import forms

from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES

from .selectors import PERIOD_CHOICES, DashboardFilters


class DashboardFilterForm(forms.Form):
    assessment = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                        label="Assessment")
    business_function = forms.ChoiceField(
        required=False, label="Business function",
        choices=[("", "All functions"), *BUSINESS_FUNCTION_CHOICES])
    wave = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Wave",
        choices=[("", "All waves"), (1, "Wave 1: ITO"), (2, "Wave 2: BPO"), (3, "Wave 3: KPO")])
    period = forms.TypedChoiceField(required=False, coerce=int, empty_value=12, label="Period",
                                    choices=PERIOD_CHOICES, initial=12)

    def __init__(self, *args, assessments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = [("", "Latest submitted")] + [
            (a.pk, a.name) for a in assessments]

    def filters(self) -> DashboardFilters:
        if not self.is_valid():
            return DashboardFilters()
        data = self.cleaned_data
        return DashboardFilters(assessment_id=data["assessment"],
                                business_function=data["business_function"] or "",
                                wave=data["wave"], period_months=data["period"])
