"""Named scenarios: what a scenario changes, checked strictly, and how it is applied.

Pure: no Django. A scenario is a set of changes to the assessment's own settings (the
"Base"): the projection's assumptions (discount rate, horizon, the triangle of each driver
per model, the location factors, the escalation), the wave rules (gating on wave 1's
payback, transitions at once) and chosen overrides (a process's model and location, or
delivery locations that are not allowed). Everything left out keeps the base value.

The JSON form (``parse_scenario``) is what the ``project --scenario`` command reads and
what a stored scenario keeps. Its keys:

- ``discount_rate``: annual, a fraction from 0 to 0.5;
- ``horizon``: months, a whole number from 1 to 240;
- ``drivers``: driver name -> model -> ``[low, mode, high]``, the driver names of the
  methodology: ``gross_saving``, ``transition_months``, ``one_time_cost``, ``governance``,
  ``productivity_dip``; models ``ITO``, ``BPO``, ``KPO``;

and, for scenarios kept in the app (not the command's file):

- ``location_factors``: location -> share of the gross saving reached there (0 to 1);
- ``escalation``: ``{"in_house": rate, "vendor": rate}``, yearly, -0.1 to 0.3;
- ``waves``: ``{"gate_on_payback": bool, "max_concurrent": 1 to 20}``;
- ``allowed_locations``: delivery locations allowed; a process recommended elsewhere moves
  to the nearest allowed one (offshore, then nearshore, then onshore);
- ``overrides``: process name -> ``{"model": ..., "location": ...}``;
- ``weights``: question key -> model -> scoring weight, only the cells that change; each
  a multiple of 0.05 from -1 to +1 (``parse_weights``). The scenario's recommendations
  are scored with the changed table.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assessments.engine.assumptions import (
    DEFAULT_SET,
    INFLATION_IN,
    INFLATION_VENDOR,
    AssumptionSet,
    ModelAssumptions,
    Triangle,
    using_assumptions,
)
from assessments.engine.pipeline import Assessed, ProcessInput, assess
from assessments.engine.questions import QUESTION_KEYS, QUESTIONS_BY_KEY
from assessments.engine.rules import DEFAULT_WEIGHTS, MAX_WEIGHT_TWENTIETHS, ScoringWeights
from assessments.engine.sequencer import MAX_CONCURRENT_TRANSITIONS
from assessments.engine.vocabulary import (
    DELIVERY_LOCATIONS,
    MODEL_SHORT,
    MODELS,
    NEARSHORE,
    OFFSHORE,
    ONSHORE,
    OUTSOURCED_MODELS,
)

# The names of the scenario file, and the engine's fields they set (projection_drivers).
DRIVER_FIELDS: dict[str, str] = {
    "gross_saving": "saving",
    "transition_months": "transition_months",
    "one_time_cost": "one_time_cost",
    "governance": "governance",
    "productivity_dip": "dip",
}
DRIVER_LABELS: dict[str, str] = {
    "gross_saving": "Gross saving (share of in-house cost)",
    "transition_months": "Transition length (months)",
    "one_time_cost": "One-time transition cost (share of annual cost)",
    "governance": "Governance cost (share of the vendor fee)",
    "productivity_dip": "Productivity dip at go-live (share of in-house cost)",
}
# What a value may be, low to high: wide enough for any believable case, narrow enough
# that a typing slip (20 for 0.20) is refused rather than projected.
DRIVER_RANGES: dict[str, tuple[float, float]] = {
    "gross_saving": (-0.5, 0.95),
    "transition_months": (0.0, 60.0),
    "one_time_cost": (0.0, 5.0),
    "governance": (0.0, 1.0),
    "productivity_dip": (0.0, 1.0),
}
FILE_KEYS: tuple[str, ...] = ("discount_rate", "horizon", "drivers")
APP_KEYS: tuple[str, ...] = (
    *FILE_KEYS,
    "location_factors",
    "escalation",
    "waves",
    "allowed_locations",
    "overrides",
    "weights",
)
BASE_NAME = "Base"
MAX_DISCOUNT_RATE = 0.5
MAX_HORIZON = 240
MAX_CONCURRENT = 20
ESCALATION_RANGE = (-0.1, 0.3)
MAX_TEXT_BYTES = 200_000
MAX_OVERRIDES = 5_000
# A weight is a multiple of WEIGHT_STEP (the published table's precision, which keeps
# every score an exact number of fortieths) from -MAX_WEIGHT to +MAX_WEIGHT.
WEIGHT_STEP = 0.05
MAX_WEIGHT = MAX_WEIGHT_TWENTIETHS / 20
# Nearest first: where a process goes when its location is not allowed.
NEAREST: dict[str, tuple[str, ...]] = {
    OFFSHORE: (NEARSHORE, ONSHORE),
    NEARSHORE: (ONSHORE, OFFSHORE),
    ONSHORE: (NEARSHORE, OFFSHORE),
}


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message says what is wrong, in words."""


