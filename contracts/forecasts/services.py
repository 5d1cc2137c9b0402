"""Compute and store contract forecasts; send that work to the task queue.

A forecast re-runs the assessment's latest finished projection for the processes one
contract covers, with the projection's own stored inputs, trials (at most ``MAX_TRIALS``)
and seed, so the same inputs always give the same numbers. It is stored once per contract
(``ContractForecast``) and read by the contract page, the vendor record, the dashboard
and the board pack, none of which computes it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.queueing import BROKER_ERRORS, queue_backlog, task
from assessments.engine.assumptions import INFLATION_IN, INFLATION_VENDOR, using_assumptions
from assessments.engine.projection_mc import monte_carlo
from assessments.engine.scenarios import assumptions_from_json
from assessments.models import Process, Projection, ProjectionStatus
from assessments.projections.selectors import latest_finished_projection, projected_processes
from contracts.models import Contract, ContractForecast, ForecastOutcome
from contracts.selectors.savings import covered_processes, processes_key, read_forecasts

logger = logging.getLogger(__name__)

MAX_TRIALS = 10_000  # enough for stable percentiles of a handful of processes


@dataclass(frozen=True)
class Band:
    """A forecast's outcome and, for ``BAND``, the cumulative percentiles per month."""

    outcome: str
    covered: list[str] = field(default_factory=list)
    first_start_month: int | None = None
    trials: int = 0
    cumulative_p10: list[float] = field(default_factory=list)
    cumulative_p50: list[float] = field(default_factory=list)
    cumulative_p90: list[float] = field(default_factory=list)


def compute_band(projection: Projection, processes: list[Process]) -> Band:
    """The projection re-run for the covered processes (no query): the slow part."""
    if not projection.result or projection.result.get("nothing_to_project"):
        return Band(ForecastOutcome.NOTHING)
    names = {p.name for p in processes}
    try:
        covered = [p for p in projected_processes(projection) if p.name in names]
    except ValueError:
        covered = []
    if not covered:
        return Band(ForecastOutcome.NOT_COVERED)
    inputs = projection.inputs or {}
    trials = min(projection.trials, MAX_TRIALS)
    # The projection's own assumption set (calibrated, or a scenario's), as it ran.
    with using_assumptions(assumptions_from_json(inputs.get("assumptions"))):
        summary = monte_carlo(
            covered,
            trials=trials,
            seed=projection.seed,
            horizon=projection.horizon_months,
            discount_rate=projection.discount_rate,
            inflation_in=float(inputs.get("inflation_in", INFLATION_IN)),
            inflation_vendor=float(inputs.get("inflation_vendor", INFLATION_VENDOR)),
        )
    return Band(
        ForecastOutcome.BAND,
        covered=sorted({p.name for p in covered}),
        first_start_month=min(p.start_month for p in covered),
        trials=trials,
        cumulative_p10=summary.cumulative_p10.tolist(),
        cumulative_p50=summary.cumulative_p50.tolist(),
        cumulative_p90=summary.cumulative_p90.tolist(),
    )


