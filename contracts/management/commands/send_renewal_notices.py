"""Renew or expire contracts past their end, and send notice-deadline reminders."""

from accounts.engine.formatting import count_of
from contracts.management.commands._dated import DatedCommand
from contracts.services import renewal_notices_send


class Command(DatedCommand):
    help = (
        "Roll auto-renewing contracts forward, expire the others past their end date, and "
        "notify owners and CIOs of notice deadlines within 90, 60 and 30 days. Safe to run "
        "more than once a day."
    )

    def handle(self, *args, **options) -> None:
        today = self.today_from(options)
        report = renewal_notices_send(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.renewed)} renewed, {len(report.expired)} expired, "
                f"{count_of(report.notifications, 'notification')}, "
                f"{count_of(report.emails, 'e-mail')} sent."
            )
        )
