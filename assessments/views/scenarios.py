"""Scenario pages: the list, a scenario's form, projecting it, and the comparison.

Every member reads scenarios and comparisons; managers and admins create, change and
delete them; managers, CIOs and admins may project them (a projection changes no
decision, as on the projection page). A scenario saved is projected at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import can_edit, roles_required
from accounts.models import Role
from assessments.access import get_assessment_for, get_scenario_for
from assessments.engine.exports import table_csv, workbook
from assessments.engine.scenario_compare import (
    FIGURE_COLUMNS,
    Comparison,
    comparison_sheets,
    difference_columns,
    difference_rows,
    figure_rows,
)
from assessments.engine.scenarios import ScenarioError
from assessments.models import Assessment, Scenario
from assessments.projections import services as projections
from assessments.projections.results import payback_text
from assessments.scenarios import charts as scenario_charts
from assessments.scenarios import services
from assessments.scenarios.forms import CompareForm, ScenarioForm
from assessments.scenarios.selectors import changes_of, comparison_of, scenarios_of

may_project = roles_required(Role.MANAGER, Role.CIO, Role.ADMIN)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSV_TABLES = ("figures", "recommendations", "roadmap")


@require_GET
def scenario_list(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    return _list(request, assessment)


def _list(
    request: HttpRequest,
    assessment: Assessment,
    *,
    form: CompareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scenarios = scenarios_of(assessment)
    for scenario in scenarios:
        scenario.describe = changes_of(scenario).describe()  # type: ignore[attr-defined]
    if form is None:
        form = CompareForm(
            choices=[(s.pk, s.name) for s in scenarios],
            initial={"scenarios": [s.pk for s in scenarios[:3]]},
        )
    return render(
        request,
        "assessments/scenarios.html",
        {
            "assessment": assessment,
            "scenarios": scenarios,
            "compare_form": form,
            "can_edit": can_edit(request),
            "can_project": _may_project(request),
        },
        status=status,
    )


def _may_project(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in (Role.MANAGER, Role.CIO, Role.ADMIN)


@require_http_methods(["GET", "POST"])
def scenario_new(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk, write=True)
    return _edit(request, assessment, None)


@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk, write=True)
    scenario = get_scenario_for(request, assessment, scenario_pk, write=True)
    if scenario.is_base:
        messages.info(
            request,
            "The base scenario is the assessment's own settings: change those in the "
            "assessment, or create a new scenario.",
        )
        return redirect("assessments:scenarios", pk=assessment.pk)
    return _edit(request, assessment, scenario)


def _edit(request: HttpRequest, assessment: Assessment, scenario: Scenario | None) -> HttpResponse:
    initial_changes = changes_of(scenario) if scenario is not None else None
    initial = {"name": scenario.name, "description": scenario.description} if scenario else None
    if request.method != "POST":
        form = ScenarioForm(initial=initial, initial_changes=initial_changes)
        return _form_page(request, assessment, scenario, form)
    form = ScenarioForm(request.POST, initial_changes=initial_changes)
    if not form.is_valid():
        return _form_page(request, assessment, scenario, form, status=400)
    try:
        saved = services.scenario_save(
            assessment=assessment,
            user=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            changes=form.cleaned_data["changes"],
            scenario=scenario,
        )
    except services.ScenarioInputError as error:
        form.add_error(None, str(error))
        return _form_page(request, assessment, scenario, form, status=400)
    messages.success(request, f"Scenario {saved.name} saved.")
    if _may_project(request):
        _project(request, saved)
    return redirect("assessments:scenarios", pk=assessment.pk)


def _form_page(
    request: HttpRequest,
    assessment: Assessment,
    scenario: Scenario | None,
    form: ScenarioForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessments/scenario_form.html",
        {"assessment": assessment, "scenario": scenario, "form": form},
        status=status,
    )


@require_POST
def scenario_delete(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk, write=True)
    scenario = get_scenario_for(request, assessment, scenario_pk, write=True)
    try:
        services.scenario_delete(scenario=scenario)
    except services.ScenarioInputError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Scenario {scenario.name} deleted.")
    return redirect("assessments:scenarios", pk=assessment.pk)


@require_POST
@may_project
def scenario_project(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    scenario = get_scenario_for(request, assessment, scenario_pk)
    _project(request, scenario)
    return redirect("assessments:scenarios", pk=assessment.pk)


@require_POST
@may_project
def scenario_project_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the base if need be and project every scenario not projected yet."""
    assessment = get_assessment_for(request, pk)
    services.scenario_base(assessment=assessment, user=request.user)
    for scenario in scenarios_of(assessment):
        unprojected = scenario.latest is None  # type: ignore[attr-defined]
        if unprojected and not _project(request, scenario):
            break
    return redirect("assessments:scenarios", pk=assessment.pk)


