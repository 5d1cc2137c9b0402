"""The projection tasks: durable settings, the beat schedule, the sweep command (in-process)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.queueing import HEARTBEAT_EVERY
from assessments.models import Projection, ProjectionChunk, ProjectionStatus
from assessments.projections import tasks
from assessments.projections.services import LOST_AFTER, projection_request
from outsourcing.celery import app
from tests.assessments.projection_fixtures import make_assessment


@pytest.fixture
def assessment(cast):
    """A submitted assessment of organisation A with five outsourced processes."""
    return make_assessment(cast.org, cast.manager.user)


TASKS = [
    tasks.projection_start,
    tasks.projection_chunk,
    tasks.projection_combine,
    tasks.projection_sweep,
]


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_every_task_acknowledges_late_survives_a_lost_worker_and_has_time_limits(task):
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert 0 < task.soft_time_limit < task.time_limit
    assert task.name in app.tasks


def test_a_running_task_beats_several_times_within_the_sweepers_limit():
    # The heartbeat, not the elapsed time, shows a task is alive: a chunk may run for
    # minutes, and is only taken for lost after three beats were missed.
    assert LOST_AFTER.total_seconds() >= 3 * HEARTBEAT_EVERY
    assert tasks.projection_start.time_limit < tasks.projection_chunk.time_limit


def test_beat_sweeps_stale_projections_often_enough_to_recover_within_two_minutes():
    entry = app.conf.beat_schedule["sweep-stale-projections"]
    assert entry["task"] == tasks.projection_sweep.name
    assert entry["schedule"] + LOST_AFTER.total_seconds() <= 90
    assert entry["options"]["expires"] < entry["schedule"]
    assert tasks.projection_sweep.expires <= entry["schedule"]


def test_the_start_task_runs_the_chunks_and_the_combining_step(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=1000)
    tasks.projection_start.delay(projection.pk)
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE
    assert projection.started_at <= projection.finished_at


def test_tasks_for_a_finished_or_missing_projection_do_nothing(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=500)
    projection.refresh_from_db()
    result = projection.result
    tasks.projection_chunk.delay(projection.pk, 0)
    tasks.projection_combine.delay(projection.pk)
    tasks.projection_start.delay(projection.pk)
    tasks.projection_start.delay(987654)
    projection.refresh_from_db()
    assert projection.result == result
    assert not ProjectionChunk.objects.exists()


def test_an_unexpected_error_fails_the_projection_in_words(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=500)
    Projection.objects.filter(pk=projection.pk).update(chunk_count=2)  # plans one chunk only
    tasks.projection_start.delay(projection.pk)
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.FAILED
    assert projection.message.startswith("The projection failed: ")
    assert "ask an administrator" in projection.message


def test_the_sweep_command_resends_and_reports(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():  # lost hand-off: the callback never runs
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=500)
    Projection.objects.filter(pk=projection.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    out = StringIO()
    call_command("sweep_projections", stdout=out)
    assert "Re-sent 1 projection," in out.getvalue()
    assert f"re-sent projection {projection.pk}" in out.getvalue()
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE


def test_the_sweep_task_reports_in_words(db):
    assert tasks.projection_sweep.delay().get() == (
        "Re-sent 0 projections, could not reach the task queue for 0, gave up on 0, "
        "removed 0 leftover chunks."
    )


def test_a_running_projection_past_its_limit_is_found_by_the_sweep_task(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=500)
    Projection.objects.filter(pk=projection.pk).update(
        status=ProjectionStatus.RUNNING,
        attempts=1,
        updated_at=timezone.now() - LOST_AFTER - timedelta(seconds=5),
    )
    tasks.projection_sweep.delay()
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE
