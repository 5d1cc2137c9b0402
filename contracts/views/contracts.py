"""Contract pages: the list, creating and editing, the contract page itself, the draft
made from an award, and the record of one vendor across this organisation's contracts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import can_edit, organisation_of, require_edit
from contracts import charts, services
from contracts.access import get_award_for, get_contract_for
from contracts.forms import ContractForm, DocumentForm
from contracts.models import ContractStatus, GovernanceReview, ImprovementAction, Issue
from contracts.selectors import contracts as contract_reads
from contracts.selectors import slas as sla_reads
from contracts.selectors.renewals import renewal_action
from contracts.selectors.savings import covered_processes, savings_frame, savings_summary
from contracts.selectors.scorecards import contract_scorecard, vendor_record
from vendors.access import get_vendor


@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in ContractStatus.values:
        status = None
    today = timezone.localdate()
    contracts = list(contract_reads.contract_list(organisation_of(request), status=status,
                                                  today=today))
    credits = contract_reads.credits_by_contract(contracts)
    return render(request, "contracts/list.html", {
        "contracts": [(c, credits.get(c.pk)) for c in contracts],
        "statuses": ContractStatus.choices,
        "status": status,
        "can_edit": can_edit(request),
    })


@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest) -> HttpResponse:
    require_edit(request)
    organisation = organisation_of(request)
    form = ContractForm(request.POST or None, organisation=organisation,
                        initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        contract = services.contract_create(organisation=organisation, data=form.cleaned_data,
                                               user=request.user)
        messages.success(request, f"Contract “{contract.title}” saved. Add its SLAs next.")
        return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/contract_form.html", {"form": form, "contract": None})


@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    form = ContractForm(request.POST or None, instance=contract,
                        organisation=contract.organisation)
    if request.method == "POST" and form.is_valid():
        services.contract_update(contract=contract, data=form.cleaned_data, user=request.user)
        messages.success(request, f"Contract “{contract.title}” saved.")
        return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/contract_form.html", {"form": form, "contract": contract})


@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    today = timezone.localdate()
    processes = covered_processes(contract)
    slas = list(contract.slas.all())
    credit_rows = sla_reads.credit_rows(contract)
    credits = sla_reads.credits_frame(credit_rows)
    reviews = list(GovernanceReview.objects.filter(contract=contract))
    issues = list(Issue.objects.filter(contract=contract).select_related("owner"))
    actions = list(ImprovementAction.objects.filter(contract=contract).select_related("owner"))
    savings = savings_summary(contract, processes, today)
    savings_table = savings_frame(savings)
    return render(request, "contracts/detail.html", {
        "contract": contract,
        "today": today,
        "processes": processes,
        "renewal": renewal_action(contract, today) if contract.is_live else None,
        "slas": sla_reads.sla_summaries(slas, sla_reads.latest_computation(contract), today),
        "credits": credits.to_dict("records"),
        "credit_totals": sla_reads.credit_totals(credit_rows),
        "credits_chart": charts.figure_data(charts.credits_chart(
            credits, currency=contract.currency)) if len(credits) else None,
        "scorecard": contract_scorecard(contract, today),
        "savings": savings,
        "savings_chart": charts.figure_data(charts.savings_chart(
            savings_table, currency=contract.currency)) if len(savings_table) else None,
        "reviews": reviews,
        "issues": [(issue, issue.is_overdue(today)) for issue in issues],
        "actions": [(action, action.is_overdue(today)) for action in actions],
        "documents": list(contract.documents.select_related("uploaded_by")),
        "document_form": DocumentForm(),
        "history": contract_reads.contract_history(contract),
        "can_edit": can_edit(request),
    })


@require_http_methods(["GET", "POST"])
def contract_from_award(request: HttpRequest, award_pk: int) -> HttpResponse:
    """GET (where the award page redirects): confirm, or go to the draft made earlier;
    POST: create the draft once, then edit it."""
    award = get_award_for(request, award_pk, write=True)
    existing = getattr(award, "contract", None)
    if request.method == "GET":
        if existing is not None:
            messages.info(request, f"The draft contract for this award already exists: "
                                   f"“{existing.title}”.")
            return redirect("contracts:detail", pk=existing.pk)
        return render(request, "contracts/from_award.html", {
            "award": award, "terms": services.contracts.award_contract_terms(award)})
    contract, created = services.contract_create_from_award(award=award, user=request.user)
    if created:
        messages.success(request, f"Draft contract created from the award to "
                                  f"{award.vendor.name}. Check the terms, then add the SLAs.")
        return redirect("contracts:edit", pk=contract.pk)
    messages.info(request, f"The draft contract for this award already exists: “{contract.title}”.")
    return redirect("contracts:detail", pk=contract.pk)


@require_GET
def vendor_contracts(request: HttpRequest, vendor_pk: int) -> HttpResponse:
    """This organisation's contracts with one vendor, their SLA record, open issues and
    the scorecard. The vendor is shared reference data; the record is the organisation's
    own, so another organisation sees only its own contracts here."""
    vendor = get_vendor(request, vendor_pk)
    today = timezone.localdate()
    record = vendor_record(organisation_of(request), vendor, today)
    return render(request, "contracts/vendor_record.html", {
        "record": record,
        "vendor": vendor,
        "today": today,
        "contract_rows": [(c, record.sla_record[c.pk], record.savings[c.pk])
                          for c in record.contracts],
        "open_issues": [(i, i.is_overdue(today), i.age_days(today))
                        for i in record.issues if i.is_open],
        "credit_months": sla_reads.credits_by_month(record.credits).to_dict("records"),
    })
