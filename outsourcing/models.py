"""Board packs: exports of the portfolio dashboard, built in the background and kept."""

import uuid

from django.conf import settings
from django.db import models

from accounts.models import Organisation


class PackFormat(models.TextChoices):
    XLSX = "xlsx", "Excel workbook (XLSX)"
    PDF = "pdf", "PDF report"


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


def pack_path(instance: "BoardPack", filename: str) -> str:
    # Unguessable: a file is only ever served through the access-checked download view.
    return f"boardpacks/{instance.organisation_id}/{uuid.uuid4().hex}.{instance.format}"


class BoardPack(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="board_packs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(max_length=4, choices=PackFormat.choices)
    filters = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to=pack_path, blank=True, max_length=200)
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="How many times the build was handed to the task queue; only "
        "the latest hand-off may build.",
    )
    send_failures = models.PositiveSmallIntegerField(
        default=0, help_text="Hand-offs that failed because the task queue was unreachable."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last hand-off that reached the queue (None: never sent, or the send failed).
    sent_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life of a build: when it began, then a beat every few seconds.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_format_display()} for {self.organisation} ({self.status})"

    @property
    def filename(self) -> str:
        stamp = self.created_at.strftime("%Y-%m-%d") if self.created_at else "board-pack"
        return f"sourcewise-board-pack-{stamp}.{self.format}"
