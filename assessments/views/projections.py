"""Savings projection pages: start one, watch it (a small JSON endpoint), read and export it.

Every member reads projections, and managers, admins and CIOs alike may start one: a
projection changes no decision, it only computes. Nothing here waits for the work: the
start request saves a queued projection and returns. A person or an organisation with
too many projections unfinished is told so (429) and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import roles_required
from accounts.models import Role
from assessments.access import get_assessment_for, get_projection_for
from assessments.chart_cache import cached_figure
from assessments.engine.exports import table_csv, workbook
from assessments.models import Assessment, Projection, ProjectionStatus
from assessments.projections import charts as projection_charts
from assessments.projections import results as projection_results
from assessments.projections import services as projections
from assessments.projections.assumption_sets import described as described_assumptions
from assessments.projections.forms import ProjectionForm

may_start = roles_required(Role.MANAGER, Role.CIO, Role.ADMIN)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSV_TABLES = {
    "yearly": (projection_results.YEARLY_COLUMNS, projection_results.yearly_rows),
    "monthly": (projection_results.MONTHLY_COLUMNS, projection_results.monthly_rows),
}


@require_POST
@may_start
def projection_start(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    form = ProjectionForm(request.POST, assessment=assessment)
    if not form.is_valid():
        return render(
            request,
            "assessments/projection_start.html",
            {"assessment": assessment, "form": form},
            status=400,
        )
    try:
        projection = projections.projection_request(
            assessment=assessment, user=request.user, quota=True, **form.cleaned_data
        )
    except projections.ProjectionQuotaError as refusal:
        form.add_error(None, str(refusal))  # what was typed stays in the form
        return render(
            request,
            "assessments/projection_start.html",
            {"assessment": assessment, "form": form},
            status=429,
        )
    projection.refresh_from_db(fields=["status", "send_failures"])  # sent on commit, above
    messages.add_message(request, *_started_message(projection))
    return redirect("assessments:projection-detail", pk=assessment.pk, projection_pk=projection.pk)


def _started_message(projection: Projection) -> tuple[int, str]:
    if projection.status == ProjectionStatus.DONE:
        return messages.SUCCESS, "Projection finished."
    if projection.status == ProjectionStatus.FAILED:
        return messages.ERROR, "The projection could not be started; see below."
    if projection.send_failures:
        return messages.WARNING, projections.QUEUE_DOWN
    return messages.SUCCESS, (
        "Projection started. This page shows its progress; you may leave it and come back later."
    )


@require_GET
def projection_detail(request: HttpRequest, pk: int, projection_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    projection = get_projection_for(request, assessment, projection_pk)
    context = {
        "assessment": assessment,
        "projection": projection,
        "form": ProjectionForm(
            assessment=assessment, initial=ProjectionForm.initial_from(projection)
        ),
        "processes": projection.inputs.get("processes", []),
        "status_url": _status_url(assessment, projection),
        "assumption_set": described_assumptions(projection.inputs),
    }
    if projection_results.has_figures(projection.result):
        context.update(_figures(projection.result, currency=assessment.currency))
    return render(request, "assessments/projection_detail.html", context)


def _figures(result: Mapping[str, Any], *, currency: str) -> dict:
    fan = projection_results.fan_frame(result)
    waves = projection_results.wave_frame(result)
    tornado = projection_results.tornado_frame(result)
    headline = projection_results.headline(result)
    return {
        "headline": headline,
        "fan_chart": cached_figure(projection_charts.fan_chart, fan, currency=currency),
        "fan_table": fan[fan["month"] % 12 == 11].to_dict("records")
        if len(fan) >= 12
        else fan.tail(1).to_dict("records"),
        "waterfall_chart": cached_figure(
            projection_charts.npv_waterfall, waves, total=headline["npv"], currency=currency
        ),
        "wave_table": waves.to_dict("records"),
        "tornado_chart": cached_figure(
            projection_charts.tornado_chart, tornado, base_npv=headline["npv"], currency=currency
        ),
        "tornado_table": tornado.to_dict("records"),
        "yearly_header": projection_results.YEARLY_HEADER,
        "yearly_rows": projection_results.yearly_rows(result),
    }


@never_cache
@require_GET
def projection_status(request: HttpRequest, pk: int, projection_pk: int) -> JsonResponse:
    assessment = get_assessment_for(request, pk)
    projection = get_projection_for(request, assessment, projection_pk)
    done = projection.status == ProjectionStatus.DONE
    stalled = projections.projection_stalled(projection)
    return JsonResponse(
        {
            "status": projection.status,
            "status_label": projection.get_status_display(),
            "stalled": stalled,
            "stalled_message": projections.STALLED if stalled else None,
            "progress": projection.progress,
            "message": projection.message,
            "result_url": reverse(
                "assessments:projection-detail",
                kwargs={"pk": assessment.pk, "projection_pk": projection.pk},
            )
            if done
            else None,
        }
    )


@require_GET
def projection_export(request: HttpRequest, pk: int, projection_pk: int, fmt: str) -> HttpResponse:
    """Yearly figures and monthly percentiles: CSV (``?table=yearly`` or ``monthly``) or
    an XLSX workbook holding both, the waves, the tornado and a summary of the run. Money
    is rounded to the cent and every header names its unit."""
    assessment = get_assessment_for(request, pk)
    projection = get_projection_for(request, assessment, projection_pk)
    if fmt not in CONTENT_TYPES:
        raise Http404("Exports come as .csv or .xlsx.")
    result = projection.result
    if not projection_results.has_figures(result):
        raise Http404("This projection has no figures to export (yet).")
    name = f"{slugify(assessment.name) or 'assessment'}-projection-{projection.pk}"
    if fmt == "csv":
        table = request.GET.get("table", "yearly")
        if table not in CSV_TABLES:
            raise Http404("The CSV export has a yearly and a monthly table.")
        columns, rows = CSV_TABLES[table]
        body = table_csv(columns, rows(result), currency=assessment.currency)
        name = f"{name}-{table}"
    else:
        body = workbook(
            projection_results.workbook_sheets(
                assessment_name=assessment.name,
                currency=assessment.currency,
                trials=projection.trials,
                seed=projection.seed,
                horizon_months=projection.horizon_months,
                discount_rate=projection.discount_rate,
                engine_version=projection.engine_version,
                result=result,
            ),
            currency=assessment.currency,
        )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _status_url(assessment: Assessment, projection: Projection) -> str:
    return reverse(
        "assessments:projection-status",
        kwargs={"pk": assessment.pk, "projection_pk": projection.pk},
    )
