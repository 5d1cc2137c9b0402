"""Board packs on Celery: asking for one, sending it, building it, and the sweeper.

This module is the only one that talks to the task queue about board packs; the states
live in ``services`` (imported here, never the reverse). The view calls
``request_board_pack``; beat runs ``sweep_board_packs``.

- Every send catches ``queueing.BROKER_ERRORS`` (kombu, Redis and socket errors alike):
  with the queue down a request still answers at once, the pack stays queued with a
  message, and the sweeper sends it when the queue is back.
- A hand-off is recorded (numbered) before it is sent; the build task claims the pack
  only for that number and only while it is queued, so a message delivered twice builds
  one pack, one file.
- A build beats every few seconds; the sweeper re-sends a pack silent for
  ``services.LOST_AFTER`` (its worker died) once nothing waits in the queue, and gives up
  in words after ``services.MAX_ATTEMPTS`` hand-offs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import User
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from accounts.engine.formatting import count_of
from accounts.models import Organisation
from accounts.queueing import heartbeat, queue_backlog_seen, send
from outsourcing.dashboard.boardpacks import services
from outsourcing.dashboard.selectors import DashboardFilters
from outsourcing.models import BoardPack, PackStatus

logger = logging.getLogger(__name__)

BUILD_SOFT_LIMIT, BUILD_HARD_LIMIT = 300, 360
SWEEP_SOFT_LIMIT, SWEEP_HARD_LIMIT = 45, 55
# Beat runs the sweep every 20 s; one that waited longer is dropped, a newer one follows.
SWEEP_EXPIRES = 20


def request_board_pack(
    *, organisation: Organisation, user: User, pack_format: str, filters: DashboardFilters
) -> BoardPack:
    """Save a queued pack and send it once the request commits (never raises because the
    queue is down: the pack then says so). BoardPackQuotaError as ``services`` says."""
    pack = services.board_pack_request(
        organisation=organisation, user=user, pack_format=pack_format, filters=filters
    )
    transaction.on_commit(partial(send_board_pack, pack_id=pack.pk))
    return pack


def send_board_pack(*, pack_id: int, after_attempt: int | None = None) -> bool:
    """Record the next hand-off, then send it; False when the pack is not queued (or was
    handed off by someone else since ``after_attempt``) or the queue is unreachable."""
    attempt = services.board_pack_handed_off(pack_id=pack_id, after_attempt=after_attempt)
    if attempt is None:
        return False
    if not send(build_board_pack.s(pack_id, attempt), what=f"board pack {pack_id}"):
        services.board_pack_not_sent(pack_id=pack_id, attempt=attempt)
        return False
    services.board_pack_sent(pack_id=pack_id, attempt=attempt)
    return True


@shared_task(
    name="outsourcing.build_board_pack",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=BUILD_SOFT_LIMIT,
    time_limit=BUILD_HARD_LIMIT,
)
def build_board_pack(pack_id: int, attempt: int | None = None) -> str:
    """Build the pack for hand-off ``attempt``; a duplicate or superseded one does nothing."""
    try:
        with heartbeat(partial(services.board_pack_beat, pack_id=pack_id, attempt=attempt)):
            return services.board_pack_build(pack_id=pack_id, attempt=attempt)
    except (OperationalError, InterfaceError):
        # The database hiccuped: the build stops beating and the sweeper sends it again.
        logger.warning(
            "Board pack %s: database error; left for the sweeper", pack_id, exc_info=True
        )
        return "left for the sweeper"
    except SoftTimeLimitExceeded:
        services.board_pack_fail(
            pack_id=pack_id, attempt=attempt, reason="it took longer than its time limit"
        )
    except Exception as error:  # the pack records why it failed; the worker stays healthy
        logger.exception("Board pack %s failed", pack_id)
        services.board_pack_fail(pack_id=pack_id, attempt=attempt, reason=str(error))
    return PackStatus.FAILED


@dataclass
class PackSweepReport:
    resent: list[int] = field(default_factory=list)
    not_sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"Re-sent {count_of(len(self.resent), 'board pack')}, could not reach the task queue "
            f"for {len(self.not_sent)}, gave up on {len(self.failed)}."
        )


def board_packs_sweep(*, now: datetime | None = None) -> PackSweepReport:
    """Send again the packs the queue lost (``services.board_packs_lost``), once each."""
    report = PackSweepReport()
    now = now or timezone.now()
    backlog, seen = queue_backlog_seen(now)
    lost, quiet_since = services.board_packs_lost(backlog=backlog, backlog_seen_at=seen, now=now)
    for pack in lost:
        if pack.attempts - pack.send_failures >= services.MAX_ATTEMPTS:
            services.board_pack_fail(
                pack_id=pack.pk,
                reason=(
                    f"it did not finish after {pack.attempts - pack.send_failures} hand-offs to "
                    "the workers"
                ),
            )
            report.failed.append(pack.pk)
            continue
        if pack.status == PackStatus.RUNNING and not services.board_pack_requeue(
            pack_id=pack.pk, attempt=pack.attempts, quiet_since=quiet_since
        ):
            continue  # it beat, or finished, since the sweeper looked
        if send_board_pack(pack_id=pack.pk, after_attempt=pack.attempts):
            report.resent.append(pack.pk)
        else:
            report.not_sent.append(pack.pk)
    return report


@shared_task(
    name="outsourcing.sweep_board_packs",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=SWEEP_SOFT_LIMIT,
    time_limit=SWEEP_HARD_LIMIT,
    expires=SWEEP_EXPIRES,
)
def sweep_board_packs() -> str:
    """Periodic (Celery beat): send again the board packs the task queue lost."""
    report = board_packs_sweep()
    if report.resent or report.failed or report.not_sent:
        logger.info("Board-pack sweep: %s", report)
    return str(report)
