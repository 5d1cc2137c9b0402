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
projections the queue lost: never handed over because the broker was down, or handed
over or running with no sign of life (``updated_at``, the heartbeat: a hand-off, a chunk
starting or stored, a beat every few seconds while a chunk or the combining step runs)
for longer than ``LOST_AFTER`` while nothing waits in the queue.

Without ``REDIS_URL`` Celery runs every task in-process and the same path finishes the
projection before the request returns.

Quotas: a projection someone asks for is refused, and nothing saved, while they already
have ``PROJECTIONS_PER_PERSON`` unfinished (queued or running) projections, or their
organisation has ``PROJECTIONS_PER_ORGANISATION``. The check runs under a lock on both
rows, so two requests sent together cannot both slip under a limit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache, partial
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.audit.bulk import record_bulk
from accounts.audit.models import Action
from accounts.engine.formatting import count_of
from accounts.models import Organisation
from accounts.queueing import BROKER_ERRORS, limit, queue_backlog_seen, task
from assessments.engine.assumptions import (
    INFLATION_IN,
    INFLATION_VENDOR,
    RULES_VERSION,
    AssumptionSet,
    using_assumptions,
)
from assessments.engine.projection import ProjectedProcess, deterministic_projection, tornado
from assessments.engine.projection_mc import (
    TrialSet,
    block_count,
    plan_chunks,
    simulate_blocks,
    summarise,
)
from assessments.engine.scenarios import assumptions_from_json
from assessments.engine.sequencer import WAVE_MODELS
from assessments.models import (
    Assessment,
    Projection,
    ProjectionChunk,
    ProjectionStatus,
    Scenario,
)
from assessments.projections.selectors import projected_processes, projection_inputs
from assessments.signals import projection_finished

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
# ... and at most about this many bytes of trial paths (trials x months x 8), so that the
# combining step, which reads one chunk at a time, never holds a large one (200,000
# trials of one process over 240 months made 4 chunks of 96 MB each).
BYTES_PER_CHUNK = 8_000_000
MIN_CHUNKS, MAX_CHUNKS = 4, 64

# The sweeper's limits; settings of the same names, SOURCEWISE_PROJECTION_ prefixed, in
# seconds, override them (tests lower them). A task's elapsed time proves nothing (a
# chunk's hard limit is 6 minutes): its heartbeat does. Running chunks and the combining
# step beat every ``queueing.HEARTBEAT_EVERY`` (10) seconds, so a projection with no sign
# of life for LOST_AFTER has lost its task, unless work still waits in the queue (then it
# may be next in line: it is re-sent only after BACKLOG_LIMIT). All chunks stored and
# silent for COMBINE_LOST_AFTER: the combining step was not sent (the queue was down
# longer than the chunk's retries) or died.
NEVER_SENT_GRACE = timedelta(seconds=30)
LOST_AFTER = timedelta(seconds=60)
COMBINE_LOST_AFTER = timedelta(seconds=30)
BACKLOG_LIMIT = timedelta(minutes=10)
# The page says the projection is waiting for a worker after this long without a sign of
# life (a chunk takes some 0.2 s; a busy worker a few seconds).
STALLED_AFTER = timedelta(seconds=20)
MAX_ATTEMPTS = 5

WAITING = "Waiting for a worker to start the projection."
STALLED = (
    "Waiting for a worker: nothing has moved for a while. The projection goes on by "
    "itself when a worker is free or back; nothing is lost if you leave this page."
)
QUEUE_DOWN = (
    "The task queue cannot be reached right now. Your request is saved and the "
    "projection will start by itself when the task queue is back."
)
NOTHING_TO_PROJECT = (
    "Nothing to project: no process is recommended for outsourcing (every "
    "process is retained or lacks evidence), so there are no savings to "
    "compute. Override a recommendation to ITO, BPO or KPO to see its "
    "savings."
)
FINISHED = "Finished."
UNFINISHED = (ProjectionStatus.QUEUED, ProjectionStatus.RUNNING)


