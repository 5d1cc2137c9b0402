"""Filters of the vendor and sourcing-event lists (django-filter, as the pages use)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from accounts.engine.countries import COUNTRY_CHOICES
from accounts.models import Organisation
from vendors.api.fields import ID_MAX
from vendors.filters import VendorFilter
from vendors.models import DeliveryCentre, EventStatus, SourcedModel, SourcingEvent, Vendor


def home_country_of(organisation: Organisation | None) -> str:
    """Where locations are seen from: the organisation's home country, or for a registry
    curator outside any organisation the default one (as the directory page does)."""
    if organisation is not None:
        return organisation.home_country
    return Organisation._meta.get_field("home_country").get_default()


class VendorApiFilter(VendorFilter):
    """The directory's filters, plus countries; locations are seen from the caller's
    organisation's home country, and ``tag`` reads that organisation's own tags only."""

    q = None  # type: ignore[assignment]  # named ``search`` here
    search = django_filters.CharFilter(method="filter_name", help_text="Part of the vendor's name.")
    country = django_filters.ChoiceFilter(
        choices=COUNTRY_CHOICES,
        method="filter_country",
        help_text="Has a delivery centre in this country.",
    )
    headquarters_country = django_filters.ChoiceFilter(choices=COUNTRY_CHOICES)

    class Meta:
        model = Vendor
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Vendor] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        membership = getattr(request, "membership", None)
        organisation = membership.organisation if membership is not None else None
        super().__init__(
            data,
            queryset,
            request=request,
            prefix=prefix,
            home_country=home_country_of(organisation),
            organisation=organisation,
        )

    def filter_country(self, queryset: QuerySet[Vendor], name: str, value: str) -> QuerySet[Vendor]:
        return queryset.filter(
            Exists(DeliveryCentre.objects.filter(vendor=OuterRef("pk"), country=value))
        )


class EventFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EventStatus.choices)
    model = django_filters.ChoiceFilter(choices=SourcedModel.choices)
    assessment = django_filters.NumberFilter(
        field_name="assessment_id", min_value=1, max_value=ID_MAX, help_text="The assessment's id."
    )

    class Meta:
        model = SourcingEvent
        fields: list[str] = []
