"""Exit plans: per contract, a checklist of what leaving would need, with owners and dates.

A contract without a saved plan has its default plan (``contracts.engine.exit_readiness.
default_items``), shown and scored the same way; the first save stores it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from contracts.engine import exit_readiness as rules
from contracts.models.contracts import Contract


class ExitItemStatus(models.TextChoices):
    DONE = rules.DONE, rules.STATUS_LABELS[rules.DONE]
    PARTIAL = rules.PARTIAL, rules.STATUS_LABELS[rules.PARTIAL]
    MISSING = rules.MISSING, rules.STATUS_LABELS[rules.MISSING]
    NOT_APPLICABLE = rules.NOT_APPLICABLE, rules.STATUS_LABELS[rules.NOT_APPLICABLE]


EXIT_ITEM_CHOICES = [(item.key, item.label) for item in rules.ITEMS]


class ExitPlan(models.Model):
    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="exit_plan")
    notes = models.TextField(
        blank=True,
        max_length=5000,
        help_text="Anything the checklist does not say: the exit strategy, who decides.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Exit plan for {self.contract}"


class ExitPlanItem(models.Model):
    plan = models.ForeignKey(ExitPlan, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(max_length=30, choices=EXIT_ITEM_CHOICES)
    status = models.CharField(
        max_length=16, choices=ExitItemStatus.choices, default=ExitItemStatus.MISSING
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exit_plan_items",
    )
    due_on = models.DateField("due date", null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="one_exit_item_per_plan"),
            models.CheckConstraint(
                condition=models.Q(status__in=rules.STATUSES), name="exit_item_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.get_status_display()}"
