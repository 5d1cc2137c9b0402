"""The daily jobs: renewal notices (and auto-renewal, expiry) and SLA breach checks.

Each records in-app notifications and then e-mails the ones not yet e-mailed. The
unique constraint on a notification (person, contract, kind, date) makes both jobs
safe to run twice, or late: a second run creates nothing and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from accounts.engine.formatting import count_of, money
from accounts.models import Membership, Role
from accounts.webhooks.services import emit
from contracts.engine.periods import add_months, month_start, period_label
from contracts.engine.renewals import due_thresholds, roll_forward
from contracts.models import (
    NOTICE_KINDS,
    Contract,
    ContractStatus,
    Measurement,
    Notification,
    NotificationKind,
    RenewalType,
    ServiceCredit,
    Sla,
)
from contracts.selectors.renewals import renewal_action

log = logging.getLogger(__name__)

# Line breaks and other control characters in a title (typed or imported) must never reach
# an e-mail header: Django refuses such a header, and one bad title must not stop the
# reminders of every other contract.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` on one line: each run of control characters becomes one space."""
    return _CONTROL.sub(" ", text).strip()


@dataclass(frozen=True)
class Occasion:
    contract: Contract
    kind: str
    key_date: dt.date
    subject: str
    message: str
    recipient_ids: tuple[int, ...]


# Notifications that are also announced to the organisation's webhooks (accounts/webhooks/).
WEBHOOK_EVENTS: dict[str, str] = {
    NotificationKind.NOTICE_90: "renewal.notice_due",
    NotificationKind.NOTICE_60: "renewal.notice_due",
    NotificationKind.NOTICE_30: "renewal.notice_due",
    NotificationKind.SLA_BREACH: "sla.breached",
}


@dataclass
class NoticeReport:
    renewed: list[Contract] = field(default_factory=list)
    expired: list[Contract] = field(default_factory=list)
    notifications: int = 0
    emails: int = 0


def _cio_ids(organisation_ids: Iterable[int]) -> dict[int, list[int]]:
    cios: dict[int, list[int]] = defaultdict(list)
    for org_id, user_id in Membership.objects.filter(
        organisation_id__in=set(organisation_ids), role=Role.CIO, user__is_active=True
    ).values_list("organisation_id", "user_id"):
        cios[org_id].append(user_id)
    return cios


def _everyone(contract: Contract, cios: dict[int, list[int]]) -> tuple[int, ...]:
    return tuple(dict.fromkeys([contract.owner_id, *cios[contract.organisation_id]]))


def notifications_record(occasions: list[Occasion]) -> int:
    """Create the notifications that do not exist yet; returns how many were created."""
    if not occasions:
        return 0
    existing = set(
        Notification.objects.filter(
            contract__in={o.contract.pk for o in occasions}, kind__in={o.kind for o in occasions}
        ).values_list("recipient_id", "contract_id", "kind", "key_date")
    )
    new = [
        Notification(
            organisation_id=o.contract.organisation_id,
            recipient_id=user_id,
            contract=o.contract,
            kind=o.kind,
            key_date=o.key_date,
            subject=one_line(o.subject)[:200],
            message=o.message,
        )
        for o in occasions
        for user_id in o.recipient_ids
        if (user_id, o.contract.pk, o.kind, o.key_date) not in existing
    ]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    announced = {(n.contract_id, n.kind, n.key_date) for n in new}
    for occasion in occasions:
        event = WEBHOOK_EVENTS.get(occasion.kind)
        if event and (occasion.contract.pk, occasion.kind, occasion.key_date) in announced:
            emit(
                organisation_id=occasion.contract.organisation_id,
                event=event,
                data={
                    "contract": occasion.contract.pk,
                    "title": occasion.contract.title,
                    "kind": occasion.kind,
                    "date": occasion.key_date,
                    "subject": one_line(occasion.subject),
                },
            )
    return len(new)


def notifications_email_pending() -> int:
    """E-mail every notification not e-mailed yet (to people with an address).

    Each is marked as sent only once its e-mail went out, so a mail server that is
    down delays the e-mail to the next run instead of losing it.
    """
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(emailed_at__isnull=True)
            .exclude(recipient__email="")
            .select_related("recipient")
            .order_by("pk")
        )
        if not pending:
            return 0
        connection = get_connection(fail_silently=False)
        for notification in pending:
            try:
                message = EmailMessage(
                    subject=f"[Sourcewise] {one_line(notification.subject)}",
                    body=notification.message,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[notification.recipient.email],
                    connection=connection,
                )
                message.send()
            except (OSError, ValueError):
                # OSError: the mail server is down (retry next run). ValueError: a header
                # Django refuses (a bad address, say). Either way only this one waits.
                log.exception("Could not e-mail notification %s; will retry", notification.pk)
                continue
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


def contract_roll_forward(*, contract: Contract, today: dt.date) -> bool:
    """Move an auto-renewing contract into its current term; True if it moved."""
    start, end = roll_forward(
        contract.term_start, contract.end_date, contract.renewal_term_months, today
    )
    if end == contract.end_date:
        return False
    contract.current_term_start, contract.end_date = start, end
    contract._change_reason = "Renewed automatically"
    contract.save(update_fields=["current_term_start", "end_date", "updated_at"])
    return True


