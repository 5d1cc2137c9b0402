"""Realised savings against the projection (METHODOLOGY section 8).

The projection to compare with is the assessment's latest finished one. Its Monte Carlo
summary covers the whole portfolio, so the covered processes are re-run through the
same engine with the projection's own stored inputs (their model, location, cost and
start month), trials and seed: P10 and P50 for exactly those processes. The result is
cached per projection and set of processes; the engine is pure, so this runs no query.

Months map onto the projection's horizon by the roadmap: the contract's first month is
the earliest go-live month among the covered processes (when the vendor starts to
deliver and bill); realised savings are counted from then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery

from assessments.engine.assumptions import INFLATION_IN, INFLATION_VENDOR
from assessments.engine.projection_mc import monte_carlo
from assessments.models import Assessment, Process, Projection, ProjectionStatus
from assessments.projections import projected_processes
from assessments.selectors import latest_finished_projection
from contracts import benefits
from contracts.models import Contract, RealisedSaving
from contracts.periods import add_months, month_start, months_between, period_label

CACHE_SECONDS = 24 * 3600
MAX_TRIALS = 10_000  # enough for stable percentiles of a handful of processes


@dataclass(frozen=True)
class ProjectionBand:
    """Projected monthly saving of the covered processes: period -> (P10, P50).

    ``first_month`` is the period that stands for the projection's month 0 (the roadmap's
    start, as this contract's months map onto it); None when there is no projection.
    """

    available: bool
    note: str
    months: dict[dt.date, tuple[float, float]] = field(default_factory=dict)
    assessment: Assessment | None = None
    projection_id: int | None = None
    first_month: dt.date | None = None


# Projections already read, by assessment id (None: the assessment has no finished one).
Projections = Mapping[int, Projection | None]


def latest_projections(contracts: QuerySet[Contract]) -> dict[int, Projection]:
    """The latest finished projection of every assessment whose processes ``contracts`` (a
    queryset) cover, by assessment id: one query, whatever the number of contracts."""
    latest = (Projection.objects.filter(assessment=OuterRef("pk"), status=ProjectionStatus.DONE,
                                        result__isnull=False)
              .order_by("-created_at", "-pk").values("pk")[:1])
    assessments = (Assessment.objects.filter(processes__contracts__in=contracts)
                   .annotate(latest=Subquery(latest)).values("latest"))
    return {p.assessment_id: p for p in Projection.objects.filter(pk__in=assessments)}


def _band_for(contract: Contract, processes: list[Process],
              projections: Projections | None = None) -> ProjectionBand:
    if not processes:
        return ProjectionBand(False, "The contract covers no assessed processes, so there is "
                                     "no projection to compare with.")
    assessment = processes[0].assessment
    projection = (latest_finished_projection(assessment) if projections is None
                  else projections.get(assessment.pk))
    if projection is None or not projection.result or projection.result.get(
            "nothing_to_project"):
        return ProjectionBand(False, f"No finished savings projection for “{assessment.name}” "
                                     "yet: run one from the assessment's results page to "
                                     "compare realised with projected savings.",
                              assessment=assessment)
    names = {p.name for p in processes}
    try:
        covered = [p for p in projected_processes(projection) if p.name in names]
    except ValueError:
        covered = []
    if not covered:
        return ProjectionBand(False, f"The latest projection of “{assessment.name}” does not "
                                     "include the processes this contract covers (they were "
                                     "not outsourced on its roadmap).",
                              assessment=assessment, projection_id=projection.pk)
    names_hash = hashlib.sha256("\n".join(sorted(p.name for p in covered)).encode()).hexdigest()
    key = f"contracts:band:{projection.pk}:{names_hash[:32]}"
    cumulative = cache.get(key)
    if cumulative is None:
        inputs = projection.inputs or {}
        summary = monte_carlo(
            covered, trials=min(projection.trials, MAX_TRIALS), seed=projection.seed,
            horizon=projection.horizon_months, discount_rate=projection.discount_rate,
            inflation_in=float(inputs.get("inflation_in", INFLATION_IN)),
            inflation_vendor=float(inputs.get("inflation_vendor", INFLATION_VENDOR)))
        cumulative = (summary.cumulative_p10.tolist(), summary.cumulative_p50.tolist())
        cache.set(key, cumulative, CACHE_SECONDS)
    p10, p50 = cumulative
    anchor = add_months(month_start(contract.start_date), -_service_month(processes, covered))
    months = {}
    for m in range(len(p50)):
        previous10 = p10[m - 1] if m else 0.0
        previous50 = p50[m - 1] if m else 0.0
        months[add_months(anchor, m)] = (p10[m] - previous10, p50[m] - previous50)
    return ProjectionBand(True, f"Projected from “{assessment.name}” (projection "
                                f"{projection.pk}, finished {projection.finished_at:%d %b %Y}).",
                          months=months, assessment=assessment, projection_id=projection.pk,
                          first_month=anchor)


def _service_month(processes: list[Process], covered: list) -> int:
    """The projection month the contract's first month stands for: the earliest go-live
    on the roadmap among the covered processes (the service starts when the vendor takes
    over), else the earliest transition start."""
    names = {p.name for p in covered}
    live = [rec.go_live_month for p in processes if p.name in names
            for rec in [getattr(p, "recommendation", None)]
            if rec is not None and rec.go_live_month is not None]
    return min(live) if live else min(p.start_month for p in covered)


def covered_processes(contract: Contract) -> list[Process]:
    return list(contract.processes.select_related("assessment", "recommendation")
                .order_by("assessment_id", "position"))


def projection_band(contract: Contract, processes: list[Process],
                    projections: Projections | None = None) -> ProjectionBand:
    """``projections``: the latest finished projections already read (see
    ``latest_projections``); without them the assessment's is read (one query)."""
    return _band_for(contract, processes, projections)


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


