"""Reads for the portfolio dashboard: a fixed number of queries, DataFrames out.

The dashboard composes what the other apps store; it never writes and never computes a
business figure itself: vendor scores come from ``contracts.selectors.scorecards``,
realised savings from ``contracts.engine.benefits`` (through the savings summary), SLA
attainment from ``contracts.engine.scorecard.sla_attainment``. Every query is scoped to one
organisation first.

Filters. The business function and wave filters select processes of the chosen
assessment; every contract figure (SLA, credits, realised savings, renewals, issues,
vendors) then covers the contracts that cover those processes. The NPV follows a wave
(the projection stores each wave's figures) but not a business function (it is stored
for the portfolio and for each wave only): a card showing such a figure says so, and its
key is listed in ``headline["unfiltered"]``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from django.db.models import QuerySet

from accounts.models import Organisation
from assessments.models import Assessment, Projection
from assessments.projections.results import Result, has_figures, wave_frame
from assessments.projections.results import headline as projection_headline
from assessments.projections.selectors import latest_finished_projection
from assessments.selectors.portfolio import current_portfolio_id, default_assessment
from assessments.selectors.recommendations import (
    ROW_COLUMNS,
    recommendation_rows,
    recommendations_for,
    roadmap_frame,
    sourcing_mix,
)
from contracts.engine.periods import add_months, month_start, months_between
from contracts.engine.renewals import notice_deadline
from contracts.engine.scorecard import sla_attainment
from contracts.models import (
    LIVE_STATUSES,
    Contract,
)
from contracts.selectors.exit_plans import readiness_by_contract
from contracts.selectors.scorecards import ContractRows, contract_rows, sla_counts
from outsourcing.engine.headline import (
    FAN_COLUMNS,
    cumulative_band,
    headline_figures,
    mix_by_function,
    quarter_start,
    vendor_frame,
)
from vendors.models.events import EventStatus, SourcedModel, SourcingEvent

PERIOD_CHOICES = (
    (3, "Last 3 months"),
    (6, "Last 6 months"),
    (12, "Last 12 months"),
    (24, "Last 24 months"),
    (0, "All time"),
)
EMPTY_SELECTION = "No processes in this selection."
NO_ASSESSMENT = "No submitted assessment yet."
NO_CONTRACTS = "No contract covers the processes in this selection."
# The headline keys read from the projection: they follow a wave, not a business function.
NPV_KEYS = (
    "npv_p50",
    "npv_p10",
    "npv_p90",
    "npv_mean",
    "npv_at_modes",
    "payback_month",
    "prob_npv_negative",
)


# The dashboard's list of contracts near renewal with low exit readiness.
EXIT_COLUMNS = [
    "contract",
    "contract_id",
    "vendor",
    "score",
    "level",
    "notice_deadline",
    "days_to_deadline",
    "reason",
]


@dataclass(frozen=True)
class DashboardFilters:
    assessment_id: int | None = None
    business_function: str = ""
    wave: int | None = None
    period_months: int = 12

    @property
    def narrows(self) -> bool:
        """True when the filters select some of the assessment's processes, not all."""
        return bool(self.business_function or self.wave)

    def cache_key(self) -> str:
        """The filters as part of a cache key. The business function (words: "Human
        resources") enters as a digest, so the key has no space or other character a
        cache backend refuses, and a bounded length."""
        function = hashlib.sha256(self.business_function.encode()).hexdigest()[:16]
        return f"a{self.assessment_id}-f{function}-w{self.wave}-p{self.period_months}"


@dataclass
class DashboardData:
    """What the dashboard and the board pack show.

    ``headline``: processes, total_spend, addressable_spend, mix_count; npv_p50, npv_p10,
    npv_p90 (Monte Carlo), npv_mean (None when the stored result lacks it), npv_at_modes
    (every driver at its most likely value), payback_month (at the modes: months from the
    start of the programme, None beyond the horizon), prob_npv_negative (0..1);
    realised_to_date and plan_to_date (the projected median for the same contracts and
    months); sla_attainment_quarter (0..1 or None); credits_gross, credits_earned_back,
    credits_net (Decimal, to the cent, in the period); notices_due_90,
    open_critical_issues, overdue_issues; low_exit_readiness (live contracts near renewal
    whose exit readiness is low, listed in ``exit_risks``); empty_selection; unfiltered
    (the keys that ignore the current filter, with their reason in ``scope_notes``).
    """

    organisation: str
    currency: str
    today: dt.date
    assessment: dict[str, Any] | None
    headline: dict[str, Any]
    recommendations: pd.DataFrame
    mix: pd.DataFrame
    mix_by_function: pd.DataFrame
    roadmap: pd.DataFrame
    horizon: int
    fan: pd.DataFrame
    waves_npv: list[dict[str, Any]]
    vendors: pd.DataFrame
    sla: pd.DataFrame
    renewals: pd.DataFrame
    contracts: pd.DataFrame
    issues: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    # Headline key or figure name -> why it does not follow the filter, in words.
    scope_notes: dict[str, str] = field(default_factory=dict)
    # Live contracts near renewal with low exit readiness, lowest score first.
    exit_risks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXIT_COLUMNS))


