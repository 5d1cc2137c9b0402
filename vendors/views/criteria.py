"""Criteria sets and their weights: typed directly, or derived by AHP from judgements."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import editors_only, organisation_of, scoped
from accounts.engine.json_bodies import JsonBodyError, load_json
from vendors import services
from vendors.access import get_criteria_set_for
from vendors.forms import CriteriaSetForm, PairwiseForm, WeightsForm
from vendors.models import CriteriaSet, PairwiseJudgement
from vendors.ranking import CONSISTENCY_LIMIT, InvalidMatrix, ahp

MAX_JSON_BYTES = 20_000


@require_GET
def criteria_list(request: HttpRequest) -> HttpResponse:
    services.criteria_set_default(organisation=organisation_of(request))
    sets = scoped(request, CriteriaSet.objects.prefetch_related("criteria"))
    return render(request, "vendors/criteria_list.html", {
        "criteria_sets": sets, "form": CriteriaSetForm(organisation=organisation_of(request)),
    })


@editors_only
@require_POST
def criteria_create(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    form = CriteriaSetForm(request.POST, organisation=organisation)
    if not form.is_valid():
        sets = scoped(request, CriteriaSet.objects.prefetch_related("criteria"))
        return render(request, "vendors/criteria_list.html",
                      {"criteria_sets": sets, "form": form}, status=400)
    criteria_set = services.criteria_set_create(organisation=organisation,
                                                name=form.cleaned_data["name"])
    messages.success(request, f"Created \u201c{criteria_set.name}\u201d with the default weights.")
    return redirect("vendors:criteria-detail", pk=criteria_set.pk)


def _criteria_page(request: HttpRequest, criteria_set: CriteriaSet, *, weights_form=None,
                   pairwise_form=None, status: int = 200) -> HttpResponse:
    criteria = list(criteria_set.criteria.all())
    mine = criteria_set.judgements.filter(stakeholder=request.user).first()
    if pairwise_form is None:
        pairwise_form = PairwiseForm(criteria=criteria,
                                     matrix=mine.matrix if mine and _same(mine, criteria) else None)
    return render(request, "vendors/criteria_detail.html", {
        "criteria_set": criteria_set,
        "criteria": criteria,
        "weights_form": weights_form or WeightsForm(criteria=criteria),
        "pairwise_form": pairwise_form,
        "judgements": criteria_set.judgements.select_related("stakeholder"),
        "my_judgement": mine,
        "limit": CONSISTENCY_LIMIT,
    }, status=status)


def _same(judgement: PairwiseJudgement, criteria) -> bool:
    return judgement.criterion_codes == [c.code for c in criteria]


@require_GET
def criteria_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _criteria_page(request, get_criteria_set_for(request, pk))


@editors_only
@require_POST
def criteria_weights(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_criteria_set_for(request, pk, write=True)
    form = WeightsForm(request.POST, criteria=list(criteria_set.criteria.all()))
    if not form.is_valid():
        return _criteria_page(request, criteria_set, weights_form=form, status=400)
    services.criteria_set_set_weights(criteria_set=criteria_set, percents=form.percents())
    messages.success(request, "Weights saved.")
    return redirect("vendors:criteria-detail", pk=criteria_set.pk)


@editors_only
@require_http_methods(["POST"])
def criteria_judgement(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the signed-in stakeholder's pairwise judgements; weights come from everyone's."""
    criteria_set = get_criteria_set_for(request, pk, write=True)
    criteria = list(criteria_set.criteria.all())
    if "delete" in request.POST:
        services.judgement_delete(criteria_set=criteria_set, stakeholder=request.user)
        messages.success(request, "Your judgements were removed.")
        return redirect("vendors:criteria-detail", pk=criteria_set.pk)
    form = PairwiseForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _criteria_page(request, criteria_set, pairwise_form=form, status=400)
    services.judgement_save(criteria_set=criteria_set, stakeholder=request.user,
                            matrix=form.matrix())
    criteria_set.refresh_from_db()
    if criteria_set.is_consistent:
        messages.success(request, f"Your judgements were saved. The weights now combine "
                                  f"{criteria_set.judgements.count()} stakeholder(s)' "
                                  f"judgements (CR {criteria_set.consistency_ratio:.2f}).")
    else:
        messages.warning(request, criteria_set.inconsistency_message)
    return redirect("vendors:criteria-detail", pk=criteria_set.pk)


@editors_only
@require_POST
def ahp_preview(request: HttpRequest, pk: int) -> JsonResponse:
    """Weights, CR and the most inconsistent pair of a posted matrix; stores nothing.

    Body: ``{"matrix": [[...], ...]}`` in the set's criterion order.
    """
    criteria_set = get_criteria_set_for(request, pk, write=True)
    criteria = list(criteria_set.criteria.all())
    if len(request.body) > MAX_JSON_BYTES:
        return JsonResponse({"error": "The matrix is too large."}, status=400)
    try:
        matrix = load_json(request.body, max_depth=3)["matrix"]
    except (JsonBodyError, KeyError, TypeError):
        return JsonResponse({"error": "Send JSON like {\"matrix\": [[1, 3], [0.333, 1]]}."},
                            status=400)
    labels = [c.label for c in criteria]
    if not isinstance(matrix, list) or len(matrix) != len(criteria):
        return JsonResponse({"error": f"The matrix must have {len(criteria)} rows and "
                                      f"{len(criteria)} columns, one per criterion."},
                            status=400)
    try:
        result = ahp(matrix, labels=labels)
    except InvalidMatrix as error:
        return JsonResponse({"error": str(error)}, status=400)
    pair = result.most_inconsistent_pair
    return JsonResponse({
        "weights": [{"code": c.code, "label": c.label, "percent": round(float(w) * 100, 1)}
                    for c, w in zip(criteria, result.weights, strict=True)],
        "lambda_max": round(result.lambda_max, 4),
        "ci": round(result.ci, 4),
        "cr": round(result.cr, 4),
        "consistent": bool(result.consistent),
        "inconsistent_pair": [labels[pair[0]], labels[pair[1]]]
        if pair is not None and not result.consistent else None,
    })
