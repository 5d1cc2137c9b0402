"""What the board pack says first: the headline figures with their units, the top risks and
the decisions needed, all derived from DashboardData (no queries).

Each headline figure keeps its raw value (the XLSX stores it, rounded, as a number) and
the text the PDF prints (money with its currency and thousands separators, percentages
with "%", dates in words, counts with their noun). A figure the data cannot give reads in
words ("not measured this quarter"), never as a blank.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from accounts.engine.formatting import DASH, money, percent
from assessments.engine.exports import Column
from assessments.engine.scenario_compare import Comparison
from assessments.engine.vocabulary import (
    DECISIONS,
    INSUFFICIENT_EVIDENCE,
    MODEL_SHORT,
    OUTSOURCED_MODELS,
    RETAIN,
)
from assessments.projections.results import payback_text
from assessments.selectors.recommendations import FUNCTION_LABELS
from contracts.models import ContractStatus
from outsourcing.dashboard.selectors import DashboardData, DashboardFilters, PendingAward

# Notice deadlines this close ask the board for a decision (renew or exit).
DECISION_DAYS = 90
# A chance of losing money at or above this share is a high risk.
HIGH_LOSS_CHANCE = 0.10
SUMMARY_RISKS = 5
SUMMARY_DECISIONS = 5
HIGH, MEDIUM, LOW = "High", "Medium", "Low"
_SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2}


def day_text(day: dt.date | None) -> str:
    """``2027-01-30`` -> "30 Jan 2027"; None -> "–"."""
    return DASH if day is None else f"{day.day} {day:%b %Y}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


@dataclass(frozen=True)
class PackInputs:
    """What the pack shows besides DashboardData: the filters it was asked for and the
    sourcing events that wait for an award."""

    filters: DashboardFilters = field(default_factory=DashboardFilters)
    awards: tuple[PendingAward, ...] = ()
    # The assessment's scenarios side by side, when two or more are projected.
    scenarios: Comparison | None = None


@dataclass(frozen=True)
class Figure:
    """One headline figure: ``value`` for the workbook, ``text`` for the PDF.

    ``column`` says how the workbook stores and labels ``value`` (its kind and unit);
    ``scope`` says why the figure ignores the filter (empty when it follows it).
    """

    key: str
    label: str
    value: Any
    text: str
    column: Column
    scope: str = ""


def _money(
    key: str,
    label: str,
    value: Any,
    currency: str,
    *,
    missing: str,
    places: int = 0,
    scope: str = "",
) -> Figure:
    return Figure(
        key,
        label,
        value,
        missing if value is None else money(value, currency, places),
        Column(label, "money"),
        scope,
    )


def _share(
    key: str, label: str, value: float | None, *, missing: str, places: int = 1, scope: str = ""
) -> Figure:
    return Figure(
        key,
        label,
        value,
        missing if value is None else percent(value, places),
        Column(label, "share"),
        scope,
    )


def _count(key: str, label: str, value: int, noun: str, nouns: str | None = None) -> Figure:
    return Figure(
        key,
        label,
        value,
        plural(value, noun, nouns),
        Column(label, "count", unit=nouns or noun + "s"),
    )


def selection_text(data: DashboardData, filters: DashboardFilters) -> str:
    """The processes and the contract period the figures cover, in words."""
    parts = []
    if filters.business_function:
        parts.append(
            "business function "
            + FUNCTION_LABELS.get(filters.business_function, filters.business_function)
        )
    if filters.wave:
        parts.append(f"wave {filters.wave}")
    processes = "; ".join(parts) if parts else "every process of the assessment"
    period = f"the last {filters.period_months} months" if filters.period_months else "all time"
    return f"Processes: {processes}. Service credits: {period}."


def mix_text(mix_count: dict[str, int]) -> str:
    """``{"BPO": 11, "ITO": 7}`` -> "7 ITO · 11 BPO" in the order of the mix chart."""
    order = [m for m in DECISIONS if mix_count.get(m)] + sorted(
        m for m in mix_count if m not in DECISIONS and mix_count[m]
    )
    # a count and its model never part at a line break
    return (
        " · ".join(
            f"{mix_count[m]}\u00a0{MODEL_SHORT.get(m, m).lower()}"
            if m in (RETAIN, INSUFFICIENT_EVIDENCE)
            else f"{mix_count[m]}\u00a0{MODEL_SHORT.get(m, m)}"
            for m in order
        )
        or "none"
    )


def headline_figures(
    data: DashboardData, filters: DashboardFilters
) -> list[tuple[str, list[Figure]]]:
    """The headline in three groups (portfolio, projection, delivery), every figure with its
    unit or its reason for being missing."""
    h, cur = data.headline, data.currency
    scope = data.scope_notes
    empty = "no processes in this selection" if h["empty_selection"] else None
    no_projection = empty or "no finished projection yet"
    spend_share = (h["addressable_spend"] / h["total_spend"]) if h["total_spend"] else None
    portfolio = [
        _count("processes", "Processes assessed", h["processes"], "process", "processes"),
        _money("total_spend", "Annual in-house spend", h["total_spend"], cur, missing=DASH),
        _money(
            "addressable_spend",
            "Addressable spend (recommended for outsourcing)",
            h["addressable_spend"],
            cur,
            missing=DASH,
        ),
        _share(
            "addressable_share",
            "Addressable share of spend",
            spend_share,
            missing=empty or "no spend assessed",
        ),
        Figure(
            "mix_count",
            "Recommended mix (processes)",
            mix_text(h["mix_count"]).replace("\u00a0", " "),
            mix_text(h["mix_count"]),
            Column("Recommended mix (processes)"),
        ),
    ]
    mean_missing = (
        no_projection if h["npv_p50"] is None else "not kept for this projection; run it again"
    )
    projection = [
        _money(
            "npv_p50",
            "Projected NPV, median of the trials (P50)",
            h["npv_p50"],
            cur,
            missing=no_projection,
            scope=scope.get("npv_p50", ""),
        ),
        _money(
            "npv_p10",
            "NPV P10 (1 in 10 trials below)",
            h["npv_p10"],
            cur,
            missing=no_projection,
            scope=scope.get("npv_p10", ""),
        ),
        _money(
            "npv_p90",
            "NPV P90 (1 in 10 trials above)",
            h["npv_p90"],
            cur,
            missing=no_projection,
            scope=scope.get("npv_p90", ""),
        ),
        _money(
            "npv_mean",
            "Expected NPV (mean of the trials)",
            h["npv_mean"],
            cur,
            missing=mean_missing,
            scope=scope.get("npv_mean", ""),
        ),
        _money(
            "npv_at_modes",
            "NPV at the modes: every driver at its most likely value",
            h["npv_at_modes"],
            cur,
            missing=no_projection,
            scope=scope.get("npv_at_modes", ""),
        ),
        _share(
            "prob_npv_negative",
            "Probability NPV < 0",
            h["prob_npv_negative"],
            missing=no_projection,
            scope=scope.get("prob_npv_negative", ""),
        ),
        Figure(
            "payback_month",
            "Payback, at the modes (month from the programme start)",
            h["payback_month"],
            payback_text(h["payback_month"]) if h["npv_p50"] is not None else no_projection,
            Column("Payback, at the modes", "count", unit="month from the programme start"),
            scope.get("payback_month", ""),
        ),
    ]
    no_contract = empty or "no contract in this selection"
    delivery = [
        _money(
            "realised_to_date",
            "Savings realised to date",
            h["realised_to_date"],
            cur,
            missing="none recorded yet",
        ),
        _money(
            "plan_to_date",
            "Plan (projected P50) to the same months",
            h["plan_to_date"],
            cur,
            missing="no projection to compare with",
            scope=scope.get("plan_to_date", ""),
        ),
        _share(
            "sla_attainment_quarter",
            "SLA attainment this quarter",
            h["sla_attainment_quarter"],
            missing="not measured this quarter",
        ),
        _money(
            "credits_gross",
            "Service credits, gross",
            h["credits_gross"],
            cur,
            missing=no_contract,
            places=2,
        ),
        _money(
            "credits_earned_back",
            "Service credits earned back by the vendor",
            h["credits_earned_back"],
            cur,
            missing=no_contract,
            places=2,
        ),
        _money(
            "credits_net",
            "Service credits, net of earn-back",
            h["credits_net"],
            cur,
            missing=no_contract,
            places=2,
        ),
        _count(
            "notices_due_90", "Notice deadlines within 90 days", h["notices_due_90"], "contract"
        ),
        _count("open_critical_issues", "Open critical issues", h["open_critical_issues"], "issue"),
        _count("overdue_issues", "Overdue issues", h["overdue_issues"], "issue"),
        _count(
            "low_exit_readiness",
            "Contracts near renewal with low exit readiness",
            h.get("low_exit_readiness", 0),
            "contract",
        ),
    ]
    return [("Portfolio", portfolio), ("Savings projection", projection), ("Delivery", delivery)]


@dataclass(frozen=True)
class Risk:
    severity: str
    title: str
    detail: str


@dataclass(frozen=True)
class Decision:
    title: str
    detail: str
    by: dt.date | None = None


def top_risks(data: DashboardData) -> list[Risk]:
    """Every risk the figures show, highest first; within a severity in this order:
    losing money, waves that lose money, critical issues, notice deadlines, savings behind
    plan, other overdue issues, missed SLAs, contracts near renewal with low exit
    readiness, flagged processes."""
    h, cur = data.headline, data.currency
    risks: list[Risk] = []
    chance = h["prob_npv_negative"]
    if chance is not None and chance > 0:
        risks.append(
            Risk(
                HIGH if chance >= HIGH_LOSS_CHANCE else MEDIUM,
                f"{percent(chance, 1)} chance that the programme loses money (NPV < 0)",
                f"Median NPV {money(h['npv_p50'], cur, 0)}; 1 in 10 trials end below "
                f"{money(h['npv_p10'], cur, 0)}.",
            )
        )
    for wave in data.waves_npv:
        if wave.get("npv_p50") is not None and wave["npv_p50"] < 0:
            risks.append(
                Risk(
                    HIGH,
                    f"Wave {wave['wave']} ({wave['model']}) loses money in most trials",
                    f"Median NPV {money(wave['npv_p50'], cur, 0)}; P10 to P90 "
                    f"{money(wave['npv_p10'], cur, 0)} to {money(wave['npv_p90'], cur, 0)}.",
                )
            )
    issues = data.issues
    critical = issues[issues["severity"] == "critical"] if not issues.empty else issues
    if not critical.empty:
        overdue = int(critical["overdue"].sum())
        risks.append(
            Risk(
                HIGH,
                f"{plural(len(critical), 'critical issue')} open"
                + (f", {overdue} past due" if overdue else ""),
                f"{'; '.join(sorted(set(critical['issue'])))} "
                f"({', '.join(sorted(set(critical['vendor'])))}).",
            )
        )
    for row in _due_notices(data.renewals):
        risks.append(
            Risk(
                HIGH if row.days_to_deadline <= 30 else MEDIUM,
                f"Notice deadline in {plural(row.days_to_deadline, 'day')}: {row.contract}",
                f"{row.vendor}: the last day to give notice is {day_text(row.notice_deadline)}; "
                f"the contract ends {day_text(row.end_date)}.",
            )
        )
    realised, plan = h["realised_to_date"], h["plan_to_date"]
    if realised is not None and plan is not None and realised < plan:
        risks.append(
            Risk(
                MEDIUM,
                "Realised savings are behind the plan",
                f"{money(realised, cur, 0)} realised against "
                f"{money(plan, cur, 0)} planned (P50) for the same months.",
            )
        )
    others = (
        issues[(issues["severity"] != "critical") & issues["overdue"].astype(bool)]
        if not issues.empty
        else issues
    )
    if not others.empty:
        risks.append(
            Risk(
                MEDIUM,
                f"{plural(len(others), 'other issue')} past due",
                "; ".join(
                    f"{title} ({count})"
                    for title, count in sorted(Counter(others["issue"]).items())
                )
                + ".",
            )
        )
    risks.extend(_sla_risks(data.sla))
    risks.extend(_exit_risks(data.exit_risks))
    risks.extend(_flag_risks(data.recommendations))
    return sorted(risks, key=lambda r: _SEVERITY_ORDER[r.severity])


def _sla_risks(sla: pd.DataFrame) -> list[Risk]:
    """One risk per contract that missed SLAs in the period, the latest months first."""
    if sla.empty:
        return []
    missed = sla[sla["met"] < sla["measured"]]
    risks = []
    for contract, rows in missed.groupby("contract", sort=True):
        breaches = int((rows["measured"] - rows["met"]).sum())
        months = [
            dt.date.fromisoformat(p + "-01").strftime("%b %Y")
            for p in sorted(set(rows["period"]), reverse=True)
        ]
        shown = months[:3] + ([f"{len(months) - 3} more months"] if len(months) > 3 else [])
        when = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        risks.append(
            Risk(
                MEDIUM,
                f"SLAs missed on {contract}",
                f"{plural(breaches, 'SLA-period')} missed in {when}.",
            )
        )
    return risks


def _exit_risks(exit_risks: pd.DataFrame) -> list[Risk]:
    """One risk per live contract near renewal whose exit readiness is low: the board could
    not choose to leave at this renewal even if it wanted to."""
    return [
        Risk(
            MEDIUM,
            f"Low exit readiness near renewal: {row['contract']}",
            f"{row['vendor']}: exit readiness {row['score']}/100, notice due by "
            f"{day_text(row['notice_deadline'])}. {row['reason']}",
        )
        for row in exit_risks.to_dict("records")
    ]


def _flag_risks(recommendations: pd.DataFrame) -> list[Risk]:
    if recommendations.empty:
        return []
    outsourced = recommendations[recommendations["chosen_model"].isin(OUTSOURCED_MODELS)]
    flagged = [labels for labels in outsourced["flag_labels"] if labels]
    if not flagged:
        return []
    counts = Counter(label for labels in flagged for label in labels)
    return [
        Risk(
            LOW,
            f"{plural(len(flagged), 'process', 'processes')} to outsource carry risk flags",
            ", ".join(f"{label} ({count})" for label, count in sorted(counts.items()))
            + ": each needs its safeguard in the contract.",
        )
    ]


def _due_notices(renewals: pd.DataFrame) -> list[Any]:
    if renewals.empty:
        return []
    days = renewals["days_to_deadline"]
    return list(renewals[(days >= 0) & (days <= DECISION_DAYS)].itertuples())


def decisions_needed(data: DashboardData, awards: tuple[PendingAward, ...] = ()) -> list[Decision]:
    """What the board is asked to decide: renewals (renew or exit before the notice
    deadline), pending awards, losing waves, overrides to endorse, processes without the
    evidence to score them, and a projection when there is none."""
    cur = data.currency
    decisions = []
    values: dict[str, Any] = (
        {str(row.title): row for row in data.contracts.itertuples()}
        if not data.contracts.empty
        else {}
    )
    for row in _due_notices(data.renewals):
        contract = values.get(row.contract)
        if contract is not None and contract.status != ContractStatus.ACTIVE:
            continue  # already in notice: decided
        value = f"; {money(contract.annual_value, cur, 0)} a year" if contract is not None else ""
        decisions.append(
            Decision(
                f"Renew or exit: {row.contract} ({row.vendor})",
                f"Notice due by {day_text(row.notice_deadline)}, in "
                f"{plural(row.days_to_deadline, 'day')}; the contract ends "
                f"{day_text(row.end_date)}{value}.",
                row.notice_deadline,
            )
        )
    for award in awards:
        decisions.append(
            Decision(
                f"Award: {award.event} ({award.model})",
                f"{award.status}; {plural(award.proposals, 'proposal')} for "
                f"{plural(award.processes, 'process', 'processes')}; deadline for proposals "
                f"{day_text(award.deadline)}.",
                None,
            )
        )
    for wave in data.waves_npv:
        if wave.get("npv_p50") is not None and wave["npv_p50"] < 0:
            decisions.append(
                Decision(
                    f"Wave {wave['wave']} ({wave['model']}): go ahead, rescope or keep in-house",
                    f"Its median NPV is {money(wave['npv_p50'], cur, 0)} over the horizon.",
                )
            )
    recs = data.recommendations
    if not recs.empty:
        overridden = recs[recs["is_overridden"].astype(bool)]
        if not overridden.empty:
            names = "; ".join(
                f"{r['name']}: {r['model_label']} → {r['chosen_model_label']}"
                for r in overridden.head(3).to_dict("records")
            )
            more = len(overridden) - 3
            decisions.append(
                Decision(
                    f"Endorse {plural(len(overridden), 'override')} of the engine's recommendation",
                    names + (f"; and {more} more (see section 1)" if more > 0 else "") + ".",
                )
            )
        unscored = int((recs["chosen_model"] == "insufficient_evidence").sum())
        if unscored:
            decisions.append(
                Decision(
                    f"Gather evidence for {plural(unscored, 'process', 'processes')}, or keep "
                    "them in-house",
                    'Too many questions were answered "don\'t know" to recommend a model.',
                )
            )
    if (
        data.assessment is not None
        and data.headline["npv_p50"] is None
        and not data.headline["empty_selection"]
    ):
        decisions.append(
            Decision(
                "Run a savings projection",
                "No finished projection: the NPV and payback are unknown.",
            )
        )
    return decisions