@dataclass(frozen=True)
class Override:
    model: str
    location: str | None = None


@dataclass(frozen=True)
class Scenario:
    """The changes of one scenario; None or empty means "as in the base"."""

    discount_rate: float | None = None
    horizon: int | None = None
    drivers: Mapping[str, Mapping[str, Triangle]] = field(default_factory=dict)
    location_factors: Mapping[str, float] = field(default_factory=dict)
    inflation_in: float | None = None
    inflation_vendor: float | None = None
    gate_on_payback: bool | None = None
    max_concurrent: int | None = None
    allowed_locations: tuple[str, ...] | None = None
    overrides: Mapping[str, Override] = field(default_factory=dict)
    weights: ScoringWeights = DEFAULT_WEIGHTS

    @property
    def is_base(self) -> bool:
        return self == Scenario()

    @property
    def scoring_weights(self) -> ScoringWeights | None:
        """The weight table to score with; None when the scenario keeps the published one
        (the scorers' fast default path)."""
        return None if self.weights.is_default else self.weights

    def assumption_set(self, base: AssumptionSet = DEFAULT_SET) -> AssumptionSet | None:
        """The base set with this scenario's triangles and factors; None when it changes
        neither (the base set applies as it is)."""
        if not self.drivers and not self.location_factors:
            return None
        models = {}
        for model, drivers in base.models.items():
            changes: dict[str, Any] = {
                DRIVER_FIELDS[name]: by_model[model]
                for name, by_model in self.drivers.items()
                if model in by_model
            }
            models[model] = replace(drivers, **changes) if changes else drivers
        factors = {**base.location_factors, **self.location_factors}
        return AssumptionSet(models=models, location_factors=factors)

    def settings(
        self, *, horizon: int, discount_rate: float
    ) -> tuple[int, float, dict[str, float], dict[str, Any]]:
        """(horizon, discount rate, escalation, wave rules) with the base's values where the
        scenario sets none."""
        escalation = {
            "inflation_in": INFLATION_IN if self.inflation_in is None else self.inflation_in,
            "inflation_vendor": (
                INFLATION_VENDOR if self.inflation_vendor is None else self.inflation_vendor
            ),
        }
        waves = {
            "gate_on_payback": True if self.gate_on_payback is None else self.gate_on_payback,
            "max_concurrent": (
                MAX_CONCURRENT_TRANSITIONS if self.max_concurrent is None else self.max_concurrent
            ),
        }
        return (
            horizon if self.horizon is None else self.horizon,
            discount_rate if self.discount_rate is None else self.discount_rate,
            escalation,
            waves,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, only the keys set; ``parse_scenario`` reads it back unchanged."""
        data: dict[str, Any] = {}
        if self.discount_rate is not None:
            data["discount_rate"] = self.discount_rate
        if self.horizon is not None:
            data["horizon"] = self.horizon
        if self.drivers:
            data["drivers"] = {
                name: {m: [t.low, t.mode, t.high] for m, t in by_model.items()}
                for name, by_model in self.drivers.items()
            }
        if self.location_factors:
            data["location_factors"] = dict(self.location_factors)
        escalation = {
            k: v
            for k, v in (("in_house", self.inflation_in), ("vendor", self.inflation_vendor))
            if v is not None
        }
        if escalation:
            data["escalation"] = escalation
        waves = {
            k: v
            for k, v in (
                ("gate_on_payback", self.gate_on_payback),
                ("max_concurrent", self.max_concurrent),
            )
            if v is not None
        }
        if waves:
            data["waves"] = waves
        if self.allowed_locations is not None:
            data["allowed_locations"] = list(self.allowed_locations)
        if self.overrides:
            data["overrides"] = {
                name: {"model": o.model, **({"location": o.location} if o.location else {})}
                for name, o in self.overrides.items()
            }
        if not self.weights.is_default:
            data["weights"] = self.weights.changes()
        return data

    def describe(self) -> list[str]:
        """One plain sentence per change, for the pages and the board pack."""
        lines = []
        if self.discount_rate is not None:
            lines.append(f"Discount rate {self.discount_rate:.1%}")
        if self.horizon is not None:
            lines.append(f"Horizon {self.horizon} months")
        for name, by_model in self.drivers.items():
            for model, t in by_model.items():
                unit = "{:g}" if name == "transition_months" else "{:.0%}"
                low, mode, high = (unit.format(v) for v in (t.low, t.mode, t.high))
                lines.append(f"{DRIVER_LABELS[name]}, {model}: {low} / {mode} / {high}")
        for location, factor in self.location_factors.items():
            lines.append(f"Savings reached {location}: {factor:.0%} of the gross saving")
        if self.inflation_in is not None:
            lines.append(f"In-house cost escalation {self.inflation_in:.1%} a year")
        if self.inflation_vendor is not None:
            lines.append(f"Vendor fee escalation {self.inflation_vendor:.1%} a year")
        if self.gate_on_payback is not None:
            lines.append(
                "Wave 2 waits for wave 1 to pay back"
                if self.gate_on_payback
                else "Wave 2 starts when wave 1's transitions end, without waiting for payback"
            )
        if self.max_concurrent is not None:
            lines.append(f"At most {self.max_concurrent} transitions at once")
        if self.allowed_locations is not None:
            lines.append(f"Delivery only {', '.join(self.allowed_locations)}")
        for name, o in self.overrides.items():
            where = f" ({o.location})" if o.location else ""
            lines.append(f"{name}: {o.model}{where}")
        for question, cells in self.weights.changes().items():
            label = QUESTIONS_BY_KEY[question].label
            for model, weight in cells.items():
                was = DEFAULT_WEIGHTS.weight(question, model)
                lines.append(
                    f"Scoring weight of {label.lower()} for {MODEL_SHORT.get(model, model)}: "
                    f"{weight:+.2f} (published {was:+.2f})"
                )
        return lines or ["The assessment's own settings"]


# Reading -------------------------------------------------------------------------------


def load_scenario_json(text: str | bytes, *, keys: Sequence[str] = FILE_KEYS) -> Scenario:
    """Parse and check a scenario given as JSON text; ScenarioError says what is wrong.

    Refuses text over ``MAX_TEXT_BYTES``, ``NaN`` and ``Infinity``, numbers too long to
    read, and nesting too deep to read, each with a sentence rather than a crash.
    """
    if len(text) > MAX_TEXT_BYTES:
        raise ScenarioError(
            f"The scenario is {len(text):,} bytes; at most {MAX_TEXT_BYTES:,} are read."
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError("The scenario is not UTF-8 text.") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ScenarioError("The scenario is nested too deeply to be a scenario.") from None
    except ScenarioError:
        raise
    except ValueError as error:  # JSONDecodeError, and integers too long to convert
        raise ScenarioError(f"The scenario is not valid JSON: {error}.") from None
    return parse_scenario(data, keys=keys)


def _no_constant(name: str) -> Any:
    raise ScenarioError(f"{name} is not a number a scenario can use.")


def parse_scenario(data: object, *, keys: Sequence[str] = APP_KEYS) -> Scenario:
    """Check a scenario's JSON form strictly: ScenarioError names the first problem."""
    if not isinstance(data, dict):
        raise ScenarioError('A scenario must be a JSON object, such as {"discount_rate": 0.1}.')
    unknown = [str(k) for k in data if k not in keys]
    if unknown:
        raise ScenarioError(
            f"Unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown[:5]))};"
            f" a scenario may have {', '.join(keys)}."
        )
    escalation = _escalation(data.get("escalation"))
    waves = _waves(data.get("waves"))
    return Scenario(
        discount_rate=_optional_number(
            data.get("discount_rate"), "discount_rate", 0.0, MAX_DISCOUNT_RATE, hint=True
        ),
        horizon=_horizon(data.get("horizon")),
        drivers=_drivers(data.get("drivers")),
        location_factors=_location_factors(data.get("location_factors")),
        inflation_in=escalation.get("in_house"),
        inflation_vendor=escalation.get("vendor"),
        gate_on_payback=waves.get("gate_on_payback"),
        max_concurrent=waves.get("max_concurrent"),
        allowed_locations=_allowed(data.get("allowed_locations")),
        overrides=_overrides(data.get("overrides")),
        weights=parse_weights(data.get("weights")),
    )


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where} must be a number, not {_shown(value)}.")
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(f"{where} must be a finite number.")
    return number