def _project(request: HttpRequest, scenario: Scenario) -> bool:
    try:
        services.scenario_project(scenario=scenario, user=request.user)
    except (projections.ProjectionQuotaError, services.ScenarioInputError) as refusal:
        messages.warning(request, f"{scenario.name} was not projected: {refusal}")
        return False
    except projections.ProjectionError as error:
        messages.error(request, f"{scenario.name} could not be projected: {error}")
        return False
    messages.info(request, f"Projection of {scenario.name} started.")
    return True


def _chosen(request: HttpRequest, assessment: Assessment) -> tuple[CompareForm, list[Scenario]]:
    scenarios = scenarios_of(assessment)
    form = CompareForm(request.GET, choices=[(s.pk, s.name) for s in scenarios])
    if not form.is_valid():
        return form, []
    by_pk = {s.pk: s for s in scenarios}
    return form, [by_pk[pk] for pk in form.cleaned_data["scenarios"]]


@require_GET
def scenario_compare(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    form, chosen = _chosen(request, assessment)
    if not chosen:
        return _list(request, assessment, form=form, status=400)
    try:
        comparison = comparison_of(chosen)
    except ScenarioError as error:  # changes that no longer fit the assessment
        form.add_error(None, f"These scenarios cannot be compared now: {error}")
        return _list(request, assessment, form=form, status=400)
    query = urlencode({"scenarios": [s.pk for s in chosen]}, doseq=True)
    return render(
        request,
        "assessments/scenario_compare.html",
        {
            "assessment": assessment,
            "chosen": chosen,
            "described": [(s.name, changes_of(s).describe()) for s in chosen],
            "comparison": comparison,
            "rows": _figure_table(comparison),
            "overlay": scenario_charts.npv_overlay(
                comparison.distributions, currency=assessment.currency
            ),
            "has_distribution": any(q for _, q in comparison.distributions),
            "unprojected": [f.name for f in comparison.figures if not f.projected],
            "export_query": query,
        },
    )


def _figure_table(comparison: Comparison) -> list[dict[str, Any]]:
    """The figures as rows of the side-by-side table: one row per figure."""
    figures = comparison.figures

    def row(label: str, kind: str, values: list[Any]) -> dict[str, Any]:
        return {"label": label, "kind": kind, "values": values}

    return [
        row("NPV P10", "money", [f.npv_p10 for f in figures]),
        row("NPV P50 (median)", "money", [f.npv_p50 for f in figures]),
        row("NPV P90", "money", [f.npv_p90 for f in figures]),
        row("Expected NPV (mean)", "money", [f.npv_mean for f in figures]),
        row("Probability NPV < 0", "share", [f.prob_npv_negative for f in figures]),
        row(
            "Payback",
            "text",
            [payback_text(f.payback_month) if f.projected else None for f in figures],
        ),
    ]


@require_GET
def scenario_compare_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The comparison: CSV (``?table=figures``, ``recommendations`` or ``roadmap``) or an
    XLSX holding the three tables."""
    assessment = get_assessment_for(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404("Exports come as .csv or .xlsx.")
    form, chosen = _chosen(request, assessment)
    if not chosen:
        return _list(request, assessment, form=form, status=400)
    try:
        comparison = comparison_of(chosen)
    except ScenarioError as error:
        form.add_error(None, f"These scenarios cannot be compared now: {error}")
        return _list(request, assessment, form=form, status=400)
    currency = assessment.currency
    name = f"{slugify(assessment.name) or 'assessment'}-scenarios"
    columns = difference_columns(comparison)
    tables = {
        "figures": (FIGURE_COLUMNS, figure_rows(comparison)),
        "recommendations": (columns, difference_rows(comparison.recommendations)),
        "roadmap": (columns, difference_rows(comparison.roadmap)),
    }
    if fmt == "csv":
        table = request.GET.get("table", "figures")
        if table not in CSV_TABLES:
            raise Http404("The CSV export has a figures, a recommendations and a roadmap table.")
        body = table_csv(*tables[table], currency=currency)
        name = f"{name}-{table}"
    else:
        body = workbook(comparison_sheets(comparison), currency=currency)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def compare_url(assessment: Assessment, scenarios: list[Scenario]) -> str:
    query = urlencode({"scenarios": [s.pk for s in scenarios]}, doseq=True)
    return f"{reverse('assessments:scenario-compare', args=[assessment.pk])}?{query}"
