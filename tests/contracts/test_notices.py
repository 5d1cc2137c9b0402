"""The daily jobs: renewal notices once per threshold, auto-renewal, expiry, SLA breaches."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from contracts import services, tasks
from contracts.models import ContractStatus, Notification, NotificationKind, RenewalType
from tests.contracts.builders import add_worked_slas, make_contract, measure, month

pytestmark = pytest.mark.django_db

END = dt.date(2026, 6, 30)  # 90 days' notice: the deadline is 1 April 2026
DEADLINE = dt.date(2026, 4, 1)


class BrokenBackend(EmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def contract(cast):
    return make_contract(
        cast.manager, title="Network services", start=dt.date(2025, 7, 1), end=END, notice_days=90
    )


def kinds() -> list[tuple[str, str, dt.date]]:
    return sorted(Notification.objects.values_list("recipient__username", "kind", "key_date"))


def test_a_deadline_within_90_days_notifies_the_owner_and_the_cios_once(cast, contract, mailoutbox):
    today = DEADLINE - dt.timedelta(days=80)
    first = services.renewal_notices_send(today=today)
    assert first.notifications == 2 and first.emails == 2
    assert kinds() == [("a-cio", "notice_90", DEADLINE), ("a-manager", "notice_90", DEADLINE)]
    assert sorted(m.to[0] for m in mailoutbox) == ["a-cio@example.com", "a-manager@example.com"]
    assert "Notice deadline in 80 days: Network services" in mailoutbox[0].subject
    assert "01 Apr 2026" in mailoutbox[0].body
    second = services.renewal_notices_send(today=today)
    assert (second.notifications, second.emails) == (0, 0)
    assert len(mailoutbox) == 2 and Notification.objects.count() == 2


def test_each_threshold_notifies_once_and_only_the_most_urgent_one_is_sent(
    cast, contract, mailoutbox
):
    for days_left in (100, 89, 70, 59, 45, 29, 10, 0):
        services.renewal_notices_send(today=DEADLINE - dt.timedelta(days=days_left))
    mine = Notification.objects.filter(recipient=cast.manager.user)
    assert sorted(mine.values_list("kind", flat=True)) == ["notice_30", "notice_60", "notice_90"]
    assert len(mailoutbox) == 6


def test_a_contract_found_late_gets_one_reminder_not_three(cast, contract, mailoutbox):
    services.renewal_notices_send(today=DEADLINE - dt.timedelta(days=20))
    assert set(Notification.objects.values_list("kind", flat=True)) == {"notice_30"}
    assert len(mailoutbox) == 2


def test_contracts_in_notice_drafts_and_other_organisations_stay_quiet(cast, mailoutbox):
    today = DEADLINE - dt.timedelta(days=10)
    make_contract(cast.manager, title="Given notice", end=END, status=ContractStatus.IN_NOTICE)
    make_contract(cast.manager, title="Draft", end=END, status=ContractStatus.DRAFT)
    theirs = make_contract(cast.outsider, title="Theirs", end=END)
    services.renewal_notices_send(today=today)
    assert list(Notification.objects.values_list("contract__title", "recipient__username")) == [
        (theirs.title, "b-manager")
    ]
    assert [m.to for m in mailoutbox] == [["b-manager@example.com"]]


def test_an_auto_renewing_contract_rolls_forward_once_and_says_so(cast, mailoutbox):
    contract = make_contract(
        cast.manager,
        title="Hosting",
        start=dt.date(2024, 2, 1),
        end=dt.date(2025, 1, 31),
        renewal_type=RenewalType.AUTO_RENEW,
        renewal_term_months=12,
        notice_days=60,
    )
    today = dt.date(2026, 3, 15)
    report = services.renewal_notices_send(today=today)
    contract.refresh_from_db()
    assert report.renewed == [contract]
    assert (contract.current_term_start, contract.end_date) == (
        dt.date(2026, 2, 1),
        dt.date(2027, 1, 31),
    )
    assert contract.start_date == dt.date(2024, 2, 1) and contract.status == ContractStatus.ACTIVE
    assert contract.history.first().history_change_reason == "Renewed automatically"
    assert kinds() == [
        ("a-cio", "renewed", dt.date(2027, 1, 31)),
        ("a-manager", "renewed", dt.date(2027, 1, 31)),
    ]
    services.renewal_notices_send(today=today)
    contract.refresh_from_db()
    assert contract.end_date == dt.date(2027, 1, 31)
    assert Notification.objects.count() == 2 and len(mailoutbox) == 2


def test_a_fixed_term_contract_past_its_end_expires_with_one_notice(cast, contract, mailoutbox):
    report = services.renewal_notices_send(today=END + dt.timedelta(days=1))
    contract.refresh_from_db()
    assert report.expired == [contract] and contract.status == ContractStatus.EXPIRED
    assert {k for _, k, _ in kinds()} == {"ended"}
    services.renewal_notices_send(today=END + dt.timedelta(days=2))
    assert Notification.objects.count() == 2 and len(mailoutbox) == 2


def test_an_e_mail_that_fails_is_sent_on_the_next_run(cast, contract, settings, mailoutbox):
    today = DEADLINE - dt.timedelta(days=50)
    settings.EMAIL_BACKEND = "tests.contracts.test_notices.BrokenBackend"
    report = services.renewal_notices_send(today=today)
    assert report.notifications == 2 and report.emails == 0
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = services.renewal_notices_send(today=today)
    assert (report.notifications, report.emails) == (0, 2)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_command_runs_the_job_for_a_given_day(cast, contract, mailoutbox):
    out = StringIO()
    call_command("send_renewal_notices", "--today", "2026-02-20", stdout=out)
    assert "2 notifications, 2 e-mails sent." in out.getvalue()
    call_command("send_renewal_notices", "--today", "2026-02-20", stdout=out)
    assert "0 notifications, 0 e-mails sent." in out.getvalue()


def test_the_celery_task_calls_the_service(cast, mailoutbox):
    make_contract(
        cast.manager, title="Ends soon", start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)
    )
    result = tasks.send_renewal_notices.delay().get()
    assert result == {"renewed": 0, "expired": 1, "notifications": 2, "emails": 2}
    assert tasks.send_renewal_notices.delay().get()["notifications"] == 0


def test_last_months_breaches_and_gaps_are_notified_once(cast, mailoutbox):
    contract = make_contract(cast.manager, title="Service desk")
    add_worked_slas(contract)
    measure(contract, month(2), {"Availability": 99.6, "Response hours": 5})
    today = dt.date(2025, 4, 10)
    report = services.sla_breaches_check(today=today)
    assert kinds() == [
        ("a-cio", "sla_breach", month(2)),
        ("a-manager", "missing_measurements", month(2)),
        ("a-manager", "sla_breach", month(2)),
    ]
    breach = Notification.objects.get(kind=NotificationKind.SLA_BREACH, recipient__username="a-cio")
    assert "breached Response hours in Mar 2025; service credit GBP 4,800.00" in breach.message
    assert breach.subject == "1 SLA breach in Mar 2025: Service desk"
    gap = Notification.objects.get(kind=NotificationKind.MISSING_MEASUREMENTS)
    assert "CSAT" in gap.message
    assert gap.subject == "1 SLA not measured for Mar 2025: Service desk"
    assert report.emails == 3
    again = services.sla_breaches_check(today=today)
    assert (again.notifications, again.emails) == (0, 0)
    out = StringIO()
    call_command("check_sla_breaches", "--today", "2025-04-10", stdout=out)
    assert "0 notifications, 0 e-mails sent." in out.getvalue()


def test_the_breach_task_runs_for_today_and_twice_changes_nothing(cast, mailoutbox):
    contract = make_contract(cast.manager, title="Service desk", end=dt.date(2099, 12, 31))
    add_worked_slas(contract)
    first = tasks.check_sla_breaches.delay().get()
    assert first["notifications"] == 1  # last month is not measured yet
    assert tasks.check_sla_breaches.delay().get() == {"notifications": 0, "emails": 0}
    assert len(mailoutbox) == 1


def test_the_notifications_page_lists_mine_and_marks_them_read(cast, contract):
    services.renewal_notices_send(today=DEADLINE - dt.timedelta(days=40))
    client = cast.client_for("cio")
    page = client.get("/contracts/notifications/").content.decode()
    assert "Notice deadline in 40 days: Network services" in page
    assert "Unread" in page
    client.post("/contracts/notifications/read/")
    assert not Notification.objects.filter(recipient=cast.cio.user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=cast.manager.user, read_at__isnull=True).exists()


def test_sla_months_not_measured_at_all_are_counted_in_the_plural(cast, mailoutbox):
    contract = make_contract(cast.manager, title="Service desk")
    add_worked_slas(contract)
    services.sla_breaches_check(today=dt.date(2025, 4, 10))
    gap = Notification.objects.get(kind=NotificationKind.MISSING_MEASUREMENTS)
    assert gap.subject == "3 SLAs not measured for Mar 2025: Service desk"


def test_marking_notifications_read_says_how_many_in_words(cast, contract):
    make_contract(
        cast.manager, title="Print services", start=dt.date(2025, 7, 1), end=END, notice_days=90
    )
    services.renewal_notices_send(today=DEADLINE - dt.timedelta(days=40))
    response = cast.client_for("cio").post("/contracts/notifications/read/", follow=True)
    assert "2 notifications marked as read." in response.content.decode()
    mine = Notification.objects.filter(recipient=cast.manager.user)
    mine.filter(contract__title="Print services").update(read_at=timezone.now())
    response = cast.client_for("manager").post("/contracts/notifications/read/", follow=True)
    assert "1 notification marked as read." in response.content.decode()
    assert not mine.filter(read_at__isnull=True).exists()


def test_the_daily_jobs_are_scheduled_in_code():
    from outsourcing.celery import app

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"contracts.send_renewal_notices", "contracts.check_sla_breaches"} <= scheduled


def test_a_title_with_a_line_break_is_sent_on_one_line_and_stops_no_other_reminder(
    cast, contract, mailoutbox
):
    make_contract(
        cast.outsider, title="Payroll\r\nBcc: someone@example.org", end=END, notice_days=90
    )
    report = services.renewal_notices_send(today=DEADLINE - dt.timedelta(days=80))
    assert report.emails == 3
    subjects = sorted(m.subject for m in mailoutbox)
    assert "[Sourcewise] Notice deadline in 80 days: Payroll Bcc: someone@example.org" in subjects
    assert all("\n" not in s and "\r" not in s for s in subjects)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_notification_whose_e_mail_is_refused_waits_alone(cast, contract, mailoutbox):
    cast.cio.user.email = "cio@example.com\nBcc: spy@example.org"
    cast.cio.user.save()
    report = services.renewal_notices_send(today=DEADLINE - dt.timedelta(days=80))
    assert report.notifications == 2 and report.emails == 1
    assert [m.to for m in mailoutbox] == [["a-manager@example.com"]]
    waiting = Notification.objects.get(emailed_at__isnull=True)
    assert waiting.recipient == cast.cio.user
