"""Celery tasks for savings projections: thin, they take ids and call ``projections``.

Durability, task by task:

- every task acknowledges late and is rejected back to the queue if its worker process
  dies (``acks_late``, ``reject_on_worker_lost``); when a whole worker machine dies,
  Redis hands its unacknowledged task to another worker after the broker's visibility
  timeout (``CELERY_VISIBILITY_TIMEOUT``), and the sweeper re-sends what is still missing
  after ``projections.RUNNING_LIMIT``;
- running any of them twice is harmless: a chunk is stored once per index, finishing is
  a conditional update, and a superseded start is ignored;
- a database hiccup is retried with backoff; any other error marks the projection failed
  with a message in words (the traceback goes to the log), so a person is never left
  watching a bar that will not move.

The chunks run as a Celery group; the chunk that finds every chunk stored sends the
combining task. A chord would need a result backend and counts a redelivered chunk twice,
firing the callback before the last chunk is in; this way a duplicate or a lost chunk
cannot make the combining step run early or never.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import group, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from assessments import projections

logger = logging.getLogger(__name__)

DURABLE = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}
# Transient database trouble (a lock, a dropped connection): try again, with backoff.
RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 2,
         "retry_backoff_max": 60, "retry_jitter": True, "max_retries": 5}
TRANSIENT = (OperationalError, InterfaceError)

CHUNK_SOFT_LIMIT, CHUNK_HARD_LIMIT = 300, 360
START_SOFT_LIMIT, START_HARD_LIMIT = 60, 90
COMBINE_SOFT_LIMIT, COMBINE_HARD_LIMIT = 300, 360
SWEEP_SOFT_LIMIT, SWEEP_HARD_LIMIT = 60, 90


def _guarded(projection_id: int, step: str, work: Callable[[], object]) -> object:
    """Run ``work``; mark the projection failed in words on anything but a transient error."""
    try:
        return work()
    except TRANSIENT:
        raise
    except SoftTimeLimitExceeded:
        projections.projection_fail(
            projection_id=projection_id,
            reason=f"the {step} took longer than its time limit; try fewer trials")
    except Exception:
        logger.exception("Projection %s: the %s failed", projection_id, step)
        projections.projection_fail(
            projection_id=projection_id,
            reason=f"an unexpected error stopped the {step} (the worker log has the details)")
    return None


@shared_task(name="assessments.projection_start", soft_time_limit=START_SOFT_LIMIT,
             time_limit=START_HARD_LIMIT, **DURABLE, **RETRY)
def projection_start(projection_id: int, attempt: int | None = None) -> None:
    """Plan the projection and send its missing chunks as a group."""
    missing = _guarded(projection_id, "start", lambda: projections.projection_begin(
        projection_id=projection_id, attempt=attempt))
    if missing is None:
        return
    if not missing:
        projection_combine.delay(projection_id)
        return
    group(projection_chunk.s(projection_id, index) for index in missing).apply_async()


@shared_task(name="assessments.projection_chunk", soft_time_limit=CHUNK_SOFT_LIMIT,
             time_limit=CHUNK_HARD_LIMIT, **DURABLE, **RETRY)
def projection_chunk(projection_id: int, index: int) -> None:
    """Compute and store one chunk of trials; the last one stored sends the combining step."""
    complete = _guarded(projection_id, "computation", lambda: projections.projection_run_chunk(
        projection_id=projection_id, index=index))
    if complete:
        projection_combine.delay(projection_id)


@shared_task(name="assessments.projection_combine", soft_time_limit=COMBINE_SOFT_LIMIT,
             time_limit=COMBINE_HARD_LIMIT, **DURABLE, **RETRY)
def projection_combine(projection_id: int) -> None:
    """Combine the stored chunks into the result (idempotent)."""
    _guarded(projection_id, "combining step", lambda: projections.projection_finish(
        projection_id=projection_id))


@shared_task(name="assessments.projection_sweep", soft_time_limit=SWEEP_SOFT_LIMIT,
             time_limit=SWEEP_HARD_LIMIT, **DURABLE, **RETRY)
def projection_sweep() -> str:
    """Periodic (Celery beat): re-send projections the task queue lost."""
    report = projections.projection_sweep()
    if report.resent or report.failed or report.not_sent:
        logger.info("Projection sweep: %s", report)
    return str(report)
