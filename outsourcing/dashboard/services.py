"""Board-pack requests and their building (the task only calls these).

Quotas: a request is refused, and nothing saved, while the person already has
``BOARD_PACKS_PER_PERSON`` unfinished (queued or running) packs, or the organisation
``BOARD_PACKS_PER_ORGANISATION``. The check runs under a lock on both rows, so two
requests sent together cannot both slip under a limit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import Organisation
from outsourcing.dashboard.boardpack import build_pdf, build_xlsx
from outsourcing.dashboard.boardpack_summary import PackInputs, PendingAward
from outsourcing.dashboard.figures import FIGURES
from outsourcing.dashboard.selectors import DashboardFilters, dashboard_data
from outsourcing.models import BoardPack, PackFormat, PackStatus
from vendors.models.events import EventStatus, SourcedModel, SourcingEvent

logger = logging.getLogger(__name__)


# How many board packs may be unfinished at once. A PDF pack draws every chart and takes a
# worker for up to a minute; settings of the same names (SOURCEWISE_ prefixed) override.
BOARD_PACKS_PER_PERSON = 1
BOARD_PACKS_PER_ORGANISATION = 2
# A build is killed after 6 minutes (tasks.py): a pack unfinished for an hour was lost by
# the workers and holds none of them, so it no longer counts towards a limit.
ABANDONED_AFTER = dt.timedelta(hours=1)


class BoardPackQuotaError(Exception):
    """Too many unfinished board packs to start another; the message says so in words."""


def board_pack_quota() -> tuple[int, int]:
    """(per person, per organisation): how many packs may be unfinished at once."""
    return (int(getattr(settings, "SOURCEWISE_BOARD_PACKS_PER_PERSON", BOARD_PACKS_PER_PERSON)),
            int(getattr(settings, "SOURCEWISE_BOARD_PACKS_PER_ORGANISATION",
                        BOARD_PACKS_PER_ORGANISATION)))


def board_pack_request(*, organisation: Organisation, user, pack_format: str,
                       filters: DashboardFilters) -> BoardPack:
    """Save a queued pack; the build starts on commit. BoardPackQuotaError (nothing saved)
    when the person or the organisation already has as many unfinished packs as allowed."""
    with transaction.atomic():
        _check_quota(organisation=organisation, user=user)
        pack = BoardPack.objects.create(organisation=organisation, requested_by=user,
                                        format=pack_format, filters=dataclasses.asdict(filters),
                                        message="Waiting for a worker.")
        transaction.on_commit(lambda: board_pack_send(pack_id=pack.pk))
    return pack


def _check_quota(*, organisation: Organisation, user) -> None:
    per_person, per_organisation = board_pack_quota()
    # Locked in this order everywhere (person, then organisation): a second request waits
    # here until the first commits, then counts its pack.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk)
         .values_list("pk", flat=True))
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk)
         .values_list("pk", flat=True))
    unfinished = BoardPack.objects.filter(
        status__in=(PackStatus.QUEUED, PackStatus.RUNNING),
        created_at__gte=timezone.now() - ABANDONED_AFTER)
    if unfinished.filter(requested_by=user).count() >= per_person:
        raise BoardPackQuotaError(
            f"You already have {_packs(per_person)} being prepared, the most one person may "
            "have at once. Wait for it to finish (the list below shows its progress), then "
            "start the next one.")
    if unfinished.filter(organisation=organisation).count() >= per_organisation:
        raise BoardPackQuotaError(
            f"Your organisation already has {_packs(per_organisation)} being prepared, the "
            "most it may have at once. Wait for one to finish, then start yours.")


def _packs(count: int) -> str:
    return "1 board pack" if count == 1 else f"{count} board packs"


def board_pack_send(*, pack_id: int) -> bool:
    """Hand the pack to the task queue; when the broker is down, say so and keep it queued."""
    from outsourcing.tasks import build_board_pack

    try:
        build_board_pack.delay(pack_id)
    except OperationalError:
        logger.warning("Broker unreachable; board pack %s stays queued", pack_id)
        BoardPack.objects.filter(pk=pack_id).update(
            message="The task queue is unavailable; the export will start when it is back.")
        return False
    return True


STALE_AFTER = dt.timedelta(minutes=10)


def board_packs_sweep(*, now: dt.datetime | None = None) -> int:
    """Re-send packs still queued after STALE_AFTER (the broker was down, or lost them)."""
    now = now or timezone.now()
    stale = BoardPack.objects.filter(status=PackStatus.QUEUED,
                                     created_at__lt=now - STALE_AFTER).values_list("pk", flat=True)
    return sum(board_pack_send(pack_id=pk) for pk in stale)


def pending_awards(organisation: Organisation, today: dt.date) -> tuple[PendingAward, ...]:
    """Sourcing events that wait for the award: being evaluated, or open past their
    deadline for proposals (one query)."""
    events = (SourcingEvent.objects.for_org(organisation).with_counts()
              .filter(status__in=(EventStatus.EVALUATING, EventStatus.OPEN))
              .order_by("deadline", "pk"))
    statuses, models = dict(EventStatus.choices), dict(SourcedModel.choices)
    return tuple(
        PendingAward(event=e.name, model=models.get(e.model, e.model).split(" (")[0],
                     status=statuses[e.status], deadline=e.deadline,
                     proposals=e.proposal_count, processes=e.process_count)
        for e in events if e.status == EventStatus.EVALUATING or e.deadline < today)


def _progress(pack: BoardPack, percent: int, message: str) -> None:
    BoardPack.objects.filter(pk=pack.pk).update(progress=percent, message=message)


def board_pack_build(*, pack: BoardPack) -> BoardPack:
    """Build the file, store it and mark the pack done (or failed, with words)."""
    BoardPack.objects.filter(pk=pack.pk).update(status=PackStatus.RUNNING, progress=5,
                                                message="Collecting the figures.")
    try:
        filters = DashboardFilters(**pack.filters)
        today = timezone.localdate()
        data = dashboard_data(pack.organisation, filters, today)
        inputs = PackInputs(filters=filters, awards=pending_awards(pack.organisation, today))
        _progress(pack, 40, "Writing the document.")
        if pack.format == PackFormat.XLSX:
            content = build_xlsx(data, inputs)
        else:
            figures = {name: build(data) for name, (_, build) in FIGURES.items()}
            _progress(pack, 50, "Drawing the charts.")
            content = build_pdf(data, figures, inputs)
    except Exception as error:  # the pack records why it failed; the worker stays healthy
        logger.exception("Board pack %s failed", pack.pk)
        BoardPack.objects.filter(pk=pack.pk).update(
            status=PackStatus.FAILED, finished_at=timezone.now(),
            message=f"The export failed: {error}. Try again; if it keeps failing, tell your "
                    "Sourcewise admin.")
        pack.refresh_from_db()
        return pack
    with transaction.atomic():
        pack.file.save(pack.filename, ContentFile(content), save=False)
        pack.status = PackStatus.DONE
        pack.progress = 100
        pack.message = "Ready to download."
        pack.finished_at = timezone.now()
        pack.save()
    return pack
