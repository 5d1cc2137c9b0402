"""Default drivers of the savings projection (METHODOLOGY section 5).

Pure data: no Django. Every driver that varies between trials is a triangular
distribution ``Triangle(low, mode, high)``; the deterministic projection uses the modes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from assessments.engine.vocabulary import (
    BPO,
    DELIVERY_LOCATIONS,
    ITO,
    KPO,
    NEARSHORE,
    OFFSHORE,
    ONSHORE,
    OUTSOURCED_MODELS,
)

RULES_VERSION = "2026.1"

# Domestic delivery saves far less than offshore labour arbitrage (a design default).
LOCATION_FACTOR: dict[str, float] = {ONSHORE: 0.5, NEARSHORE: 0.8, OFFSHORE: 1.0}

# Annual escalation: in-house cost, and the vendor fee (contracts cap the cost-of-living
# adjustment, so it sits below offshore wage inflation).
INFLATION_IN = 0.035
INFLATION_VENDOR = 0.04

# Above this gross saving a manager's override exceeds what published surveys report.
SAVING_WARNING_THRESHOLD = 0.30


@dataclass(frozen=True)
class Triangle:
    """A triangular distribution; ``low == high`` is allowed and means a fixed value."""

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"A triangle needs low <= mode <= high, got ({self.low}, {self.mode}, {self.high})."
            )

    @classmethod
    def fixed(cls, value: float) -> Triangle:
        return cls(value, value, value)


@dataclass(frozen=True)
class ModelAssumptions:
    """The drivers of one sourcing model.

    ``saving``: gross saving s (vendor fee = (1 - s) x in-house cost), before the
    location factor. ``transition_months``: T, rounded to whole months when used.
    ``one_time_cost``: tau, share of the annual in-house cost. ``governance``: gamma,
    share of the vendor fee. ``dip``: d0, share of in-house cost lost at go-live.
    ``dip_months``: R, the months over which the dip fades linearly (fixed).
    """

    saving: Triangle
    transition_months: Triangle
    one_time_cost: Triangle
    governance: Triangle
    dip: Triangle
    dip_months: int


ASSUMPTIONS: dict[str, ModelAssumptions] = {
    ITO: ModelAssumptions(
        saving=Triangle(0.05, 0.20, 0.35),
        transition_months=Triangle(3, 5, 9),
        one_time_cost=Triangle(0.04, 0.08, 0.15),
        governance=Triangle(0.03, 0.045, 0.10),
        dip=Triangle(0.00, 0.10, 0.20),
        dip_months=6,
    ),
    BPO: ModelAssumptions(
        saving=Triangle(0.10, 0.25, 0.40),
        transition_months=Triangle(3, 6, 12),
        one_time_cost=Triangle(0.05, 0.10, 0.20),
        governance=Triangle(0.03, 0.05, 0.10),
        dip=Triangle(0.05, 0.15, 0.25),
        dip_months=9,
    ),
    KPO: ModelAssumptions(
        saving=Triangle(0.00, 0.15, 0.35),
        transition_months=Triangle(4, 6, 12),
        one_time_cost=Triangle(0.05, 0.10, 0.20),
        governance=Triangle(0.04, 0.07, 0.12),
        dip=Triangle(0.10, 0.20, 0.30),
        dip_months=12,
    ),
}


@dataclass(frozen=True)
class AssumptionSet:
    """Every outsourced model's drivers and every delivery location's factor.

    ``DEFAULT_SET`` holds the published defaults above; a scenario (``engine/scenarios.py``)
    builds another one. The projection and the roadmap read the set made active with
    ``using_assumptions``, the defaults when none is.
    """

    models: Mapping[str, ModelAssumptions]
    location_factors: Mapping[str, float]


DEFAULT_SET = AssumptionSet(models=ASSUMPTIONS, location_factors=LOCATION_FACTOR)
_ACTIVE: ContextVar[AssumptionSet] = ContextVar("assumption_set", default=DEFAULT_SET)


def active_assumptions() -> AssumptionSet:
    return _ACTIVE.get()


@contextmanager
def using_assumptions(assumption_set: AssumptionSet | None) -> Iterator[AssumptionSet]:
    """Make ``assumption_set`` (None: the defaults) the one read inside the block."""
    token = _ACTIVE.set(assumption_set or DEFAULT_SET)
    try:
        yield _ACTIVE.get()
    finally:
        _ACTIVE.reset(token)


def assumptions_for(model: str) -> ModelAssumptions:
    """The drivers of an outsourced model in the active set; ValueError for retain and
    the like."""
    try:
        return _ACTIVE.get().models[model]
    except KeyError:
        raise ValueError(
            f"No projection drivers for model {model!r}: expected one of "
            f"{', '.join(OUTSOURCED_MODELS)}."
        ) from None


def location_factor(location: str) -> float:
    try:
        return _ACTIVE.get().location_factors[location]
    except KeyError:
        raise ValueError(
            f"Unknown delivery location {location!r}: expected one of "
            f"{', '.join(DELIVERY_LOCATIONS)}."
        ) from None


def saving_triangle(model: str, override: Triangle | None = None) -> Triangle:
    """The gross saving triangle of a process: the manager's override, else the model's.

    An override replaces the gross saving s; the location factor still applies to it.
    """
    if override is not None:
        return override
    return assumptions_for(model).saving


def rounded_months(value: float) -> int:
    """Transition months as used by the projection: whole months, at least one."""
    return max(1, round(value))


def saving_override_warning(process_name: str, override: Triangle | None) -> str | None:
    """A sentence when an overridden saving's mode exceeds 30 %, else None.

    The mode is what the deterministic projection and the roadmap use, so it is the value
    checked: the defaults themselves reach 35 to 40 % at their high end.
    """
    if override is None or override.mode <= SAVING_WARNING_THRESHOLD:
        return None
    return (
        f"The saving entered for {process_name} ({override.mode:.0%}) exceeds the "
        f"{SAVING_WARNING_THRESHOLD:.0%} that published surveys report as the top of the "
        "range; treat it as a best case, not a plan."
    )
