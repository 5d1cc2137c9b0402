"""The hand-off discipline, in-process: numbered hand-offs, a conditional claim, the
sweepers' limits and heartbeats, and a request that answers at once with the queue down."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.queueing import send_with_retry
from assessments.models import Projection, ProjectionStatus
from assessments.projections import services as projections
from assessments.projections import tasks as projection_tasks
from outsourcing.dashboard.boardpacks import services
from outsourcing.dashboard.boardpacks.tasks import (
    board_packs_sweep,
    build_board_pack,
    request_board_pack,
    sweep_board_packs,
)
from outsourcing.dashboard.selectors import DashboardFilters
from outsourcing.models import BoardPack, PackStatus
from tests.assessments.projection_fixtures import make_assessment
from tests.realparts import point_celery_at


@pytest.fixture
def media(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unreachable_broker():
    """This process publishes to a Redis port where nothing listens."""
    from outsourcing.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    point_celery_at("redis://127.0.0.1:1/0")
    yield
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def new_pack(cast) -> BoardPack:
    return services.board_pack_request(
        organisation=cast.org, user=cast.cio.user, pack_format="xlsx", filters=DashboardFilters()
    )


def xlsx_files(media: Path) -> list[Path]:
    return sorted(media.rglob("*.xlsx"))


def test_a_second_delivery_of_a_built_pack_builds_nothing(cast, media):
    with TestCase.captureOnCommitCallbacks(execute=True):
        pack = request_board_pack(
            organisation=cast.org,
            user=cast.cio.user,
            pack_format="xlsx",
            filters=DashboardFilters(),
        )
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == (PackStatus.DONE, 1)
    assert build_board_pack.apply(args=[pack.pk, 1]).get() == "skipped"
    assert build_board_pack.apply(args=[pack.pk]).get() == "skipped"  # an unnumbered one
    assert xlsx_files(media) == [Path(pack.file.path)]


def test_only_the_latest_hand_off_may_build_the_pack(cast, media):
    pack = new_pack(cast)
    assert services.board_pack_handed_off(pack_id=pack.pk) == 1
    assert services.board_pack_handed_off(pack_id=pack.pk) == 2
    assert services.board_pack_handed_off(pack_id=pack.pk, after_attempt=1) is None
    assert build_board_pack.apply(args=[pack.pk, 1]).get() == "skipped"
    pack.refresh_from_db()
    assert pack.status == PackStatus.QUEUED
    assert build_board_pack.apply(args=[pack.pk, 2]).get() == PackStatus.DONE


def test_a_build_gone_silent_is_sent_again_and_the_old_one_cannot_finish(cast, media):
    pack = new_pack(cast)
    services.board_pack_handed_off(pack_id=pack.pk)
    assert services.board_pack_claim(pack_id=pack.pk, attempt=1) == 1  # then its worker died
    assert board_packs_sweep().resent == []  # it beat a moment ago
    later = timezone.now() + services.LOST_AFTER + timedelta(seconds=1)
    assert board_packs_sweep(now=later).resent == [pack.pk]
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == (PackStatus.DONE, 2)
    # The first build comes back to life and tries to finish: refused, its file removed.
    assert not services.board_pack_finish(pack=pack, attempt=1, content=b"late")
    assert xlsx_files(media) == [Path(pack.file.path)]


def test_the_sweeper_gives_up_on_a_pack_in_words_after_too_many_hand_offs(cast):
    pack = new_pack(cast)
    BoardPack.objects.filter(pk=pack.pk).update(
        status=PackStatus.RUNNING,
        attempts=services.MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - services.LOST_AFTER - timedelta(seconds=1),
    )
    assert board_packs_sweep().failed == [pack.pk]
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert f"did not finish after {services.MAX_ATTEMPTS} hand-offs" in pack.message


def test_with_the_queue_down_a_pack_request_answers_at_once_with_the_pack_queued(
    cast, unreachable_broker
):
    client = cast.client_for("cio")
    started = time.monotonic()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("board-pack-start"), {"format": "xlsx"})
    assert response.status_code == 302 and time.monotonic() - started < 5
    pack = BoardPack.objects.get()
    assert (pack.status, pack.attempts, pack.send_failures) == (PackStatus.QUEUED, 1, 1)
    assert pack.message == services.QUEUE_DOWN
    assert board_packs_sweep().not_sent == [pack.pk]  # still down: kept, not given up


def test_the_status_says_when_a_pack_waits_for_a_worker(cast):
    pack = new_pack(cast)
    client = cast.client_for("cio")
    url = reverse("board-pack-status", args=[pack.pk])
    fresh = client.get(url).json()
    assert (fresh["stalled"], fresh["status_label"]) == (False, "Queued")
    BoardPack.objects.filter(pk=pack.pk).update(
        heartbeat_at=timezone.now() - services.STALLED_AFTER - timedelta(seconds=1)
    )
    stalled = client.get(url).json()
    assert stalled["stalled"] is True
    assert stalled["stalled_message"].startswith("Waiting for a worker")


def test_a_projection_with_no_sign_of_life_is_said_to_wait_for_a_worker(cast):
    assessment = make_assessment(cast.org, cast.manager.user)
    projection = Projection.objects.create(
        assessment=assessment, horizon_months=60, discount_rate=0.08
    )
    assert not projections.projection_stalled(projection)
    later = timezone.now() + projections.STALLED_AFTER + timedelta(seconds=1)
    assert projections.projection_stalled(projection, now=later)
    projection.status = ProjectionStatus.DONE
    assert not projections.projection_stalled(projection, now=later)


def test_a_projection_whose_chunks_are_all_stored_is_combined_by_the_sweeper_soon(
    cast, django_capture_on_commit_callbacks
):
    assessment = make_assessment(cast.org, cast.manager.user)
    with django_capture_on_commit_callbacks():  # the hand-off is lost
        projection = projections.projection_request(
            assessment=assessment, user=cast.manager.user, trials=1000
        )
    projections.projection_begin(projection_id=projection.pk)
    for index in range(projection.chunk_count):
        projections.projection_run_chunk(projection_id=projection.pk, index=index)
    # The combining step was never sent (the queue was down past the chunk's retries).
    soon = timezone.now() + projections.COMBINE_LOST_AFTER + timedelta(seconds=1)
    assert soon < timezone.now() + projections.LOST_AFTER
    assert projections.projection_sweep(now=soon).resent == [projection.pk]
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE


def test_a_send_inside_a_task_tries_again_with_backoff_then_gives_up(unreachable_broker):
    waited: list[float] = []
    sent = send_with_retry(
        projection_tasks.projection_combine.s(1),
        what="a test",
        waits=(0.5, 1.0),
        sleep=waited.append,
    )
    assert sent is False and waited == [0.5, 1.0]


@pytest.mark.parametrize("task", [build_board_pack, sweep_board_packs], ids=lambda t: t.name)
def test_board_pack_tasks_acknowledge_late_keep_no_result_and_have_time_limits(task):
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert task.ignore_result is True  # a send never waits on the result store
    assert 0 < task.soft_time_limit < task.time_limit


def test_beat_sweeps_board_packs_often_enough_to_recover_within_two_minutes():
    from outsourcing.celery import app

    entry = app.conf.beat_schedule["sweep-stale-board-packs"]
    assert entry["task"] == sweep_board_packs.name
    assert entry["schedule"] + services.LOST_AFTER.total_seconds() <= 90
    assert entry["options"]["expires"] < entry["schedule"]
    assert sweep_board_packs.expires <= entry["schedule"]
