"""Projections survive a worker killed outright and a Redis outage, within two minutes.

Real workers, a real Redis; the production visibility timeout (an hour) stays, so what
brings the lost work back is the heartbeat and the sweeper, not the broker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time

import pytest
import redis

from assessments.engine.projection_mc import monte_carlo
from assessments.models import Projection, ProjectionChunk, ProjectionStatus
from assessments.projections.services import projection_request
from tests.assessments.projection_fixtures import make_assessment, projected, wide_portfolio
from tests.faults.conftest import REAL_LIMITS, RECOVERY_BUDGET, report
from tests.realparts import point_celery_at

pytestmark = pytest.mark.worker

# 2,000 processes x 1,000 trials a chunk: about a second each, six chunks.
ROWS = wide_portfolio(2000)
OUTAGE_SECONDS = 20


def finished(projection: Projection) -> bool:
    projection.refresh_from_db()
    return projection.is_finished


def stored(projection: Projection) -> int:
    return ProjectionChunk.objects.filter(projection=projection).count()


def expected(projection: Projection) -> dict:
    return monte_carlo(
        projected(ROWS),
        trials=projection.trials,
        seed=projection.seed,
        horizon=projection.horizon_months,
        discount_rate=projection.discount_rate,
    ).to_dict()


def wait(condition, *, timeout: float, what: str, logs=()) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tails = "\n".join(
                f"--- {log}\n{log.read_text()[-4000:]}" for log in logs if log.exists()
            )
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.\n{tails}")
        time.sleep(0.05)


def test_a_projection_finishes_within_two_minutes_of_a_worker_killed_outright(
    cast, celery_broker, start_worker, beat
):
    assessment = make_assessment(cast.org, cast.manager.user, processes=ROWS)
    first = start_worker()
    projection = projection_request(
        assessment=assessment, user=cast.manager.user, trials=6000, seed=11
    )
    queue = redis.Redis.from_url(celery_broker)

    def a_chunk_is_running() -> bool:  # taken from the queue, not stored yet
        done = stored(projection)
        return done >= 2 and done + queue.llen("celery") < projection.chunk_count

    wait(a_chunk_is_running, timeout=90, what="a chunk running", logs=[first.log])
    # The worker's parent dies at once (SIGKILL), and the pool process running a chunk
    # with it (a lost machine; alone, an orphaned pool process may still store its
    # chunk). That chunk stays unacknowledged in Redis for the hour of the visibility
    # timeout: only the sweeper brings it back in time.
    os.kill(first.process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    assert stored(projection) < projection.chunk_count, "the worker was not killed mid-way"
    second = start_worker()
    took = beat.until(
        lambda: finished(projection),
        timeout=RECOVERY_BUDGET,
        what="the projection after the worker was replaced",
        logs=[first.log, second.log],
    )
    report("worker parent SIGKILL mid-projection -> done, after the new worker started", took)
    assert projection.status == ProjectionStatus.DONE, projection.message
    assert projection.result["monte_carlo"] == expected(projection)
    assert not ProjectionChunk.objects.filter(projection=projection).exists()


def test_a_projection_finishes_within_two_minutes_of_a_redis_outage_mid_run(
    cast, celery_broker, fault_redis, start_worker, beat
):
    point_celery_at(fault_redis.url)
    assessment = make_assessment(cast.org, cast.manager.user, processes=ROWS)
    worker = start_worker(broker=fault_redis.url)
    projection = projection_request(
        assessment=assessment, user=cast.manager.user, trials=6000, seed=12
    )
    # Down while the last chunks run: the one that stores the last part cannot send the
    # combining step until Redis is back, and the queued chunks die with this Redis.
    wait(
        lambda: stored(projection) >= projection.chunk_count - 2,
        timeout=90,
        what="all but two chunks",
        logs=[worker.log],
    )
    fault_redis.stop()
    time.sleep(OUTAGE_SECONDS)
    fault_redis.start()
    took = beat.until(
        lambda: finished(projection),
        timeout=RECOVERY_BUDGET,
        what="the projection after Redis came back",
        logs=[worker.log],
    )
    report(f"Redis down {OUTAGE_SECONDS} s mid-projection -> done, after Redis came back", took)
    assert projection.status == ProjectionStatus.DONE, projection.message
    assert projection.result["monte_carlo"] == expected(projection)
    if not REAL_LIMITS:
        assert beat.sweeps >= 1


def test_a_projection_waiting_in_the_queue_is_not_sent_again(
    cast, celery_broker, start_worker, beat
):
    assessment = make_assessment(cast.org, cast.manager.user)
    projection = projection_request(
        assessment=assessment, user=cast.manager.user, trials=2000, seed=13
    )
    # No worker yet: the start waits in the queue; the sweeper sends no second copy,
    # however long past its limit it waits.
    started = time.monotonic()
    while time.monotonic() - started < 2 * beat.every + 10:
        beat.sweep()
        time.sleep(beat.every)
    projection.refresh_from_db()
    assert (projection.status, projection.attempts) == (ProjectionStatus.QUEUED, 1)
    worker = start_worker()
    wait(lambda: finished(projection), timeout=90, what="the projection", logs=[worker.log])
    assert (projection.status, projection.attempts) == (ProjectionStatus.DONE, 1)
