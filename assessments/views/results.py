"""The results pages: recommendations, one process (scores, what-if, override), roadmap,
and the export. CIOs read everything here and may play with the what-if panel, which
saves nothing; only managers and admins override."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from accounts.access import MemberRequest, can_edit
from assessments import charts
from assessments.access import get_assessment_for, get_process_for, get_recommendation_for
from assessments.chart_cache import cached_figure
from assessments.engine.confidence import confidence_reason
from assessments.engine.exports import Column, Sheet, table_csv, workbook
from assessments.engine.flags import describe_flags
from assessments.engine.questions import QUESTIONS
from assessments.engine.rules import SCORE_LIMIT
from assessments.engine.scoring import Recommendation as ScoredProcess
from assessments.engine.scoring import score_process
from assessments.filters import RecommendationFilter
from assessments.forms.results import OverrideForm, WhatIfError, parse_what_if
from assessments.models import Assessment, Process, Recommendation
from assessments.projections import selectors as projection_selectors
from assessments.selectors import recommendations as selectors
from assessments.services import assessments as services

# (sort key, column heading, numeric): the sortable columns of the recommendations table.
SORTABLE_COLUMNS = (
    ("name", "Process", False),
    ("function", "Function", False),
    ("cost", "Annual cost", True),
    ("model", "Model", False),
    ("location", "Location", False),
    ("confidence", "Confidence", True),
    ("wave", "Wave", True),
    ("start", "Start month", True),
)
PAGE_SIZE = 100  # table rows per page: a 500-row table costs the server and the reader
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What the numeric columns of the recommendations export hold, so each header names its
# unit ("Annual cost (GBP)", "Confidence (%)") and each cell is rounded and formatted.
EXPORT_KINDS = {
    "Annual cost": Column("Annual cost", "money"),
    "FTE": Column("FTE", "number"),
    "Confidence": Column("Confidence", "share"),
    "Wave": Column("Wave", "count"),
    "Start month": Column("Start month", "count"),
    "Go-live month": Column("Go-live month", "count"),
}


@require_GET
def assessment_results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    recommendations = selectors.recommendations_for(assessment)
    filterset = RecommendationFilter(request.GET or None, queryset=recommendations)
    filtered = any(request.GET.get(name) for name in filterset.filters)
    # The mix and the objectives read every row; the table only the filtered ones.
    everything = selectors.assessment_rows(assessment)
    rows = selectors.recommendation_rows(filterset.qs, answers=False) if filtered else everything
    mix = selectors.sourcing_mix(everything)
    page = Paginator(selectors.records(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    projection = projection_selectors.latest_projection(assessment)
    finished = projection_selectors.latest_finished_projection(assessment, projection)
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": assessment,
            "filterset": filterset,
            "filtered": filtered,
            "rows": _with_detail_urls(list(page), assessment),
            "page": page,
            "page_links": _page_links(request, page),
            "matching": len(rows),
            "total": len(everything),
            "columns": _sort_columns(request),
            "mix": selectors.records(mix),
            "mix_chart": cached_figure(charts.mix_chart, mix, currency=assessment.currency)
            if len(everything)
            else None,
            "objective_fits": selectors.objective_fit_for(assessment, everything, finished),
            "projection": projection,
            "can_edit": can_edit(request),
        },
    )


def _with_detail_urls(records: list[dict], assessment: Assessment) -> list[dict]:
    """Each row gets its process page's URL: reverse() once, not once a row (~20 µs each)."""
    marker = "2147483647"
    pattern = reverse("assessments:process-detail", args=[assessment.pk, int(marker)])
    head, _, tail = pattern.rpartition(marker)
    for record in records:
        record["detail_url"] = f"{head}{record['process_id']}{tail}"
    return records


