"""Reads for the calibration report: each contract's evidence, and the report over them.

The evidence of a contract is what its page compares: the realised saving of each month
recorded beside the projected P10, P50 and P90 of that month, from the stored forecast
(``contracts.selectors.savings.savings_summary``: one rule, one implementation). Here
those months are added up into cumulative amounts, month by month, and the engine places
each within its band. A contract with realised savings but no forecast to compare with
(no finished projection, the forecast still being prepared, processes not on the
roadmap) is listed with the reason instead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import Organisation
from assessments.engine.assumptions import DEFAULT_SET
from assessments.models import CalibratedAssumptions, Process
from contracts.engine.calibration import (
    CalibrationReport,
    ContractRecord,
    CumulativePoint,
    calibration_report,
    money,
)
from contracts.engine.calibration_update import (
    CalibratedRange,
    calibrated_savings,
    evidence_from_report,
)
from contracts.models import Contract, RealisedSaving
from contracts.selectors.savings import SavingsSummary, read_forecasts, savings_summary


@dataclass(frozen=True)
class Waiting:
    """A contract with realised savings that the report cannot use yet, and why."""

    contract: Contract
    reason: str


@dataclass(frozen=True)
class Calibration:
    organisation: Organisation
    report: CalibrationReport
    contracts: dict[int, Contract] = field(default_factory=dict)
    waiting: list[Waiting] = field(default_factory=list)


def cumulative_points(summary: SavingsSummary) -> tuple[CumulativePoint, ...]:
    """The summary's months that have a realised saving and a projected band, added up
    month by month (amounts rounded to the cent before they are added)."""
    realised = p10 = p50 = p90 = Decimal(0)
    points = []
    for row in summary.rows:
        if row["realised"] is None or row["p50"] is None or row.get("p90") is None:
            continue
        realised += money(row["realised"])
        p10 += money(row["p10"])
        p50 += money(row["p50"])
        p90 += money(row["p90"])
        points.append(CumulativePoint.of(row["label"], realised, p10, p50, p90))
    return tuple(points)


def calibration_for(organisation: Organisation, today: dt.date) -> Calibration:
    """The organisation's contracts with realised savings, placed within their forecasts.

    A fixed number of queries whatever the number of contracts."""
    contracts = list(
        Contract.objects.for_org(organisation)
        .filter(realised_savings__isnull=False)
        .distinct()
        .select_related("vendor")
        .order_by("pk")
    )
    ids = [c.pk for c in contracts]
    covered: dict[int, list[Process]] = defaultdict(list)
    links = (
        Contract.processes.through.objects.filter(contract__in=ids)
        .select_related("process__assessment", "process__recommendation")
        .order_by("process__assessment_id", "process__position", "process_id")
    )
    for link in links:
        covered[link.contract_id].append(link.process)
    realised: dict[int, list[RealisedSaving]] = defaultdict(list)
    for saving in RealisedSaving.objects.filter(contract__in=ids).order_by("contract_id", "period"):
        realised[saving.contract_id].append(saving)
    forecasts = read_forecasts(ids) if ids else {}
    records, waiting = [], []
    for contract in contracts:
        summary = savings_summary(
            contract,
            covered[contract.pk],
            today,
            savings=realised[contract.pk],
            forecasts=forecasts,
        )
        points = cumulative_points(summary)
        if points:
            records.append(
                ContractRecord(
                    contract.pk, contract.title, contract.model, contract.location, points
                )
            )
        else:
            waiting.append(Waiting(contract, _reason(summary)))
    return Calibration(
        organisation=organisation,
        report=calibration_report(records),
        contracts={c.pk: c for c in contracts},
        waiting=waiting,
    )


def _reason(summary: SavingsSummary) -> str:
    if not summary.band.available:
        return summary.band.note
    if summary.note:
        return summary.note
    return "No month with realised savings falls within the projection's horizon."


def calibrated_ranges(report: CalibrationReport) -> dict[str, CalibratedRange]:
    """Every model's gross saving range as the report's evidence moves it."""
    defaults = {model: drivers.saving for model, drivers in DEFAULT_SET.models.items()}
    return calibrated_savings(defaults, evidence_from_report(report))


def stored_assumptions(organisation: Organisation) -> CalibratedAssumptions | None:
    """The organisation's stored calibrated set, if it has one."""
    return CalibratedAssumptions.objects.filter(organisation=organisation).first()
