"""Renew or expire contracts past their end, and send notice-deadline reminders."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from contracts.services import renewal_notices_send


class Command(BaseCommand):
    help = ("Roll auto-renewing contracts forward, expire the others past their end date, and "
            "notify owners and CIOs of notice deadlines within 90, 60 and 30 days. Safe to run "
            "more than once a day.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date, YYYY-MM-DD.") from None
        report = renewal_notices_send(today=today)
        self.stdout.write(self.style.SUCCESS(
            f"{len(report.renewed)} renewed, {len(report.expired)} expired, "
            f"{report.notifications} notification(s), {report.emails} e-mail(s) sent."))