def submitted_assessments(organisation: Organisation) -> QuerySet[Assessment]:
    return Assessment.objects.for_org(organisation).submitted().order_by("-submitted_at", "-pk")


def with_default_assessment(
    organisation: Organisation, filters: DashboardFilters, assessments: list[Assessment]
) -> tuple[DashboardFilters, Assessment | None, bool]:
    """``filters`` naming the assessment they open on: the one they name when it is one of
    ``assessments`` (the submitted ones, newest first), else the current portfolio, else
    the newest submitted. Also that default assessment, and whether it is the marked
    current portfolio (one query). Resolved before caching, so a cached dashboard never
    outlives a change of the current portfolio."""
    marked_id = current_portfolio_id(organisation)
    default = default_assessment(assessments, marked_id)
    marked = default is not None and default.pk == marked_id
    if default is not None and filters.assessment_id not in {a.pk for a in assessments}:
        filters = replace(filters, assessment_id=default.pk)
    return filters, default, marked


def dashboard_data(
    organisation: Organisation,
    filters: DashboardFilters,
    today: dt.date,
    assessments: list[Assessment] | None = None,
) -> DashboardData:
    """Everything the dashboard shows. ``assessments``: the submitted ones, if already read."""
    assessment = _chosen_assessment(organisation, filters, assessments)
    rows = _recommendations(assessment, filters)
    empty_selection = filters.narrows and assessment is not None and rows.empty
    projection = latest_finished_projection(assessment) if assessment is not None else None
    relationship = contract_rows(Contract.objects.for_org(organisation), today)
    selected = _selected_contracts(relationship, rows, filters)
    since = (
        add_months(month_start(today), -(filters.period_months - 1))
        if filters.period_months
        else None
    )
    contracts = _contracts(relationship, selected)
    sla = _sla_frame(relationship, selected, since)
    renewals = _renewals(contracts, today)
    issues = _issues(relationship, selected, today)
    exit_risks = _exit_risks(organisation, relationship, contracts, today)
    notes: list[str] = []
    scope: dict[str, str] = {}
    if filters.narrows and not empty_selection and not selected:
        notes.append(NO_CONTRACTS)
    fan = pd.DataFrame(columns=FAN_COLUMNS) if empty_selection else _fan(projection, relationship)
    if filters.narrows and not empty_selection and not fan.empty:
        scope["savings"] = (
            "Whole portfolio: the projected range cannot be split by business "
            "function or wave, so the realised savings drawn against it are "
            "the whole portfolio's too."
        )
    if filters.business_function and not empty_selection and _figures(projection):
        scope["waves_npv"] = "Whole waves: the NPV of a wave cannot be split by business function."
    if filters.narrows and selected:
        scope["vendors"] = (
            "Scores cover all of the organisation's contracts with each "
            "vendor, as on the vendor record; spend covers this selection."
        )
    headline = _headline(
        rows,
        projection,
        relationship,
        selected,
        sla,
        renewals,
        issues,
        filters,
        today,
        empty_selection=empty_selection,
        scope=scope,
    )
    headline["low_exit_readiness"] = len(exit_risks)
    return DashboardData(
        organisation=organisation.name,
        currency=assessment.currency if assessment else organisation.currency,
        today=today,
        assessment=(
            {
                "id": assessment.pk,
                "name": assessment.name,
                "engine_version": assessment.engine_version,
                "submitted_at": assessment.submitted_at,
            }
            if assessment
            else None
        ),
        headline=headline,
        recommendations=rows,
        mix=sourcing_mix(rows) if not rows.empty else pd.DataFrame(),
        mix_by_function=mix_by_function(rows),
        roadmap=roadmap_frame(rows) if not rows.empty else pd.DataFrame(),
        horizon=assessment.horizon_months if assessment else 60,
        fan=fan,
        waves_npv=[] if empty_selection else _waves_npv(projection, filters),
        vendors=_vendors(relationship, contracts, today),
        sla=sla,
        renewals=renewals,
        contracts=contracts,
        issues=issues,
        notes=notes,
        scope_notes=scope,
        exit_risks=exit_risks,
    )