def _ended(
    contract: Contract, today: dt.date, report: NoticeReport, cios: dict[int, list[int]]
) -> Occasion:
    """Renew an auto-renewing contract past its end, expire any other; say which."""
    who = _everyone(contract, cios)
    if contract.renewal_type == RenewalType.AUTO_RENEW and contract.status == ContractStatus.ACTIVE:
        old_end = contract.end_date
        contract_roll_forward(contract=contract, today=today)
        report.renewed.append(contract)
        return Occasion(
            contract,
            NotificationKind.RENEWED,
            contract.end_date,
            f"{contract.title} renewed automatically to {contract.end_date:%d %b %Y}",
            f"{contract.title} with {contract.vendor.name} ended its term on {old_end:%d %b %Y} "
            f"and renewed automatically: the current term runs from "
            f"{contract.term_start:%d %b %Y} to {contract.end_date:%d %b %Y}. The next notice "
            f"deadline is {contract.notice_deadline:%d %b %Y}.",
            who,
        )
    end = contract.end_date
    contract.status = ContractStatus.EXPIRED
    contract._change_reason = "Ended"
    contract.save(update_fields=["status", "updated_at"])
    report.expired.append(contract)
    return Occasion(
        contract,
        NotificationKind.ENDED,
        end,
        f"{contract.title} ended on {end:%d %b %Y}",
        f"{contract.title} with {contract.vendor.name} ended on {end:%d %b %Y} and is now "
        "marked expired. If the service goes on, record the renewal or extension on the "
        "contract.",
        who,
    )


def renewal_notices_send(*, today: dt.date | None = None) -> NoticeReport:
    """Renew or expire contracts past their end, and remind about notice deadlines.

    For each live contract whose notice deadline is 90, 60 or 30 days away or less, the
    owner and the organisation's CIOs get one notification for the most urgent
    threshold reached (a contract found 20 days before its deadline gets the 30-day
    reminder, not three at once), then an e-mail.
    """
    today = today or timezone.localdate()
    report = NoticeReport()
    with transaction.atomic():
        contracts = list(
            Contract.objects.live()
            .select_for_update(of=("self",))
            .select_related("vendor")
            .order_by("pk")
        )
        cios = _cio_ids(c.organisation_id for c in contracts)
        occasions = []
        for contract in contracts:
            if contract.end_date < today:
                occasions.append(_ended(contract, today, report, cios))
            if contract.status != ContractStatus.ACTIVE:
                continue  # expired now, or in notice: reminders would only be noise
            due = due_thresholds(today, contract.notice_deadline)
            if not due:
                continue
            threshold = min(due)
            deadline = contract.notice_deadline
            days = (deadline - today).days
            occasions.append(
                Occasion(
                    contract,
                    NOTICE_KINDS[threshold],
                    deadline,
                    f"Notice deadline in {days} days: {contract.title}",
                    f"The last day to give notice on {contract.title} with {contract.vendor.name} "
                    f"is {deadline:%d %b %Y} ({days} days from today). "
                    f"{renewal_action(contract, today).action}",
                    _everyone(contract, cios),
                )
            )
        report.notifications = notifications_record(occasions)
    report.emails = notifications_email_pending()
    return report


def sla_breaches_check(*, today: dt.date | None = None) -> NoticeReport:
    """Tell owners (and CIOs) about last month's breaches, and owners about gaps.

    Last month is the calendar month before ``today``. A contract gets a breach
    notification when its credits for that month show a breach, and its owner a
    reminder when an SLA has no measurement for it. Fixed number of queries.
    """
    today = today or timezone.localdate()
    month = add_months(month_start(today), -1)
    report = NoticeReport()
    with transaction.atomic():
        contracts = [
            c
            for c in Contract.objects.live().select_related("vendor")
            if month_start(c.start_date) <= month <= month_start(c.end_date)
        ]
        ids = [c.pk for c in contracts]
        slas: dict[int, list[str]] = defaultdict(list)
        for contract_id, name in Sla.objects.filter(contract_id__in=ids).values_list(
            "contract_id", "name"
        ):
            slas[contract_id].append(name)
        measured = set(
            Measurement.objects.filter(sla__contract_id__in=ids, period=month).values_list(
                "sla__contract_id", "sla__name"
            )
        )
        credits = {
            c.contract_id: c
            for c in ServiceCredit.objects.filter(contract_id__in=ids, period=month)
        }
        cios = _cio_ids(c.organisation_id for c in contracts)
        occasions = []
        label = period_label(month)
        for contract in contracts:
            missing = [n for n in slas[contract.pk] if (contract.pk, n) not in measured]
            if missing:
                occasions.append(
                    Occasion(
                        contract,
                        NotificationKind.MISSING_MEASUREMENTS,
                        month,
                        f"{count_of(len(missing), 'SLA')} not measured for {label}: "
                        f"{contract.title}",
                        f"No measurement for {label} yet on {contract.title}: "
                        f"{', '.join(missing)}. "
                        "Unmeasured months earn no credit and forfeit earn-back.",
                        (contract.owner_id,),
                    )
                )
            credit = credits.get(contract.pk)
            if credit is not None and credit.breaches:
                names = credit.result["breach"]
                occasions.append(
                    Occasion(
                        contract,
                        NotificationKind.SLA_BREACH,
                        month,
                        f"{count_of(credit.breaches, 'SLA breach', 'SLA breaches')} in {label}: "
                        f"{contract.title}",
                        f"{contract.title} with {contract.vendor.name} breached {', '.join(names)} "
                        f"in {label}; service credit {money(credit.total, contract.currency)}.",
                        _everyone(contract, cios),
                    )
                )
        report.notifications = notifications_record(occasions)
    report.emails = notifications_email_pending()
    return report
