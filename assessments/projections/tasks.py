"""Celery tasks for savings projections: thin, they take ids and call ``projections``.

Durability, task by task:

- every task acknowledges late and is rejected back to the queue if its worker process
  dies (``acks_late``, ``reject_on_worker_lost``); when a whole worker dies (SIGKILL, a
  lost machine) its unacknowledged task stays with Redis until the visibility timeout
  (an hour), so the sweeper re-sends the missing work first: a running chunk or
  combining step beats (``projections.projection_beat``) every
  ``queueing.HEARTBEAT_EVERY`` seconds, and a projection silent for
  ``projections.LOST_AFTER`` while nothing waits in the queue is re-sent;
- running any of them twice is harmless: a chunk is stored once per index, finishing is
  a conditional update, and a superseded start is ignored;
- every send to the queue catches ``queueing.BROKER_ERRORS`` (kombu, Redis and socket
  errors alike) and tries again with backoff for about 45 s (``send_with_retry``); what
  still cannot be sent is left to the sweeper, which sees the projection go quiet;
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
from contextlib import AbstractContextManager
from functools import partial
from typing import TypedDict, TypeVar

from celery import group, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from accounts.engine.formatting import count_of
from accounts.queueing import heartbeat, send_with_retry
from assessments.projections import services as projections

T = TypeVar("T")

logger = logging.getLogger(__name__)


class _Durable(TypedDict):
    acks_late: bool
    reject_on_worker_lost: bool
    ignore_result: bool


class _Retry(TypedDict):
    autoretry_for: tuple[type[BaseException], ...]
    retry_backoff: int
    retry_backoff_max: int
    retry_jitter: bool
    max_retries: int


DURABLE: _Durable = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}
# Transient database trouble (a lock, a dropped connection): try again, with backoff.
RETRY: _Retry = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}
TRANSIENT = (OperationalError, InterfaceError)

# The start and chunk limits leave room for ``send_with_retry`` (about 45 s) after the work.
CHUNK_SOFT_LIMIT, CHUNK_HARD_LIMIT = 300, 360
START_SOFT_LIMIT, START_HARD_LIMIT = 120, 150
COMBINE_SOFT_LIMIT, COMBINE_HARD_LIMIT = 300, 360
SWEEP_SOFT_LIMIT, SWEEP_HARD_LIMIT = 45, 55
# Beat runs the sweep every 20 s; a sweep that waited longer than that is dropped (a newer
# one is on its way), here and in the beat schedule's options.
SWEEP_EXPIRES = 20


def _guarded(projection_id: int, step: str, work: Callable[[], T]) -> T | None:
    """Run ``work``; mark the projection failed in words on anything but a transient error."""
    try:
        return work()
    except TRANSIENT:
        raise
    except SoftTimeLimitExceeded:
        projections.projection_fail(
            projection_id=projection_id,
            reason=f"the {step} took longer than its time limit; try fewer trials",
        )
    except Exception:
        logger.exception("Projection %s: the %s failed", projection_id, step)
        projections.projection_fail(
            projection_id=projection_id,
            reason=f"an unexpected error stopped the {step} (the worker log has the details)",
        )
    return None


def _beating(projection_id: int) -> AbstractContextManager[None]:
    """While the block runs, the projection shows a sign of life every few seconds."""
    return heartbeat(partial(projections.projection_beat, projection_id=projection_id))


@shared_task(
    name="assessments.projection_start",
    soft_time_limit=START_SOFT_LIMIT,
    time_limit=START_HARD_LIMIT,
    **DURABLE,
    **RETRY,
)
def projection_start(projection_id: int, attempt: int | None = None) -> None:
    """Plan the projection and send its missing chunks as a group."""
    missing = _guarded(
        projection_id,
        "start",
        lambda: projections.projection_begin(projection_id=projection_id, attempt=attempt),
    )
    if missing is None:
        return
    with _beating(projection_id):
        if not missing:
            send_with_retry(
                projection_combine.s(projection_id),
                what=f"the combining step of projection {projection_id}",
            )
            return
        send_with_retry(
            group(projection_chunk.s(projection_id, index) for index in missing),
            what=f"{count_of(len(missing), 'chunk')} of projection {projection_id}",
        )


@shared_task(
    name="assessments.projection_chunk",
    soft_time_limit=CHUNK_SOFT_LIMIT,
    time_limit=CHUNK_HARD_LIMIT,
    **DURABLE,
    **RETRY,
)
def projection_chunk(projection_id: int, index: int) -> None:
    """Compute and store one chunk of trials; the last one stored sends the combining step."""
    with _beating(projection_id):
        complete = _guarded(
            projection_id,
            "computation",
            lambda: projections.projection_run_chunk(projection_id=projection_id, index=index),
        )
        if complete:
            send_with_retry(
                projection_combine.s(projection_id),
                what=f"the combining step of projection {projection_id}",
            )


@shared_task(
    name="assessments.projection_combine",
    soft_time_limit=COMBINE_SOFT_LIMIT,
    time_limit=COMBINE_HARD_LIMIT,
    **DURABLE,
    **RETRY,
)
def projection_combine(projection_id: int) -> None:
    """Combine the stored chunks into the result (idempotent)."""
    with _beating(projection_id):
        _guarded(
            projection_id,
            "combining step",
            lambda: projections.projection_finish(projection_id=projection_id),
        )


@shared_task(
    name="assessments.projection_sweep",
    soft_time_limit=SWEEP_SOFT_LIMIT,
    time_limit=SWEEP_HARD_LIMIT,
    expires=SWEEP_EXPIRES,
    **DURABLE,
    **RETRY,
)
def projection_sweep() -> str:
    """Periodic (Celery beat): re-send projections the task queue lost."""
    report = projections.projection_sweep()
    if report.resent or report.failed or report.not_sent:
        logger.info("Projection sweep: %s", report)
    return str(report)
