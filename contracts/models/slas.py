"""SLAs, their monthly measurements, and the service credits computed from them.

Every computation is kept: ``CreditComputation`` holds exactly what was passed to
``contracts.engine.credits.compute_credits`` and ``ServiceCredit`` one period's result, so a
disputed credit can be explained from the rows alone. ``ServiceCredit`` rows always
reflect the contract's latest computation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from accounts.fields import DecimalShape
from contracts.models.contracts import MONEY, Contract
from contracts.models.fields import WorkingJSONField

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MEASURE: DecimalShape = {"max_digits": 14, "decimal_places": 4}


class SlaCategory(models.TextChoices):
    AVAILABILITY = "availability", "Availability"
    RESPONSE_TIME = "response_time", "Response time"
    RESOLUTION_TIME = "resolution_time", "Resolution time"
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution", "First-contact resolution"
    ACCURACY = "accuracy", "Accuracy"
    CSAT = "csat", "Customer satisfaction (CSAT)"
    TURNAROUND = "turnaround", "Turnaround"
    BACKLOG = "backlog", "Backlog"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class MeasurementPeriod(models.TextChoices):
    MONTHLY = "monthly", "Monthly"


class Sla(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="slas")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("metric name", max_length=100)
    category = models.CharField(max_length=30, choices=SlaCategory.choices)
    target = models.DecimalField(**MEASURE, validators=[MinValueValidator(Decimal("0"))])
    unit = models.CharField(max_length=20, help_text="e.g. %, hours, days, items.")
    direction = models.CharField(max_length=6, choices=Direction.choices)
    period = models.CharField(
        "measurement period",
        max_length=10,
        choices=MeasurementPeriod.choices,
        default=MeasurementPeriod.MONTHLY,
    )
    allocation_pct = models.DecimalField(
        "share of the at-risk pool (%)",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
        help_text="This SLA's share of the monthly at-risk amount. Shares may add up to more "
        "than 100 %: the monthly total is capped.",
    )
    minimum = models.DecimalField(
        "minimum service level",
        **MEASURE,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Missing this as well as the target is a critical breach (double credit).",
    )
    earn_back = models.BooleanField(
        "earn-back allowed",
        default=False,
        help_text="A credit is returned when the SLA is met in each of the next 3 months.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    # Set before a save, read by django-simple-history: who made the change, and why.
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "SLA"
        constraints = [
            models.UniqueConstraint(
                "contract",
                Lower("name"),
                name="sla_name_unique_in_contract",
                violation_error_message="This contract already has an SLA with that name.",
            ),
            models.CheckConstraint(
                condition=models.Q(allocation_pct__gte=0), name="sla_allocation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MeasurementSource(models.TextChoices):
    FORM = "form", "Form"
    IMPORT = "import", "File import"
    API = "api", "API"


class Measurement(models.Model):
    """The actual value of one SLA in one month (``period`` is the month's first day)."""

    sla = models.ForeignKey(Sla, on_delete=models.CASCADE, related_name="measurements")
    period = models.DateField()
    actual = models.DecimalField(**MEASURE, validators=[MinValueValidator(Decimal("0"))])
    source = models.CharField(
        max_length=6, choices=MeasurementSource.choices, default=MeasurementSource.FORM
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "sla__position", "sla_id"]
        constraints = [
            models.UniqueConstraint(fields=["sla", "period"], name="one_measurement_per_month"),
            models.CheckConstraint(
                condition=models.Q(actual__gte=0), name="measurement_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sla} {self.period:%Y-%m}: {self.actual}"


class CreditComputation(models.Model):
    """One run of the credit engine over a contract's whole measured history.

    ``inputs`` is the exact call: ``slas``, ``periods`` (SLA name -> actual),
    ``period_dates`` (ISO month starts, one per period), ``monthly_fee`` and
    ``at_risk_pct`` (a fraction).
    """

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="credit_computations"
    )
    inputs = WorkingJSONField()
    rules_version = models.CharField(max_length=20)
    reason = models.CharField(max_length=200, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"Credits for {self.contract} at {self.computed_at:%Y-%m-%d %H:%M}"


class ServiceCreditQuerySet(models.QuerySet):
    def for_contract(self, contract: Contract) -> ServiceCreditQuerySet:
        return self.filter(contract=contract).order_by("period")


class ServiceCredit(models.Model):
    """One month's credits from the contract's latest computation, with its working.

    ``result`` is that period's dict from ``compute_credits`` (met, breach, critical,
    raw and capped credits, earn-back); the Decimal columns repeat its totals so they
    can be summed in the database.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="service_credits")
    computation = models.ForeignKey(
        CreditComputation, on_delete=models.CASCADE, related_name="periods"
    )
    period = models.DateField()
    measured = models.PositiveSmallIntegerField(default=0)
    breaches = models.PositiveSmallIntegerField(default=0)
    critical = models.PositiveSmallIntegerField(default=0)
    cap_applied = models.BooleanField(default=False)
    total = models.DecimalField(**MONEY)
    earned_back = models.DecimalField(**MONEY, default=Decimal("0"))
    net_total = models.DecimalField(**MONEY)
    result = WorkingJSONField()

    objects = ServiceCreditQuerySet.as_manager()

    class Meta:
        ordering = ["period"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period"], name="one_credit_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.period:%Y-%m}: {self.total}"
