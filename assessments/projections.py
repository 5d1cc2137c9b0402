"""Savings projections: services that request, run, combine and sweep them, and their reads.

A request saves a ``Projection`` row (queued) holding everything the run needs, the
scheduled processes with their start months, models, locations and costs, so a result can
be reproduced whatever happens to the assessment later. The work goes to Celery only once
the request's transaction commits (``transaction.on_commit``), and never blocks it:

    projection_request ──on commit──► projection_enqueue ──► tasks.projection_start
        ──► projection_begin (plan) ──► group of tasks.projection_chunk
        ──► projection_run_chunk (one ProjectionChunk row each; the last one stored
            triggers) ──► tasks.projection_combine ──► projection_finish (done)

Every step may run twice (a redelivered message, a re-send by the sweeper): a chunk row is
unique per projection and index, so a chunk delivered twice counts once; finishing is a
conditional update, so combining twice changes nothing. ``projection_sweep`` re-sends
projections the queue lost (never handed over because the broker was down, queued too
long, or running without a sign of life for longer than their limit).

Without ``REDIS_URL`` Celery runs every task in-process and the same path finishes the
projection before the request returns.

Quotas: a projection someone asks for is refused, and nothing saved, while they already
have ``PROJECTIONS_PER_PERSON`` unfinished (queued or running) projections, or their
organisation has ``PROJECTIONS_PER_ORGANISATION``. The check runs under a lock on both
rows, so two requests sent together cannot both slip under a limit.
"""

from __future__ import annotations

import logging
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from accounts.audit.bulk import record_bulk
from accounts.audit.models import Action
from accounts.models import Organisation
from assessments.engine.assumptions import INFLATION_IN, INFLATION_VENDOR, LOCATIONS, RULES_VERSION
from assessments.engine.projection import ProjectedProcess, deterministic_projection, tornado
from assessments.engine.projection_mc import (
    TrialSet,
    block_count,
    plan_chunks,
    simulate_blocks,
    summarise,
)
from assessments.engine.sequencer import WAVE_MODELS
from assessments.models import (
    Assessment,
    Projection,
    ProjectionChunk,
    ProjectionStatus,
    Recommendation,
)
from assessments.models.recommendation import OUTSOURCED

logger = logging.getLogger(__name__)

ENGINE_VERSION = RULES_VERSION

MIN_TRIALS, MAX_TRIALS = 100, 200_000
MIN_HORIZON, MAX_HORIZON = 1, 240
MAX_DISCOUNT_RATE = 0.5
MAX_SEED = 2_147_483_647  # the largest value every database's integer column holds

# A chunk is about this many trial x process evaluations (some 0.2 s of engine time): enough
# chunks that more workers finish sooner and the progress bar moves, few enough that the
# per-task overhead stays small.
WORK_PER_CHUNK = 2_000_000
MIN_CHUNKS, MAX_CHUNKS = 4, 64

# The sweeper's limits. A chunk's hard time limit is 6 minutes (tasks.py) and every chunk
# stored is a sign of life, so a running projection silent for 10 minutes has lost a task.
NEVER_SENT_GRACE = timedelta(seconds=30)
QUEUED_LIMIT = timedelta(minutes=10)
RUNNING_LIMIT = timedelta(minutes=10)
MAX_ATTEMPTS = 5

BROKER_ERRORS = (BrokerError, RedisError, OSError)

WAITING = "Waiting for a worker to start the projection."
QUEUE_DOWN = ("The task queue cannot be reached right now. Your request is saved and the "
              "projection will start by itself when the task queue is back.")
NOTHING_TO_PROJECT = ("Nothing to project: no process is recommended for outsourcing (every "
                      "process is retained or lacks evidence), so there are no savings to "
                      "compute. Override a recommendation to ITO, BPO or KPO to see its "
                      "savings.")
FINISHED = "Finished."
UNFINISHED = (ProjectionStatus.QUEUED, ProjectionStatus.RUNNING)


# How many projections may be unfinished (queued or running) at once. A run of the largest
# size takes some 40 s and 2.5 GB, so a few at once per organisation is what the workers
# can give each one; settings of the same names (SOURCEWISE_ prefixed) override them.
PROJECTIONS_PER_PERSON = 2
PROJECTIONS_PER_ORGANISATION = 4


class ProjectionError(ValueError):
    """A projection request out of range; the message says what is allowed, in words."""


