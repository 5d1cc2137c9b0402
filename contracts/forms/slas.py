"""Forms for SLAs and their measurements (a month typed in, or a file)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from accounts.engine.formatting import count_of
from contracts.engine.actuals import PERCENT_MAX, is_percent
from contracts.engine.credits import evaluate_measurement
from contracts.engine.measurement_files import (
    MAX_FILE_BYTES,
    FileProblem,
    check_rows,
    listed_problems,
    read_rows,
)
from contracts.engine.periods import period_problem
from contracts.forms.fields import ChecksOnCopy, MonthField, SingleLineText
from contracts.models import Contract, RealisedSaving, Sla


class SlaForm(SingleLineText, ChecksOnCopy, forms.ModelForm):
    class Meta:
        model = Sla
        fields = [
            "name",
            "category",
            "target",
            "unit",
            "direction",
            "period",
            "allocation_pct",
            "minimum",
            "earn_back",
        ]

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contract = contract

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        name = (data.get("name") or "").strip()
        taken = self.contract.slas.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if name and taken.exists():
            self.add_error("name", "This contract already has an SLA with that name.")
        target, minimum = data.get("target"), data.get("minimum")
        direction, unit = data.get("direction"), data.get("unit") or ""
        if target is not None and direction:
            try:
                evaluate_measurement(target, direction, minimum, None)
            except ValueError as error:
                message = str(error).removeprefix("SLA: ")
                self.add_error("minimum", message[0].upper() + message[1:])
        if is_percent(unit):
            for field in ("target", "minimum"):
                if data.get(field) is not None and data[field] > PERCENT_MAX:
                    self.add_error(field, "A percentage cannot be above 100.")
        return data

    def checked_copy(self):
        return Sla(pk=self.instance.pk, contract=self.contract)


class MeasurementMonthForm(forms.Form):
    """One month's actuals, one field per SLA; a blank field leaves that SLA as it was."""

    period = MonthField(label="Month")

    def __init__(
        self, *args, contract: Contract, slas: list[Sla], today: dt.date, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.contract, self.slas, self.today = contract, slas, today
        for sla in slas:
            arrow = "≥" if sla.direction == "higher" else "≤"
            self.fields[self.field_name(sla)] = forms.DecimalField(
                label=sla.name,
                required=False,
                min_value=Decimal("0"),
                max_digits=14,
                decimal_places=4,
                help_text=f"Target {arrow} {sla.target.normalize():f} {sla.unit}",
                max_value=PERCENT_MAX if is_percent(sla.unit) else None,
            )

    @staticmethod
    def field_name(sla: Sla) -> str:
        return f"sla_{sla.pk}"

    def clean_period(self) -> dt.date:
        period = self.cleaned_data["period"]
        problem = period_problem(
            period, start=self.contract.start_date, end=self.contract.end_date, today=self.today
        )
        if problem:
            raise forms.ValidationError(problem)
        return period

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        actuals = {
            sla.pk: data[self.field_name(sla)]
            for sla in self.slas
            if data.get(self.field_name(sla)) is not None
        }
        if not actuals and not self.errors:
            raise forms.ValidationError("Enter at least one actual value.")
        data["actuals"] = actuals
        return data


class MeasurementImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV or XLSX with the columns sla, period, actual (one row per SLA and "
        f"month), up to {MAX_FILE_BYTES // 1024 // 1024} MB. All rows are saved, or "
        "none.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(
        self,
        *args,
        contract: Contract,
        sla_names: list[str],
        today: dt.date,
        sla_units: dict[str, str] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.contract, self.sla_names, self.today = contract, sla_names, today
        self.sla_units = sla_units or {}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"{upload.name!r} is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB."
            )
        try:
            raw = read_rows(upload.name, upload.read())
        except FileProblem as problem:
            raise forms.ValidationError(str(problem)) from None

        def period_problem_of(period: dt.date) -> str | None:
            return period_problem(
                period, start=self.contract.start_date, end=self.contract.end_date, today=self.today
            )

        rows, problems = check_rows(raw, self.sla_names, period_problem_of, self.sla_units)
        if problems:
            raise forms.ValidationError(
                [
                    f"Nothing was saved: {count_of(len(problems), 'row')} "
                    f"{'needs' if len(problems) == 1 else 'need'} fixing."
                ]
                + listed_problems(problems)
            )
        self.cleaned_data["rows"] = rows
        return upload


class SavingForm(SingleLineText, ChecksOnCopy, forms.ModelForm):
    period = MonthField(label="Month")

    class Meta:
        model = RealisedSaving
        fields = ["period", "vendor_cost", "governance_cost", "notes"]

    def __init__(self, *args, contract: Contract, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contract, self.today = contract, today

    def clean_period(self) -> dt.date:
        period = self.cleaned_data["period"]
        problem = period_problem(
            period, start=self.contract.start_date, end=self.contract.end_date, today=self.today
        )
        if problem:
            raise forms.ValidationError(problem)
        return period

    def validate_unique(self) -> None:
        pass  # recording a month again corrects it (saving_record updates the row)
