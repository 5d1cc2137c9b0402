"""What the engine recommended for a process, and any manager's override beside it."""

from django.conf import settings
from django.db import models

from assessments.engine import vocabulary as vocab
from assessments.models.assessment import Process


class Model(models.TextChoices):
    """The engine's decisions; codes and labels come from ``assessments.engine.vocabulary``."""

    RETAIN = vocab.RETAIN, vocab.MODEL_LABELS[vocab.RETAIN]
    ITO = vocab.ITO, vocab.MODEL_LABELS[vocab.ITO]
    BPO = vocab.BPO, vocab.MODEL_LABELS[vocab.BPO]
    KPO = vocab.KPO, vocab.MODEL_LABELS[vocab.KPO]
    INSUFFICIENT = vocab.INSUFFICIENT_EVIDENCE, vocab.MODEL_LABELS[vocab.INSUFFICIENT_EVIDENCE]


class Location(models.TextChoices):
    IN_HOUSE = vocab.IN_HOUSE, vocab.LOCATION_LABELS[vocab.IN_HOUSE]
    ONSHORE = vocab.ONSHORE, vocab.LOCATION_LABELS[vocab.ONSHORE]
    NEARSHORE = vocab.NEARSHORE, vocab.LOCATION_LABELS[vocab.NEARSHORE]
    OFFSHORE = vocab.OFFSHORE, vocab.LOCATION_LABELS[vocab.OFFSHORE]


class RecommendationQuerySet(models.QuerySet):
    def for_assessment(self, assessment) -> "RecommendationQuerySet":
        return self.filter(process__assessment=assessment).select_related("process")


class Recommendation(models.Model):
    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="recommendation")
    model = models.CharField(max_length=25, choices=Model.choices)
    location = models.CharField(max_length=12, choices=Location.choices, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    margin = models.FloatField(default=0)
    scores = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    flags = models.JSONField(default=list)
    settle_questions = models.JSONField(default=list)
    guard_rail = models.BooleanField(default=False)
    wave = models.PositiveSmallIntegerField(null=True, blank=True)
    start_month = models.PositiveSmallIntegerField(null=True, blank=True)
    go_live_month = models.PositiveSmallIntegerField(null=True, blank=True)
    engine_version = models.CharField(max_length=20)
    inputs = models.JSONField(default=dict, help_text="The answers and figures the engine used.")
    created_at = models.DateTimeField(auto_now_add=True)

    override_model = models.CharField(max_length=25, choices=Model.choices, blank=True)
    override_location = models.CharField(max_length=12, choices=Location.choices, blank=True)
    override_justification = models.TextField(blank=True, max_length=4000)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(override_model="") | ~models.Q(override_justification=""),
                name="override_needs_justification",
            )
        ]

    def __str__(self) -> str:
        return f"{self.process}: {self.effective_model}"

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_model)

    @staticmethod
    def in_force(recommended: str, override: str) -> str:
        """The decision in force: the manager's override when there is one, else the
        engine's recommendation (for rows read as plain values)."""
        return override or recommended

    @property
    def effective_model(self) -> str:
        return self.in_force(self.model, self.override_model)

    @property
    def effective_location(self) -> str:
        return self.in_force(self.location, self.override_location)

    @property
    def is_outsourced(self) -> bool:
        return vocab.is_outsourced(self.effective_model)
