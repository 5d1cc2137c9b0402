"""Realised savings against the projection (METHODOLOGY section 8).

The projection to compare with is the assessment's latest finished one. Its Monte Carlo
summary covers the whole portfolio, so the covered processes are re-run through the same
engine with the projection's own stored inputs, trials and seed: P10 and P50 for exactly
those processes. That run is too slow for a page: a Celery task stores its outcome (a
``ContractForecast``, see ``contracts.forecasts``) when the projection finishes or the
contract's processes change, and these reads only use what is stored. While the stored
forecast is missing, or belongs to an older projection or other processes, the page says
the forecast is being prepared rather than computing it.

Months map onto the projection's horizon by the roadmap: the contract's first month is
the earliest go-live month among the covered processes (when the vendor starts to
deliver and bill); realised savings are counted from then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from assessments.engine.vocabulary import ITO
from assessments.models import Assessment, Process, Projection, ProjectionStatus
from contracts.engine import benefits
from contracts.engine.periods import add_months, month_start, months_between, period_label
from contracts.models import Contract, ForecastOutcome, RealisedSaving

PREPARING = (
    "The forecast for this contract is being prepared: the projected savings to "
    "compare with appear here once it is ready (usually within a minute)."
)


@dataclass(frozen=True)
class ProjectionBand:
    """Projected monthly saving of the covered processes: period -> (P10, P50).

    ``first_month`` is the period that stands for the projection's month 0 (the roadmap's
    start, as this contract's months map onto it); None when there is no projection.
    ``preparing``: the forecast for the latest projection is not stored yet.
    """

    available: bool
    note: str
    months: dict[dt.date, tuple[float, float]] = field(default_factory=dict)
    assessment: Assessment | None = None
    projection_id: int | None = None
    first_month: dt.date | None = None
    preparing: bool = False
    # period -> projected P90 of the month (the calibration report places realised
    # savings inside the P10 to P90 band).
    upper: dict[dt.date, float] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredForecast:
    """A contract's stored ``ContractForecast``, as read beside the latest projection."""

    processes_key: str
    outcome: str
    covered: frozenset[str]
    first_start_month: int | None
    cumulative_p10: list[float]
    cumulative_p50: list[float]
    cumulative_p90: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class LatestProjection:
    """An assessment's latest finished projection, with the forecasts stored under it for
    the contracts read (by contract id)."""

    pk: int
    finished_at: dt.datetime
    nothing_to_project: bool = False
    forecasts: dict[int, StoredForecast] = field(default_factory=dict)


# The latest finished projection of each assessment, by assessment id.
Forecasts = Mapping[int, LatestProjection]


def processes_key(names: Iterable[str]) -> str:
    """What a stored forecast was computed for: the names of the contract's processes."""
    return hashlib.sha256("\n".join(sorted(set(names))).encode()).hexdigest()