def _chosen_assessment(
    organisation: Organisation, filters: DashboardFilters, assessments: list[Assessment] | None
) -> Assessment | None:
    """The filtered assessment when it is one of the organisation's, else the latest."""
    if assessments is None:
        assessments = list(submitted_assessments(organisation))
    by_id = {a.pk: a for a in assessments}
    wanted = None if filters.assessment_id is None else by_id.get(filters.assessment_id)
    return wanted or (assessments[0] if assessments else None)


def _recommendations(assessment: Assessment | None, filters: DashboardFilters) -> pd.DataFrame:
    if assessment is None:
        return pd.DataFrame(columns=list(ROW_COLUMNS), dtype=object)
    queryset = recommendations_for(assessment)
    if filters.business_function:
        queryset = queryset.filter(process__business_function=filters.business_function)
    if filters.wave:
        queryset = queryset.filter(wave=filters.wave)
    return recommendation_rows(queryset)


def _selected_contracts(
    relationship: ContractRows, rows: pd.DataFrame, filters: DashboardFilters
) -> list[int]:
    """Ids of the contracts the contract figures cover: every contract of the organisation,
    or, when the filters narrow the processes, those covering at least one of them."""
    if not filters.narrows:
        return [c.pk for c in relationship.contracts]
    processes = set(rows["process_id"])
    return [
        c.pk
        for c in relationship.contracts
        if any(p.pk in processes for p in relationship.processes[c.pk])
    ]


def _figures(projection: Projection | None) -> Result | None:
    """The projection's result, when it holds figures."""
    result = None if projection is None else projection.result
    return result if has_figures(result) else None


def _waves_npv(projection: Projection | None, filters: DashboardFilters) -> list[dict[str, Any]]:
    """Per wave (only the filtered one, if any), as the projection's results page reads
    them: the Monte Carlo P10, P50 and P90, and the NPV and payback at the modes (``npv``
    and ``npv_at_modes``: the same figure, under the command line's name and the
    headline's)."""
    result = _figures(projection)
    if result is None:
        return []
    return [
        {
            "wave": int(row["wave"]),
            "model": row["model"],
            "processes": row["processes"],
            "npv_p50": row["npv_p50"],
            "npv_p10": row["npv_p10"],
            "npv_p90": row["npv_p90"],
            "prob_npv_negative": row["prob_npv_negative"],
            "npv_at_modes": row["npv"],
            "npv": row["npv"],
            "payback_month": row["payback_month"],
        }
        for row in wave_frame(result).to_dict("records")
        if not filters.wave or row["wave"] == filters.wave
    ]


def _npv_figures(projection: Projection | None, filters: DashboardFilters) -> dict[str, Any]:
    """The NPV keys of the headline, for the portfolio or the filtered wave, read as the
    projection's results page reads them (None when unknown)."""
    figures: dict[str, Any] = dict.fromkeys(NPV_KEYS)
    result = _figures(projection)
    if result is None:
        return figures
    if filters.wave:
        for wave in _waves_npv(projection, filters):
            figures.update({key: wave.get(key) for key in NPV_KEYS})
        return figures
    portfolio = projection_headline(result)
    figures.update(
        {key: portfolio.get(key) for key in NPV_KEYS if key != "npv_at_modes"},
        npv_at_modes=portfolio["npv"],
    )
    return figures


CONTRACT_COLUMNS = [
    "id",
    "title",
    "vendor_id",
    "vendor",
    "model",
    "status",
    "start_date",
    "end_date",
    "notice_days",
    "annual_value",
    "baseline",
    "currency",
    "assessment_id",
]


