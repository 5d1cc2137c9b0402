"""Scenario forms: what a scenario changes, and which scenarios to compare.

The scenario form takes people's units (per cent, months), turns what was filled in into
the scenario's JSON form and checks it with ``engine.scenarios.parse_scenario``; anything
left blank keeps the base value. A service saves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from accounts.engine.formatting import percent_text
from assessments.engine.assumptions import ASSUMPTIONS, LOCATION_FACTOR
from assessments.engine.questions import QUESTIONS
from assessments.engine.rules import DEFAULT_WEIGHTS
from assessments.engine.scenario_compare import MAX_COMPARED, MIN_COMPARED
from assessments.engine.scenarios import (
    DRIVER_FIELDS,
    DRIVER_LABELS,
    DRIVER_RANGES,
    ESCALATION_RANGE,
    MAX_CONCURRENT,
    MAX_DISCOUNT_RATE,
    MAX_HORIZON,
    MAX_WEIGHT,
    WEIGHT_STEP,
    Scenario,
    ScenarioError,
    parse_scenario,
)
from assessments.engine.vocabulary import (
    DELIVERY_LOCATIONS,
    LOCATION_LABELS,
    MODEL_SHORT,
    MODELS,
    OUTSOURCED_MODELS,
)
from assessments.models.scenario import DESCRIPTION_MAX, NAME_MAX

POINTS = ("low", "mode", "high")
PERCENT_DRIVERS = {name for name in DRIVER_FIELDS if name != "transition_months"}


def _number(step: str, placeholder: str = "") -> forms.NumberInput:
    attrs = {"class": "form-control form-control-sm", "step": step}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.NumberInput(attrs=attrs)


def _decimal(label: str, low: float, high: float, *, placeholder: str = "", step: str = "any"):
    message = f"Enter a number from {low:g} to {high:g}, or leave it blank for the base value."
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=12,
        decimal_places=6,
        widget=_number(step, placeholder),
        validators=[
            MinValueValidator(Decimal(str(low)), message=message),
            MaxValueValidator(Decimal(str(high)), message=message),
        ],
        error_messages={"invalid": message, "max_digits": message, "max_decimal_places": message},
    )


def driver_field_name(driver: str, model: str, point: str) -> str:
    return f"{driver}__{model}__{point}"


def weight_field_name(question: str, model: str) -> str:
    return f"weight__{question}__{model}"


def _weight_text(value: float) -> str:
    return f"{value:+.2f}" if value else "0.00"


class ScenarioForm(forms.Form):
    max_weight = f"{MAX_WEIGHT:g}"
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        error_messages={"required": "Give the scenario a name, e.g. Cautious savings."},
    )
    description = forms.CharField(label="What it tests", max_length=DESCRIPTION_MAX, required=False)
    discount_rate = _decimal("Discount rate (%)", 0, MAX_DISCOUNT_RATE * 100)
    horizon = forms.IntegerField(
        label="Horizon (months)",
        required=False,
        widget=_number("1"),
        validators=[
            MinValueValidator(1, message=f"The horizon is 1 to {MAX_HORIZON} months."),
            MaxValueValidator(MAX_HORIZON, message=f"The horizon is 1 to {MAX_HORIZON} months."),
        ],
        error_messages={"invalid": "Enter the horizon in whole months, e.g. 60."},
    )
    inflation_in = _decimal(
        "In-house cost escalation (% a year)",
        ESCALATION_RANGE[0] * 100,
        ESCALATION_RANGE[1] * 100,
        placeholder="3.5",
    )
    inflation_vendor = _decimal(
        "Vendor fee escalation (% a year)",
        ESCALATION_RANGE[0] * 100,
        ESCALATION_RANGE[1] * 100,
        placeholder="4",
    )
    gate_on_payback = forms.ChoiceField(
        label="Wave 2 starts",
        required=False,
        choices=[
            ("", "As in the base: once wave 1 has paid back"),
            ("yes", "Once wave 1 has paid back (realised savings)"),
            ("no", "When wave 1's transitions end, without waiting for payback"),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    max_concurrent = forms.IntegerField(
        label="Transitions at once (at most)",
        required=False,
        widget=_number("1", "3"),
        validators=[
            MinValueValidator(1, message=f"Allow 1 to {MAX_CONCURRENT} transitions at once."),
            MaxValueValidator(
                MAX_CONCURRENT, message=f"Allow 1 to {MAX_CONCURRENT} transitions at once."
            ),
        ],
        error_messages={"invalid": "Enter a whole number of transitions, e.g. 3."},
    )
    allowed_locations = forms.MultipleChoiceField(
        label="Delivery allowed",
        required=False,
        choices=[(loc, LOCATION_LABELS.get(loc, loc)) for loc in DELIVERY_LOCATIONS],
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to allow every location. A process recommended "
        "elsewhere moves to the nearest allowed location.",
    )

    def __init__(self, *args: Any, initial_changes: Scenario | None = None, **kwargs: Any):
        self.kept_overrides = dict(initial_changes.overrides) if initial_changes else {}
        if initial_changes is not None:
            kwargs["initial"] = {**_initial(initial_changes), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        for location in DELIVERY_LOCATIONS:
            self.fields[f"factor__{location}"] = _decimal(
                f"{LOCATION_LABELS.get(location, location)} (% of the gross saving)",
                0,
                100,
                placeholder=percent_text(LOCATION_FACTOR[location]),
            )
        for driver in DRIVER_FIELDS:
            low, high = DRIVER_RANGES[driver]
            scale = 100 if driver in PERCENT_DRIVERS else 1
            for model in OUTSOURCED_MODELS:
                default = getattr(ASSUMPTIONS[model], DRIVER_FIELDS[driver])
                for point in POINTS:
                    value = getattr(default, point)
                    self.fields[driver_field_name(driver, model, point)] = _decimal(
                        f"{DRIVER_LABELS[driver]}, {model}, {point}",
                        low * scale,
                        high * scale,
                        placeholder=percent_text(value) if scale == 100 else f"{value:g}",
                    )

        for question in QUESTIONS:
            for model in MODELS:
                self.fields[weight_field_name(question.key, model)] = _decimal(
                    f"Weight of {question.label} for {MODEL_SHORT.get(model, model)}",
                    -MAX_WEIGHT,
                    MAX_WEIGHT,
                    placeholder=_weight_text(DEFAULT_WEIGHTS.weight(question.key, model)),
                    step=f"{WEIGHT_STEP:g}",
                )

    def weight_models(self) -> list[str]:
        return [MODEL_SHORT.get(model, model) for model in MODELS]

    def weight_rows(self) -> list[dict[str, Any]]:
        """The weight table: one row per question, one input per model."""
        return [
            {
                "question": question.label,
                "fields": [self[weight_field_name(question.key, m)] for m in MODELS],
                "errors": [
                    error
                    for m in MODELS
                    for error in self[weight_field_name(question.key, m)].errors
                ],
            }
            for question in QUESTIONS
        ]

    def location_fields(self) -> list[forms.BoundField]:
        return [self[f"factor__{location}"] for location in DELIVERY_LOCATIONS]

    def driver_rows(self) -> list[dict[str, Any]]:
        """The triangles grid: one row per driver and model, three inputs each."""
        return [
            {
                "driver": DRIVER_LABELS[driver],
                "model": model,
                "unit": "%" if driver in PERCENT_DRIVERS else "months",
                "fields": [self[driver_field_name(driver, model, p)] for p in POINTS],
                "errors": [
                    error
                    for p in POINTS
                    for error in self[driver_field_name(driver, model, p)].errors
                ],
            }
            for driver in DRIVER_FIELDS
            for model in OUTSOURCED_MODELS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        changes: dict[str, Any] = {}
        if data.get("discount_rate") is not None:
            changes["discount_rate"] = float(data["discount_rate"]) / 100
        if data.get("horizon") is not None:
            changes["horizon"] = data["horizon"]
        escalation = {
            key: float(data[field]) / 100
            for key, field in (("in_house", "inflation_in"), ("vendor", "inflation_vendor"))
            if data.get(field) is not None
        }
        if escalation:
            changes["escalation"] = escalation
        waves: dict[str, Any] = {}
        if data.get("gate_on_payback"):
            waves["gate_on_payback"] = data["gate_on_payback"] == "yes"
        if data.get("max_concurrent") is not None:
            waves["max_concurrent"] = data["max_concurrent"]
        if waves:
            changes["waves"] = waves
        if data.get("allowed_locations"):
            changes["allowed_locations"] = list(data["allowed_locations"])
        factors = {
            loc: float(data[f"factor__{loc}"]) / 100
            for loc in DELIVERY_LOCATIONS
            if data.get(f"factor__{loc}") is not None
        }
        if factors:
            changes["location_factors"] = factors
        drivers = self._drivers(data)
        if drivers:
            changes["drivers"] = drivers
        weights = self._weights(data)
        if weights:
            changes["weights"] = weights
        if self.errors:
            return data
        if self.kept_overrides:
            changes["overrides"] = {
                name: {"model": o.model, **({"location": o.location} if o.location else {})}
                for name, o in self.kept_overrides.items()
            }
        try:
            data["changes"] = parse_scenario(changes)
        except ScenarioError as error:
            raise forms.ValidationError(str(error)) from None
        return data

    def _weights(self, data: dict[str, Any]) -> dict[str, dict[str, float]]:
        """The weights filled in, question -> model -> weight; a value off the 0.05 grid
        is marked on its field."""
        weights: dict[str, dict[str, float]] = {}
        step = Decimal(str(WEIGHT_STEP))
        for question in QUESTIONS:
            for model in MODELS:
                name = weight_field_name(question.key, model)
                value = data.get(name)
                if value is None:
                    continue
                if value % step != 0:
                    self.add_error(
                        name,
                        f"{question.label}, {MODEL_SHORT.get(model, model)}: weights go in "
                        f"steps of {WEIGHT_STEP:g}, as the published ones do (e.g. "
                        f"{_weight_text(float((value / step).quantize(Decimal(1)) * step))}).",
                    )
                    continue
                weights.setdefault(question.key, {})[model] = float(value)
        return weights

    def _drivers(self, data: dict[str, Any]) -> dict[str, dict[str, list[float]]]:
        drivers: dict[str, dict[str, list[float]]] = {}
        for driver in DRIVER_FIELDS:
            scale = 100 if driver in PERCENT_DRIVERS else 1
            for model in OUTSOURCED_MODELS:
                names = [driver_field_name(driver, model, p) for p in POINTS]
                values = [data.get(n) for n in names]
                if all(v is None for v in values):
                    continue
                if any(v is None for v in values):
                    self.add_error(
                        names[0],
                        f"{DRIVER_LABELS[driver]}, {model}: fill in low, most likely and "
                        "high, or leave all three blank for the base values.",
                    )
                    continue
                triangle = [float(v) / scale for v in values if v is not None]
                if not triangle[0] <= triangle[1] <= triangle[2]:
                    self.add_error(
                        names[0],
                        f"{DRIVER_LABELS[driver]}, {model}: low must not be above the most "
                        "likely value, nor the most likely above high.",
                    )
                    continue
                drivers.setdefault(driver, {})[model] = triangle
        return drivers


def _initial(changes: Scenario) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if changes.discount_rate is not None:
        initial["discount_rate"] = percent_text(changes.discount_rate)
    if changes.horizon is not None:
        initial["horizon"] = changes.horizon
    if changes.inflation_in is not None:
        initial["inflation_in"] = percent_text(changes.inflation_in)
    if changes.inflation_vendor is not None:
        initial["inflation_vendor"] = percent_text(changes.inflation_vendor)
    if changes.gate_on_payback is not None:
        initial["gate_on_payback"] = "yes" if changes.gate_on_payback else "no"
    if changes.max_concurrent is not None:
        initial["max_concurrent"] = changes.max_concurrent
    if changes.allowed_locations is not None:
        initial["allowed_locations"] = list(changes.allowed_locations)
    for location, factor in changes.location_factors.items():
        initial[f"factor__{location}"] = percent_text(factor)
    for driver, by_model in changes.drivers.items():
        for model, triangle in by_model.items():
            for point in POINTS:
                value = getattr(triangle, point)
                shown = percent_text(value) if driver in PERCENT_DRIVERS else f"{value:g}"
                initial[driver_field_name(driver, model, point)] = shown
    for question, cells in changes.weights.changes().items():
        for model, weight in cells.items():
            initial[weight_field_name(question, model)] = f"{weight:.2f}"
    return initial


class CompareForm(forms.Form):
    """Which of the assessment's scenarios to put side by side (2 to 4)."""

    scenarios = forms.TypedMultipleChoiceField(
        coerce=int,
        label="Scenarios to compare",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": f"Choose {MIN_COMPARED} to {MAX_COMPARED} scenarios to compare.",
            "invalid_choice": "Choose among this assessment's scenarios.",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["scenarios"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices

    def clean_scenarios(self) -> list[int]:
        chosen = list(dict.fromkeys(self.cleaned_data["scenarios"]))
        if not MIN_COMPARED <= len(chosen) <= MAX_COMPARED:
            raise forms.ValidationError(
                f"Choose {MIN_COMPARED} to {MAX_COMPARED} scenarios to compare; you chose "
                f"{len(chosen)}."
            )
        return chosen