def forecast_refresh(*, contract_id: int) -> str:
    """Store the contract's forecast for its current processes and the latest finished
    projection, unless it is stored already. Idempotent.

    Returns what it did: "stored", "current" (nothing to do), "none" (no processes or no
    finished projection: nothing to compare with, and any older forecast is removed),
    "superseded" (a newer projection finished meanwhile: its own run stores the forecast)
    or "gone" (no such contract).
    """
    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is None:
        return "gone"
    processes = covered_processes(contract)
    projection = latest_finished_projection(processes[0].assessment) if processes else None
    if projection is None:
        ContractForecast.objects.filter(contract_id=contract_id).delete()
        return "none"
    key = processes_key(p.name for p in processes)
    if ContractForecast.objects.filter(
        contract_id=contract_id, projection=projection, processes_key=key
    ).exists():
        return "current"
    band = compute_band(projection, processes)
    if _latest_projection_id(projection.assessment_id) != projection.pk:
        return "superseded"
    values = {
        "projection": projection,
        "processes_key": key,
        "outcome": band.outcome,
        "covered": band.covered,
        "first_start_month": band.first_start_month,
        "trials": band.trials,
        "cumulative_p10": band.cumulative_p10,
        "cumulative_p50": band.cumulative_p50,
        "cumulative_p90": band.cumulative_p90,
        "computed_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            ContractForecast.objects.update_or_create(contract_id=contract_id, defaults=values)
    except IntegrityError:  # stored by a concurrent run between the two statements
        ContractForecast.objects.filter(contract_id=contract_id).update(**values)
    return "stored"


def _latest_projection_id(assessment_id: int) -> int | None:
    return (
        Projection.objects.filter(
            assessment_id=assessment_id,
            status=ProjectionStatus.DONE,
            result__isnull=False,
            scenario__isnull=True,  # a scenario's projection is not the plan
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )


def forecast_send(*, contract_id: int) -> bool:
    """Hand one contract's forecast to the task queue; False when it could not be sent.

    Called after the change that needs it has committed, so a failure here must not
    break anything: the sweeper (``forecasts_sweep``) sends it again later.
    """
    try:
        task("contracts.refresh_forecast", contract_id).apply_async()
    except BROKER_ERRORS as error:
        logger.warning(
            "Forecast of contract %s not sent, the task queue is unreachable: %s",
            contract_id,
            error,
        )
        return False
    except Exception:
        # Run in-process (no worker), the work happens inside delay(): whatever breaks
        # there must not break the request that asked for it, which has committed.
        logger.exception("The forecast of contract %s could not be computed", contract_id)
        return False
    return True


def contracts_of_projection(projection_id: int) -> list[int]:
    """Ids of the contracts covering a process of the projection's assessment."""
    assessment = (
        Projection.objects.filter(pk=projection_id).values_list("assessment_id", flat=True).first()
    )
    if assessment is None:
        return []
    return list(
        Contract.objects.filter(processes__assessment_id=assessment)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def stale_forecasts(contracts: QuerySet[Contract] | None = None) -> list[int]:
    """Ids of the contracts (all, or the ``contracts`` queryset) whose stored forecast is
    missing or out of date: another latest projection or other processes. Three queries."""
    queryset = Contract.objects.all() if contracts is None else contracts
    ids = queryset.filter(processes__isnull=False).values("pk")
    links = (
        Contract.processes.through.objects.filter(contract__in=ids)
        .order_by("contract_id", "process__assessment_id", "process__position", "process_id")
        .values_list("contract_id", "process__assessment_id", "process__name")
    )
    names: dict[int, list[str]] = {}
    assessment_of: dict[int, int] = {}
    for contract_id, assessment_id, name in links:
        assessment_of.setdefault(contract_id, assessment_id)
        names.setdefault(contract_id, []).append(name)
    latest = read_forecasts(ids)
    stale = []
    for contract_id, assessment_id in assessment_of.items():
        projection = latest.get(assessment_id)
        if projection is None:
            continue  # nothing to compare with until a projection finishes
        stored = projection.forecasts.get(contract_id)
        if stored is None or stored.processes_key != processes_key(names[contract_id]):
            stale.append(contract_id)
    return sorted(stale)


def forecasts_sweep() -> int:
    """Send every missing or out-of-date forecast again (a lost message, a process
    renamed, a broker that was down); how many were sent. Nothing while work waits in
    the queue (it may be those very forecasts) or the queue cannot be asked."""
    if queue_backlog() != 0:
        return 0
    return sum(forecast_send(contract_id=pk) for pk in stale_forecasts())


def forecasts_refresh_now(contracts: QuerySet[Contract]) -> int:
    """Compute the stale forecasts of ``contracts`` (a queryset) in this process, not on
    the worker (``seed_demo``); how many were stored."""
    return sum(forecast_refresh(contract_id=pk) == "stored" for pk in stale_forecasts(contracts))