def _optional_number(
    value: object, where: str, low: float, high: float, *, hint: bool = False
) -> float | None:
    if value is None:
        return None
    number = _number(value, where)
    if not low <= number <= high:
        extra = (
            f" Write {number:g} % as {number / 100:g}." if hint and 1 < number <= 100 * high else ""
        )
        raise ScenarioError(f"{where} must be from {low:g} to {high:g}; got {number:g}.{extra}")
    return number


def _horizon(value: object) -> int | None:
    if value is None:
        return None
    number = _number(value, "horizon")
    if number != int(number) or not 1 <= number <= MAX_HORIZON:
        raise ScenarioError(
            f"horizon must be a whole number of months from 1 to {MAX_HORIZON}; got {number:g}."
        )
    return int(number)


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where} must be a JSON object, not {_shown(value)}.")
    return value


def _drivers(value: object) -> dict[str, dict[str, Triangle]]:
    if value is None:
        return {}
    drivers: dict[str, dict[str, Triangle]] = {}
    for name, by_model in _mapping(value, "drivers").items():
        if name not in DRIVER_FIELDS:
            raise ScenarioError(
                f"Unknown driver {_shown(name)}; the drivers are {', '.join(DRIVER_FIELDS)}."
            )
        checked: dict[str, Triangle] = {}
        for model, triangle in _mapping(by_model, f"drivers.{name}").items():
            if model not in OUTSOURCED_MODELS:
                raise ScenarioError(
                    f"Unknown model {_shown(model)} in drivers.{name}; the models are "
                    f"{', '.join(OUTSOURCED_MODELS)}."
                )
            checked[model] = _triangle(triangle, name, f"drivers.{name}.{model}")
        if checked:
            drivers[name] = checked
    return drivers


