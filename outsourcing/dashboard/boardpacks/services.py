"""Board packs: their states in the database, and the building of one. No Celery here.

    views ──► tasks.request_board_pack ──► board_pack_request (a queued row)
      ──on commit──► tasks.send_board_pack ──► board_pack_handed_off (hand-off N recorded)
      ──► task build_board_pack(pack, N) ──► board_pack_build:
            board_pack_claim (queued → running, only for hand-off N, in one UPDATE)
            ──► the figures and the document ──► board_pack_finish (done, with the file)

Imports flow one way: ``tasks.py`` (Celery: the build task, sending, the sweeper) imports
this module, never the reverse, and the view asks ``tasks.py`` for a pack because a
request sends work to the queue.

The projections' discipline: hand-offs are numbered (``attempts``) and recorded before a
send; only the latest hand-off may claim the pack, and only while it is queued, so a
duplicate delivery (acks_late redelivers a message whose worker died; the sweeper
re-sent it) never rebuilds a pack that is built or being built; finishing is conditional
too. A build beats (``heartbeat_at``) every few seconds; the sweeper re-sends a pack
whose hand-off or build shows no sign of life for ``LOST_AFTER`` while nothing waits in
the queue, and gives up in words after ``MAX_ATTEMPTS`` hand-offs that reached the queue.

Quotas: a request is refused, and nothing saved, while the person already has
``BOARD_PACKS_PER_PERSON`` unfinished (queued or running) packs, or the organisation
``BOARD_PACKS_PER_ORGANISATION``. The check runs under a lock on both rows, so two
requests sent together cannot both slip under a limit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from copy import copy
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.audit.bulk import record_bulk
from accounts.audit.models import Action
from accounts.models import Organisation
from accounts.queueing import limit
from assessments.scenarios.selectors import pack_comparison
from outsourcing.dashboard.boardpacks.documents import build_pdf, build_xlsx
from outsourcing.dashboard.boardpacks.summary import PackInputs
from outsourcing.dashboard.figures import FIGURES
from outsourcing.dashboard.selectors import (
    DashboardFilters,
    dashboard_data,
    pending_awards,
)
from outsourcing.models import BoardPack, PackFormat, PackStatus

logger = logging.getLogger(__name__)


# How many board packs may be unfinished at once. A PDF pack draws every chart and takes a
# worker for up to a minute; settings of the same names (SOURCEWISE_ prefixed) override.
BOARD_PACKS_PER_PERSON = 1
BOARD_PACKS_PER_ORGANISATION = 2
# A build is killed after 6 minutes (tasks.py): a pack unfinished for an hour was lost by
# the workers and holds none of them, so it no longer counts towards a limit.
ABANDONED_AFTER = dt.timedelta(hours=1)

# The sweeper's limits; settings of the same names, SOURCEWISE_BOARD_PACK_ prefixed, in
# seconds, override them (tests lower them). A build beats every
# ``queueing.HEARTBEAT_EVERY`` (10) seconds whatever it is doing, so a pack silent for
# LOST_AFTER has lost its task, unless work waits in the queue (then only after
# BACKLOG_LIMIT: the pack may be next in line).
NEVER_SENT_GRACE = dt.timedelta(seconds=30)
LOST_AFTER = dt.timedelta(seconds=60)
BACKLOG_LIMIT = dt.timedelta(minutes=10)
STALLED_AFTER = dt.timedelta(seconds=20)
MAX_ATTEMPTS = 3

UNFINISHED = (PackStatus.QUEUED, PackStatus.RUNNING)
WAITING = "Waiting for a worker."
QUEUE_DOWN = (
    "The task queue cannot be reached right now. Your request is saved and the "
    "export will start by itself when the task queue is back."
)
RESTARTED = "The worker preparing it stopped; the export starts again."
STALLED = (
    "Waiting for a worker: nothing has moved for a while. The export goes on by "
    "itself when a worker is free or back; you may leave this page."
)
READY = "Ready to download."


class BoardPackQuotaError(Exception):
    """Too many unfinished board packs to start another; the message says so in words."""


def board_pack_quota() -> tuple[int, int]:
    """(per person, per organisation): how many packs may be unfinished at once."""
    return (
        int(getattr(settings, "SOURCEWISE_BOARD_PACKS_PER_PERSON", BOARD_PACKS_PER_PERSON)),
        int(
            getattr(
                settings, "SOURCEWISE_BOARD_PACKS_PER_ORGANISATION", BOARD_PACKS_PER_ORGANISATION
            )
        ),
    )


def board_pack_request(
    *, organisation: Organisation, user: User, pack_format: str, filters: DashboardFilters
) -> BoardPack:
    """Save a queued pack; nothing is sent (``tasks.request_board_pack`` sends it once the
    request commits). BoardPackQuotaError (nothing saved) when the person or the
    organisation already has as many unfinished packs as allowed."""
    with transaction.atomic():
        _check_quota(organisation=organisation, user=user)
        return BoardPack.objects.create(
            organisation=organisation,
            requested_by=user,
            format=pack_format,
            filters=dataclasses.asdict(filters),
            message=WAITING,
            heartbeat_at=timezone.now(),
        )


def _check_quota(*, organisation: Organisation, user: User) -> None:
    per_person, per_organisation = board_pack_quota()
    # Locked in this order everywhere (person, then organisation): a second request waits
    # here until the first commits, then counts its pack.
    list(
        get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True)
    )
    list(
        Organisation.objects.select_for_update()
        .filter(pk=organisation.pk)
        .values_list("pk", flat=True)
    )
    unfinished = BoardPack.objects.filter(
        status__in=UNFINISHED, created_at__gte=timezone.now() - ABANDONED_AFTER
    )
    if unfinished.filter(requested_by=user).count() >= per_person:
        raise BoardPackQuotaError(
            f"You already have {_packs(per_person)} being prepared, the most one person may "
            "have at once. Wait for it to finish (the list below shows its progress), then "
            "start the next one."
        )
    if unfinished.filter(organisation=organisation).count() >= per_organisation:
        raise BoardPackQuotaError(
            f"Your organisation already has {_packs(per_organisation)} being prepared, the "
            "most it may have at once. Wait for one to finish, then start yours."
        )


def _packs(count: int) -> str:
    return "1 board pack" if count == 1 else f"{count} board packs"


# Hand-offs ------------------------------------------------------------------------------


def board_pack_handed_off(*, pack_id: int, after_attempt: int | None = None) -> int | None:
    """Record the next hand-off of a queued pack before it is sent; its number.

    None when the pack is not queued any more, or (with ``after_attempt``) when another
    hand-off was recorded since the caller looked: two sweepers never both send it.
    """
    now = timezone.now()
    rows = BoardPack.objects.filter(pk=pack_id, status=PackStatus.QUEUED)
    if after_attempt is not None:
        rows = rows.filter(attempts=after_attempt)
    with transaction.atomic():
        if not rows.update(attempts=F("attempts") + 1, sent_at=now, heartbeat_at=now):
            return None
        return BoardPack.objects.filter(pk=pack_id).values_list("attempts", flat=True).first()


def board_pack_not_sent(*, pack_id: int, attempt: int) -> None:
    """The hand-off could not reach the queue: the pack stays queued and says so; failed
    hand-offs never count towards MAX_ATTEMPTS."""
    BoardPack.objects.filter(pk=pack_id, status=PackStatus.QUEUED, attempts=attempt).update(
        sent_at=None, send_failures=F("send_failures") + 1, message=QUEUE_DOWN
    )


def board_pack_sent(*, pack_id: int, attempt: int) -> None:
    """The hand-off reached the queue: a message about an outage no longer holds."""
    BoardPack.objects.filter(
        pk=pack_id, status=PackStatus.QUEUED, attempts=attempt, message=QUEUE_DOWN
    ).update(message=WAITING)


def board_pack_requeue(*, pack_id: int, attempt: int, quiet_since: dt.datetime) -> bool:
    """Put back in the queue a running pack whose build went silent before ``quiet_since``
    (its worker died); the old hand-off can no longer finish it."""
    return bool(
        BoardPack.objects.filter(
            Q(heartbeat_at__lte=quiet_since) | Q(heartbeat_at__isnull=True),
            pk=pack_id,
            status=PackStatus.RUNNING,
            attempts=attempt,
        ).update(status=PackStatus.QUEUED, message=RESTARTED)
    )


class LostPack(NamedTuple):
    pk: int
    status: str
    attempts: int
    send_failures: int


def board_packs_lost(
    *,
    backlog: int | None,
    backlog_seen_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> tuple[list[LostPack], dt.datetime]:
    """The packs the sweeper must send again, and the moment before which silence counts.

    Never sent (at once when a send failed, else after NEVER_SENT_GRACE), or handed over
    or building with no sign of life for LOST_AFTER; while work waits in the queue
    (``backlog``) only after BACKLOG_LIMIT, since the pack may be next in line.

    A handed-over pack also counts as waiting for LOST_AFTER after work was last seen in
    the queue (``backlog_seen_at``, noted by the sweeper): a worker that has just taken it
    from the queue (the backlog no longer counts it) may not have claimed it yet, and
    sending it again then would only add a hand-off the claim then refuses.
    """
    now = now or timezone.now()
    lost_after = limit("SOURCEWISE_BOARD_PACK_LOST_AFTER", LOST_AFTER)
    backlog_limit = limit("SOURCEWISE_BOARD_PACK_BACKLOG_LIMIT", BACKLOG_LIMIT)
    quiet = backlog_limit if backlog else lost_after
    queue_busy = bool(backlog) or (
        backlog_seen_at is not None and backlog_seen_at > now - lost_after
    )
    grace = limit("SOURCEWISE_BOARD_PACK_NEVER_SENT_GRACE", NEVER_SENT_GRACE)
    quiet_since = now - quiet
    never_sent = Q(status=PackStatus.QUEUED, sent_at__isnull=True) & (
        Q(send_failures__gt=0) | Q(created_at__lte=now - grace)
    )
    lost = Q(
        status=PackStatus.QUEUED,
        sent_at__lte=now - (backlog_limit if queue_busy else lost_after),
    )
    silent = Q(status=PackStatus.RUNNING) & (
        Q(heartbeat_at__lte=quiet_since) | Q(heartbeat_at__isnull=True)
    )
    packs = (
        BoardPack.objects.filter(never_sent | lost | silent)
        .order_by("pk")
        .values_list("pk", "status", "attempts", "send_failures")
    )
    return [LostPack(*row) for row in packs], quiet_since


def board_pack_stalled(pack: BoardPack, *, now: dt.datetime | None = None) -> bool:
    """True when an unfinished pack has shown no sign of life for STALLED_AFTER: the page
    then says it is waiting for a worker."""
    if pack.status not in UNFINISHED:
        return False
    last = pack.heartbeat_at or pack.created_at
    quiet = limit("SOURCEWISE_BOARD_PACK_STALLED_AFTER", STALLED_AFTER)
    return last is not None and last <= (now or timezone.now()) - quiet


# The build ------------------------------------------------------------------------------


def board_pack_claim(*, pack_id: int, attempt: int | None) -> int | None:
    """Queued → running in one conditional UPDATE, only for the latest hand-off; the
    attempt claimed, or None (built, being built, superseded or gone: do nothing).

    ``attempt`` None is a message sent before hand-offs were numbered: it may claim any
    queued pack.
    """
    now = timezone.now()
    rows = BoardPack.objects.filter(pk=pack_id, status=PackStatus.QUEUED)
    if attempt is not None:
        rows = rows.filter(attempts=attempt)
    with transaction.atomic():
        if not rows.update(
            status=PackStatus.RUNNING,
            progress=5,
            heartbeat_at=now,
            message="Collecting the figures.",
        ):
            return None
        return BoardPack.objects.filter(pk=pack_id).values_list("attempts", flat=True).first()


def board_pack_beat(*, pack_id: int, attempt: int | None) -> None:
    """A running build's sign of life."""
    rows = BoardPack.objects.filter(pk=pack_id, status=PackStatus.RUNNING)
    if attempt is not None:
        rows = rows.filter(attempts=attempt)
    rows.update(heartbeat_at=timezone.now())


