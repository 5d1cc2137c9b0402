"""A savings projection request, its progress, its chunks and its result."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from assessments.models.assessment import Assessment


class ProjectionStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ProjectionQuerySet(models.QuerySet):
    def unfinished(self) -> "ProjectionQuerySet":
        return self.filter(status__in=[ProjectionStatus.QUEUED, ProjectionStatus.RUNNING])


class Projection(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="projections")
    status = models.CharField(
        max_length=10, choices=ProjectionStatus.choices, default=ProjectionStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    trials = models.PositiveIntegerField(
        default=10_000, validators=[MinValueValidator(100), MaxValueValidator(200_000)]
    )
    seed = models.PositiveIntegerField(default=0)
    horizon_months = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    discount_rate = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(0.5)])
    chunk_count = models.PositiveSmallIntegerField(default=1)
    # A scenario's projection; None for the assessment's own (the base the pages show).
    scenario = models.ForeignKey(
        "assessments.Scenario",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="projections",
    )
    inputs = models.JSONField(default=dict, help_text="The scheduled processes projected.")
    result = models.JSONField(null=True, blank=True)
    engine_version = models.CharField(max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times the work was handed to the task queue."
    )
    send_failures = models.PositiveSmallIntegerField(
        default=0, help_text="Hand-offs that failed because the task queue was unreachable."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The heartbeat, the sweeper's clock: the last sign of life (the request, a hand-off, a
    # chunk starting or stored, a beat every few seconds while a chunk or the combining
    # step runs).
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"], name="projection_status_idx")]

    def __str__(self) -> str:
        return f"Projection {self.pk} of {self.assessment} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ProjectionStatus.DONE, ProjectionStatus.FAILED)


class ProjectionChunk(models.Model):
    """One chunk's trials, stored so that combining is idempotent and survives restarts."""

    projection = models.ForeignKey(Projection, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveSmallIntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["projection", "index"], name="one_row_per_chunk")
        ]

    def __str__(self) -> str:
        return f"Chunk {self.index} of projection {self.projection_id}"
