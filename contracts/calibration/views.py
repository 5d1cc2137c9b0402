"""The organisation's calibration report, and its choice of assumptions for new projections."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import can_edit
from accounts.engine.formatting import count_of
from assessments.engine.chart_style import figure_data
from assessments.models import CalibratedAssumptions
from contracts.access import get_calibration_organisation_for
from contracts.calibration import charts
from contracts.calibration.forms import STOP, USE, AssumptionChoiceForm
from contracts.calibration.selectors import (
    calibrated_ranges,
    calibration_for,
    stored_assumptions,
)
from contracts.calibration.services import (
    calibrated_assumptions_stop,
    calibrated_assumptions_store,
)
from contracts.engine.calibration import NOMINAL_COVERAGE


def _page(request: HttpRequest, form: AssumptionChoiceForm, status: int = 200) -> HttpResponse:
    organisation = get_calibration_organisation_for(request)
    calibration = calibration_for(organisation, timezone.localdate())
    report = calibration.report
    bands = charts.band_frame(report.band_shares)
    stored = stored_assumptions(organisation)
    context = {
        "calibration": calibration,
        "report": report,
        "nominal": NOMINAL_COVERAGE,
        "chart": figure_data(charts.calibration_chart(bands)),
        "range_rows": [
            (model, calibrated, _stored_range(stored, model))
            for model, calibrated in calibrated_ranges(report).items()
        ],
        "stored": stored,
        "currency": organisation.currency,
        "form": form,
        "can_edit": can_edit(request),
    }
    return render(request, "contracts/calibration.html", context, status=status)


def _stored_range(stored: CalibratedAssumptions | None, model: str) -> list[Decimal] | None:
    triangle = None if stored is None else stored.saving.get(model)
    try:
        return [Decimal(str(v)) for v in triangle] if triangle else None
    except (ArithmeticError, TypeError, ValueError):
        return None


@require_GET
def calibration_report(request: HttpRequest) -> HttpResponse:
    return _page(request, AssumptionChoiceForm())


@require_POST
def calibration_assumptions(request: HttpRequest) -> HttpResponse:
    organisation = get_calibration_organisation_for(request, write=True)
    form = AssumptionChoiceForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    action = form.cleaned_data["action"]
    if action == STOP:
        calibrated_assumptions_stop(organisation=organisation, user=request.user)
        messages.success(request, "New projections start from the published default ranges.")
    else:
        stored = calibrated_assumptions_store(
            organisation=organisation,
            user=request.user,
            use_for_projections=True if action == USE else None,
        )
        messages.success(
            request,
            "New projections start from the calibrated assumptions."
            if action == USE
            else "Calibrated assumptions recomputed from "
            f"{count_of(stored.contracts, 'contract')}.",
        )
    return redirect("contracts:calibration")
