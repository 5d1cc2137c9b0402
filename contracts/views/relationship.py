"""Relationship management: governance reviews, issues, improvement actions, and the
actual cost per month (realised savings)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.access import MemberRequest
from contracts import services
from contracts.access import get_action_for, get_contract_for, get_issue_for, get_review_for
from contracts.forms import ActionForm, IssueForm, ReviewForm, SavingForm
from contracts.models import Contract

FORM_TEMPLATE = "contracts/relationship_form.html"


def _page(
    request: HttpRequest, contract: Contract, form: forms.BaseForm, heading: str
) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"contract": contract, "form": form, "heading": heading})


def _back(contract: Contract, anchor: str) -> HttpResponse:
    return redirect(f"{contract.get_absolute_url()}#{anchor}")


@require_http_methods(["GET", "POST"])
def review_create(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    form = ReviewForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.review_save(contract=contract, data=form.cleaned_data, user=request.user)
        messages.success(request, "Governance review recorded.")
        return _back(contract, "reviews")
    return _page(request, contract, form, "Record a governance review")


@require_http_methods(["GET", "POST"])
def review_edit(request: MemberRequest, pk: int, review_pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    review = get_review_for(request, contract, review_pk, write=True)
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        services.review_save(
            contract=contract, review=review, data=form.cleaned_data, user=request.user
        )
        messages.success(request, "Governance review saved.")
        return _back(contract, "reviews")
    return _page(request, contract, form, "Edit the governance review")


@require_http_methods(["GET", "POST"])
def issue_create(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    form = IssueForm(
        request.POST or None,
        organisation=contract.organisation,
        initial={"raised_on": timezone.localdate(), "owner": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        issue = services.issue_save(
            contract=contract, data=form.cleaned_data, today=timezone.localdate()
        )
        messages.success(request, f"Issue “{issue.title}” logged.")
        return _back(contract, "issues")
    return _page(request, contract, form, "Log an issue")


@require_http_methods(["GET", "POST"])
def issue_edit(request: HttpRequest, pk: int, issue_pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    issue = get_issue_for(request, contract, issue_pk, write=True)
    form = IssueForm(request.POST or None, instance=issue, organisation=contract.organisation)
    if request.method == "POST" and form.is_valid():
        services.issue_save(
            contract=contract, issue=issue, data=form.cleaned_data, today=timezone.localdate()
        )
        messages.success(request, f"Issue “{issue.title}” saved.")
        return _back(contract, "issues")
    return _page(request, contract, form, "Edit the issue")


@require_http_methods(["GET", "POST"])
def action_create(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    form = ActionForm(
        request.POST or None, organisation=contract.organisation, initial={"owner": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        services.action_save(contract=contract, data=form.cleaned_data)
        messages.success(request, "Improvement action added.")
        return _back(contract, "actions")
    return _page(request, contract, form, "Add an improvement action")


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    action = get_action_for(request, contract, action_pk, write=True)
    form = ActionForm(request.POST or None, instance=action, organisation=contract.organisation)
    if request.method == "POST" and form.is_valid():
        services.action_save(contract=contract, action=action, data=form.cleaned_data)
        messages.success(request, "Improvement action saved.")
        return _back(contract, "actions")
    return _page(request, contract, form, "Edit the improvement action")


@require_http_methods(["GET", "POST"])
def saving_record(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    today = timezone.localdate()
    form = SavingForm(request.POST or None, contract=contract, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saving = services.saving_record(
            contract=contract, period=data["period"], data=data, user=request.user
        )
        messages.success(request, f"Actual cost for {saving.period:%b %Y} recorded.")
        return _back(contract, "savings")
    return _page(request, contract, form, "Record the actual cost of a month")
