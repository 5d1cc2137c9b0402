"""The vendor directory's filters (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.engine.countries import LANGUAGE_CHOICES
from accounts.models import Organisation
from assessments.engine.vocabulary import OUTSOURCED_MODELS, choices
from vendors.models import (
    Certification,
    DeliveryCentre,
    LocationClass,
    Proficiency,
    Vendor,
    VendorLanguage,
    VendorServiceLine,
    VendorTag,
)
from vendors.models.registry import CERTIFICATION_CHOICES, SERVICE_LINE_CHOICES, countries_in_class

MODEL_CHOICES = choices(OUTSOURCED_MODELS)


SELECT = {"class": "form-select form-select-sm"}
CHECK = {"class": "form-check-input"}


class VendorFilter(django_filters.FilterSet):
    """Filters over the shared registry; location classes are seen from ``home_country``."""

    q = django_filters.CharFilter(
        label="Name",
        method="filter_name",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    model = django_filters.ChoiceFilter(
        label="Sourcing model",
        choices=MODEL_CHOICES,
        method="filter_model",
        widget=forms.Select(SELECT),
    )
    service_line = django_filters.ChoiceFilter(
        label="Service line",
        choices=SERVICE_LINE_CHOICES,
        method="filter_service_line",
        widget=forms.Select(SELECT),
    )
    language = django_filters.ChoiceFilter(
        label="Language",
        choices=LANGUAGE_CHOICES,
        method="filter_language",
        widget=forms.Select(SELECT),
    )
    native = django_filters.BooleanFilter(
        label="Native speakers only", method="filter_noop", widget=forms.CheckboxInput(CHECK)
    )
    location_class = django_filters.ChoiceFilter(
        label="Delivers from",
        choices=LocationClass.choices,
        method="filter_location_class",
        widget=forms.Select(SELECT),
    )
    certification = django_filters.ChoiceFilter(
        label="Valid certification",
        choices=CERTIFICATION_CHOICES,
        method="filter_certification",
        widget=forms.Select(SELECT),
    )
    tag = django_filters.CharFilter(
        label="Your tag",
        method="filter_tag",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    include_inactive = django_filters.BooleanFilter(
        label="Include inactive vendors", method="filter_noop", widget=forms.CheckboxInput(CHECK)
    )

    class Meta:
        model = Vendor
        fields: list[str] = []

    def __init__(
        self, *args, home_country: str, organisation: Organisation | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.home_country = home_country
        self.organisation = organisation  # whose private tags the tag filter reads
        if organisation is None:
            del self.filters["tag"]
        self.filters["location_class"].label = f"Delivers from (seen from {home_country})"

    def rows(self):
        """(bound field, kind) for the template, which draws selects without a widget
        template per option: a 110-country list is the slowest part of the page otherwise."""
        for field in self.form:
            widget = field.field.widget
            kind = (
                "checkbox"
                if isinstance(widget, forms.CheckboxInput)
                else "select"
                if isinstance(widget, forms.Select)
                else "text"
            )
            yield field, kind

    @property
    def qs(self) -> QuerySet[Vendor]:
        queryset = super().qs
        if not self.form.cleaned_data.get("include_inactive"):
            queryset = queryset.filter(active=True)
        return queryset

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip()) if value.strip() else queryset

    def filter_model(self, queryset, name, value):
        return queryset.offering(value)

    # Each list filter is an EXISTS subquery rather than a join: a vendor is never
    # repeated, so no DISTINCT, and the count stays cheap on thousands of vendors.

    def filter_service_line(self, queryset, name, value):
        return queryset.filter(
            Exists(VendorServiceLine.objects.filter(vendor=OuterRef("pk"), code=value))
        )

    def filter_language(self, queryset, name, value):
        languages = VendorLanguage.objects.filter(vendor=OuterRef("pk"), language=value)
        if self.form.cleaned_data.get("native"):
            languages = languages.filter(proficiency=Proficiency.NATIVE)
        return queryset.filter(Exists(languages))

    def filter_location_class(self, queryset, name, value):
        countries = countries_in_class(self.home_country, value)
        return queryset.filter(
            Exists(DeliveryCentre.objects.filter(vendor=OuterRef("pk"), country__in=countries))
        )

    def filter_tag(self, queryset, name, value):
        label = " ".join(value.split())
        if not label or self.organisation is None:
            return queryset
        return queryset.filter(
            Exists(
                VendorTag.objects.filter(
                    vendor=OuterRef("pk"), organisation=self.organisation, label__iexact=label
                )
            )
        )

    def filter_certification(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Certification.objects.filter(
                    vendor=OuterRef("pk"), code=value, expires_on__gte=timezone.localdate()
                )
            )
        )
