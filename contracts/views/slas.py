"""SLAs and measurements: add and change SLAs, record a month, import a file, the SLA
page with its trend, and the working behind one month's credit."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import MemberRequest, can_edit
from accounts.engine.formatting import count_of, money
from accounts.engine.text_cells import neutralise
from assessments.chart_cache import cached_figure
from contracts import charts, services
from contracts.access import get_contract_for, get_credit_for, get_sla_for
from contracts.engine.periods import month_start, period_label
from contracts.forms import MeasurementImportForm, MeasurementMonthForm, SlaForm
from contracts.models import Contract, CreditComputation, ServiceCredit
from contracts.selectors import slas as sla_reads


def _credits_url(contract: Contract) -> str:
    return f"{reverse('contracts:detail', args=[contract.pk])}#credits"


def _outcome(contract: Contract, period: dt.date, computation: CreditComputation | None) -> str:
    credit = ServiceCredit.objects.filter(contract=contract, period=period).first()
    if computation is None or credit is None:
        return "Nothing measured yet, so no credit."
    if not credit.breaches:
        return f"{period_label(period)}: every SLA measured was met; no credit."
    return (
        f"{period_label(period)}: {count_of(credit.breaches, 'breach', 'breaches')}, "
        "service credit "
        f"{money(credit.total, contract.currency)}. That is gross: where an SLA allows "
        "earn-back, its credit is returned if it is met in each of the next three months."
    )


@require_http_methods(["GET", "POST"])
def sla_create(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    form = SlaForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        sla = services.sla_create(contract=contract, data=form.cleaned_data, user=request.user)
        messages.success(request, f"SLA “{sla.name}” added.")
        return redirect(f"{contract.get_absolute_url()}#slas")
    return render(
        request, "contracts/sla_form.html", {"contract": contract, "form": form, "sla": None}
    )


@require_http_methods(["GET", "POST"])
def sla_edit(request: MemberRequest, pk: int, sla_pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    sla = get_sla_for(request, contract, sla_pk, write=True)
    form = SlaForm(request.POST or None, instance=sla, contract=contract)
    if request.method == "POST" and form.is_valid():
        services.sla_update(sla=sla, data=form.cleaned_data, user=request.user)
        messages.success(request, f"SLA “{sla.name}” saved; credits recomputed.")
        return redirect("contracts:sla-detail", pk=contract.pk, sla_pk=sla.pk)
    return render(
        request, "contracts/sla_form.html", {"contract": contract, "form": form, "sla": sla}
    )


@require_POST
def sla_delete(request: MemberRequest, pk: int, sla_pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    sla = get_sla_for(request, contract, sla_pk, write=True)
    name = sla.name
    services.sla_delete(sla=sla, user=request.user)
    messages.success(request, f"SLA “{name}” and its measurements removed; credits recomputed.")
    return redirect(f"{contract.get_absolute_url()}#slas")


@require_GET
def sla_detail(request: HttpRequest, pk: int, sla_pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    sla = get_sla_for(request, contract, sla_pk)
    frame = sla_reads.sla_trend_frame(sla)
    return render(
        request,
        "contracts/sla_detail.html",
        {
            "contract": contract,
            "sla": sla,
            "rows": frame.to_dict("records"),
            # Drawn once per change of the SLA or its months (assessments.chart_cache).
            "chart": cached_figure(
                charts.sla_trend_chart,
                frame,
                name=sla.name,
                unit=sla.unit,
                target=sla.target,
                minimum=sla.minimum,
                direction=sla.direction,
            )
            if len(frame)
            else None,
            "can_edit": can_edit(request),
        },
    )


@require_http_methods(["GET", "POST"])
def measurements_record(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    today = timezone.localdate()
    slas = list(contract.slas.all())
    default_month = min(month_start(today), month_start(contract.end_date))
    form = MeasurementMonthForm(
        request.POST or None,
        contract=contract,
        slas=slas,
        today=today,
        initial={"period": default_month},
    )
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        computation = services.measurements_record(
            contract=contract,
            period=period,
            actuals=form.cleaned_data["actuals"],
            user=request.user,
            today=today,
        )
        messages.success(request, f"Measurements saved. {_outcome(contract, period, computation)}")
        return redirect(_credits_url(contract))
    return render(
        request,
        "contracts/measurements_form.html",
        {
            "contract": contract,
            "form": form,
            "slas": slas,
            "sla_fields": [form[form.field_name(sla)] for sla in slas],
        },
    )


@require_http_methods(["GET", "POST"])
def measurements_import(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    today = timezone.localdate()
    units = dict(contract.slas.values_list("name", "unit"))
    names = list(units)
    form = MeasurementImportForm(
        request.POST or None,
        request.FILES or None,
        contract=contract,
        sla_names=names,
        sla_units=units,
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        rows = form.cleaned_data["rows"]
        services.measurements_import(contract=contract, rows=rows, user=request.user, today=today)
        months = len({row.period for row in rows})
        messages.success(
            request,
            f"Imported {count_of(len(rows), 'measurement')} for {count_of(months, 'month')}; "
            "credits recomputed.",
        )
        return redirect(_credits_url(contract))
    return render(
        request,
        "contracts/measurements_import.html",
        {"contract": contract, "form": form, "sla_names": names},
    )


@require_GET
def measurements_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV to fill in: every SLA for the latest month the contract can be measured.

    An SLA name a spreadsheet would run as a formula is written with a leading quote."""
    contract = get_contract_for(request, pk)
    month = min(month_start(timezone.localdate()), month_start(contract.end_date))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="measurements-{contract.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["sla", "period", "actual"])
    for name in contract.slas.values_list("name", flat=True):
        writer.writerow([neutralise(name), f"{month:%Y-%m}", ""])
    return response


@require_GET
def credit_detail(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    contract = get_contract_for(request, pk)
    try:
        period = dt.date(year, month, 1)
    except ValueError:
        period = None
    credit = get_credit_for(request, contract, period=period)
    return render(
        request,
        "contracts/credit_detail.html",
        {
            "contract": contract,
            "credit": credit,
            "explanation": sla_reads.credit_explanation(credit),
        },
    )
