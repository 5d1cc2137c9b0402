"""The one choice the calibration page offers: which assumptions new projections start from."""

from __future__ import annotations

from django import forms

USE = "use"
REFRESH = "refresh"
STOP = "stop"


class AssumptionChoiceForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (USE, "Start new projections from the calibrated assumptions"),
            (REFRESH, "Recompute the calibrated assumptions from the current record"),
            (STOP, "Start new projections from the published defaults"),
        ],
        error_messages={
            "required": "Choose what to do with the calibrated assumptions.",
            "invalid_choice": "Choose one of the buttons on the page: use, recompute or stop.",
        },
    )
