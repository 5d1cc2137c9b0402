"""The vendor registry: shared reference data edited by registry curators.

A vendor and everything that describes it (service lines, languages, certifications,
delivery centres) belong to no organisation. What an organisation keeps about a vendor
(notes, its internal rating, its tags) belongs to that organisation alone. Every change
to the shared rows is kept by django-simple-history (who, when, what, why).

Organisations' rows point at a vendor with PROTECT: a vendor in use is never deleted
with them; it is deactivated or merged into another record instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.engine.countries import (
    COUNTRIES,
    COUNTRY_CHOICES,
    LANGUAGE_CHOICES,
    continent_of,
    location_class,
)
from accounts.models import Organisation
from assessments.engine import vocabulary as vocab
from vendors.engine.shortlist import CERTIFICATIONS, SERVICE_LINES

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SERVICE_LINE_CHOICES = tuple((line.code, line.label) for line in SERVICE_LINES)
CERTIFICATION_CHOICES = CERTIFICATIONS
EARLIEST_FOUNDED = 1800


def _reason_field() -> models.TextField:
    """Why a record changed: a curator's decision note, or a proposal's reason."""
    return models.TextField(null=True, max_length=6000)


class Proficiency(models.TextChoices):
    NATIVE = "native", "Native"
    FLUENT = "fluent", "Fluent"


class FinancialStability(models.TextChoices):
    STRONG = "strong", "Strong"
    ADEQUATE = "adequate", "Adequate"
    WEAK = "weak", "Weak"


class LocationClass(models.TextChoices):
    ONSHORE = vocab.ONSHORE, vocab.LOCATION_LABELS[vocab.ONSHORE]
    NEARSHORE = vocab.NEARSHORE, vocab.LOCATION_LABELS[vocab.NEARSHORE]
    OFFSHORE = vocab.OFFSHORE, vocab.LOCATION_LABELS[vocab.OFFSHORE]


def countries_in_class(home_country: str, wanted: str) -> list[str]:
    """The registry's countries that are ``wanted`` (onshore...) seen from ``home_country``."""
    if wanted not in LocationClass.values:
        raise ValueError(f"Unknown location class {wanted!r}.")
    return [country for country in COUNTRIES if location_class(home_country, country) == wanted]


class VendorQuerySet(models.QuerySet):
    def active(self) -> VendorQuerySet:
        return self.filter(active=True)

    def offering(self, model: str) -> VendorQuerySet:
        if model not in vocab.OUTSOURCED_MODELS:
            raise ValueError(f"Unknown sourcing model {model!r}.")
        return self.filter(**{f"offers_{model.lower()}": True})

    def with_profile(self) -> VendorQuerySet:
        """Everything a directory row or a shortlist needs, in a fixed number of queries."""
        return self.prefetch_related(
            "service_lines", "languages", "certifications", "delivery_centres"
        )


class Vendor(models.Model):
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    headquarters_country = models.CharField(max_length=100, choices=COUNTRY_CHOICES)
    offers_ito = models.BooleanField("offers ITO", default=False)
    offers_bpo = models.BooleanField("offers BPO", default=False)
    offers_kpo = models.BooleanField("offers KPO", default=False)
    headcount = models.PositiveIntegerField(
        null=True, blank=True, help_text="People employed, all sites."
    )
    founded = models.PositiveSmallIntegerField(
        "year founded", null=True, blank=True, validators=[MinValueValidator(EARLIEST_FOUNDED)]
    )
    financial_stability = models.CharField(
        max_length=10,
        choices=FinancialStability.choices,
        blank=True,
        help_text="From the latest credit report; blank when not rated.",
    )
    references = models.TextField(
        blank=True, max_length=10000, help_text="Client references a buyer may call."
    )
    notes = models.TextField(
        blank=True, max_length=10000, help_text="Curators' notes, shared by every organisation."
    )
    active = models.BooleanField(
        default=True, help_text="Inactive vendors are never proposed for a shortlist."
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_records",
        help_text="The record this duplicate was merged into; set by a curator's merge.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(history_change_reason_field=_reason_field())
    # Set before a save, read by django-simple-history: who made the change, and why.
    _history_user: User | None
    _change_reason: str
    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="vendor_name_unique",
                violation_error_message="A vendor with this name exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        this_year = timezone.localdate().year
        if self.founded is not None and self.founded > this_year:
            raise ValidationError({"founded": f"The year founded cannot be after {this_year}."})

    @property
    def offered_models(self) -> tuple[str, ...]:
        return tuple(m for m in vocab.OUTSOURCED_MODELS if getattr(self, f"offers_{m.lower()}"))


class VendorServiceLine(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="service_lines")
    code = models.CharField("service line", max_length=40, choices=SERVICE_LINE_CHOICES)

    history = HistoricalRecords(history_change_reason_field=_reason_field())
    # Set before a save, read by django-simple-history: who made the change, and why.
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "code"], name="vendor_service_line_once")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class VendorLanguage(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=40, choices=LANGUAGE_CHOICES)
    proficiency = models.CharField(max_length=10, choices=Proficiency.choices)

    history = HistoricalRecords(history_change_reason_field=_reason_field())
    # Set before a save, read by django-simple-history: who made the change, and why.
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "language"], name="vendor_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_proficiency_display().lower()})"


class Certification(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="certifications")
    code = models.CharField("certification", max_length=20, choices=CERTIFICATION_CHOICES)
    expires_on = models.DateField()

    history = HistoricalRecords(history_change_reason_field=_reason_field())
    # Set before a save, read by django-simple-history: who made the change, and why.
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "code"], name="vendor_certification_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} until {self.expires_on.isoformat()}"


class DeliveryCentre(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="delivery_centres")
    country = models.CharField(max_length=100, choices=COUNTRY_CHOICES)
    city = models.CharField(max_length=100)

    history = HistoricalRecords(history_change_reason_field=_reason_field())
    # Set before a save, read by django-simple-history: who made the change, and why.
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["country", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "country", "city"], name="delivery_centre_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city}, {self.country}"

    @property
    def continent(self) -> str:
        return continent_of(self.country)


class VendorNoteQuerySet(models.QuerySet):
    def for_org(self, organisation: Organisation) -> VendorNoteQuerySet:
        return self.filter(organisation=organisation)


class VendorNote(models.Model):
    """What one organisation notes about a vendor; never seen by another organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vendor_notes"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="org_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VendorNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note on {self.vendor} by {self.author}"


RATING_MIN, RATING_MAX = 1, 5
MAX_TAGS = 20
TAG_MAX_LENGTH = 40


class VendorRating(models.Model):
    """One organisation's internal rating of a vendor (1 to 5); never seen by another."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vendor_ratings"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="org_ratings")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "vendor"], name="one_rating_per_org_and_vendor"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="rating_from_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"


class VendorTag(models.Model):
    """A label one organisation puts on a vendor (\u201cpreferred\u201d, \u201con watch\u201d)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vendor_tags"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="org_tags")
    label = models.CharField(max_length=TAG_MAX_LENGTH)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(
                "organisation", "vendor", Lower("label"), name="vendor_tag_once"
            ),
        ]

    def __str__(self) -> str:
        return self.label