# How many projections may be unfinished (queued or running) at once. A run of the largest
# size keeps a worker process busy for some 40 s (its combining step peaks at about 350 MB),
# so a few at once per organisation is what the workers can give each one; settings of the
# same names (SOURCEWISE_ prefixed) override them.
PROJECTIONS_PER_PERSON = 2
PROJECTIONS_PER_ORGANISATION = 4


class ProjectionError(ValueError):
    """A projection request out of range; the message says what is allowed, in words."""


class ProjectionQuotaError(Exception):
    """Too many unfinished projections to start another; the message says so in words."""


def chunk_count_for(trials: int, processes: int, *, horizon: int = 0) -> int:
    """How many chunks a run of ``trials`` over ``processes`` processes and ``horizon``
    months is split into."""
    wanted = max(
        -(-trials * max(processes, 1) // WORK_PER_CHUNK),
        -(-trials * horizon * 8 // BYTES_PER_CHUNK),
    )
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
    return (
        int(getattr(settings, "SOURCEWISE_PROJECTIONS_PER_PERSON", PROJECTIONS_PER_PERSON)),
        int(
            getattr(
                settings, "SOURCEWISE_PROJECTIONS_PER_ORGANISATION", PROJECTIONS_PER_ORGANISATION
            )
        ),
    )


def check_quota(*, organisation_id: int, user: User | AnonymousUser | None) -> None:
    """ProjectionQuotaError when the person or the organisation is at its limit.

    Call inside a transaction: the person's and the organisation's rows stay locked
    until it ends, so a second request waits here and then counts the first one's row.
    """
    per_person, per_organisation = projection_quota()
    signed_in = _signed_in(user)
    person = None if signed_in is None else signed_in.pk
    if person is not None:
        _lock(get_user_model().objects.filter(pk=person))
    _lock(Organisation.objects.filter(pk=organisation_id))
    unfinished = Projection.objects.unfinished()
    if person is not None and unfinished.filter(requested_by_id=person).count() >= per_person:
        raise ProjectionQuotaError(
            f"You already have {_projections(per_person)} queued or running, the most one "
            "person may have at once. Wait for one of them to finish, then start this one "
            "again."
        )
    in_organisation = unfinished.filter(assessment__organisation_id=organisation_id).count()
    if in_organisation >= per_organisation:
        raise ProjectionQuotaError(
            f"Your organisation already has {_projections(per_organisation)} queued or "
            "running, the most it may have at once. Wait for one of them to finish, then "
            "start this one again."
        )


def _signed_in(user: User | AnonymousUser | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _lock(rows: QuerySet[Any]) -> None:
    list(rows.select_for_update().values_list("pk", flat=True))


def _projections(count: int) -> str:
    return "1 projection" if count == 1 else f"{count} projections"


# Writes --------------------------------------------------------------------------------


def projection_request(
    *,
    assessment: Assessment,
    user: User | AnonymousUser | None,
    trials: int = 10_000,
    seed: int = 0,
    horizon_months: int | None = None,
    discount_rate: float | None = None,
    quota: bool = False,
    scenario: Scenario | None = None,
    scenario_inputs: dict[str, Any] | None = None,
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

    A scenario's projection (``assessments.scenarios.services.scenario_project``) passes
    the scenario and the inputs its roadmap gives, in the form ``projection_inputs``
    returns, with the scenario's assumption set under ``"assumptions"``.
    """
    horizon = assessment.horizon_months if horizon_months is None else int(horizon_months)
    rate = float(assessment.discount_rate if discount_rate is None else discount_rate)
    check_request(trials=trials, seed=seed, horizon_months=horizon, discount_rate=rate)
    inputs = (
        projection_inputs(assessment=assessment) if scenario_inputs is None else scenario_inputs
    )
    now = timezone.now()
    with transaction.atomic():
        if quota and inputs["processes"]:  # nothing to project costs nothing
            check_quota(organisation_id=assessment.organisation_id, user=user)
        projection = Projection.objects.create(
            assessment=assessment,
            status=ProjectionStatus.QUEUED,
            message=WAITING,
            trials=trials,
            seed=seed,
            horizon_months=horizon,
            discount_rate=rate,
            chunk_count=chunk_count_for(trials, len(inputs["processes"]), horizon=horizon),
            inputs=inputs,
            engine_version=ENGINE_VERSION,
            requested_by=_signed_in(user),
            updated_at=now,
            scenario=scenario,
        )
        if not inputs["processes"]:
            projection.status = ProjectionStatus.DONE
            projection.progress = 100
            projection.message = NOTHING_TO_PROJECT
            projection.result = {
                "nothing_to_project": True,
                "message": NOTHING_TO_PROJECT,
                "currency": assessment.currency,
            }
            projection.started_at = projection.finished_at = now
            projection.save()
        else:
            transaction.on_commit(partial(projection_enqueue, projection_id=projection.pk))
    return projection


def projection_enqueue(*, projection_id: int) -> bool:
    """Hand the projection to the task queue; False (and the row says why) when it is down.

    Each hand-off is numbered (``attempts``) and recorded before it is sent; the start
    task ignores a hand-off that a later one superseded, so a re-send does not run the
    work twice. One attempt only: the request must answer at once, and the sweeper tries
    again.
    """
    now = timezone.now()
    Projection.objects.filter(pk=projection_id, status__in=UNFINISHED).update(
        attempts=F("attempts") + 1, enqueued_at=now, updated_at=now
    )
    attempt = Projection.objects.filter(pk=projection_id).values_list("attempts", flat=True).first()
    if attempt is None:
        return False
    try:
        task("assessments.projection_start", projection_id, attempt).apply_async()
    except BROKER_ERRORS as error:
        logger.warning(
            "Projection %s not sent, the task queue is unreachable: %s", projection_id, error
        )
        Projection.objects.filter(pk=projection_id, status__in=UNFINISHED).update(
            enqueued_at=None, send_failures=F("send_failures") + 1, message=QUEUE_DOWN
        )
        return False
    except Exception:
        # Run in-process (no REDIS_URL), the work happens inside apply_async: whatever
        # breaks there must not break the request that asked for it, which has committed.
        logger.exception("Projection %s could not be started", projection_id)
        projection_fail(
            projection_id=projection_id,
            reason="an unexpected error stopped it (the log has the details)",
        )
        return False
    Projection.objects.filter(
        pk=projection_id, status=ProjectionStatus.QUEUED, message=QUEUE_DOWN
    ).update(message=WAITING)
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
    _move(
        projection_id,
        status=ProjectionStatus.RUNNING,
        started_at=projection.started_at or now,
        updated_at=now,
        progress=Greatest(F("progress"), _progress(len(stored), projection.chunk_count)),
        message=_running_message(len(stored), projection.chunk_count),
    )
    return [index for index in range(projection.chunk_count) if index not in stored]


def projection_run_chunk(*, projection_id: int, index: int) -> bool:
    """Compute and store one chunk; True when every chunk of the projection is stored.

    A chunk already stored is not computed again, and storing is idempotent (one row per
    projection and index), so a duplicate delivery counts once.
    """
    projection = Projection.objects.defer("inputs", "result").filter(pk=projection_id).first()
    if projection is None or projection.is_finished:
        return False
    if not projection.chunks.filter(index=index).exists():
        projection_beat(projection_id=projection_id)  # a chunk picked up is a sign of life
        try:
            run = _run_of(projection_id, projection.created_at)
            blocks = plan_chunks(projection.trials, projection.chunk_count)[index]
            with using_assumptions(run.assumptions):
                trial_set = simulate_blocks(
                    run.processes,
                    seed=projection.seed,
                    total_trials=projection.trials,
                    blocks=blocks,
                    horizon=projection.horizon_months,
                    discount_rate=projection.discount_rate,
                    **run.escalation,
                )
        except (IndexError, ValueError) as error:
            projection_fail(projection_id=projection_id, reason=str(error))
            return False
        _store_chunk(projection_id, index, trial_set.to_bytes())
    # Counted after the row is committed: of two chunks finishing together, the one that
    # counts last sees both, so the combining step is never missed.
    stored = ProjectionChunk.objects.filter(projection_id=projection_id).count()
    _move(
        projection_id,
        status=ProjectionStatus.RUNNING,
        updated_at=timezone.now(),
        progress=Greatest(F("progress"), _progress(stored, projection.chunk_count)),
        message=_running_message(stored, projection.chunk_count),
    )
    return stored >= projection.chunk_count


def projection_finish(*, projection_id: int) -> bool:
    """Combine the stored chunks into the result; True if this call finished it.

    Idempotent: a finished projection, or one still missing chunks, is left as it is.
    """
    projection = Projection.objects.filter(pk=projection_id).first()
    if projection is None or projection.is_finished:
        return False
    if projection.chunks.count() < projection.chunk_count:
        return False
    try:
        processes = projected_processes(projection)
        summary = summarise(_stored_chunks(projection_id))
        result = _result(projection, processes, summary.to_dict())
    except ValueError as error:
        projection_fail(projection_id=projection_id, reason=str(error))
        return False
    now = timezone.now()
    with transaction.atomic():
        finished = _move(
            projection_id,
            status=ProjectionStatus.DONE,
            progress=100,
            result=result,
            message=FINISHED,
            finished_at=now,
            updated_at=now,
        )
        if finished:
            ProjectionChunk.objects.filter(projection_id=projection_id).delete()
        if finished and projection.scenario_id is None:  # a scenario's run is not the plan
            transaction.on_commit(
                partial(projection_finished.send, sender=Projection, projection_id=projection_id)
            )
    return bool(finished)


def _stored_chunks(projection_id: int) -> Iterator[TrialSet]:
    """The projection's chunks, read from the database and decoded one at a time (holding
    every chunk at once took 1.6 GB for the largest run)."""
    indices = (
        ProjectionChunk.objects.filter(projection_id=projection_id)
        .order_by("index")
        .values_list("index", flat=True)
    )
    for index in list(indices):
        data = _chunk_data(projection_id, index)
        if data is not None:  # gone meanwhile: summarise reports the missing blocks
            yield TrialSet.from_bytes(data)


def _chunk_data(projection_id: int, index: int) -> bytes | None:
    """One stored chunk's bytes, or None when it is gone.

    On PostgreSQL the bytes come in binary form: Django's cursors ask for text, in which
    a bytea column arrives as hex, twice the size, and reading 40 chunks of 0.5 MB took
    0.15 s instead of 0.04 s, all of it in the combining step that no second worker
    can share.
    """
    if connection.vendor != "postgresql":
        data = (
            ProjectionChunk.objects.filter(projection_id=projection_id, index=index)
            .values_list("data", flat=True)
            .first()
        )
        return None if data is None else bytes(data)
    import psycopg

    table = connection.ops.quote_name(ProjectionChunk._meta.db_table)
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            f"SELECT data FROM {table} WHERE projection_id = %s AND index = %s",  # noqa: S608
            [projection_id, index],
            binary=True,
        )
        row = cursor.fetchone()
    return None if row is None else bytes(row[0])


def _store_chunk(projection_id: int, index: int, data: bytes) -> None:
    """Store one chunk's bytes once (a second copy of the same index is ignored).

    On PostgreSQL the bytes go as a binary parameter: Django binds parameters into the
    query text, where 0.5 MB of bytea became 1 MB of hex for the server to parse, 16 ms
    a chunk instead of 4, on a core a second worker needs.
    """
    if connection.vendor != "postgresql":
        ProjectionChunk.objects.bulk_create(
            [ProjectionChunk(projection_id=projection_id, index=index, data=data)],
            ignore_conflicts=True,
        )
        return
    import psycopg

    table = connection.ops.quote_name(ProjectionChunk._meta.db_table)
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            f"INSERT INTO {table} (projection_id, index, data, created_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s) ON CONFLICT (projection_id, index) DO NOTHING",
            [projection_id, index, data, timezone.now()],
        )


@dataclass(frozen=True)
class _Run:
    """What every chunk of one projection reads from its stored inputs."""

    processes: tuple[ProjectedProcess, ...]
    escalation: Escalation
    assumptions: AssumptionSet | None


@lru_cache(maxsize=8)
def _run_of(projection_id: int, created_at: datetime) -> _Run:
    """The stored inputs of a projection, read and checked once per worker process.

    A projection's inputs never change once saved, so each chunk after the first skips
    reading and decoding them (2,000 processes: some 15 ms of a 0.2 s chunk). The
    creation time is in the key so that a number reused after a rollback (tests) never
    finds another projection's inputs. ValueError when they are unreadable.
    """
    projection = Projection.objects.only("inputs").filter(pk=projection_id).first()
    if projection is None:
        raise ValueError("the projection is gone")
    return _Run(
        processes=tuple(projected_processes(projection)),
        escalation=_escalation(projection),
        assumptions=_assumptions(projection),
    )


def projection_beat(*, projection_id: int) -> None:
    """A running task's sign of life: the sweeper leaves a projection alone while it beats."""
    Projection.objects.filter(pk=projection_id, status__in=UNFINISHED).update(
        updated_at=timezone.now()
    )


def projection_stalled(projection: Projection, *, now: datetime | None = None) -> bool:
    """True when an unfinished projection has shown no sign of life for STALLED_AFTER:
    the page then says it is waiting for a worker."""
    if projection.is_finished:
        return False
    quiet = limit("SOURCEWISE_PROJECTION_STALLED_AFTER", STALLED_AFTER)
    return projection.updated_at <= (now or timezone.now()) - quiet


def projection_fail(*, projection_id: int, reason: str) -> None:
    """Mark an unfinished projection failed, saying why in words."""
    now = timezone.now()
    message = (
        f"The projection failed: {reason.rstrip('.')}. Start it again; if it fails "
        "again, ask an administrator to look at the worker logs."
    )
    with transaction.atomic():
        failed = _move(
            projection_id,
            status=ProjectionStatus.FAILED,
            message=message,
            finished_at=now,
            updated_at=now,
        )
        if failed:
            ProjectionChunk.objects.filter(projection_id=projection_id).delete()


def _move(projection_id: int, *, status: str, **values: Any) -> int:
    """Update an unfinished projection (1, or 0 when it is gone or finished); a change of
    status (queued, running, done, failed: the run's fate) goes into the audit trail, the
    progress in between does not."""
    with transaction.atomic():
        before = (
            Projection.objects.select_for_update(of=("self",))
            .select_related("assessment")
            .defer("result", "inputs")
            .filter(pk=projection_id, status__in=UNFINISHED)
            .first()
        )
        if before is None:
            return 0
        moved = Projection.objects.filter(pk=projection_id).update(status=status, **values)
        after = copy(before)
        after.status = status
        record_bulk([after], action=Action.UPDATE, before={before.pk: before}, fields=["status"])
    return moved


@dataclass
class SweepReport:
    resent: list[int] = field(default_factory=list)
    not_sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    chunks_removed: int = 0

    def __str__(self) -> str:
        return (
            f"Re-sent {count_of(len(self.resent), 'projection')}, could not reach the task "
            f"queue for {len(self.not_sent)}, gave up on {len(self.failed)}, removed "
            f"{count_of(self.chunks_removed, 'leftover chunk')}."
        )


def projection_sweep(*, now: datetime | None = None) -> SweepReport:
    """Re-send projections the task queue lost; give up on those re-sent too often.

    Lost means:

    - queued but never handed over: at once when the hand-off failed (the broker was
      down), otherwise after ``NEVER_SENT_GRACE`` (the request's own hand-off may be
      under way);
    - handed over, or running, with no sign of life (``updated_at``) for ``LOST_AFTER``
      while nothing waits in the queue; while work waits there the projection may be
      next in line, so only after ``BACKLOG_LIMIT``. Re-sending only when the queue is
      empty keeps one copy of the work in the queue, not one per sweep. A handed-over
      projection also waits ``BACKLOG_LIMIT`` while the queue was seen busy less than
      ``LOST_AFTER`` ago (``queue_backlog_seen``): a worker may have just taken it;
    - running with every chunk stored and no sign of life for ``COMBINE_LOST_AFTER``:
      the combining step was never sent, or died.

    A re-send is a new numbered hand-off, recorded before it is sent. Hand-offs that
    failed because the queue was down never count towards ``MAX_ATTEMPTS``: a request is
    never given up because of an outage.
    """
    now = now or timezone.now()
    report = SweepReport()
    backlog, seen = queue_backlog_seen(now)
    lost_after = limit("SOURCEWISE_PROJECTION_LOST_AFTER", LOST_AFTER)
    backlog_limit = limit("SOURCEWISE_PROJECTION_BACKLOG_LIMIT", BACKLOG_LIMIT)
    quiet = backlog_limit if backlog else lost_after
    # A worker may have just taken a handed-over projection from the queue without
    # starting it: still in line for LOST_AFTER after work was last seen waiting.
    busy = bool(backlog) or (seen is not None and seen > now - lost_after)
    queued_quiet = backlog_limit if busy else lost_after
    grace = limit("SOURCEWISE_PROJECTION_NEVER_SENT_GRACE", NEVER_SENT_GRACE)
    combine_quiet = (
        quiet if backlog else limit("SOURCEWISE_PROJECTION_COMBINE_LOST_AFTER", COMBINE_LOST_AFTER)
    )
    never_sent = Q(status=ProjectionStatus.QUEUED, enqueued_at__isnull=True) & (
        Q(send_failures__gt=0) | Q(created_at__lte=now - grace)
    )
    lost = Q(status=ProjectionStatus.QUEUED, enqueued_at__lte=now - queued_quiet)
    stalled = Q(status=ProjectionStatus.RUNNING, updated_at__lte=now - quiet)
    uncombined = Q(
        status=ProjectionStatus.RUNNING,
        updated_at__lte=now - combine_quiet,
        stored__gte=F("chunk_count"),
    )
    stale = (
        Projection.objects.annotate(stored=Count("chunks"))
        .filter(never_sent | lost | stalled | uncombined)
        .order_by("pk")
    )
    for pk, attempts, failures in stale.values_list("pk", "attempts", "send_failures"):
        if attempts - failures >= MAX_ATTEMPTS:
            projection_fail(
                projection_id=pk,
                reason=(f"it did not finish after {attempts - failures} hand-offs to the workers"),
            )
            report.failed.append(pk)
        elif projection_enqueue(projection_id=pk):
            report.resent.append(pk)
        else:
            report.not_sent.append(pk)
    # A duplicate chunk that arrived after its projection finished.
    report.chunks_removed, _ = ProjectionChunk.objects.filter(
        projection__status__in=[ProjectionStatus.DONE, ProjectionStatus.FAILED]
    ).delete()
    return report


# Helpers -------------------------------------------------------------------------------


class Escalation(TypedDict):
    """The yearly inflation rates a run escalates costs by."""

    inflation_in: float
    inflation_vendor: float


def _escalation(projection: Projection) -> Escalation:
    inputs = projection.inputs
    return {
        "inflation_in": float(inputs.get("inflation_in", INFLATION_IN)),
        "inflation_vendor": float(inputs.get("inflation_vendor", INFLATION_VENDOR)),
    }


def _assumptions(projection: Projection) -> AssumptionSet | None:
    """The assumption set stored with a scenario's projection; None: the defaults."""
    return assumptions_from_json(projection.inputs.get("assumptions"))


def _progress(stored: int, total: int) -> int:
    """5 % once started, 95 % with every chunk stored, 100 % only when combined."""
    return 5 + (90 * stored) // max(total, 1)


def _running_message(stored: int, total: int) -> str:
    return f"Running: {stored} of {total} parts computed."


def _result(
    projection: Projection, processes: list[ProjectedProcess], monte_carlo: dict[str, Any]
) -> dict[str, Any]:
    """The stored result: the deterministic run, the Monte Carlo summary, the tornado."""
    horizon, rate = projection.horizon_months, projection.discount_rate
    escalation = _escalation(projection)
    with using_assumptions(_assumptions(projection)):
        deterministic = deterministic_projection(
            processes, horizon=horizon, discount_rate=rate, **escalation
        ).to_dict()
        bars = tornado(processes, horizon=horizon, discount_rate=rate, **escalation)
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
        "tornado": [vars(bar) for bar in bars],
    }