def _page_links(request: HttpRequest, page: Page[dict[str, Any]]) -> dict[str, str | None]:
    """Links to the previous and next page of the table, keeping filters and sort."""

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return f"?{params.urlencode()}"

    return {
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


def _sort_columns(request: HttpRequest) -> list[dict]:
    """Each sortable heading with the link that sorts by it (again: the other way)."""
    current = request.GET.get("sort", "")
    columns = []
    for key, label, numeric in SORTABLE_COLUMNS:
        params = request.GET.copy()
        params.pop("page", None)  # a new order starts at the first page
        direction = {key: "ascending", f"-{key}": "descending"}.get(current)
        params["sort"] = f"-{key}" if direction == "ascending" else key
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": numeric,
                "url": f"?{params.urlencode()}",
                "aria_sort": direction,
            }
        )
    return columns


@require_GET
def process_detail(request: HttpRequest, pk: int, process_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    process = get_process_for(request, assessment, process_pk)
    return _process_page(request, assessment, process)


def _process_page(
    request: HttpRequest,
    assessment: Assessment,
    process: Process,
    *,
    override_form: OverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    recommendation = _recommendation_or_none(request, process)
    answers = process.engine_answers
    live = score_process(answers)
    if recommendation is not None:
        scores, chosen = recommendation.scores, recommendation.model
    else:
        scores, chosen = live.scores, live.model
    if override_form is None and recommendation is not None:
        override_form = OverrideForm(
            initial={
                "model": recommendation.override_model or _overridable(recommendation.model),
                "location": recommendation.override_location or recommendation.location,
            }
        )
    response = render(
        request,
        "assessments/process_detail.html",
        {
            "assessment": assessment,
            "process": process,
            "recommendation": recommendation,
            "model_labels": selectors.MODEL_LABELS,
            "location_labels": selectors.LOCATION_LABELS,
            "flags": describe_flags(recommendation.flags) if recommendation else [],
            "snapshot": _snapshot(recommendation),
            "scores_chart": cached_figure(
                charts.scores_bar, scores, chosen=chosen, process_name=process.name
            ),
            "scores_table": [(selectors.MODEL_LABELS[m], value) for m, value in scores.items()],
            "override_form": override_form,
            "what_if_questions": _what_if_questions(answers),
            "live": _what_if_payload(live, process),
            "score_limit": SCORE_LIMIT,
            "confidence_reason": confidence_reason(
                recommendation.confidence,
                recommendation.scores,
                guard_rail=recommendation.guard_rail,
            )
            if recommendation is not None
            else "",
            "can_edit": can_edit(request),
        },
        status=status,
    )
    return response


def _recommendation_or_none(request: HttpRequest, process: Process) -> Recommendation | None:
    try:
        return get_recommendation_for(request, process)
    except Http404:
        return None  # a draft that was never scored


def _overridable(model: str) -> str:
    return "" if model == "insufficient_evidence" else model


def _snapshot(recommendation: Recommendation | None) -> dict | None:
    """The inputs the engine scored, as (question, answer, anchor) rows and the figures."""
    if recommendation is None:
        return None
    inputs = recommendation.inputs or {}
    answers = inputs.get("answers") or {}
    return {
        "answers": [
            {
                "label": q.label,
                "answer": answers.get(q.key),
                "anchor": q.anchor_for(answers[q.key]) if answers.get(q.key) else None,
            }
            for q in QUESTIONS
        ],
        "annual_cost": _decimal_or_none(inputs.get("annual_cost")),
        "fte": _decimal_or_none(inputs.get("fte")),
        "business_function": inputs.get("business_function"),
        "engine_version": recommendation.engine_version,
        "created_at": recommendation.created_at,
    }


def _decimal_or_none(value: object) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except ArithmeticError:
        return None


def _what_if_questions(answers: dict[str, int | None]) -> list[dict]:
    return [
        {
            "key": q.key,
            "label": q.label,
            "text": q.text,
            "current": answers.get(q.key),
            "choices": [
                (n, f"{n}: {q.anchor_for(n)}" if q.anchor_for(n) else str(n)) for n in range(1, 6)
            ],
        }
        for q in QUESTIONS
    ]


def _what_if_payload(result: ScoredProcess, process: Process) -> dict:
    """The engine's result plus the labels the page shows (JSON-ready)."""
    data = result.to_dict()
    data.update(
        model_label=selectors.MODEL_LABELS[result.model],
        location_label=selectors.LOCATION_LABELS.get(result.location, "")
        if result.location
        else "",
        confidence_percent=None if result.confidence is None else round(result.confidence * 100),
        confidence_reason=confidence_reason(
            result.confidence, result.scores, guard_rail=result.guard_rail
        ),
        flag_details=[flag._asdict() for flag in describe_flags(result.flags)],
        scores_labelled=[
            {"model": m, "label": selectors.MODEL_LABELS[m], "score": s}
            for m, s in result.scores.items()
        ],
        # The page's own scores draw the same figure as its chart: built once.
        scores_figure=cached_figure(
            charts.scores_bar, result.scores, chosen=result.model, process_name=process.name
        ),
    )
    return data


@require_POST
def process_what_if(request: HttpRequest, pk: int, process_pk: int) -> JsonResponse:
    """Score answers sent as JSON without saving anything: any member may try them."""
    assessment = get_assessment_for(request, pk)
    process = get_process_for(request, assessment, process_pk)
    try:
        answers = parse_what_if(request.body)
    except WhatIfError as error:
        return JsonResponse({"error": str(error), "field": error.field}, status=400)
    return JsonResponse(_what_if_payload(score_process(answers), process))


@require_POST
def process_override(request: MemberRequest, pk: int, process_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk, write=True)
    process = get_process_for(request, assessment, process_pk, write=True)
    recommendation = get_recommendation_for(request, process, write=True)
    if request.POST.get("action") == "clear":
        if recommendation.is_overridden:
            services.recommendation_clear_override(recommendation=recommendation, user=request.user)
            messages.success(
                request,
                "Override cleared: the engine's recommendation applies "
                "again and the roadmap was rebuilt.",
            )
        return redirect("assessments:process-detail", pk=assessment.pk, process_pk=process.pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _process_page(request, assessment, process, override_form=form, status=400)
    services.recommendation_override(
        recommendation=recommendation,
        model=form.cleaned_data["model"],
        location=form.cleaned_data["location"],
        justification=form.cleaned_data["justification"],
        user=request.user,
    )
    messages.success(
        request,
        "Override saved. The engine's own answer stays beside it, and the roadmap was rebuilt.",
    )
    return redirect("assessments:process-detail", pk=assessment.pk, process_pk=process.pk)


@require_GET
def assessment_roadmap(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    rows = selectors.assessment_rows(assessment)
    roadmap = selectors.roadmap_frame(rows)
    waves = selectors.wave_summary(
        roadmap, horizon=assessment.horizon_months, discount_rate=float(assessment.discount_rate)
    )
    unscheduled = rows[rows["wave"].isna()]
    return render(
        request,
        "assessments/roadmap.html",
        {
            "assessment": assessment,
            "total": len(rows),
            "waves": waves,
            "scheduled": _with_detail_urls(selectors.records(roadmap), assessment),
            "unscheduled": _with_detail_urls(selectors.records(unscheduled), assessment),
            # A wave leads to vendor selection: a sourcing event with the wave's scope.
            "can_start_event": can_edit(request) and not assessment.is_draft,
            "timeline": cached_figure(
                charts.roadmap_timeline, roadmap, horizon=assessment.horizon_months
            )
            if not roadmap.empty
            else None,
            "can_edit": can_edit(request),
        },
    )


@require_GET
def recommendations_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404("Export as csv or xlsx.")
    assessment = get_assessment_for(request, pk)
    rows = selectors.recommendation_rows(selectors.recommendations_for(assessment), answers=False)
    _, table = selectors.recommendation_export_table(rows, currency=assessment.currency)
    columns = [EXPORT_KINDS.get(title, Column(title)) for title in selectors.EXPORT_COLUMNS]
    if fmt == "csv":
        content = table_csv(columns, table, currency=assessment.currency)
    else:
        content = workbook(
            [
                Sheet(
                    "Recommendations", columns, table, empty_text="No processes in this assessment."
                )
            ],
            currency=assessment.currency,
        )
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    filename = f"{slugify(assessment.name) or 'assessment'}-recommendations.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
