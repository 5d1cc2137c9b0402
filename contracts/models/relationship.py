"""Relationship management: governance reviews, the issue log, improvement actions and
the realised savings recorded per month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from contracts.models.contracts import MONEY, Contract

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
RATING_FIELDS = (
    "rating_delivery",
    "rating_communication",
    "rating_responsiveness",
    "rating_innovation",
)


class ReviewLevel(models.TextChoices):
    OPERATIONAL = "operational", "Operational (monthly)"
    TACTICAL = "tactical", "Tactical (quarterly)"
    STRATEGIC = "strategic", "Strategic (yearly)"


def _rating(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=RATING_VALIDATORS, help_text="1 (poor) to 5 (excellent)."
    )


class GovernanceReview(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("date")
    level = models.CharField(max_length=12, choices=ReviewLevel.choices)
    attendees = models.TextField(
        max_length=5000, help_text="Who attended, one per line or comma-separated."
    )
    rating_delivery = _rating("delivery")
    rating_communication = _rating("communication")
    rating_responsiveness = _rating("responsiveness")
    rating_innovation = _rating("innovation")
    notes = models.TextField(blank=True, max_length=20000)
    decisions = models.TextField(blank=True, max_length=20000)
    next_review_on = models.DateField("next review date")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # An edited review changes the scorecard: cached reads follow this time (data stamps).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_review_on__gt=models.F("held_on")),
                name="next_review_after_review",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                    name=f"review_{field}_1_to_5",
                )
                for field in RATING_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} review of {self.contract} on {self.held_on}"

    @property
    def ratings(self) -> tuple[int, int, int, int]:
        return tuple(getattr(self, field) for field in RATING_FIELDS)

    @property
    def mean_rating(self) -> float:
        return sum(self.ratings) / len(RATING_FIELDS)


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_ISSUE_STATUSES = (IssueStatus.OPEN, IssueStatus.IN_PROGRESS)


class EscalationLevel(models.IntegerChoices):
    OPERATIONAL = 1, "1 · Service managers"
    TACTICAL = 2, "2 · Relationship managers"
    STRATEGIC = 3, "3 · Executive sponsors"


class IssueQuerySet(models.QuerySet):
    def unresolved(self) -> IssueQuerySet:
        return self.filter(status__in=OPEN_ISSUE_STATUSES)

    def overdue(self, today: dt.date) -> IssueQuerySet:
        return self.unresolved().filter(due_on__lt=today)


class Issue(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=20000)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    status = models.CharField(max_length=12, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_issues"
    )
    raised_on = models.DateField()
    due_on = models.DateField()
    escalation_level = models.PositiveSmallIntegerField(
        choices=EscalationLevel.choices, default=EscalationLevel.OPERATIONAL
    )
    resolution = models.TextField(blank=True, max_length=10000)
    resolved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("raised_on")), name="issue_due_after_raised"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ISSUE_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on < today

    def age_days(self, today: dt.date) -> int:
        end = today if self.is_open or self.resolved_on is None else self.resolved_on
        return max(0, (end - self.raised_on).days)


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ImprovementAction(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="improvement_actions"
    )
    description = models.TextField(max_length=5000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_actions"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    expected_benefit = models.CharField(
        max_length=200, blank=True, help_text="e.g. 5 % fewer tickets, GBP 20,000 a year."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.status in (ActionStatus.PROPOSED, ActionStatus.IN_PROGRESS) and self.due_on < today
        )


class RealisedSaving(models.Model):
    """What one month of the service actually cost (``period``: the month's first day)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="realised_savings"
    )
    period = models.DateField()
    vendor_cost = models.DecimalField(
        "actual vendor cost", **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    governance_cost = models.DecimalField(
        "actual governance cost",
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="The retained organisation's cost of managing the contract that month.",
    )
    notes = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period"], name="one_saving_per_month"),
            models.CheckConstraint(
                condition=models.Q(vendor_cost__gte=0, governance_cost__gte=0),
                name="saving_costs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.period:%Y-%m}"
