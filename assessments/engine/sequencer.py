"""Roadmap: which outsourced process starts when (METHODOLOGY section 4).

Pure: no Django. Wave 1 is ITO from month 0; wave 2 (BPO) waits until wave 1 has paid
back in the deterministic projection; wave 3 (KPO) waits until wave 2's transitions are
complete. Within a wave, quick wins go first and at most three transitions run at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessments.engine.assumptions import (
    Triangle,
    assumptions_for,
    location_factor,
    rounded_months,
    saving_override_warning,
    saving_triangle,
)
from assessments.engine.projection import ProjectedProcess, deterministic_projection
from assessments.engine.ties import tie_ranks
from assessments.engine.vocabulary import UNSCHEDULED_MODELS, WAVE_MODELS

MAX_CONCURRENT_TRANSITIONS = 3


@dataclass(frozen=True)
class RoadmapItem:
    """A process with its recommendation.

    ``model``: ITO, BPO, KPO, retain or insufficient_evidence. ``location`` and
    ``confidence`` (0 to 1) may be None for the last two, which are never scheduled.
    ``saving``: the manager's override of the gross saving triangle, if any.
    """

    name: str
    model: str
    location: str | None
    annual_cost: float
    confidence: float | None
    saving: Triangle | None = None

    def __post_init__(self) -> None:
        if self.model in UNSCHEDULED_MODELS:
            return
        if self.model not in WAVE_MODELS.values():
            raise ValueError(f"{self.name}: unknown sourcing model {self.model!r}.")
        if self.confidence is None or not 0 <= self.confidence <= 1:
            raise ValueError(f"{self.name}: an outsourced process needs a confidence in [0, 1].")
        location_factor(self.location or "")


@dataclass(frozen=True)
class ScheduledProcess:
    name: str
    model: str
    location: str
    annual_cost: float
    wave: int
    start_month: int
    transition_months: int
    go_live_month: int
    quick_win_value: float
    saving: Triangle | None = None


@dataclass(frozen=True)
class Wave:
    """``end_month``: the go-live month of the wave's last transition. ``payback_month``:
    of the wave's own deterministic cumulative net, None if it does not pay back."""

    number: int
    model: str
    start_month: int
    end_month: int
    payback_month: int | None
    process_names: tuple[str, ...]


@dataclass(frozen=True)
class Roadmap:
    horizon: int
    discount_rate: float
    scheduled: tuple[ScheduledProcess, ...]
    waves: tuple[Wave, ...]
    unscheduled: tuple[str, ...]
    warnings: tuple[str, ...]

    def projected_processes(self) -> list[ProjectedProcess]:
        return [_projected(s) for s in self.scheduled]

    def wave(self, number: int) -> Wave | None:
        return next((w for w in self.waves if w.number == number), None)


def quick_win_value(item: RoadmapItem) -> float:
    """annual_cost x s_eff x confidence / T at the modes: savings reached soonest first."""
    if item.location is None or item.confidence is None:
        raise ValueError(f"{item.name} is not outsourced, so it has no quick-win value.")
    model = assumptions_for(item.model)
    s_eff = saving_triangle(item.model, item.saving).mode * location_factor(item.location)
    transition = rounded_months(model.transition_months.mode)
    return item.annual_cost * s_eff * item.confidence / transition