def _contracts(relationship: ContractRows, selected: list[int]) -> pd.DataFrame:
    """The live contracts among ``selected``, soonest end first. Money is Decimal."""
    chosen = set(selected)
    live = [c for c in relationship.contracts if c.pk in chosen and c.status in LIVE_STATUSES]
    live.sort(key=lambda c: (c.end_date, c.pk))
    records = [
        {
            "id": c.pk,
            "title": c.title,
            "vendor_id": c.vendor_id,
            "vendor": c.vendor.name,
            "model": c.model,
            "status": c.status,
            "start_date": c.start_date,
            "end_date": c.end_date,
            "notice_days": c.notice_days,
            "annual_value": c.annual_value,
            "baseline": relationship.savings[c.pk].baseline,
            "currency": c.currency,
            "assessment_id": min(
                (p.assessment_id for p in relationship.processes[c.pk]), default=None
            ),
        }
        for c in live
    ]
    return pd.DataFrame(records, columns=CONTRACT_COLUMNS)


SLA_COLUMNS = [
    "contract",
    "contract_id",
    "period",
    "measured",
    "met",
    "attainment",
    "credits",
    "earned_back",
    "net_credits",
]


def _sla_frame(
    relationship: ContractRows, selected: list[int], since: dt.date | None
) -> pd.DataFrame:
    """One row per contract-month since ``since`` (None: all) with the SLA-periods met and
    the credits stored by the credit engine (gross, earned back and net; Decimal)."""
    titles = {c.pk: c.title for c in relationship.contracts}
    records = []
    for pk in selected:
        for credit in relationship.credits[pk]:
            if since is not None and credit.period < since:
                continue
            met, measured = sla_counts([credit])
            records.append(
                {
                    "contract": titles[pk],
                    "contract_id": pk,
                    "period": credit.period.strftime("%Y-%m"),
                    "measured": measured,
                    "met": met,
                    "attainment": sla_attainment(met, measured),
                    "credits": credit.total,
                    "earned_back": credit.earned_back,
                    "net_credits": credit.net_total,
                }
            )
    records.sort(key=lambda r: (r["period"], r["contract_id"]))
    return pd.DataFrame(records, columns=SLA_COLUMNS)


def _fan(projection: Projection | None, relationship: ContractRows) -> pd.DataFrame:
    """The portfolio's cumulative savings band, with the realised savings of the contracts
    compared with this projection, each month placed as its contract page places it."""
    result = _figures(projection)
    if projection is None or result is None:
        return pd.DataFrame(columns=FAN_COLUMNS)
    by_month: dict[int, float] = defaultdict(float)
    for contract in relationship.contracts:
        summary = relationship.savings[contract.pk]
        if summary.band.projection_id != projection.pk or summary.band.first_month is None:
            continue
        for row in summary.rows:
            if row["realised"] is not None:
                by_month[months_between(summary.band.first_month, row["period"])] += row["realised"]
    return cumulative_band(result["monte_carlo"], by_month)