def savings_summary(contract: Contract, processes: list[Process], today: dt.date,
                    savings: list[RealisedSaving] | None = None,
                    projections: Projections | None = None) -> SavingsSummary:
    """Per month: baseline, actual costs, realised saving, projected P10/P50, variance.

    Totals compare like with like: realised and projected over the months recorded.
    ``savings`` (ordered by period) and ``projections`` save their queries when given.
    """
    if savings is None:
        savings = list(contract.realised_savings.order_by("period"))
    band = projection_band(contract, processes, projections)
    baseline = baseline_annual_cost(contract, processes)
    rows: list[dict[str, Any]] = []
    realised_total = compared = p10_total = p50_total = 0.0
    projected_months = 0
    for saving in savings:
        months = max(0, months_between(contract.start_date, saving.period))
        realised = None if baseline is None else benefits.realised_saving(
            baseline, months, saving.vendor_cost, saving.governance_cost)
        projected = band.months.get(saving.period)
        row = {
            "period": saving.period, "label": period_label(saving.period),
            "vendor_cost": saving.vendor_cost, "governance_cost": saving.governance_cost,
            "baseline": None if baseline is None else benefits.escalated_baseline(baseline,
                                                                                  months),
            "realised": realised, "p10": projected[0] if projected else None,
            "p50": projected[1] if projected else None,
            "variance": (realised - projected[1]) if projected and realised is not None
            else None,
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
            variance, status = benefits.variance_vs_plan(compared, min(p10_total, p50_total),
                                                        p50_total)
        except ValueError:
            variance, status = compared - p50_total, None
    flagged = has_realised and contract.model == "ITO" and benefits.no_financial_difference(
        contract.model, max(0, months_between(contract.start_date, today)), contract.ramp_months,
        realised_total)
    if baseline is None:
        note = ("No in-house baseline: set one on the contract, or link the assessed processes "
                "it covers, to compute realised savings.")
    elif not savings:
        note = "No actual costs recorded yet."
    else:
        note = ""
    return SavingsSummary(
        rows=rows, band=band, baseline=baseline,
        realised_total=realised_total if has_realised else None,
        realised_compared=compared if has_realised and projected_months else None,
        projected_p10_total=p10_total if projected_months else None,
        projected_p50_total=p50_total if projected_months else None,
        variance=variance, plan_status=status, no_financial_difference=flagged, note=note)


SAVINGS_COLUMNS = ("period", "label", "vendor_cost", "governance_cost", "baseline", "realised",
                   "p10", "p50", "variance", "notes")


def savings_frame(summary: SavingsSummary) -> pd.DataFrame:
    """The summary's months as a frame for the chart (None where a figure is unknown)."""
    return pd.DataFrame.from_records(summary.rows, columns=list(SAVINGS_COLUMNS))
