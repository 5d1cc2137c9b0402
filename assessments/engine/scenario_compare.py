"""Two to four scenarios side by side: what differs, as rows and figures (pure, no Django).

Each scenario comes as a ``ScenarioOutcome``: its name, its roadmap (per process the model,
location, wave and start month its recommendations give) and its projection's stored
result (``assessments.projections.services._result``), or None while it has none. The
comparison lists the recommendations that change, the roadmap differences, the NPV
figures and payback, and the NPV distributions to overlay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assessments.engine.exports import Column, Sheet
from assessments.engine.vocabulary import location_label, model_label

MIN_COMPARED, MAX_COMPARED = 2, 4


@dataclass(frozen=True)
class PlannedProcess:
    """A process as a scenario plans it; wave and start month None when not scheduled."""

    name: str
    model: str
    location: str | None
    wave: int | None = None
    start_month: int | None = None

    @property
    def decision(self) -> str:
        """The model and location in words, as pages and exports show them."""
        model = model_label(self.model)
        return f"{model} ({location_label(self.location).lower()})" if self.location else model

    @property
    def timing(self) -> str:
        if self.wave is None or self.start_month is None:
            return "not scheduled"
        return f"wave {self.wave}, month {self.start_month}"


@dataclass(frozen=True)
class ScenarioOutcome:
    name: str
    processes: Sequence[PlannedProcess]
    result: Mapping[str, Any] | None = None
    changes: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Figures:
    """One scenario's headline figures; None where its projection has none yet."""

    name: str
    npv_p10: float | None
    npv_p50: float | None
    npv_p90: float | None
    npv_mean: float | None
    prob_npv_negative: float | None
    payback_month: int | None
    projected: bool
    nothing_to_project: bool = False


@dataclass(frozen=True)
class Difference:
    """A process whose decision or timing differs: one entry per scenario, in order."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    names: tuple[str, ...]
    figures: tuple[Figures, ...]
    recommendations: tuple[Difference, ...]
    roadmap: tuple[Difference, ...]
    distributions: tuple[tuple[str, tuple[float, ...]], ...]


def figures_of(name: str, result: Mapping[str, Any] | None) -> Figures:
    if not result:
        return Figures(name, None, None, None, None, None, None, projected=False)
    if result.get("nothing_to_project"):
        return Figures(name, 0.0, 0.0, 0.0, 0.0, 0.0, None, projected=True, nothing_to_project=True)
    mc = result.get("monte_carlo") or {}
    deterministic = result.get("deterministic") or {}

    def number(key: str) -> float | None:
        value = mc.get(key)
        return None if value is None else float(value)

    payback = deterministic.get("payback_month")
    return Figures(
        name=name,
        npv_p10=number("npv_p10"),
        npv_p50=number("npv_p50"),
        npv_p90=number("npv_p90"),
        npv_mean=number("npv_mean"),
        prob_npv_negative=number("prob_npv_negative"),
        payback_month=None if payback is None else int(payback),
        projected=True,
    )


def compare(outcomes: Sequence[ScenarioOutcome]) -> Comparison:
    """The comparison of 2 to 4 scenarios; ValueError for fewer, more, or repeated names.

    A process present in one scenario but not another (the inventory changed between
    them) shows as "not in this scenario" where it is missing. Processes keep the order in
    which they first appear.
    """
    if not MIN_COMPARED <= len(outcomes) <= MAX_COMPARED:
        raise ValueError(f"Compare {MIN_COMPARED} to {MAX_COMPARED} scenarios.")
    names = tuple(o.name for o in outcomes)
    if len(set(names)) != len(names):
        raise ValueError("Compare different scenarios.")
    order: list[str] = []
    plans = []
    for outcome in outcomes:
        plan = {p.name: p for p in outcome.processes}
        plans.append(plan)
        order.extend(name for name in plan if name not in order)

    def differences(attribute: str) -> tuple[Difference, ...]:
        rows = []
        for process in order:
            values = tuple(
                getattr(plan[process], attribute) if process in plan else "not in this scenario"
                for plan in plans
            )
            if len(set(values)) > 1:
                rows.append(Difference(process, values))
        return tuple(rows)

    return Comparison(
        names=names,
        figures=tuple(figures_of(o.name, o.result) for o in outcomes),
        recommendations=differences("decision"),
        roadmap=differences("timing"),
        distributions=tuple(
            (
                o.name,
                tuple(
                    float(v)
                    for v in (o.result or {}).get("monte_carlo", {}).get("npv_quantiles", ()) or ()
                ),
            )
            for o in outcomes
        ),
    )


# Tables (the page's table view and the exports) ----------------------------------------

FIGURE_COLUMNS = (
    Column("Scenario"),
    Column("NPV P10", "money"),
    Column("NPV P50", "money"),
    Column("NPV P90", "money"),
    Column("Expected NPV (mean)", "money"),
    Column("Probability NPV < 0", "share"),
    Column("Payback month", "number", places=0),
)


def figure_rows(comparison: Comparison) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for f in comparison.figures:
        if not f.projected:
            rows.append([f.name, "not projected yet", None, None, None, None, None])
            continue
        rows.append(
            [
                f.name,
                f.npv_p10,
                f.npv_p50,
                f.npv_p90,
                f.npv_mean,
                f.prob_npv_negative,
                "not within the horizon" if f.payback_month is None else f.payback_month,
            ]
        )
    return rows


def difference_columns(comparison: Comparison) -> tuple[Column, ...]:
    return (Column("Process"), *(Column(name) for name in comparison.names))


def difference_rows(differences: Sequence[Difference]) -> list[list[Any]]:
    return [[d.name, *d.values] for d in differences]


def comparison_sheets(comparison: Comparison | None) -> list[Sheet]:
    """The comparison as worksheets (the page's XLSX and the board pack); none for None."""
    if comparison is None:
        return []
    columns = difference_columns(comparison)
    return [
        Sheet("Scenario figures", FIGURE_COLUMNS, figure_rows(comparison)),
        Sheet(
            "Scenario recommendations",
            columns,
            difference_rows(comparison.recommendations),
            empty_text="No recommendation differs between these scenarios.",
        ),
        Sheet(
            "Scenario roadmap",
            columns,
            difference_rows(comparison.roadmap),
            empty_text="No process starts in a different wave or month.",
        ),
    ]