class ProjectionQuotaError(Exception):
    """Too many unfinished projections to start another; the message says so in words."""


# Reads ---------------------------------------------------------------------------------


def projection_inputs(*, assessment: Assessment) -> dict[str, Any]:
    """What a projection of the assessment's roadmap needs, as plain JSON data.

    The outsourced processes (the decided model and location: an override when there is
    one) with their wave and start month from the stored roadmap, ordered by wave, start
    month and inventory position. The order is part of the input: the Monte Carlo run
    draws per process in this order.
    """
    recommendations = (
        Recommendation.objects.for_assessment(assessment)
        .filter(wave__isnull=False, start_month__isnull=False)
        .order_by("wave", "start_month", "process__position", "process__pk")
    )
    processes = [
        {
            "name": rec.process.name,
            "model": rec.effective_model,
            "location": _projected_location(rec.effective_location),
            "annual_cost": float(rec.process.annual_cost),
            "start_month": int(rec.start_month),
            "wave": int(rec.wave),
        }
        for rec in recommendations
        if rec.effective_model in OUTSOURCED
    ]
    return {
        "processes": processes,
        "currency": assessment.currency,
        "inflation_in": INFLATION_IN,
        "inflation_vendor": INFLATION_VENDOR,
    }


def _projected_location(location: str) -> str:
    # An override that outsources a retained process keeps no location: the roadmap reads
    # it as onshore, the cautious default (engine.pipeline), and so does the projection.
    return location if location in LOCATIONS else "onshore"


def projected_processes(projection: Projection) -> list[ProjectedProcess]:
    """The stored processes as the engine takes them; ValueError when they are unreadable."""
    try:
        return [ProjectedProcess(**row) for row in projection.inputs["processes"]]
    except (KeyError, TypeError) as error:
        raise ValueError(f"the stored inputs are incomplete ({error})") from None


