"""Input on the results pages: the override form and the what-if request body.

They validate and normalise; the views hand clean data to a service or the engine.
(Kept beside ``forms.py``, which holds the wizard's forms.)
"""

from __future__ import annotations

import json
from typing import Any

from django import forms

from accounts.engine.json_bodies import JsonBodyError, load_json
from assessments.engine.questions import QUESTION_KEYS
from assessments.models.recommendation import Location, Model

OVERRIDE_MODELS = [(code, label) for code, label in Model.choices if code != Model.INSUFFICIENT]
OUTSOURCED_LOCATIONS = [
    (code, label) for code, label in Location.choices if code != Location.IN_HOUSE
]


class OverrideForm(forms.Form):
    model = forms.ChoiceField(
        label="Decided model",
        choices=OVERRIDE_MODELS,
        help_text="What the organisation will do, whatever the engine recommended.",
    )
    location = forms.ChoiceField(
        label="Delivery location",
        choices=[("", "In-house (retain)"), *OUTSOURCED_LOCATIONS],
        required=False,
        help_text="Where an outsourced process will be delivered from; leave it for retain.",
    )
    justification = forms.CharField(
        label="Justification",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="Why the engine's answer does not fit: this is kept with the decision "
        "and shown beside the engine's answer.",
        error_messages={"required": "Say why you override the engine's recommendation."},
    )

    def clean_justification(self) -> str:
        text = self.cleaned_data["justification"].strip()
        if not text:
            raise forms.ValidationError("Say why you override the engine's recommendation.")
        return text

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        model, location = data.get("model"), data.get("location")
        if model == Model.RETAIN:
            data["location"] = Location.IN_HOUSE.value
        elif model and not location:
            self.add_error(
                "location", "Choose where the outsourced process will be delivered from."
            )
        return data


class WhatIfError(ValueError):
    """The what-if request is malformed; ``field`` names the bad key when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def parse_what_if(body: bytes) -> dict[str, int | None]:
    """``{"answers": {key: 1..5 or null}}`` -> answers; a missing key means don't know.

    Raises WhatIfError naming the first bad key or value.
    """
    try:
        payload = load_json(body, max_depth=4)
    except JsonBodyError as error:
        raise WhatIfError(
            f'The request body must be JSON like {{"answers": {{...}}}}. {error}'
        ) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        raise WhatIfError(
            'The request body must be a JSON object with an "answers" object.', field="answers"
        )
    answers: dict[str, int | None] = {}
    for key, value in payload["answers"].items():
        if key not in QUESTION_KEYS:
            raise WhatIfError(
                f"Unknown question {key!r}. Known questions: {', '.join(QUESTION_KEYS)}.",
                field=str(key),
            )
        if value is not None and (type(value) is not int or not 1 <= value <= 5):
            raise WhatIfError(
                f"The answer to {key!r} must be a whole number from 1 to 5, "
                f"or null for don't know; got {json.dumps(value)}.",
                field=key,
            )
        answers[key] = value
    return answers
