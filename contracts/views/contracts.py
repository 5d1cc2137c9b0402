"""Contract pages: the list, creating and editing, the contract page itself, the draft
made from an award, and the record of one vendor across this organisation's contracts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import MemberRequest, can_edit, organisation_of, require_edit
from assessments.chart_cache import cached_figure
from contracts import charts, services
from contracts.access import get_award_for, get_contract_for
from contracts.forms import ContractForm, DocumentForm
from contracts.models import ContractStatus
from contracts.selectors import contracts as contract_reads
from contracts.selectors import slas as sla_reads
from contracts.selectors.exit_plans import exit_plan_view
from contracts.selectors.scorecards import vendor_record
from vendors.access import get_vendor


@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in ContractStatus.values:
        status = None
    today = timezone.localdate()
    contracts = list(
        contract_reads.contract_list(organisation_of(request), status=status, today=today)
    )
    credits = contract_reads.credits_by_contract(contracts)
    return render(
        request,
        "contracts/list.html",
        {
            "contracts": [(c, credits.get(c.pk)) for c in contracts],
            "statuses": ContractStatus.choices,
            "status": status,
            "can_edit": can_edit(request),
        },
    )


@require_http_methods(["GET", "POST"])
def contract_create(request: MemberRequest) -> HttpResponse:
    require_edit(request)
    organisation = organisation_of(request)
    form = ContractForm(
        request.POST or None, organisation=organisation, initial={"owner": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        contract = services.contract_create(
            organisation=organisation, data=form.cleaned_data, user=request.user
        )
        messages.success(request, f"Contract “{contract.title}” saved. Add its SLAs next.")
        return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/contract_form.html", {"form": form, "contract": None})


@require_http_methods(["GET", "POST"])
def contract_edit(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    form = ContractForm(request.POST or None, instance=contract, organisation=contract.organisation)
    if request.method == "POST" and form.is_valid():
        services.contract_update(contract=contract, data=form.cleaned_data, user=request.user)
        messages.success(request, f"Contract “{contract.title}” saved.")
        return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/contract_form.html", {"form": form, "contract": contract})


def _chart(
    build: Callable[..., go.Figure], frame: pd.DataFrame, currency: str
) -> dict[str, Any] | None:
    """The chart's JSON (None without rows), cached under a digest of what it draws
    (``assessments.chart_cache``): building a Plotly figure costs more than the rest of
    the page. A cache that is down answers as empty, and the chart is built."""
    if not len(frame):
        return None
    return cached_figure(build, frame, currency=currency)


@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    page = contract_reads.contract_page(contract, timezone.localdate())
    currency = contract.currency
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "today": page.today,
            "processes": page.processes,
            "renewal": page.renewal,
            "slas": page.slas,
            "credits": page.credits.to_dict("records"),
            "credit_totals": page.credit_totals,
            "credits_chart": _chart(charts.credits_chart, page.credits, currency),
            "scorecard": page.scorecard,
            "savings": page.savings,
            "savings_chart": _chart(charts.savings_chart, page.savings_table, currency),
            "reviews": page.reviews,
            "issues": page.issues,
            "actions": page.actions,
            "documents": page.documents,
            "document_form": DocumentForm(),
            "history": page.history,
            "exit": exit_plan_view(contract, page.today, page.processes),
            "can_edit": can_edit(request),
        },
    )


@require_http_methods(["GET", "POST"])
def contract_from_award(request: MemberRequest, award_pk: int) -> HttpResponse:
    """GET (where the award page redirects): confirm, or go to the draft made earlier;
    POST: create the draft once, then edit it."""
    award = get_award_for(request, award_pk, write=True)
    existing = getattr(award, "contract", None)
    if request.method == "GET":
        if existing is not None:
            messages.info(
                request, f"The draft contract for this award already exists: “{existing.title}”."
            )
            return redirect("contracts:detail", pk=existing.pk)
        return render(
            request,
            "contracts/from_award.html",
            {"award": award, "terms": services.contracts.award_contract_terms(award)},
        )
    contract, created = services.contract_create_from_award(award=award, user=request.user)
    if created:
        messages.success(
            request,
            f"Draft contract created from the award to "
            f"{award.vendor.name}. Check the terms, then add the SLAs.",
        )
        return redirect("contracts:edit", pk=contract.pk)
    messages.info(request, f"The draft contract for this award already exists: “{contract.title}”.")
    return redirect("contracts:detail", pk=contract.pk)


@require_GET
def vendor_contracts(request: HttpRequest, vendor_pk: int) -> HttpResponse:
    """This organisation's contracts with one vendor, their SLA record, open issues and
    the scorecard. The vendor is shared reference data; the record is the organisation's
    own, so another organisation sees only its own contracts here."""
    vendor = get_vendor(request, vendor_pk, profile=False)  # the page shows its name only
    today = timezone.localdate()
    record = vendor_record(organisation_of(request), vendor, today)
    return render(
        request,
        "contracts/vendor_record.html",
        {
            "record": record,
            "vendor": vendor,
            "today": today,
            "contract_rows": [
                (c, record.sla_record[c.pk], record.savings[c.pk]) for c in record.contracts
            ],
            "open_issues": [
                (i, i.is_overdue(today), i.age_days(today)) for i in record.issues if i.is_open
            ],
            "credit_months": sla_reads.credits_by_month(record.credits),
        },
    )
