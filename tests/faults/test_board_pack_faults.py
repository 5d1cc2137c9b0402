"""Board packs on a real worker and a real Redis: delivered twice, lost, asked for with
Redis down. One pack, one build, one file; a lost pack is sent again once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from outsourcing.dashboard.boardpacks import services
from outsourcing.dashboard.boardpacks.tasks import build_board_pack, request_board_pack
from outsourcing.dashboard.selectors import DashboardFilters
from outsourcing.models import BoardPack, PackStatus
from tests.faults.conftest import RECOVERY_BUDGET, report
from tests.realparts import point_celery_at

pytestmark = pytest.mark.worker


@pytest.fixture
def media(tmp_path, settings, monkeypatch) -> Path:
    """One media folder for this process and the workers it starts."""
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = folder
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(folder))
    return folder


def files(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*.xlsx"))


def done(pack: BoardPack) -> bool:
    pack.refresh_from_db()
    return pack.status in (PackStatus.DONE, PackStatus.FAILED)


def ask(cast, who: str = "cio") -> BoardPack:
    with transaction.atomic():  # sent when this commits, as in the view
        return request_board_pack(
            organisation=cast.org,
            user=getattr(cast, who).user,
            pack_format="xlsx",
            filters=DashboardFilters(),
        )


def test_a_pack_delivered_twice_is_built_once_into_one_file(cast, media, start_worker, beat):
    worker = start_worker(concurrency=2)  # both copies may run at the same moment
    pack = ask(cast)
    build_board_pack.apply_async(args=[pack.pk, 1])  # the same hand-off, delivered again
    beat.until(lambda: done(pack), timeout=90, what="the pack", logs=[worker.log])
    assert pack.status == PackStatus.DONE, pack.message
    time.sleep(2)  # let the second copy run to its end
    assert "hand-off 1 skipped" in worker.log.read_text()
    assert files(media) == [Path(pack.file.path)]
    assert pack.attempts == 1


def test_a_pack_waiting_in_the_queue_is_not_sent_again_and_a_lost_one_is_sent_once(
    cast, media, start_worker, beat, settings
):
    settings.SOURCEWISE_BOARD_PACKS_PER_ORGANISATION = 3
    # No worker yet: the pack's message waits in the queue. However long it waits there,
    # the sweeper sends no second copy.
    waiting = ask(cast, "cio")
    started = time.monotonic()
    while time.monotonic() - started < 2 * beat.every + 10:
        beat.sweep()
        time.sleep(beat.every)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (PackStatus.QUEUED, 1)
    worker = start_worker()
    beat.until(lambda: done(waiting), timeout=90, what="the waiting pack", logs=[worker.log])
    assert waiting.status == PackStatus.DONE and waiting.attempts == 1

    # A hand-off recorded but lost on its way (the message never reached a worker): sent
    # again once the queue is empty and the pack silent for the limit, and only once.
    lost = services.board_pack_request(
        organisation=cast.org, user=cast.admin.user, pack_format="xlsx", filters=DashboardFilters()
    )
    assert services.board_pack_handed_off(pack_id=lost.pk) == 1
    took = beat.until(
        lambda: done(lost), timeout=RECOVERY_BUDGET, what="the lost pack", logs=[worker.log]
    )
    report("board pack lost in the queue -> done", took)
    for _ in range(3):
        beat.sweep()
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (PackStatus.DONE, 2)
    assert len(files(media)) == 2


def test_a_pack_asked_for_while_redis_is_down_answers_at_once_and_is_built_when_it_is_back(
    cast, celery_broker, fault_redis, media, start_worker, beat
):
    point_celery_at(fault_redis.url)
    fault_redis.stop()
    client = cast.client_for("cio")
    started = time.monotonic()
    response = client.post(reverse("board-pack-start"), {"format": "xlsx"})
    answered = time.monotonic() - started
    assert response.status_code == 302 and answered < 5, answered
    pack = BoardPack.objects.get()
    assert response.url == reverse("board-pack", args=[pack.pk])
    assert (pack.status, pack.send_failures, pack.sent_at) == (PackStatus.QUEUED, 1, None)
    status = client.get(reverse("board-pack-status", args=[pack.pk])).json()
    assert status["message"] == services.QUEUE_DOWN
    report("board-pack request with Redis down answered", answered)

    fault_redis.start()
    worker = start_worker(broker=fault_redis.url)
    took = beat.until(
        lambda: done(pack),
        timeout=RECOVERY_BUDGET,
        what="the pack after Redis came back",
        logs=[worker.log],
    )
    report("board pack asked for with Redis down -> done, after Redis came back", took)
    assert pack.status == PackStatus.DONE, pack.message
    assert (pack.attempts, pack.send_failures) == (2, 1)
    assert files(media) == [Path(pack.file.path)]
