"""A contract's exit plan: the checklist with its owners and dates, the exit-readiness
score with its reasons, and the cost of leaving. Everyone in the organisation reads it;
managers and admins edit it (as the rest of the contract)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import MemberRequest, can_edit
from contracts.access import get_contract_for
from contracts.forms.exit_plans import ExitPlanForm
from contracts.selectors.exit_plans import exit_plan_view
from contracts.services.exit_plans import exit_plan_save


@require_GET
def exit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    view = exit_plan_view(contract, timezone.localdate())
    return render(
        request,
        "contracts/exit_plan.html",
        {"contract": contract, "plan": view, "can_edit": can_edit(request)},
    )


@require_http_methods(["GET", "POST"])
def exit_plan_edit(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    today = timezone.localdate()
    view = exit_plan_view(contract, today)
    form = ExitPlanForm(
        request.POST or None,
        organisation=contract.organisation,
        today=today,
        initial={
            row.spec.key: {
                "status": row.status,
                "owner": row.owner.pk if row.owner else None,
                "due_on": row.due_on,
                "notes": row.notes,
            }
            for row in view.items
        },
        notes=view.notes,
        current_owners=view.owners,
    )
    if request.method == "POST":
        if form.is_valid():
            exit_plan_save(
                contract=contract,
                items=form.changes(),
                notes=form.notes,
                user=request.user,
                today=today,
            )
            messages.success(request, "Exit plan saved.")
            return redirect("contracts:exit-plan", pk=contract.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "contracts/exit_plan_form.html",
        {
            "contract": contract,
            "plan": view,
            "form": form,
            "rows": list(zip(view.items, form.items, strict=True)),
        },
        status=status,
    )