def _schedule_wave(
    items: list[RoadmapItem],
    wave: int,
    start: int,
    max_concurrent: int = MAX_CONCURRENT_TRANSITIONS,
) -> list[ScheduledProcess]:
    model = WAVE_MODELS[wave]
    transition = rounded_months(assumptions_for(model).transition_months.mode)
    values = {item.name: quick_win_value(item) for item in items}
    # Highest first, ties by name. Values equal in exact arithmetic can differ in the
    # last bits (150,000 at confidence 0.30 against 100,000 at 0.45), so ties follow the
    # engines' one tie rule rather than the rounding.
    rank = dict(zip(values, tie_ranks(list(values.values())), strict=True))
    ordered = sorted(items, key=lambda item: (rank[item.name], item.name))
    scheduled = []
    for k, item in enumerate(ordered):
        start_month = start + (k // max_concurrent) * transition
        scheduled.append(
            ScheduledProcess(
                name=item.name,
                model=model,
                location=str(item.location),
                annual_cost=item.annual_cost,
                wave=wave,
                start_month=start_month,
                transition_months=transition,
                go_live_month=start_month + transition,
                quick_win_value=values[item.name],
                saving=item.saving,
            )
        )
    return scheduled


def _projected(s: ScheduledProcess) -> ProjectedProcess:
    return ProjectedProcess(
        name=s.name,
        model=s.model,
        location=s.location,
        annual_cost=s.annual_cost,
        start_month=s.start_month,
        wave=s.wave,
        saving=s.saving,
    )


def build_roadmap(
    items: Sequence[RoadmapItem],
    *,
    horizon: int = 60,
    discount_rate: float = 0.08,
    max_concurrent: int = MAX_CONCURRENT_TRANSITIONS,
    gate_on_payback: bool = True,
) -> Roadmap:
    """``max_concurrent``: transitions at once within a wave. ``gate_on_payback``: wave 2
    waits for wave 1 to pay back (off: it starts when wave 1's last transition ends)."""
    if max_concurrent < 1:
        raise ValueError("At least one transition must be allowed at a time.")
    names = [item.name for item in items]
    if len(set(names)) != len(names):
        raise ValueError("Process names must be unique within a roadmap.")
    by_wave: dict[int, list[RoadmapItem]] = {1: [], 2: [], 3: []}
    unscheduled = []
    for item in items:
        if item.model in UNSCHEDULED_MODELS:
            unscheduled.append(item.name)
            continue
        by_wave[next(w for w, m in WAVE_MODELS.items() if m == item.model)].append(item)

    warnings = [
        w for item in items if (w := saving_override_warning(item.name, item.saving)) is not None
    ]

    wave_1 = _schedule_wave(by_wave[1], 1, 0, max_concurrent)
    wave_2_start = 0
    if wave_1 and gate_on_payback:
        wave_2_start, gate_warning = _after_wave_1(wave_1, horizon, discount_rate)
        if gate_warning:
            warnings.append(gate_warning)
    elif wave_1:
        wave_2_start = max(s.go_live_month for s in wave_1)
    wave_2 = _schedule_wave(by_wave[2], 2, wave_2_start, max_concurrent)
    # A KPO partnership needs working vendor governance first: wait for wave 2's go-lives.
    wave_3_start = max((s.go_live_month for s in wave_2), default=wave_2_start)
    wave_3 = _schedule_wave(by_wave[3], 3, wave_3_start, max_concurrent)

    scheduled = wave_1 + wave_2 + wave_3
    overlap = _overlap_warning(scheduled, max_concurrent)
    if overlap:
        warnings.append(overlap)
    late = [s.name for s in scheduled if s.start_month >= horizon]
    if late:
        warnings.append(
            f"{', '.join(late)} would start after the {horizon}-month horizon, so the "
            "projection shows no effect from them; lengthen the horizon to see it."
        )

    projection = deterministic_projection(
        [_projected(s) for s in scheduled], horizon=horizon, discount_rate=discount_rate
    )
    waves = tuple(
        Wave(
            number=number,
            model=WAVE_MODELS[number],
            start_month=min(s.start_month for s in members),
            end_month=max(s.go_live_month for s in members),
            payback_month=projection.wave_payback_month[number],
            process_names=tuple(s.name for s in members),
        )
        for number, members in ((1, wave_1), (2, wave_2), (3, wave_3))
        if members
    )
    return Roadmap(
        horizon=horizon,
        discount_rate=discount_rate,
        scheduled=tuple(scheduled),
        waves=waves,
        unscheduled=tuple(unscheduled),
        warnings=tuple(warnings),
    )


def _after_wave_1(
    wave_1: list[ScheduledProcess], horizon: int, discount_rate: float
) -> tuple[int, str | None]:
    """Wave 2's start: the month after wave 1's payback, else when its transitions end."""
    alone = deterministic_projection(
        [_projected(s) for s in wave_1], horizon=horizon, discount_rate=discount_rate
    )
    if alone.payback_month is not None:
        return alone.payback_month + 1, None
    last_go_live = max(s.go_live_month for s in wave_1)
    if alone.cumulative[-1] >= 0:
        # Never negative: no outlay to recover (only for zero one-time costs), no warning.
        return last_go_live, None
    return last_go_live, (
        f"The ITO wave does not pay back within the {horizon}-month horizon, so the BPO "
        f"wave is scheduled when the last ITO transition ends (month {last_go_live}) "
        "instead of after ITO savings are realised; confirm the gate with realised savings."
    )


def _overlap_warning(
    scheduled: list[ScheduledProcess], max_concurrent: int = MAX_CONCURRENT_TRANSITIONS
) -> str | None:
    """The cap of transitions (three by default) holds within a wave; a wave may open
    (once the one before has paid back) while the previous wave's last transitions still
    run."""
    busy: dict[int, int] = {}
    for month in range(max((s.go_live_month for s in scheduled), default=0)):
        running = sum(1 for s in scheduled if s.start_month <= month < s.go_live_month)
        if running > max_concurrent:
            busy[month] = running
    if not busy:
        return None
    return (
        f"Between months {min(busy)} and {max(busy)} up to {max(busy.values())} transitions "
        "run at once, because a wave starts before the previous wave's last transitions "
        "end; consider staffing the transition team for it or delaying the later wave."
    )