def read_forecasts(contracts: QuerySet[Contract, Any] | list[int]) -> dict[int, LatestProjection]:
    """The latest finished projection of every assessment whose processes ``contracts`` (a
    queryset, or ids) cover, with the forecasts stored under it for those contracts: one
    query, whatever the number of contracts. Nothing is computed."""
    latest = (
        Projection.objects.filter(
            assessment=OuterRef("pk"),
            status=ProjectionStatus.DONE,
            result__isnull=False,
            scenario__isnull=True,  # a scenario's projection is not the plan
        )
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    assessments = (
        Assessment.objects.filter(processes__contracts__in=contracts)
        .annotate(latest=Subquery(latest))
        .values("latest")
    )
    # A FilteredRelation takes a subquery as an expression, not as a queryset.
    chosen = (
        Subquery(contracts.order_by().values("pk"))
        if isinstance(contracts, QuerySet)
        else contracts
    )
    rows = (
        Projection.objects.filter(pk__in=assessments)
        .annotate(
            stored=FilteredRelation(
                "contract_forecasts", condition=Q(contract_forecasts__contract__in=chosen)
            )
        )
        .annotate(
            nothing=ExpressionWrapper(
                Q(result__nothing_to_project=True), output_field=BooleanField()
            )
        )
        .order_by("pk", "stored__contract_id")
        .values(
            "pk",
            "assessment_id",
            "finished_at",
            "nothing",
            "stored__contract_id",
            "stored__processes_key",
            "stored__outcome",
            "stored__covered",
            "stored__first_start_month",
            "stored__cumulative_p10",
            "stored__cumulative_p50",
            "stored__cumulative_p90",
        )
    )
    found: dict[int, LatestProjection] = {}
    for row in rows:
        projection = found.setdefault(
            row["assessment_id"],
            LatestProjection(
                pk=row["pk"],
                finished_at=row["finished_at"],
                nothing_to_project=bool(row["nothing"]),
            ),
        )
        if row["stored__contract_id"] is not None:
            projection.forecasts[row["stored__contract_id"]] = StoredForecast(
                processes_key=row["stored__processes_key"],
                outcome=row["stored__outcome"],
                covered=frozenset(row["stored__covered"] or ()),
                first_start_month=row["stored__first_start_month"],
                cumulative_p10=row["stored__cumulative_p10"] or [],
                cumulative_p50=row["stored__cumulative_p50"] or [],
                cumulative_p90=row["stored__cumulative_p90"] or [],
            )
    return found


def _no_projection(assessment: Assessment) -> ProjectionBand:
    return ProjectionBand(
        False,
        f"No finished savings projection for “{assessment.name}” "
        "yet: run one from the assessment's results page to "
        "compare realised with projected savings.",
        assessment=assessment,
    )


def _band_for(contract: Contract, processes: list[Process], forecasts: Forecasts) -> ProjectionBand:
    if not processes:
        return ProjectionBand(
            False,
            "The contract covers no assessed processes, so there is no projection to compare with.",
        )
    assessment = processes[0].assessment
    projection = forecasts.get(assessment.pk)
    if projection is None or projection.nothing_to_project:
        return _no_projection(assessment)
    stored = projection.forecasts.get(contract.pk)
    if stored is None or stored.processes_key != processes_key(p.name for p in processes):
        return ProjectionBand(False, PREPARING, assessment=assessment, preparing=True)
    if stored.outcome == ForecastOutcome.NOTHING:
        return _no_projection(assessment)
    if stored.outcome == ForecastOutcome.NOT_COVERED:
        return ProjectionBand(
            False,
            f"The latest projection of “{assessment.name}” does not "
            "include the processes this contract covers (they were "
            "not outsourced on its roadmap).",
            assessment=assessment,
            projection_id=projection.pk,
        )
    p10, p50 = stored.cumulative_p10, stored.cumulative_p50
    anchor = add_months(
        month_start(contract.start_date),
        -_service_month(processes, stored.covered, stored.first_start_month),
    )
    months, upper = {}, {}
    for m in range(len(p50)):
        previous10 = p10[m - 1] if m else 0.0
        previous50 = p50[m - 1] if m else 0.0
        months[add_months(anchor, m)] = (p10[m] - previous10, p50[m] - previous50)
    p90 = stored.cumulative_p90
    for m in range(min(len(p90), len(p50))):
        upper[add_months(anchor, m)] = p90[m] - (p90[m - 1] if m else 0.0)
    return ProjectionBand(
        True,
        f"Projected from “{assessment.name}” (projection "
        f"{projection.pk}, finished {projection.finished_at:%d %b %Y}).",
        months=months,
        assessment=assessment,
        projection_id=projection.pk,
        first_month=anchor,
        upper=upper,
    )


def _service_month(
    processes: list[Process], covered: frozenset[str], first_start_month: int | None
) -> int:
    """The projection month the contract's first month stands for: the earliest go-live
    on the roadmap among the covered processes (the service starts when the vendor takes
    over), else the earliest transition start."""
    live = [
        rec.go_live_month
        for p in processes
        if p.name in covered
        for rec in [getattr(p, "recommendation", None)]
        if rec is not None and rec.go_live_month is not None
    ]
    return min(live) if live else (first_start_month or 0)


def covered_processes(contract: Contract) -> list[Process]:
    return list(
        contract.processes.select_related("assessment", "recommendation").order_by(
            "assessment_id", "position"
        )
    )


def projection_band(
    contract: Contract, processes: list[Process], forecasts: Forecasts | None = None
) -> ProjectionBand:
    """``forecasts``: read already (see ``read_forecasts``); without them this contract's
    are read (one query)."""
    if forecasts is None:
        forecasts = read_forecasts([contract.pk]) if processes else {}
    return _band_for(contract, processes, forecasts)


def baseline_annual_cost(contract: Contract, processes: list[Process]) -> Decimal | None:
    if contract.baseline_annual_cost is not None:
        return contract.baseline_annual_cost
    if processes:
        return sum((p.annual_cost for p in processes), Decimal("0"))
    return None


@dataclass
class SavingsSummary:
    rows: list[dict[str, Any]]
    band: ProjectionBand
    baseline: Decimal | None
    realised_total: float | None
    realised_compared: float | None  # over the months the projection covers
    projected_p10_total: float | None
    projected_p50_total: float | None
    variance: float | None
    plan_status: str | None
    no_financial_difference: bool
    note: str


def savings_summary(
    contract: Contract,
    processes: list[Process],
    today: dt.date,
    savings: list[RealisedSaving] | None = None,
    forecasts: Forecasts | None = None,
) -> SavingsSummary:
    """Per month: baseline, actual costs, realised saving, projected P10/P50, variance.

    Totals compare like with like: realised and projected over the months recorded.
    ``savings`` (ordered by period) and ``forecasts`` save their queries when given.
    """
    if savings is None:
        savings = list(contract.realised_savings.order_by("period"))
    band = projection_band(contract, processes, forecasts)
    baseline = baseline_annual_cost(contract, processes)
    rows: list[dict[str, Any]] = []
    realised_total = compared = p10_total = p50_total = 0.0
    projected_months = 0
    for saving in savings:
        months = max(0, months_between(contract.start_date, saving.period))
        realised = (
            None
            if baseline is None
            else benefits.realised_saving(
                baseline, months, saving.vendor_cost, saving.governance_cost
            )
        )
        projected = band.months.get(saving.period)
        row = {
            "period": saving.period,
            "label": period_label(saving.period),
            "vendor_cost": saving.vendor_cost,
            "governance_cost": saving.governance_cost,
            "baseline": None if baseline is None else benefits.escalated_baseline(baseline, months),
            "realised": realised,
            "p10": projected[0] if projected else None,
            "p50": projected[1] if projected else None,
            "p90": band.upper.get(saving.period) if projected else None,
            "variance": (realised - projected[1]) if projected and realised is not None else None,
            "notes": saving.notes,
        }
        rows.append(row)
        if realised is not None:
            realised_total += realised
            if projected:
                compared += realised
                p10_total += projected[0]
                p50_total += projected[1]
                projected_months += 1
    has_realised = baseline is not None and bool(savings)
    variance = status = None
    if has_realised and projected_months:
        try:
            variance, status = benefits.variance_vs_plan(
                compared, min(p10_total, p50_total), p50_total
            )
        except ValueError:
            variance, status = compared - p50_total, None
    flagged = (
        has_realised
        and contract.model == ITO
        and benefits.no_financial_difference(
            contract.model,
            max(0, months_between(contract.start_date, today)),
            contract.ramp_months,
            realised_total,
        )
    )
    if baseline is None:
        note = (
            "No in-house baseline: set one on the contract, or link the assessed processes "
            "it covers, to compute realised savings."
        )
    elif not savings:
        note = "No actual costs recorded yet."
    else:
        note = ""
    return SavingsSummary(
        rows=rows,
        band=band,
        baseline=baseline,
        realised_total=realised_total if has_realised else None,
        realised_compared=compared if has_realised and projected_months else None,
        projected_p10_total=p10_total if projected_months else None,
        projected_p50_total=p50_total if projected_months else None,
        variance=variance,
        plan_status=status,
        no_financial_difference=flagged,
        note=note,
    )


SAVINGS_COLUMNS = (
    "period",
    "label",
    "vendor_cost",
    "governance_cost",
    "baseline",
    "realised",
    "p10",
    "p50",
    "variance",
    "notes",
)


def savings_frame(summary: SavingsSummary) -> pd.DataFrame:
    """The summary's months as a frame for the chart (None where a figure is unknown)."""
    return pd.DataFrame.from_records(summary.rows, columns=list(SAVINGS_COLUMNS))