def _progress(pack_id: int, attempt: int, percent: int, message: str) -> None:
    BoardPack.objects.filter(pk=pack_id, status=PackStatus.RUNNING, attempts=attempt).update(
        progress=percent, message=message, heartbeat_at=timezone.now()
    )


def board_pack_build(*, pack_id: int, attempt: int | None) -> str:
    """Claim the pack for this hand-off, build the file and finish it; the pack's status
    afterwards, or "skipped" when this hand-off may not build it. Errors propagate (the
    task fails the pack in words)."""
    claimed = board_pack_claim(pack_id=pack_id, attempt=attempt)
    if claimed is None:
        logger.info(
            "Board pack %s: hand-off %s skipped (built, being built or superseded)",
            pack_id,
            attempt,
        )
        return "skipped"
    pack = BoardPack.objects.select_related("organisation").get(pk=pack_id)
    filters = DashboardFilters(**pack.filters)
    today = timezone.localdate()
    data = dashboard_data(pack.organisation, filters, today)
    inputs = PackInputs(
        filters=filters,
        awards=pending_awards(pack.organisation, today),
        scenarios=pack_comparison((data.assessment or {}).get("id")),
    )
    _progress(pack_id, claimed, 40, "Writing the document.")
    if pack.format == PackFormat.XLSX:
        content = build_xlsx(data, inputs)
    else:
        figures = {name: build(data) for name, (_, build) in FIGURES.items()}
        _progress(pack_id, claimed, 50, "Drawing the charts.")
        content = build_pdf(data, figures, inputs)
    return (
        PackStatus.DONE
        if board_pack_finish(pack=pack, attempt=claimed, content=content)
        else "skipped"
    )


