"""Each organisation's selection criteria, their weights, and stakeholders' AHP judgements."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from accounts.models import Organisation
from vendors.engine.criteria import consistency_message
from vendors.engine.ranking import consistency_acceptable

COST_CRITERION = "cost"  # scored from price, never by evaluators


class WeightMethod(models.TextChoices):
    DIRECT = "direct", "Set directly"
    AHP = "ahp", "AHP pairwise comparison"


class CriteriaSetQuerySet(models.QuerySet):
    def for_org(self, organisation: Organisation) -> CriteriaSetQuerySet:
        return self.filter(organisation=organisation)


class CriteriaSet(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="criteria_sets"
    )
    name = models.CharField(max_length=200)
    method = models.CharField(
        max_length=10, choices=WeightMethod.choices, default=WeightMethod.DIRECT
    )
    # Of the combined judgements when method is AHP; None otherwise.
    consistency_ratio = models.FloatField(null=True, blank=True)
    inconsistent_pair = models.JSONField(
        default=list,
        blank=True,
        help_text="Labels of the most inconsistent pair of criteria, when AHP flags one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("name"), name="criteria_set_name_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_consistent(self) -> bool:
        return (
            self.method != WeightMethod.AHP
            or self.consistency_ratio is None
            or consistency_acceptable(self.consistency_ratio)
        )

    @property
    def usable_for_award(self) -> bool:
        """Weights flagged as inconsistent (AHP CR above 0.10) cannot decide an award."""
        return self.is_consistent

    @property
    def inconsistency_message(self) -> str:
        if self.is_consistent or self.consistency_ratio is None:
            return ""
        return consistency_message(self.consistency_ratio, self.inconsistent_pair, consistent=False)


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    percent = models.DecimalField(
        "weight (%)",
        max_digits=7,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="criterion_code_once_per_set"
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100),
                name="criterion_percent_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_cost(self) -> bool:
        return self.code == COST_CRITERION


class PairwiseJudgement(models.Model):
    """One stakeholder's AHP matrix for a criteria set (rows and columns in criterion order)."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="judgements"
    )
    stakeholder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    criterion_codes = models.JSONField(help_text="The criteria compared, in matrix order.")
    matrix = models.JSONField()
    consistency_ratio = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["stakeholder__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "stakeholder"], name="one_judgement_per_stakeholder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} on {self.criteria_set}"
