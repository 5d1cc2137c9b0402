"""Projections on real workers over a real Redis: the result, a killed worker, a Redis outage.

A killed worker's unacknowledged task comes back when Redis's visibility timeout lapses;
in production that is an hour (above the longest task's time limit) and the sweeper
re-sends lost work after ten minutes. These tests give the workers a visibility timeout of
a few seconds (``CELERY_VISIBILITY_TIMEOUT``) so the task comes back while the test waits,
through acks_late alone, without the sweeper. The outage test uses a Redis server of its
own on a spare port and runs the sweeper as beat or cron would.
"""

import time
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import transaction

from assessments.engine.projection_mc import monte_carlo
from assessments.models import Projection, ProjectionChunk, ProjectionStatus
from assessments.projections.services import QUEUE_DOWN, projection_request
from tests.assessments.projection_fixtures import (
    PORTFOLIO,
    make_assessment,
    projected,
    wide_portfolio,
)
from tests.realparts import point_celery_at

pytestmark = pytest.mark.worker

VISIBILITY_TIMEOUT = "4"


def wait_for(
    condition: Callable[[], bool], *, timeout: float, what: str, logs=(), every: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tails = "\n".join(
                f"--- {log}\n{log.read_text()[-3000:]}" for log in logs if log.exists()
            )
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.\n{tails}")
        time.sleep(every)


def finished(projection: Projection) -> bool:
    projection.refresh_from_db()
    return projection.is_finished


def expected_result(rows, projection: Projection) -> dict:
    return monte_carlo(
        projected(rows),
        trials=projection.trials,
        seed=projection.seed,
        horizon=projection.horizon_months,
        discount_rate=projection.discount_rate,
    ).to_dict()


def test_a_projection_on_a_real_worker_equals_the_in_process_run(cast, start_worker):
    worker = start_worker()
    assessment = make_assessment(cast.org, cast.manager.user)
    with transaction.atomic():
        projection = projection_request(
            assessment=assessment, user=cast.cio.user, trials=4000, seed=42
        )
    wait_for(lambda: finished(projection), timeout=60, what="the projection", logs=[worker.log])
    assert projection.status == ProjectionStatus.DONE, projection.message
    assert projection.progress == 100 and projection.chunk_count == 4
    assert projection.result["monte_carlo"] == expected_result(PORTFOLIO, projection)
    assert not ProjectionChunk.objects.filter(projection=projection).exists()


def test_a_worker_killed_mid_projection_is_replaced_and_the_numbers_do_not_change(
    cast, start_worker, monkeypatch
):
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", VISIBILITY_TIMEOUT)
    rows = wide_portfolio(2000)
    assessment = make_assessment(cast.org, cast.manager.user, processes=rows)
    first = start_worker()
    projection = projection_request(
        assessment=assessment, user=cast.manager.user, trials=6000, seed=7
    )
    assert projection.chunk_count == 6

    def some_chunks_stored() -> bool:
        projection.refresh_from_db()
        return (
            projection.status == ProjectionStatus.RUNNING
            and ProjectionChunk.objects.filter(projection=projection).exists()
        )

    wait_for(some_chunks_stored, timeout=60, what="the first chunk", logs=[first.log])
    first.kill()
    stored = ProjectionChunk.objects.filter(projection=projection).count()
    assert 1 <= stored < projection.chunk_count, "the worker was not killed mid-way"
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.RUNNING

    second = start_worker()
    wait_for(
        lambda: finished(projection),
        timeout=90,
        what="the projection to finish",
        logs=[first.log, second.log],
    )
    assert projection.status == ProjectionStatus.DONE, projection.message
    assert projection.attempts == 1  # recovered by the broker, not re-sent by the sweeper
    assert projection.result["monte_carlo"] == expected_result(rows, projection)


def test_a_request_made_while_redis_is_down_completes_once_it_is_back(
    cast, celery_broker, private_redis, start_worker
):
    point_celery_at(private_redis.url)
    assessment = make_assessment(cast.org, cast.manager.user)
    private_redis.stop()

    with transaction.atomic():
        projection = projection_request(
            assessment=assessment, user=cast.manager.user, trials=2000, seed=3
        )
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.QUEUED
    assert projection.message == QUEUE_DOWN
    assert projection.send_failures == 1 and projection.enqueued_at is None

    private_redis.start()
    worker = start_worker(broker=private_redis.url)

    def swept() -> bool:  # what beat does every minute, here every half second
        call_command("sweep_projections", verbosity=0)
        projection.refresh_from_db()
        return projection.enqueued_at is not None

    wait_for(
        swept, timeout=30, what="the sweeper to re-send the request", logs=[worker.log], every=0.5
    )
    wait_for(lambda: finished(projection), timeout=60, what="the projection", logs=[worker.log])
    assert projection.status == ProjectionStatus.DONE, projection.message
    assert projection.result["monte_carlo"] == expected_result(PORTFOLIO, projection)
