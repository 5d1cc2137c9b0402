"""The vendor directory and vendor pages (shared registry, organisation's own notes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import admins_only, editors_only, organisation_of

from .. import services
from ..access import can_curate, get_vendor
from ..filters import VendorFilter
from ..forms import NoteForm, VendorForm, vendor_details, vendor_formsets
from ..models import Vendor
from ..selectors import (
    ClassedCentre,
    classed_centres,
    directory_vendors,
    vendor_history,
    vendor_page,
)

PAGE_SIZE = 25


@dataclass(frozen=True)
class DirectoryRow:
    vendor: Vendor
    centres: list[ClassedCentre]


@require_GET
def vendor_directory(request: HttpRequest) -> HttpResponse:
    home = organisation_of(request).home_country
    vendor_filter = VendorFilter(request.GET, queryset=directory_vendors(), home_country=home)
    page = Paginator(vendor_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "vendors/directory.html", {
        "filter": vendor_filter,
        "page": page,
        "rows": [DirectoryRow(vendor, classed_centres(vendor, home)) for vendor in page],
        "query": query.urlencode(),
        "home_country": home,
        "today": timezone.localdate(),
        "is_curator": can_curate(request),
    })


@require_GET
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_vendor(request, pk)
    return _detail_page(request, vendor, NoteForm())


def _detail_page(request: HttpRequest, vendor: Vendor, note_form: NoteForm,
                 status: int = 200) -> HttpResponse:
    organisation = organisation_of(request)
    is_curator = can_curate(request)
    return render(request, "vendors/vendor_detail.html", {
        "vendor": vendor,
        "centres": classed_centres(vendor, organisation.home_country),
        "known": vendor_page(organisation=organisation, vendor=vendor),
        "note_form": note_form,
        "today": timezone.localdate(),
        "is_curator": is_curator,
        "history": vendor_history(vendor) if is_curator else [],
    }, status=status)


@editors_only
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_vendor(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, vendor, form, status=400)
    services.vendor_note_add(organisation=organisation_of(request), vendor=vendor,
                             author=request.user, text=form.cleaned_data["text"])
    messages.success(request, "Note saved. Only your organisation sees it.")
    return redirect("vendors:vendor-detail", pk=vendor.pk)


@admins_only
@require_http_methods(["GET", "POST"])
def vendor_create(request: HttpRequest) -> HttpResponse:
    return _vendor_form(request, None)


@admins_only
@require_http_methods(["GET", "POST"])
def vendor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _vendor_form(request, get_vendor(request, pk, write=True))


def _vendor_form(request: HttpRequest, vendor: Vendor | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = VendorForm(data, instance=vendor)
    formsets = vendor_formsets(data, vendor)
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        saved = services.vendor_save(vendor=vendor, data=form.vendor_data(),
                                     details=vendor_details(form, formsets))
        messages.success(request, f"Saved \u201c{saved.name}\u201d. The change is kept in "
                                  "its history.")
        return redirect("vendors:vendor-detail", pk=saved.pk)
    return render(request, "vendors/vendor_form.html", {
        "form": form, "formsets": formsets, "vendor": vendor,
    }, status=400 if data is not None else 200)