def chunk_count_for(trials: int, processes: int) -> int:
    """How many chunks a run of ``trials`` over ``processes`` processes is split into."""
    wanted = -(-trials * max(processes, 1) // WORK_PER_CHUNK)
    wanted = max(MIN_CHUNKS, min(MAX_CHUNKS, wanted))
    return min(wanted, block_count(trials))


def check_request(*, trials: int, seed: int, horizon_months: int, discount_rate: float) -> None:
    """ProjectionError naming the first value out of range."""
    if not MIN_TRIALS <= trials <= MAX_TRIALS:
        raise ProjectionError(f"Trials must be between {MIN_TRIALS:,} and {MAX_TRIALS:,}.")
    if not 0 <= seed <= MAX_SEED:
        raise ProjectionError(f"The seed must be a whole number from 0 to {MAX_SEED:,}.")
    if not MIN_HORIZON <= horizon_months <= MAX_HORIZON:
        raise ProjectionError(f"The horizon must be {MIN_HORIZON} to {MAX_HORIZON} months.")
    if not 0 <= discount_rate <= MAX_DISCOUNT_RATE:
        raise ProjectionError("The discount rate must be between 0 and 50 %.")


def projection_quota() -> tuple[int, int]:
    """(per person, per organisation): how many projections may be unfinished at once."""
    return (int(getattr(settings, "SOURCEWISE_PROJECTIONS_PER_PERSON", PROJECTIONS_PER_PERSON)),
            int(getattr(settings, "SOURCEWISE_PROJECTIONS_PER_ORGANISATION",
                        PROJECTIONS_PER_ORGANISATION)))


def check_quota(*, organisation_id: int, user) -> None:
    """ProjectionQuotaError when the person or the organisation is at its limit.

    Call inside a transaction: the person's and the organisation's rows stay locked
    until it ends, so a second request waits here and then counts the first one's row.
    """
    per_person, per_organisation = projection_quota()
    person = user.pk if getattr(user, "is_authenticated", False) else None
    if person is not None:
        _lock(get_user_model().objects.filter(pk=person))
    _lock(Organisation.objects.filter(pk=organisation_id))
    unfinished = Projection.objects.unfinished()
    if person is not None and unfinished.filter(requested_by_id=person).count() >= per_person:
        raise ProjectionQuotaError(
            f"You already have {_projections(per_person)} queued or running, the most one "
            "person may have at once. Wait for one of them to finish, then start this one "
            "again.")
    in_organisation = unfinished.filter(assessment__organisation_id=organisation_id).count()
    if in_organisation >= per_organisation:
        raise ProjectionQuotaError(
            f"Your organisation already has {_projections(per_organisation)} queued or "
            "running, the most it may have at once. Wait for one of them to finish, then "
            "start this one again.")


def _lock(rows) -> None:
    list(rows.select_for_update().values_list("pk", flat=True))


def _projections(count: int) -> str:
    return "1 projection" if count == 1 else f"{count} projections"


# Writes --------------------------------------------------------------------------------


def projection_request(
    *,
    assessment: Assessment,
    user,
    trials: int = 10_000,
    seed: int = 0,
    horizon_months: int | None = None,
    discount_rate: float | None = None,
    quota: bool = False,
) -> Projection:
    """Save a queued projection of the assessment's roadmap; the work starts on commit.

    With ``quota`` (a projection someone asked for), ProjectionQuotaError when the person
    or the organisation already has as many unfinished projections as allowed; nothing
    is saved. Without it (the projection a submit or an override starts by itself, so
    the results follow the new roadmap) it is never refused, but it counts.

    Safe inside an outer ``transaction.atomic``: nothing is sent before it commits, and
    nothing at all if it rolls back. Never raises because the task queue is down: the
    row stays queued with a message saying so, and the sweeper sends it later. Horizon
    and discount rate default to the assessment's; ProjectionError (a ValueError) for a
    value out of range. An assessment with nothing outsourced gets a finished "nothing
    to project" result at once.
    """
    horizon = assessment.horizon_months if horizon_months is None else int(horizon_months)
    rate = float(assessment.discount_rate if discount_rate is None else discount_rate)
    check_request(trials=trials, seed=seed, horizon_months=horizon, discount_rate=rate)
    inputs = projection_inputs(assessment=assessment)
    now = timezone.now()
    with transaction.atomic():
        if quota and inputs["processes"]:  # nothing to project costs nothing
            check_quota(organisation_id=assessment.organisation_id, user=user)
        projection = Projection.objects.create(
            assessment=assessment, status=ProjectionStatus.QUEUED, message=WAITING,
            trials=trials, seed=seed, horizon_months=horizon, discount_rate=rate,
            chunk_count=chunk_count_for(trials, len(inputs["processes"])), inputs=inputs,
            engine_version=ENGINE_VERSION,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            updated_at=now,
        )
        if not inputs["processes"]:
            projection.status = ProjectionStatus.DONE
            projection.progress = 100
            projection.message = NOTHING_TO_PROJECT
            projection.result = {"nothing_to_project": True, "message": NOTHING_TO_PROJECT,
                                 "currency": assessment.currency}
            projection.started_at = projection.finished_at = now
            projection.save()
        else:
            transaction.on_commit(partial(projection_enqueue, projection_id=projection.pk))
    return projection


def projection_enqueue(*, projection_id: int) -> bool:
    """Hand the projection to the task queue; False (and the row says why) when it is down.

    Each hand-off is numbered (``attempts``); the start task ignores a hand-off that a
    later one superseded, so a re-send does not run the work twice.
    """
    from assessments.tasks import projection_start

    now = timezone.now()
    Projection.objects.filter(pk=projection_id, status__in=UNFINISHED).update(
        attempts=F("attempts") + 1, enqueued_at=now, updated_at=now)
    attempt = Projection.objects.filter(pk=projection_id).values_list("attempts", flat=True)
    attempt = attempt.first()
    if attempt is None:
        return False
    try:
        projection_start.apply_async(args=[projection_id, attempt])
    except BROKER_ERRORS as error:
        logger.warning("Projection %s not sent, the task queue is unreachable: %s",
                       projection_id, error)
        Projection.objects.filter(pk=projection_id, status__in=UNFINISHED).update(
            enqueued_at=None, send_failures=F("send_failures") + 1, message=QUEUE_DOWN)
        return False
    except Exception:
        # Run in-process (no REDIS_URL), the work happens inside apply_async: whatever
        # breaks there must not break the request that asked for it, which has committed.
        logger.exception("Projection %s could not be started", projection_id)
        projection_fail(projection_id=projection_id,
                        reason="an unexpected error stopped it (the log has the details)")
        return False
    Projection.objects.filter(pk=projection_id, status=ProjectionStatus.QUEUED,
                              message=QUEUE_DOWN).update(message=WAITING)
    return True


def projection_begin(*, projection_id: int, attempt: int | None = None) -> list[int] | None:
    """Mark the projection running; the chunk indices still to compute.

    None when there is nothing to do: the projection is gone or finished, or ``attempt``
    is an older hand-off than the latest. An empty list means every chunk is stored and
    only the combining step is left.
    """
    projection = Projection.objects.filter(pk=projection_id).first()
    if projection is None or projection.is_finished:
        return None
    if attempt is not None and attempt != projection.attempts:
        return None
    try:
        projected_processes(projection)
    except ValueError as error:
        projection_fail(projection_id=projection_id, reason=str(error))
        return None
    stored = set(projection.chunks.values_list("index", flat=True))
    now = timezone.now()
    _move(projection_id,
          status=ProjectionStatus.RUNNING, started_at=projection.started_at or now, updated_at=now,
          progress=Greatest(F("progress"), _progress(len(stored), projection.chunk_count)),
          message=_running_message(len(stored), projection.chunk_count))
    return [index for index in range(projection.chunk_count) if index not in stored]


def projection_run_chunk(*, projection_id: int, index: int) -> bool:
    """Compute and store one chunk; True when every chunk of the projection is stored.

    A chunk already stored is not computed again, and storing is idempotent (one row per
    projection and index), so a duplicate delivery counts once.
    """
    projection = Projection.objects.filter(pk=projection_id).first()
    if projection is None or projection.is_finished:
        return False
    if not projection.chunks.filter(index=index).exists():
        try:
            blocks = plan_chunks(projection.trials, projection.chunk_count)[index]
            trial_set = simulate_blocks(
                projected_processes(projection), seed=projection.seed,
                total_trials=projection.trials, blocks=blocks,
                horizon=projection.horizon_months, discount_rate=projection.discount_rate,
                **_escalation(projection),
            )
        except (IndexError, ValueError) as error:
            projection_fail(projection_id=projection_id, reason=str(error))
            return False
        ProjectionChunk.objects.bulk_create(
            [ProjectionChunk(projection_id=projection_id, index=index,
                             data=trial_set.to_bytes())],
            ignore_conflicts=True,
        )
    # Counted after the row is committed: of two chunks finishing together, the one that
    # counts last sees both, so the combining step is never missed.
    stored = ProjectionChunk.objects.filter(projection_id=projection_id).count()
    _move(projection_id,
          status=ProjectionStatus.RUNNING, updated_at=timezone.now(),
          progress=Greatest(F("progress"), _progress(stored, projection.chunk_count)),
          message=_running_message(stored, projection.chunk_count))
    return stored >= projection.chunk_count


def projection_finish(*, projection_id: int) -> bool:
    """Combine the stored chunks into the result; True if this call finished it.

    Idempotent: a finished projection, or one still missing chunks, is left as it is.
    """
    projection = Projection.objects.filter(pk=projection_id).first()
    if projection is None or projection.is_finished:
        return False
    data = list(projection.chunks.order_by("index").values_list("data", flat=True))
    if len(data) < projection.chunk_count:
        return False
    try:
        processes = projected_processes(projection)
        summary = summarise(TrialSet.from_bytes(bytes(chunk)) for chunk in data)
        result = _result(projection, processes, summary.to_dict())
    except ValueError as error:
        projection_fail(projection_id=projection_id, reason=str(error))
        return False
    now = timezone.now()
    with transaction.atomic():
        finished = _move(projection_id, status=ProjectionStatus.DONE, progress=100,
                         result=result, message=FINISHED, finished_at=now, updated_at=now)
        if finished:
            ProjectionChunk.objects.filter(projection_id=projection_id).delete()
    return bool(finished)


def projection_fail(*, projection_id: int, reason: str) -> None:
    """Mark an unfinished projection failed, saying why in words."""
    now = timezone.now()
    message = (f"The projection failed: {reason.rstrip('.')}. Start it again; if it fails "
               "again, ask an administrator to look at the worker logs.")
    with transaction.atomic():
        failed = _move(projection_id, status=ProjectionStatus.FAILED, message=message,
                       finished_at=now, updated_at=now)
        if failed:
            ProjectionChunk.objects.filter(projection_id=projection_id).delete()


def _move(projection_id: int, *, status: str, **values: Any) -> int:
    """Update an unfinished projection (1, or 0 when it is gone or finished); a change of
    status (queued, running, done, failed: the run's fate) goes into the audit trail, the
    progress in between does not."""
    with transaction.atomic():
        before = (Projection.objects.select_for_update(of=("self",))
                  .select_related("assessment").defer("result", "inputs")
                  .filter(pk=projection_id, status__in=UNFINISHED).first())
        if before is None:
            return 0
        moved = Projection.objects.filter(pk=projection_id).update(status=status, **values)
        after = copy(before)
        after.status = status
        record_bulk([after], action=Action.UPDATE, before={before.pk: before},
                    fields=["status"])
    return moved


@dataclass
class SweepReport:
    resent: list[int] = field(default_factory=list)
    not_sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    chunks_removed: int = 0

    def __str__(self) -> str:
        return (f"Re-sent {len(self.resent)} projection(s), could not reach the task queue for "
                f"{len(self.not_sent)}, gave up on {len(self.failed)}, removed "
                f"{self.chunks_removed} leftover chunk(s).")


def projection_sweep(*, now: datetime | None = None) -> SweepReport:
    """Re-send projections the task queue lost; give up on those re-sent too often.

    Lost means: queued but never handed over (the broker was down: at once; otherwise
    after ``NEVER_SENT_GRACE``, in case the request's own hand-off is under way), queued
    for longer than ``QUEUED_LIMIT`` after the hand-off, or running with no chunk stored
    for ``RUNNING_LIMIT``. Hand-offs that failed because the queue was down never count
    towards ``MAX_ATTEMPTS``: a request is never given up because of an outage.
    """
    now = now or timezone.now()
    report = SweepReport()
    never_sent = Q(status=ProjectionStatus.QUEUED, enqueued_at__isnull=True) & (
        Q(send_failures__gt=0) | Q(created_at__lte=now - NEVER_SENT_GRACE))
    lost = Q(status=ProjectionStatus.QUEUED, enqueued_at__lte=now - QUEUED_LIMIT)
    stalled = Q(status=ProjectionStatus.RUNNING, updated_at__lte=now - RUNNING_LIMIT)
    stale = Projection.objects.filter(never_sent | lost | stalled).order_by("pk")
    for pk, attempts, failures in stale.values_list("pk", "attempts", "send_failures"):
        if attempts - failures >= MAX_ATTEMPTS:
            projection_fail(projection_id=pk, reason=(
                f"it did not finish after {attempts - failures} hand-offs to the workers"))
            report.failed.append(pk)
        elif projection_enqueue(projection_id=pk):
            report.resent.append(pk)
        else:
            report.not_sent.append(pk)
    # A duplicate chunk that arrived after its projection finished.
    report.chunks_removed, _ = ProjectionChunk.objects.filter(
        projection__status__in=[ProjectionStatus.DONE, ProjectionStatus.FAILED]).delete()
    return report


# Helpers -------------------------------------------------------------------------------


def _escalation(projection: Projection) -> dict[str, float]:
    inputs = projection.inputs
    return {"inflation_in": float(inputs.get("inflation_in", INFLATION_IN)),
            "inflation_vendor": float(inputs.get("inflation_vendor", INFLATION_VENDOR))}


def _progress(stored: int, total: int) -> int:
    """5 % once started, 95 % with every chunk stored, 100 % only when combined."""
    return 5 + (90 * stored) // max(total, 1)


def _running_message(stored: int, total: int) -> str:
    return f"Running: {stored} of {total} parts computed."


def _result(projection: Projection, processes: list[ProjectedProcess],
            monte_carlo: dict[str, Any]) -> dict[str, Any]:
    """The stored result: the deterministic run, the Monte Carlo summary, the tornado."""
    run = {"horizon": projection.horizon_months, "discount_rate": projection.discount_rate,
           **_escalation(projection)}
    deterministic = deterministic_projection(processes, **run).to_dict()
    deterministic.pop("processes")  # per-process monthly nets: large, and not shown
    for wave in deterministic["waves"]:
        wave["model"] = WAVE_MODELS.get(wave["wave"], "")
        wave["processes"] = sum(1 for p in processes if p.wave == wave["wave"])
    return {
        "nothing_to_project": False,
        "currency": projection.inputs.get("currency", ""),
        "processes": len(processes),
        "deterministic": deterministic,
        "monte_carlo": monte_carlo,
        "tornado": [vars(bar) for bar in tornado(processes, **run)],
    }
