"""Notify owners and CIOs of last month's SLA breaches, and owners of missing measurements."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from contracts.services import sla_breaches_check


class Command(BaseCommand):
    help = ("Notify contract owners (and CIOs) of last month's SLA breaches and owners of SLAs "
            "not measured last month. Safe to run more than once.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date, YYYY-MM-DD.") from None
        report = sla_breaches_check(today=today)
        self.stdout.write(self.style.SUCCESS(
            f"{report.notifications} notification(s), {report.emails} e-mail(s) sent."))
