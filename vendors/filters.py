"""The vendor directory's filters (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.countries import COUNTRY_CHOICES, LANGUAGE_CHOICES

from .models import LocationClass, Proficiency, Vendor
from .models.registry import CERTIFICATION_CHOICES, SERVICE_LINE_CHOICES, countries_in_class

MODEL_CHOICES = (("ITO", "ITO"), ("BPO", "BPO"), ("KPO", "KPO"))


class VendorFilter(django_filters.FilterSet):
    """Filters over the shared registry; location classes are seen from ``home_country``."""

    q = django_filters.CharFilter(label="Name", method="filter_name")
    model = django_filters.ChoiceFilter(label="Sourcing model", choices=MODEL_CHOICES,
                                        method="filter_model")
    service_line = django_filters.ChoiceFilter(label="Service line",
                                               choices=SERVICE_LINE_CHOICES,
                                               field_name="service_lines__code")
    language = django_filters.ChoiceFilter(choices=LANGUAGE_CHOICES, method="filter_language")
    native = django_filters.BooleanFilter(label="Native speakers only", method="filter_noop",
                                          widget=forms.CheckboxInput)
    location_class = django_filters.ChoiceFilter(label="Delivers from",
                                                 choices=LocationClass.choices,
                                                 method="filter_location_class")
    country = django_filters.ChoiceFilter(label="Delivery country", choices=COUNTRY_CHOICES,
                                          field_name="delivery_centres__country")
    certification = django_filters.ChoiceFilter(label="Valid certification",
                                                choices=CERTIFICATION_CHOICES,
                                                method="filter_certification")
    include_inactive = django_filters.BooleanFilter(label="Include inactive vendors",
                                                    method="filter_noop",
                                                    widget=forms.CheckboxInput)

    class Meta:
        model = Vendor
        fields: list[str] = []

    def __init__(self, *args, home_country: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.home_country = home_country
        self.filters["location_class"].label = f"Delivers from (seen from {home_country})"
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"

    @property
    def qs(self) -> QuerySet[Vendor]:
        queryset = super().qs
        if not self.form.cleaned_data.get("include_inactive"):
            queryset = queryset.filter(active=True)
        # Multi-valued joins can repeat a vendor; distinct keeps one row per vendor.
        return queryset.distinct()

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip()) if value.strip() else queryset

    def filter_model(self, queryset, name, value):
        return queryset.offering(value)

    def filter_language(self, queryset, name, value):
        condition = Q(languages__language=value)
        if self.form.cleaned_data.get("native"):
            condition &= Q(languages__proficiency=Proficiency.NATIVE)
        return queryset.filter(condition)

    def filter_location_class(self, queryset, name, value):
        countries = countries_in_class(self.home_country, value)
        return queryset.filter(delivery_centres__country__in=countries)

    def filter_certification(self, queryset, name, value):
        return queryset.filter(certifications__code=value,
                               certifications__expires_on__gte=timezone.localdate())