def _triangle(value: object, name: str, where: str) -> Triangle:
    if not isinstance(value, list) or len(value) != 3:
        raise ScenarioError(f"{where} must be a list of three numbers [low, mode, high].")
    low, mode, high = (_number(v, where) for v in value)
    if not low <= mode <= high:
        raise ScenarioError(
            f"{where} must have low <= mode <= high; got [{low:g}, {mode:g}, {high:g}]."
        )
    bottom, top = DRIVER_RANGES[name]
    if low < bottom or high > top:
        raise ScenarioError(
            f"{where} must lie from {bottom:g} to {top:g}; got [{low:g}, {mode:g}, {high:g}]."
            + (" Shares are fractions: write 20 % as 0.2." if top <= 5 and high > 1 else "")
        )
    return Triangle(low, mode, high)


def _location_factors(value: object) -> dict[str, float]:
    if value is None:
        return {}
    factors = {}
    for location, factor in _mapping(value, "location_factors").items():
        if location not in DELIVERY_LOCATIONS:
            raise ScenarioError(
                f"Unknown location {_shown(location)}; the locations are "
                f"{', '.join(DELIVERY_LOCATIONS)}."
            )
        checked = _optional_number(factor, f"location_factors.{location}", 0.0, 1.0)
        assert checked is not None
        factors[location] = checked
    return factors


def _escalation(value: object) -> dict[str, float]:
    if value is None:
        return {}
    rates = {}
    for key, rate in _mapping(value, "escalation").items():
        if key not in ("in_house", "vendor"):
            raise ScenarioError(f"Unknown escalation {_shown(key)}; use in_house and vendor.")
        checked = _optional_number(rate, f"escalation.{key}", *ESCALATION_RANGE)
        if checked is not None:
            rates[key] = checked
    return rates


