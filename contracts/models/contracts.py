"""A contract with a vendor, its documents, and the notifications it raises.

The contract's dates are inclusive (see ``contracts.engine.renewals``). ``start_date`` is the
commencement and never moves; an auto-renewing contract rolls ``end_date`` forward and
records the start of the current term in ``current_term_start``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.engine.currencies import currency_problem
from accounts.fields import DecimalShape
from accounts.models import Organisation
from assessments.engine import vocabulary as vocab
from assessments.models import Process
from contracts.engine.credits import at_risk_amount, monthly_fee_from_annual
from contracts.engine.renewals import notice_deadline
from vendors.models import Award, SourcingEvent, Vendor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MONEY: DecimalShape = {"max_digits": 14, "decimal_places": 2}
MAX_NOTICE_DAYS = 3_650
MAX_TERM_MONTHS = 240


class SourcingModel(models.TextChoices):
    ITO = vocab.ITO, vocab.MODEL_LABELS[vocab.ITO]
    BPO = vocab.BPO, vocab.MODEL_LABELS[vocab.BPO]
    KPO = vocab.KPO, vocab.MODEL_LABELS[vocab.KPO]


class DeliveryLocation(models.TextChoices):
    ONSHORE = vocab.ONSHORE, vocab.LOCATION_LABELS[vocab.ONSHORE]
    NEARSHORE = vocab.NEARSHORE, vocab.LOCATION_LABELS[vocab.NEARSHORE]
    OFFSHORE = vocab.OFFSHORE, vocab.LOCATION_LABELS[vocab.OFFSHORE]


class RenewalType(models.TextChoices):
    FIXED_TERM = "fixed_term", "Fixed term"
    AUTO_RENEW = "auto_renew", "Auto-renews"
    OPTION_TO_EXTEND = "option_to_extend", "Option to extend"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    IN_NOTICE = "in_notice", "In notice"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


# Contracts whose dates still matter: renewals, reminders and SLA checks look at these.
LIVE_STATUSES = (ContractStatus.ACTIVE, ContractStatus.IN_NOTICE)


class ContractQuerySet(models.QuerySet):
    def for_org(self, organisation: Organisation) -> ContractQuerySet:
        return self.filter(organisation=organisation)

    def live(self) -> ContractQuerySet:
        return self.filter(status__in=LIVE_STATUSES)

    def with_parties(self) -> ContractQuerySet:
        return self.select_related("organisation", "vendor", "owner", "sourcing_event")

    def with_vendor(self, vendor: Vendor) -> ContractQuerySet:
        return self.filter(vendor=vendor)


class Contract(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contracts"
    )
    title = models.CharField(max_length=200)
    reference = models.CharField(
        max_length=60, blank=True, help_text="Your contract number, if you have one."
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contracts")
    sourcing_event = models.ForeignKey(
        SourcingEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    award = models.OneToOneField(
        Award,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contract",
        help_text="The award this draft was created from.",
    )
    processes = models.ManyToManyField(
        Process,
        blank=True,
        related_name="contracts",
        help_text="The assessed processes the contract covers.",
    )
    model = models.CharField("sourcing model", max_length=3, choices=SourcingModel.choices)
    location = models.CharField(
        "delivery location", max_length=10, choices=DeliveryLocation.choices
    )
    start_date = models.DateField(help_text="Commencement; the first day of the service.")
    end_date = models.DateField(help_text="The last day of the current term.")
    current_term_start = models.DateField(
        null=True, blank=True, help_text="Set when an auto-renewal rolls the term forward."
    )
    annual_value = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    currency = models.CharField(
        max_length=3,
        validators=[
            RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code in capitals, e.g. GBP.")
        ],
    )
    payment_terms = models.CharField(
        max_length=200, blank=True, help_text="e.g. monthly in arrears, 30 days net."
    )
    renewal_type = models.CharField(
        max_length=20, choices=RenewalType.choices, default=RenewalType.FIXED_TERM
    )
    renewal_term_months = models.PositiveSmallIntegerField(
        "renewal term (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_MONTHS)],
        help_text="Length of each automatic renewal or extension.",
    )
    notice_days = models.PositiveSmallIntegerField(
        "notice period (days)", default=90, validators=[MaxValueValidator(MAX_NOTICE_DAYS)]
    )
    termination_terms = models.TextField(blank=True, max_length=20000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_contracts"
    )
    status = models.CharField(
        max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    at_risk_pct = models.DecimalField(
        "at-risk amount (% of the monthly fee)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("12"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text="The monthly service-credit pool and cap; typically 10 to 15 %.",
    )
    baseline_annual_cost = models.DecimalField(
        "in-house baseline (annual)",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="What the service cost in-house per year. Blank: the covered processes' "
        "annual cost from the assessment.",
    )
    ramp_months = models.PositiveSmallIntegerField(
        default=6,
        validators=[MaxValueValidator(MAX_TERM_MONTHS)],
        help_text="Months of transition before savings are expected.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set before a save, read by django-simple-history: who made the change, and why.
    _history_user: User | None
    _change_reason: str
    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["end_date", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_value__gt=0), name="contract_value_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(at_risk_pct__gt=0, at_risk_pct__lte=100),
                name="contract_at_risk_pct_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        # The field's validator checks the shape (three capitals); this checks the code is
        # one ISO 4217 knows, so "POU" (from a truncated "pounds") is refused in words.
        if self.currency and len(self.currency) == 3 and self.currency.isupper():
            problem = currency_problem(self.currency)
            if problem:
                raise ValidationError({"currency": problem})

    @property
    def term_start(self) -> dt.date:
        return self.current_term_start or self.start_date

    @property
    def notice_deadline(self) -> dt.date:
        return notice_deadline(self.end_date, self.notice_days)

    @property
    def monthly_fee(self) -> Decimal:
        """The fee billed each month (the credit engine's rule, to the cent)."""
        return monthly_fee_from_annual(self.annual_value)

    @property
    def at_risk_amount(self) -> Decimal:
        """P: the monthly pool of service credits, which is also the monthly cap."""
        return at_risk_amount(self.monthly_fee, self.at_risk_pct / 100)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


DOCUMENT_KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def document_path(instance: ContractDocument, filename: str) -> str:
    """An unguessable name: the person's file name is kept in the row, not on disk."""
    extension = PurePath(filename).suffix.lower().lstrip(".")
    return f"contract-documents/{uuid.uuid4().hex}.{extension}"


class ContractDocument(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=4, choices=[(k, k.upper()) for k in DOCUMENT_KINDS])
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def content_type(self) -> str:
        return DOCUMENT_KINDS[self.kind]
