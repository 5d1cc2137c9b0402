"""``manage.py sweep_projections``: re-send projections the task queue lost.

The same sweep Celery beat runs every minute (``assessments.projection_sweep``), for cron
or a person when beat is not running.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessments.projections.services import projection_sweep


class Command(BaseCommand):
    help = (
        "Re-send savings projections that are stuck: never handed to the task queue, "
        "queued or running for longer than their limit."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = projection_sweep()
        self.stdout.write(str(report))
        for pk in report.resent:
            self.stdout.write(f"  re-sent projection {pk}")
        for pk in report.not_sent:
            self.stderr.write(f"  projection {pk}: the task queue is still unreachable")
        for pk in report.failed:
            self.stderr.write(f"  projection {pk}: marked failed after too many attempts")
