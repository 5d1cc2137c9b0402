"""How the recommended portfolio serves the assessment's objectives (METHODOLOGY 3.5).

Objectives never change a process's scores; this only measures and warns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from accounts.engine.formatting import money0, percent
from assessments.engine.questions import OBJECTIVES, OBJECTIVES_BY_CODE
from assessments.engine.vocabulary import BPO, KPO, is_outsourced


class ProcessLike(Protocol):
    """Anything with a yearly cost and answers, e.g. an InventoryRow."""

    @property
    def annual_cost(self) -> Decimal | float: ...

    @property
    def answers(self) -> Mapping[str, int | None]: ...


class RecommendationLike(Protocol):
    """Anything with a model code, e.g. a Recommendation (or one a manager overrode)."""

    @property
    def model(self) -> str: ...


@dataclass(frozen=True)
class ObjectiveProcess:
    """A minimal process for objective_fit when no richer object is at hand."""

    annual_cost: Decimal | float
    answers: Mapping[str, int | None]


@dataclass(frozen=True)
class ObjectiveFit:
    """One selected objective's indicator.

    `kind` says what `value` is: "npv" (money, None before a projection is run),
    "share" (0 to 1, None when no process qualifies) or "count". A share is
    numerator / denominator (money for spend shares, process counts otherwise).
    `warning` is set when the portfolio does not serve the objective at all.
    """

    objective: str
    label: str
    kind: str
    value: float | None
    sentence: str
    warning: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    chance_negative: float | None = None


def _percent(share: float) -> str:
    """A share inside a sentence: "25%" (halves up, as everywhere), "less than 1%"."""
    if 0 < share < 0.005:
        return "less than 1%"
    return percent(share).replace(" %", "%")


def _answer(process: ProcessLike, key: str) -> int | None:
    return process.answers.get(key)


def objective_fit(
    processes: Sequence[ProcessLike],
    recommendations: Sequence[RecommendationLike],
    *,
    objectives: Sequence[str],
    npv: Decimal | float | None = None,
    prob_npv_negative: float | None = None,
) -> list[ObjectiveFit]:
    """One ObjectiveFit per selected objective, in the order of OBJECTIVES.

    `processes[i]` and `recommendations[i]` describe the same process. `npv` and
    `prob_npv_negative` come from the savings projection, when it has been run.
    Raises ValueError for an unknown objective code or mismatched lengths.
    """
    unknown = [code for code in objectives if code not in OBJECTIVES_BY_CODE]
    if unknown:
        raise ValueError(f"Unknown objectives: {', '.join(unknown)}.")
    if len(processes) != len(recommendations):
        raise ValueError("processes and recommendations must have the same length.")
    models = [rec.model for rec in recommendations]
    costs = [float(p.annual_cost) for p in processes]
    outsourced = [is_outsourced(m) for m in models]

    builders = {
        "cost_reduction": lambda: _cost_reduction(npv, prob_npv_negative),
        "operational_efficiency": lambda: _efficiency(costs, models),
        "access_to_skills": lambda: _share_of_processes(
            "access_to_skills",
            processes,
            outsourced,
            lambda p: (_answer(p, "capability_gap") or 0) >= 4,
        ),
        "focus_on_core": lambda: _focus(processes, costs, outsourced),
        "scalability": lambda: _share_of_processes(
            "scalability",
            processes,
            outsourced,
            lambda p: (_answer(p, "demand_variability") or 0) >= 4,
        ),
        "innovation": lambda: _innovation(models),
    }
    selected = set(objectives)
    return [builders[o.code]() for o in OBJECTIVES if o.code in selected]


def _cost_reduction(npv: Decimal | float | None, prob: float | None) -> ObjectiveFit:
    label = OBJECTIVES_BY_CODE["cost_reduction"].label
    if npv is None:
        return ObjectiveFit(
            "cost_reduction",
            label,
            "npv",
            None,
            "Cost reduction: no savings projection has been run yet, so "
            "the net present value (NPV) of outsourcing is not known.",
        )
    value = float(npv)
    chance = "" if prob is None else f", with a {_percent(prob)} chance that it turns out negative"
    sentence = (
        f"Cost reduction: the projected NPV of outsourcing is {money0(value)} "
        f"(median of the simulated outcomes){chance}."
    )
    warning = None
    if value <= 0:
        warning = (
            f"Cost reduction is not served: the projected NPV is {money0(value)}, so "
            "on these figures outsourcing costs at least as much as it saves. It "
            "would change with lower vendor prices or transition costs, a longer "
            "horizon, or by outsourcing the processes with the largest savings "
            "first."
        )
    return ObjectiveFit(
        "cost_reduction", label, "npv", value, sentence, warning, chance_negative=prob
    )


def _efficiency(costs: list[float], models: list[str]) -> ObjectiveFit:
    label = OBJECTIVES_BY_CODE["operational_efficiency"].label
    total = sum(costs)
    bpo = sum(c for c, m in zip(costs, models, strict=True) if m == BPO)
    share = bpo / total if total > 0 else 0.0
    sentence = (
        f"Operational efficiency: {_percent(share)} of in-house spend "
        f"({money0(bpo)} of {money0(total)}) is recommended for BPO."
    )
    warning = None
    if share == 0:
        warning = (
            "Operational efficiency is not served: no in-house spend is recommended "
            "for BPO. It would change if standardised, high-volume processes "
            "(standardisation and volume 4 or 5) were in scope, or their answers "
            "were revisited."
        )
    return ObjectiveFit(
        "operational_efficiency",
        label,
        "share",
        share,
        sentence,
        warning,
        numerator=bpo,
        denominator=total,
    )


_SHARE_WORDING = {
    # objective: (who qualifies, why none qualifies, what would change it)
    "access_to_skills": (
        "where we lack skills or capacity (capability gap 4 or 5)",
        "no process has a capability gap of 4 or 5, so none needs skills from outside",
        "It would change if processes where we lack skills were outsourced, to a KPO "
        "partner where the work is specialist, or if their answers were revisited.",
    ),
    "scalability": (
        "with strong demand swings or round-the-clock needs (demand variability 4 or 5)",
        "no process has a demand variability of 4 or 5, so none needs a provider's scale",
        "It would change if processes with peaks or 24/7 needs were outsourced to a "
        "provider that can scale, or if their answers were revisited.",
    ),
}


def _share_of_processes(
    code: str,
    processes: Sequence[ProcessLike],
    outsourced: list[bool],
    qualifies: Callable[[ProcessLike], bool],
) -> ObjectiveFit:
    label = OBJECTIVES_BY_CODE[code].label
    who, none_qualify, change = _SHARE_WORDING[code]
    eligible = [i for i, p in enumerate(processes) if qualifies(p)]
    hits = sum(outsourced[i] for i in eligible)
    if not eligible:
        return ObjectiveFit(
            code,
            label,
            "share",
            None,
            f"{label}: {none_qualify}.",
            f"{label} is not served: {none_qualify}. {change}",
            numerator=0,
            denominator=0,
        )
    share = hits / len(eligible)
    if len(eligible) == 1:
        group = f"the one process {who}"
        sentence = f"{label}: {group} is {'' if hits else 'not '}recommended for outsourcing."
        none = f"{group} is not recommended for outsourcing"
    else:
        group = f"the {len(eligible)} processes {who}"
        sentence = (
            f"{label}: {hits} of {group} {'is' if hits == 1 else 'are'} "
            f"recommended for outsourcing ({_percent(share)})."
        )
        none = f"none of {group} is recommended for outsourcing"
    warning = None
    if hits == 0:
        warning = f"{label} is not served: {none}. {change}"
    return ObjectiveFit(
        code, label, "share", share, sentence, warning, numerator=hits, denominator=len(eligible)
    )


def _focus(
    processes: Sequence[ProcessLike], costs: list[float], outsourced: list[bool]
) -> ObjectiveFit:
    label = OBJECTIVES_BY_CODE["focus_on_core"].label
    non_core = [
        i for i, p in enumerate(processes) if (_answer(p, "strategic_importance") or 99) <= 2
    ]
    spend = sum(costs[i] for i in non_core)
    moved = sum(costs[i] for i in non_core if outsourced[i])
    change = (
        "It would change if non-core processes were outsourced; check whether "
        "insufficient evidence or answers such as high data sensitivity or "
        "interdependence are keeping them in-house."
    )
    if spend == 0:
        return ObjectiveFit(
            "focus_on_core",
            label,
            "share",
            None,
            f"{label}: no process is marked non-core (strategic importance 1 or 2).",
            f"{label} is not served: no process in this assessment is marked non-core "
            "(strategic importance 1 or 2), so there is nothing to hand over. It would "
            "change if commodity processes were added to the inventory.",
            numerator=0,
            denominator=0,
        )
    share = moved / spend
    sentence = (
        f"{label}: {_percent(share)} of non-core spend (strategic importance 1 or 2) "
        f"is recommended for outsourcing ({money0(moved)} of {money0(spend)})."
    )
    warning = None
    if moved == 0:
        warning = (
            f"{label} is not served: none of the non-core spend (strategic importance "
            f"1 or 2) is recommended for outsourcing. {change}"
        )
    return ObjectiveFit(
        "focus_on_core",
        label,
        "share",
        share,
        sentence,
        warning,
        numerator=moved,
        denominator=spend,
    )


def _innovation(models: list[str]) -> ObjectiveFit:
    label = OBJECTIVES_BY_CODE["innovation"].label
    count = models.count(KPO)
    noun = "process is" if count == 1 else "processes are"
    sentence = (
        f"Innovation: {count} {noun} recommended for KPO, the knowledge "
        "partnerships that bring outside insight."
    )
    warning = None
    if count == 0:
        warning = (
            "Innovation is not served: no process is recommended for KPO. It would "
            "change if knowledge-intensive work where we lack skills (knowledge "
            "intensity and capability gap 4 or 5) were in scope."
        )
    return ObjectiveFit(
        "innovation",
        label,
        "count",
        float(count),
        sentence,
        warning,
        numerator=count,
        denominator=None,
    )