def _waves(value: object) -> dict[str, Any]:
    if value is None:
        return {}
    rules: dict[str, Any] = {}
    for key, rule in _mapping(value, "waves").items():
        if key == "gate_on_payback":
            if not isinstance(rule, bool):
                raise ScenarioError("waves.gate_on_payback must be true or false.")
            rules[key] = rule
        elif key == "max_concurrent":
            number = _number(rule, "waves.max_concurrent")
            if number != int(number) or not 1 <= number <= MAX_CONCURRENT:
                raise ScenarioError(
                    f"waves.max_concurrent must be a whole number from 1 to {MAX_CONCURRENT}."
                )
            rules[key] = int(number)
        else:
            raise ScenarioError(
                f"Unknown wave rule {_shown(key)}; use gate_on_payback and max_concurrent."
            )
    return rules


def _allowed(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise ScenarioError("allowed_locations must be a non-empty list of locations.")
    for location in value:
        if location not in DELIVERY_LOCATIONS:
            raise ScenarioError(
                f"Unknown location {_shown(location)} in allowed_locations; the locations "
                f"are {', '.join(DELIVERY_LOCATIONS)}."
            )
    return tuple(loc for loc in DELIVERY_LOCATIONS if loc in value)


def _overrides(value: object) -> dict[str, Override]:
    if value is None:
        return {}
    mapping = _mapping(value, "overrides")
    if len(mapping) > MAX_OVERRIDES:
        raise ScenarioError(f"A scenario may override at most {MAX_OVERRIDES:,} processes.")
    overrides = {}
    for name, change in mapping.items():
        fields = _mapping(change, f"overrides.{name}")
        extra = set(fields) - {"model", "location"}
        if extra:
            raise ScenarioError(f"overrides.{name} may only set model and location.")
        model = fields.get("model")
        if model not in MODELS:
            raise ScenarioError(
                f"overrides.{name}.model must be one of {', '.join(MODELS)}; got {_shown(model)}."
            )
        location = fields.get("location")
        if location is not None and location not in DELIVERY_LOCATIONS:
            raise ScenarioError(
                f"overrides.{name}.location must be one of {', '.join(DELIVERY_LOCATIONS)}."
            )
        overrides[str(name)] = Override(model=model, location=location)
    return overrides


def parse_weights(value: object) -> ScoringWeights:
    """A scenario's weight changes, question key -> model -> weight, as a weight table (the
    published one with those cells replaced). ScenarioError for an unknown question or
    model, a weight that is not a finite number, one beyond +/-MAX_WEIGHT, or one that is
    not a multiple of WEIGHT_STEP."""
    if value is None:
        return DEFAULT_WEIGHTS
    changes: dict[str, dict[str, float]] = {}
    for question, by_model in _mapping(value, "weights").items():
        if question not in QUESTION_KEYS:
            raise ScenarioError(
                f"Unknown question {_shown(question)} in weights; the questions are "
                f"{', '.join(QUESTION_KEYS)}."
            )
        for model, weight in _mapping(by_model, f"weights.{question}").items():
            where = f"weights.{question}.{model}"
            if model not in MODELS:
                raise ScenarioError(
                    f"Unknown model {_shown(model)} in weights.{question}; the models are "
                    f"{', '.join(MODELS)}."
                )
            number = _number(weight, where)
            if not -MAX_WEIGHT <= number <= MAX_WEIGHT:
                raise ScenarioError(
                    f"{where} must be from {-MAX_WEIGHT:g} to {MAX_WEIGHT:g}; got {number:g}."
                )
            steps = number / WEIGHT_STEP
            if abs(steps - round(steps)) > 1e-9:
                raise ScenarioError(
                    f"{where} must be a multiple of {WEIGHT_STEP:g}, as the published "
                    f"weights are; got {number:g}."
                )
            changes.setdefault(str(question), {})[str(model)] = round(steps) * WEIGHT_STEP
    return DEFAULT_WEIGHTS.with_changes(changes)


def _shown(value: object) -> str:
    text = json.dumps(value) if isinstance(value, str | int | float | bool | None) else None
    if text is None:
        text = type(value).__name__.replace("dict", "an object").replace("list", "a list")
    return text if len(text) <= 40 else text[:37] + "..."


# Applying ------------------------------------------------------------------------------


def scenario_inputs(
    processes: Sequence[ProcessInput],
    scenario: Scenario,
    recommended_locations: Mapping[str, str | None],
) -> list[ProcessInput]:
    """The processes with the scenario's overrides and location rule applied.

    ``recommended_locations``: the location the engine recommends for each process (its
    base recommendation, before overrides). A scenario override replaces the manager's;
    a location not allowed moves to the nearest allowed one, keeping the model.
    """
    unknown = sorted(set(scenario.overrides) - {p.name for p in processes})
    if unknown:
        raise ScenarioError(
            f"The scenario overrides processes the assessment does not have: "
            f"{', '.join(unknown[:5])}."
        )
    changed = []
    for process in processes:
        override = scenario.overrides.get(process.name)
        model = override.model if override else process.override_model
        location = (
            override.location if override and override.location else process.override_location
        )
        allowed = scenario.allowed_locations
        if allowed is not None:
            where = location or recommended_locations.get(process.name)
            if where in NEAREST and where not in allowed:
                location = next(loc for loc in NEAREST[where] if loc in allowed)
        changed.append(
            replace(process, override_model=model or None, override_location=location or None)
        )
    return changed


@dataclass(frozen=True)
class ScenarioRun:
    """A scenario applied to an inventory: its recommendations and roadmap, and what its
    projection needs besides the scheduled processes."""

    assessed: Assessed
    horizon: int
    discount_rate: float
    escalation: dict[str, float]
    assumptions: AssumptionSet | None


def run_scenario(
    processes: Sequence[ProcessInput],
    scenario: Scenario,
    *,
    horizon: int,
    discount_rate: float,
    base_assumptions: AssumptionSet | None = None,
) -> ScenarioRun:
    """Score and sequence the processes under the scenario (the pipeline's ``assess``, with
    the scenario's weight table, overrides, wave rules and assumption set), as the base
    would be. The locations the location rule starts from are scored with the scenario's
    weights too.

    ``horizon`` and ``discount_rate`` are the base's; the scenario's replace them if set.
    ``base_assumptions`` is the set the organisation's own projections start from (its
    calibrated ranges, when it chose them; None: the published defaults): the scenario's
    triangles and factors replace its values in the set its projection runs on. The plan
    is sequenced as the assessment's roadmap is, from the published ranges with the
    scenario's changes, so the Base scenario projects exactly the assessment's own plan.
    """
    weights = scenario.scoring_weights
    base = assess(processes, horizon=horizon, discount_rate=discount_rate, weights=weights)
    recommended = {p.name: p.recommendation.location for p in base.processes}
    months, rate, escalation, waves = scenario.settings(
        horizon=horizon, discount_rate=discount_rate
    )
    changed = scenario_inputs(processes, scenario, recommended)
    # The plan is sequenced as the assessment's own roadmap is, from the published ranges
    # with the scenario's changes; the projection runs on the organisation's base set.
    with using_assumptions(scenario.assumption_set()):
        assessed = assess(changed, horizon=months, discount_rate=rate, weights=weights, **waves)
    return ScenarioRun(
        assessed=assessed,
        horizon=months,
        discount_rate=rate,
        escalation=escalation,
        assumptions=scenario.assumption_set(base_assumptions or DEFAULT_SET) or base_assumptions,
    )


def assumptions_to_json(assumptions: AssumptionSet | None) -> dict[str, Any] | None:
    """An assumption set as plain JSON (for a projection's stored inputs); None stays None."""
    if assumptions is None:
        return None
    return {
        "models": {
            model: {
                **{
                    name: [t.low, t.mode, t.high]
                    for name in DRIVER_FIELDS.values()
                    for t in (getattr(drivers, name),)
                },
                "dip_months": drivers.dip_months,
            }
            for model, drivers in assumptions.models.items()
        },
        "location_factors": dict(assumptions.location_factors),
    }


def assumptions_from_json(data: object) -> AssumptionSet | None:
    """The set ``assumptions_to_json`` wrote; None for None. ValueError when unreadable."""
    if data is None:
        return None
    try:
        assert isinstance(data, dict)
        models = {
            model: ModelAssumptions(
                **{
                    name: Triangle(*(float(v) for v in values[name]))
                    for name in DRIVER_FIELDS.values()
                },
                dip_months=int(values["dip_months"]),
            )
            for model, values in data["models"].items()
        }
        factors = {k: float(v) for k, v in data["location_factors"].items()}
    except (AssertionError, AttributeError, KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the stored assumption set is unreadable ({error})") from None
    return AssumptionSet(models=models, location_factors=factors)
