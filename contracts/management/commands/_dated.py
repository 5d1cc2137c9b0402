"""A command that can run as if today were another date (for catching up or testing)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class DatedCommand(BaseCommand):
    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    @staticmethod
    def today_from(options) -> dt.date | None:
        if not options["today"]:
            return None
        try:
            return dt.date.fromisoformat(options["today"])
        except ValueError:
            raise CommandError("--today must be a date, YYYY-MM-DD.") from None
