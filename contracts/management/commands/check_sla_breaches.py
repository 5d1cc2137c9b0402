"""Notify owners and CIOs of last month's SLA breaches, and owners of missing measurements."""

from accounts.engine.formatting import count_of
from contracts.management.commands._dated import DatedCommand
from contracts.services import sla_breaches_check


class Command(DatedCommand):
    help = (
        "Notify contract owners (and CIOs) of last month's SLA breaches and owners of SLAs "
        "not measured last month. Safe to run more than once."
    )

    def handle(self, *args, **options) -> None:
        today = self.today_from(options)
        report = sla_breaches_check(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count_of(report.notifications, 'notification')}, "
                f"{count_of(report.emails, 'e-mail')} sent."
            )
        )