def board_pack_finish(*, pack: BoardPack, attempt: int, content: bytes) -> bool:
    """Store the file and mark the pack done, if this hand-off still holds it; otherwise
    remove the file again (one pack, one file)."""
    name = pack.file.storage.save(
        pack.file.field.generate_filename(pack, pack.filename), ContentFile(content)
    )
    with transaction.atomic():
        finished = BoardPack.objects.filter(
            pk=pack.pk, status=PackStatus.RUNNING, attempts=attempt
        ).update(
            status=PackStatus.DONE,
            progress=100,
            message=READY,
            file=name,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if finished:
            _record_status(pack, PackStatus.DONE)
    if not finished:
        pack.file.storage.delete(name)
    return bool(finished)


def _record_status(before: BoardPack, status: str) -> None:
    """The audit trail follows a pack's fate (done, failed); updates send no signals."""
    after = copy(before)
    after.status = status
    record_bulk([after], action=Action.UPDATE, before={before.pk: before}, fields=["status"])


def board_pack_fail(*, pack_id: int, reason: str, attempt: int | None = None) -> bool:
    """Mark an unfinished pack failed, saying why in words (only for ``attempt`` if given)."""
    rows = BoardPack.objects.filter(pk=pack_id, status__in=UNFINISHED)
    if attempt is not None:
        rows = rows.filter(attempts=attempt)
    with transaction.atomic():
        before = rows.select_related("organisation").first()
        failed = rows.update(
            status=PackStatus.FAILED,
            finished_at=timezone.now(),
            message=(
                f"The export failed: {reason.rstrip('.')}. Try again; if it keeps "
                "failing, tell your Sourcewise admin."
            )[:300],
        )
        if failed and before is not None:
            _record_status(before, PackStatus.FAILED)
    return bool(failed)
