"""The vendor directory and vendor pages (shared registry, organisation's own data).

Registry curators may reach these pages without belonging to an organisation; they then
see the shared record only. A change by a curator is saved; the same form from an
organisation's admin becomes a change proposal for the curators.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import MemberRequest, editors_only, organisation_of
from accounts.models import Organisation, Role
from vendors import services
from vendors.access import can_curate, can_propose, get_vendor, members_or_curators
from vendors.filters import VendorFilter
from vendors.forms import (
    ChangeReasonForm,
    NoteForm,
    PrivateDataForm,
    VendorForm,
    snapshot_from_forms,
    vendor_details,
    vendor_formsets,
)
from vendors.models import Vendor
from vendors.selectors.registry import (
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


def _organisation(request: HttpRequest) -> Organisation | None:
    membership = getattr(request, "membership", None)
    return membership.organisation if membership is not None else None


def _home_country(organisation: Organisation | None) -> str:
    # A curator outside any organisation sees locations from the default home country.
    if organisation is not None:
        return organisation.home_country
    return Organisation._meta.get_field("home_country").get_default()


@members_or_curators()
@require_GET
def vendor_directory(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    home = _home_country(organisation)
    vendor_filter = VendorFilter(
        request.GET, queryset=directory_vendors(), home_country=home, organisation=organisation
    )
    page = Paginator(vendor_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vendors/directory.html",
        {
            "filter": vendor_filter,
            "page": page,
            "rows": [DirectoryRow(vendor, classed_centres(vendor, home)) for vendor in page],
            "query": query.urlencode(),
            "home_country": home,
            "today": timezone.localdate(),
            "is_curator": can_curate(request),
            "can_propose": can_propose(request),
        },
    )


@members_or_curators()
@require_GET
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_vendor(request, pk)
    return _detail_page(request, vendor)


def _detail_page(
    request: HttpRequest,
    vendor: Vendor,
    *,
    note_form: NoteForm | None = None,
    private_form: PrivateDataForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = _organisation(request)
    is_curator = can_curate(request)
    known = vendor_page(organisation=organisation, vendor=vendor) if organisation else None
    if private_form is None and known is not None:
        private_form = PrivateDataForm(
            initial={
                "rating": known.rating.rating if known.rating else "",
                "tags": ", ".join(tag.label for tag in known.tags),
            }
        )
    return render(
        request,
        "vendors/vendor_detail.html",
        {
            "vendor": vendor,
            "centres": classed_centres(vendor, _home_country(organisation)),
            "known": known,
            "note_form": note_form or NoteForm(),
            "private_form": private_form,
            "today": timezone.localdate(),
            "is_curator": is_curator,
            "can_propose": can_propose(request),
            "history": (
                vendor_history(vendor, show_people=is_curator)
                if is_curator or can_propose(request)
                else []
            ),
        },
        status=status,
    )


@editors_only
@require_POST
def note_add(request: MemberRequest, pk: int) -> HttpResponse:
    vendor = get_vendor(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, vendor, note_form=form, status=400)
    services.vendor_note_add(
        organisation=organisation_of(request),
        vendor=vendor,
        author=request.user,
        text=form.cleaned_data["text"],
    )
    messages.success(request, "Note saved. Only your organisation sees it.")
    return redirect("vendors:vendor-detail", pk=vendor.pk)


@editors_only
@require_POST
def private_save(request: MemberRequest, pk: int) -> HttpResponse:
    """The organisation's own rating and tags for a vendor."""
    vendor = get_vendor(request, pk)
    form = PrivateDataForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, vendor, private_form=form, status=400)
    services.vendor_private_save(
        organisation=organisation_of(request),
        vendor=vendor,
        user=request.user,
        rating=form.cleaned_data["rating"],
        tags=form.cleaned_data["tags"],
    )
    messages.success(request, "Rating and tags saved. Only your organisation sees them.")
    return redirect("vendors:vendor-detail", pk=vendor.pk)


@members_or_curators(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def vendor_create(request: MemberRequest) -> HttpResponse:
    return _vendor_form(request, None)


@members_or_curators(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def vendor_edit(request: MemberRequest, pk: int) -> HttpResponse:
    return _vendor_form(request, get_vendor(request, pk, write=True))


def _vendor_form(request: MemberRequest, vendor: Vendor | None) -> HttpResponse:
    is_curator = can_curate(request)
    data = request.POST if request.method == "POST" else None
    form = VendorForm(data, instance=vendor)
    formsets = vendor_formsets(data, vendor)
    reason_form = ChangeReasonForm(data, required=not is_curator)
    problem = None
    if (
        data is not None
        and form.is_valid()
        and reason_form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        reason = reason_form.cleaned_data["reason"]
        if is_curator:
            saved = services.vendor_save(
                vendor=vendor,
                data=form.vendor_data(),
                details=vendor_details(form, formsets),
                user=request.user,
                reason=reason,
            )
            messages.success(
                request, f"Saved \u201c{saved.name}\u201d. The change is kept in its history."
            )
            return redirect("vendors:vendor-detail", pk=saved.pk)
        try:
            proposal = services.change_proposal_submit(
                organisation=organisation_of(request),
                user=request.user,
                vendor=vendor,
                proposed=snapshot_from_forms(form, formsets),
                reason=reason,
            )
        except services.SelectionError as error:
            problem = str(error)
        else:
            messages.success(
                request,
                "Sent to the registry curators as a change proposal. "
                "The record changes when a curator accepts it.",
            )
            return redirect("vendors:change-detail", pk=proposal.pk)
    return render(
        request,
        "vendors/vendor_form.html",
        {
            "form": form,
            "formsets": formsets,
            "vendor": vendor,
            "reason_form": reason_form,
            "is_curator": is_curator,
            "problem": problem,
        },
        status=400 if data is not None else 200,
    )
