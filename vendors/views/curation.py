"""Change proposals (an organisation's view) and the curators' pages.

An organisation sees its own proposals only. A curator sees every proposal with the
proposing organisation's name, never the proposer's username, and never an
organisation's notes, rating or tags.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import MemberRequest, organisation_of
from vendors import services
from vendors.access import (
    curators_only,
    get_change_proposal_for,
    get_change_proposal_to_decide,
    get_vendor,
)
from vendors.forms import (
    CuratorReasonForm,
    DecisionForm,
    MergeForm,
    bind_snapshot,
    form_errors_in_words,
    vendor_details,
)
from vendors.models import ChangeStatus, Vendor, VendorChangeProposal
from vendors.selectors.references import vendor_in_use, vendor_references
from vendors.snapshots import apply_changes, describe_changes, vendor_snapshot

PAGE_SIZE = 25


@require_GET
def change_list(request: HttpRequest) -> HttpResponse:
    proposals = VendorChangeProposal.objects.for_org(organisation_of(request)).select_related(
        "vendor", "proposed_by"
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "vendors/change_list.html", {"page": page})


@require_GET
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_change_proposal_for(request, pk)
    return render(
        request,
        "vendors/change_detail.html",
        {
            "proposal": proposal,
            "changes": describe_changes(proposal.base, proposal.proposed),
        },
    )


@curators_only
@require_GET
def curation_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ChangeStatus.PENDING
    if status not in ChangeStatus.values:
        status = ChangeStatus.PENDING
    proposals = (
        VendorChangeProposal.objects.filter(status=status)
        .select_related("vendor", "organisation")
        .order_by("created_at", "pk")
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vendors/curation_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ChangeStatus.choices,
        },
    )


@curators_only
@require_http_methods(["GET", "POST"])
def curation_review(request: MemberRequest, pk: int) -> HttpResponse:
    proposal = get_change_proposal_to_decide(request, pk)
    vendor = (
        Vendor.objects.with_profile().get(pk=proposal.vendor_id) if proposal.vendor_id else None
    )
    current = vendor_snapshot(vendor) if vendor is not None else {}
    form = DecisionForm(request.POST if request.method == "POST" else None)
    problem = None
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "reject":
                services.change_proposal_reject(proposal=proposal, curator=request.user, note=note)
                messages.success(
                    request, f"Proposal #{proposal.pk} rejected. The record is unchanged."
                )
                return redirect("vendors:curation-queue")
            wanted = (
                apply_changes(current, proposal.base, proposal.proposed)
                if vendor is not None
                else proposal.proposed
            )
            vendor_form, formsets = bind_snapshot(wanted, vendor)
            if not (vendor_form.is_valid() and all(f.is_valid() for f in formsets.values())):
                raise services.SelectionError(
                    "The proposal no longer fits the registry: "
                    f"{form_errors_in_words(vendor_form, formsets)} Reject it with a note, "
                    "or edit the record yourself."
                )
            saved = services.change_proposal_accept(
                proposal=proposal,
                curator=request.user,
                data=vendor_form.vendor_data(),
                details=vendor_details(vendor_form, formsets),
                note=note,
            )
        except services.SelectionError as error:
            problem = str(error)
        else:
            messages.success(
                request,
                f"Proposal #{proposal.pk} accepted: \u201c{saved.name}"
                "\u201d is updated and its history says why.",
            )
            return redirect("vendors:curation-queue")
    return render(
        request,
        "vendors/curation_review.html",
        {
            "proposal": proposal,
            "vendor": vendor,
            "form": form,
            "problem": problem,
            "changes": describe_changes(
                proposal.base, proposal.proposed, current if vendor is not None else None
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@curators_only
@require_GET
def vendor_curate(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_vendor(request, pk, write=True)
    return _curate_page(request, vendor)


def _curate_page(
    request: HttpRequest,
    vendor: Vendor,
    *,
    forms: dict | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    return render(
        request,
        "vendors/vendor_curate.html",
        {
            "vendor": vendor,
            "references": vendor_references(vendor),
            "in_use": vendor_in_use(vendor),
            "deactivate_form": forms.get("deactivate") or CuratorReasonForm(prefix="deactivate"),
            "merge_form": forms.get("merge") or MergeForm(prefix="merge", source=vendor),
            "delete_form": forms.get("delete") or CuratorReasonForm(prefix="delete"),
            "problem": problem,
        },
        status=status,
    )


@curators_only
@require_POST
def vendor_deactivate(request: MemberRequest, pk: int) -> HttpResponse:
    vendor = get_vendor(request, pk, write=True)
    form = CuratorReasonForm(request.POST, prefix="deactivate")
    if not form.is_valid():
        return _curate_page(request, vendor, forms={"deactivate": form}, status=400)
    try:
        services.vendor_deactivate(
            vendor=vendor, user=request.user, reason=form.cleaned_data["reason"]
        )
    except services.SelectionError as error:
        return _curate_page(request, vendor, problem=str(error), status=400)
    messages.success(
        request,
        f"\u201c{vendor.name}\u201d is inactive: no shortlist proposes "
        "it, and what organisations hold about it is untouched.",
    )
    return redirect("vendors:vendor-curate", pk=vendor.pk)


@curators_only
@require_POST
def vendor_merge(request: MemberRequest, pk: int) -> HttpResponse:
    vendor = get_vendor(request, pk, write=True)
    form = MergeForm(request.POST, prefix="merge", source=vendor)
    if not form.is_valid():
        return _curate_page(request, vendor, forms={"merge": form}, status=400)
    try:
        target = services.vendor_merge(
            source=vendor,
            target=form.cleaned_data["target"],
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.SelectionError as error:
        return _curate_page(request, vendor, forms={"merge": form}, problem=str(error), status=400)
    messages.success(
        request,
        f"Merged \u201c{vendor.name}\u201d into \u201c{target.name}"
        "\u201d. Every record that used it now uses the kept one.",
    )
    return redirect("vendors:vendor-curate", pk=target.pk)


@curators_only
@require_POST
def vendor_delete(request: MemberRequest, pk: int) -> HttpResponse:
    vendor = get_vendor(request, pk, write=True)
    form = CuratorReasonForm(request.POST, prefix="delete")
    if not form.is_valid():
        return _curate_page(request, vendor, forms={"delete": form}, status=400)
    name = vendor.name
    try:
        services.vendor_delete(vendor=vendor, user=request.user, reason=form.cleaned_data["reason"])
    except services.SelectionError as error:
        return _curate_page(request, vendor, problem=str(error), status=400)
    messages.success(request, f"Deleted \u201c{name}\u201d. Its history is kept.")
    return redirect("vendors:curation-queue")
