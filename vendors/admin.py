"""Django admin for curators of the shared vendor registry.

Only registry curators (the "Registry curators" group, and superusers) see or change
vendors here; a Django model permission alone is not enough. Organisation data
(criteria, events, proposals, awards, notes, ratings, tags, change proposals) is
deliberately not registered: admin pages are not scoped to one organisation.

A vendor any organisation uses is never deleted here: the delete page refuses it
without listing what uses it (those are other organisations' records), and the bulk
action deletes nothing when one selected vendor is in use. Deactivate or merge instead.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from accounts.engine.countries import COUNTRY_CHOICES, LANGUAGE_CHOICES
from accounts.engine.spreadsheets import SpreadsheetProblem, SpreadsheetRefused, size_in_words
from assessments.engine.vocabulary import OUTSOURCED_MODELS, choices
from vendors.access import is_vendor_curator
from vendors.models import Certification, DeliveryCentre, Vendor, VendorLanguage, VendorServiceLine
from vendors.models.registry import CERTIFICATION_CHOICES, SERVICE_LINE_CHOICES
from vendors.resources import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    VendorCSV,
    VendorResource,
    VendorXLSX,
)
from vendors.selectors.references import vendor_in_use


class CuratorOnly:
    """Admin permissions granted by the admin role, for staff (AdminSite checks is_staff)."""

    def _curator(self, request: HttpRequest) -> bool:
        return is_vendor_curator(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._curator(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._curator(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._curator(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._curator(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._curator(request)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self._curator(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self._curator(request)


class VendorImportForm(ImportForm):
    """The upload step; a file over the size limit is refused before it is read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                f"The file is {size_in_words(upload.size)}; the limit is "
                f"{size_in_words(MAX_IMPORT_BYTES)}. Split it into smaller files. Nothing was "
                "imported."
            )
        return upload


class ServiceLineInline(CuratorOnly, admin.TabularInline):
    model = VendorServiceLine
    extra = 1


class LanguageInline(CuratorOnly, admin.TabularInline):
    model = VendorLanguage
    extra = 1


class CertificationInline(CuratorOnly, admin.TabularInline):
    model = Certification
    extra = 1


class DeliveryCentreInline(CuratorOnly, admin.TabularInline):
    model = DeliveryCentre
    extra = 1


class _ChoiceListFilter(admin.SimpleListFilter):
    options: tuple[tuple[str, str], ...] = ()  # not "choices": that is a method of the base
    lookup = ""

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(**{self.lookup: self.value()}).distinct()
        return queryset


class ModelFilter(admin.SimpleListFilter):
    title = "sourcing model"
    parameter_name = "model"

    def lookups(self, request, model_admin):
        return choices(OUTSOURCED_MODELS)

    def queryset(self, request, queryset):
        return queryset.offering(self.value()) if self.value() else queryset


class ServiceLineFilter(_ChoiceListFilter):
    title = "service line"
    parameter_name = "service_line"
    options = SERVICE_LINE_CHOICES
    lookup = "service_lines__code"


class CountryFilter(_ChoiceListFilter):
    title = "delivery country"
    parameter_name = "country"
    options = COUNTRY_CHOICES
    lookup = "delivery_centres__country"


class LanguageFilter(_ChoiceListFilter):
    title = "language"
    parameter_name = "language"
    options = LANGUAGE_CHOICES
    lookup = "languages__language"


class CertificationFilter(admin.SimpleListFilter):
    title = "valid certification"
    parameter_name = "certification"

    def lookups(self, request, model_admin):
        return CERTIFICATION_CHOICES

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(
            certifications__code=self.value(), certifications__expires_on__gte=timezone.localdate()
        ).distinct()


# The import-export stubs and django-stubs type ImportExportModelAdmin's change_list_template
# and model differently from ModelAdmin's: a clash between the two stub packages.
@admin.register(Vendor)
class VendorAdmin(CuratorOnly, ImportExportModelAdmin, SimpleHistoryAdmin):  # type: ignore[misc]
    resource_classes = [VendorResource]
    formats = [VendorCSV, VendorXLSX]
    import_form_class = VendorImportForm
    import_template_name = "admin/vendors/vendor/import.html"
    list_display = [
        "name",
        "headquarters_country",
        "offers_ito",
        "offers_bpo",
        "offers_kpo",
        "headcount",
        "financial_stability",
        "active",
        "updated_at",
    ]
    list_filter = [
        ModelFilter,
        ServiceLineFilter,
        "headquarters_country",
        CountryFilter,
        LanguageFilter,
        CertificationFilter,
        "financial_stability",
        "active",
    ]
    search_fields = ["name", "website", "delivery_centres__city", "notes"]
    fieldsets = [
        (None, {"fields": ["name", "website", "headquarters_country", "active"]}),
        ("Sourcing models", {"fields": ["offers_ito", "offers_bpo", "offers_kpo"]}),
        ("Size and stability", {"fields": ["headcount", "founded", "financial_stability"]}),
        ("References and notes", {"fields": ["references", "notes"]}),
    ]
    inlines = [ServiceLineInline, LanguageInline, CertificationInline, DeliveryCentreInline]
    history_list_display = ["active"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["max_import_rows"] = f"{MAX_IMPORT_ROWS:,}"
        return context

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        if isinstance(e, SpreadsheetRefused):
            message = f"{e} Nothing was imported."
        elif isinstance(e, SpreadsheetProblem):
            message = f"The file could not be read as the chosen format. {e} Nothing was imported."
        elif isinstance(e, UnicodeDecodeError):
            message = (
                f"The file is not UTF-8 text (byte 0x{e.object[e.start]:02x} at "
                f"position {e.start} cannot be read). Save it as \u201cCSV UTF-8\u201d "
                "or as an Excel workbook (.xlsx) and upload it again. Nothing was "
                "imported."
            )
        else:
            message = (
                f"The file could not be read as the chosen format ({e}). Check the "
                "format and that every row has the same number of columns. Nothing "
                "was imported."
            )
        form.add_error("import_file", message)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and vendor_in_use(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request: HttpRequest):
        in_use = [vendor for vendor in objs if vendor_in_use(vendor)]
        if in_use:
            # Name only the registry's own records: what uses them belongs to organisations.
            return (
                [],
                {},
                set(),
                [
                    f"{vendor.name}: in use by organisations' records; deactivate it or merge it "
                    "into another record instead"
                    for vendor in in_use
                ],
            )
        return super().get_deleted_objects(objs, request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # The confirmation page already refused in-use vendors; a forged post is refused too.
        if any(vendor_in_use(vendor) for vendor in queryset):
            raise PermissionDenied("A vendor in use cannot be deleted.")
        super().delete_queryset(request, queryset)