def _renewals(contracts: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    columns = ["contract", "vendor", "notice_deadline", "end_date", "days_to_deadline"]
    records = []
    for row in contracts.to_dict("records"):
        deadline = notice_deadline(row["end_date"], row["notice_days"])
        records.append(
            {
                "contract": row["title"],
                "vendor": row["vendor"],
                "notice_deadline": deadline,
                "end_date": row["end_date"],
                "days_to_deadline": (deadline - today).days,
            }
        )
    frame = pd.DataFrame(records, columns=columns)
    return frame.sort_values("notice_deadline", kind="stable") if not frame.empty else frame


def _issues(relationship: ContractRows, selected: list[int], today: dt.date) -> pd.DataFrame:
    """The open issues of the selected contracts, soonest due first."""
    contracts = {c.pk: c for c in relationship.contracts}
    issues = sorted(
        (i for pk in selected for i in relationship.issues[pk] if i.is_open),
        key=lambda i: (i.due_on, i.pk),
    )
    records = [
        {
            "issue": i.title,
            "severity": i.severity,
            "status": i.status,
            "raised_on": i.raised_on,
            "due_on": i.due_on,
            "overdue": i.is_overdue(today),
            "contract": contracts[i.contract_id].title,
            "vendor": contracts[i.contract_id].vendor.name,
            "issue_id": i.pk,
            "contract_id": i.contract_id,
        }
        for i in issues
    ]
    return pd.DataFrame(
        records,
        columns=[
            "issue",
            "severity",
            "status",
            "raised_on",
            "due_on",
            "overdue",
            "contract",
            "vendor",
            "issue_id",
            "contract_id",
        ],
    )


def _exit_risks(
    organisation: Organisation,
    relationship: ContractRows,
    contracts: pd.DataFrame,
    today: dt.date,
) -> pd.DataFrame:
    """The live contracts of the selection that are near renewal and whose exit readiness
    is low (``contracts.engine.exit_readiness``), lowest score first, with the first reason."""
    chosen = set(contracts["id"]) if not contracts.empty else set()
    live = [c for c in relationship.contracts if c.pk in chosen]
    records = []
    scores = readiness_by_contract(live, today, organisation=organisation)
    for contract in live:
        readiness = scores[contract.pk]
        if not (readiness.is_low and readiness.near_renewal):
            continue
        records.append(
            {
                "contract": contract.title,
                "contract_id": contract.pk,
                "vendor": contract.vendor.name,
                "score": readiness.score,
                "level": readiness.level_label,
                "notice_deadline": contract.notice_deadline,
                "days_to_deadline": (contract.notice_deadline - today).days,
                "reason": readiness.reasons[0],
            }
        )
    records.sort(key=lambda r: (r["score"], r["notice_deadline"], r["contract_id"]))
    return pd.DataFrame(records, columns=EXIT_COLUMNS)


def _vendors(relationship: ContractRows, contracts: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Each vendor with a live contract in the selection: spend and contracts in the
    selection, and the scorecard over all of the organisation's contracts with it (the
    vendor record's, part by part)."""
    if contracts.empty:
        return vendor_frame(contracts, {})
    cards = {vendor_id: view.scorecard for vendor_id, view in relationship.by_vendor(today).items()}
    return vendor_frame(contracts, cards)


def _headline(
    rows: pd.DataFrame,
    projection: Projection | None,
    relationship: ContractRows,
    selected: list[int],
    sla: pd.DataFrame,
    renewals: pd.DataFrame,
    issues: pd.DataFrame,
    filters: DashboardFilters,
    today: dt.date,
    *,
    empty_selection: bool,
    scope: dict[str, str],
) -> dict[str, Any]:
    npv = dict.fromkeys(NPV_KEYS) if empty_selection else _npv_figures(projection, filters)
    unfiltered: list[str] = []
    if filters.business_function and not empty_selection:
        where = f"Wave {filters.wave}" if filters.wave else "Whole portfolio"
        for key in NPV_KEYS:
            if npv[key] is not None:
                unfiltered.append(key)
                scope[key] = f"{where}: this figure cannot be split by business function."
    quarter = quarter_start(today)
    met, measured = sla_counts(
        credit for pk in selected for credit in relationship.credits[pk] if credit.period >= quarter
    )
    summaries = [relationship.savings[pk] for pk in selected]
    if any(
        s.realised_total is not None and s.realised_compared != s.realised_total for s in summaries
    ):
        scope["plan_to_date"] = (
            "The plan covers only the contracts and months the latest projection includes."
        )
    return headline_figures(
        rows=rows,
        npv=npv,
        quarter_met=met,
        quarter_measured=measured,
        realised=[s.realised_total for s in summaries if s.realised_total is not None],
        planned=[s.projected_p50_total for s in summaries if s.projected_p50_total is not None],
        sla=sla,
        renewals=renewals,
        issues=issues,
        empty_selection=empty_selection,
        unfiltered=unfiltered,
    )


def pending_awards(organisation: Organisation, today: dt.date) -> tuple[PendingAward, ...]:
    """Sourcing events that wait for the award: being evaluated, or open past their
    deadline for proposals (one query)."""
    events = (
        SourcingEvent.objects.for_org(organisation)
        .with_counts()
        .filter(status__in=(EventStatus.EVALUATING, EventStatus.OPEN))
        .order_by("deadline", "pk")
    )
    statuses, models = dict(EventStatus.choices), dict(SourcedModel.choices)
    return tuple(
        PendingAward(
            event=e.name,
            model=models.get(e.model, e.model).split(" (")[0],
            status=statuses[e.status],
            deadline=e.deadline,
            proposals=e.proposal_count,
            processes=e.process_count,
        )
        for e in events
        if e.status == EventStatus.EVALUATING or e.deadline < today
    )


@dataclass(frozen=True)
class PendingAward:
    """A sourcing event waiting for an award (read by the board-pack service)."""

    event: str
    model: str
    status: str
    deadline: dt.date
    proposals: int
    processes: int
