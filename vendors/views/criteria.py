"""Criteria sets and their weights: typed directly, or derived by AHP from judgements."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import MemberRequest, editors_only, organisation_of, scoped
from accounts.engine.json_bodies import JsonBodyError, load_json
from vendors import services
from vendors.access import get_criteria_set_for
from vendors.engine.criteria import (
    DEFAULT_CRITERIA_SET,
    consistency_message,
    default_criteria_rows,
    stakeholders_judgements,
)
from vendors.engine.ranking import CONSISTENCY_LIMIT, InvalidMatrix
from vendors.forms import CriteriaSetForm, PairwiseForm, WeightsForm
from vendors.models import CriteriaSet, Criterion, PairwiseJudgement
from vendors.selectors.criteria import AhpPreview
from vendors.selectors.criteria import ahp_preview as preview_of

MAX_JSON_BYTES = 20_000


def _list_page(request: HttpRequest, form: CriteriaSetForm, status: int = 200) -> HttpResponse:
    # Before the organisation's first set the defaults are shown, not saved: the set is
    # created by a POST (the button, or the organisation's first sourcing event).
    return render(
        request,
        "vendors/criteria_list.html",
        {
            "criteria_sets": scoped(request, CriteriaSet.objects.prefetch_related("criteria")),
            "form": form,
            "default_name": DEFAULT_CRITERIA_SET,
            "default_criteria": default_criteria_rows(),
        },
        status=status,
    )


@require_GET
def criteria_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, CriteriaSetForm(organisation=organisation_of(request)))


@editors_only
@require_POST
def criteria_create(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    form = CriteriaSetForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    criteria_set = services.criteria_set_create(
        organisation=organisation, name=form.cleaned_data["name"]
    )
    messages.success(request, f"Created \u201c{criteria_set.name}\u201d with the default weights.")
    return redirect("vendors:criteria-detail", pk=criteria_set.pk)


def _criteria_page(
    request: MemberRequest,
    criteria_set: CriteriaSet,
    *,
    weights_form: WeightsForm | None = None,
    pairwise_form: PairwiseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    criteria = list(criteria_set.criteria.all())
    mine = criteria_set.judgements.filter(stakeholder=request.user).first()
    # The form opens on the person's saved judgements when they still fit the criteria.
    shows_saved = pairwise_form is None and mine is not None and _same(mine, criteria)
    if pairwise_form is None:
        pairwise_form = PairwiseForm(
            criteria=criteria, matrix=mine.matrix if mine and shows_saved else None
        )
    return render(
        request,
        "vendors/criteria_detail.html",
        {
            "criteria_set": criteria_set,
            "criteria": criteria,
            "weights_form": weights_form or WeightsForm(criteria=criteria),
            "pairwise_form": pairwise_form,
            "judgements": criteria_set.judgements.select_related("stakeholder"),
            "my_judgement": mine,
            "shows_saved": shows_saved,
            "limit": CONSISTENCY_LIMIT,
        },
        status=status,
    )


def _same(judgement: PairwiseJudgement, criteria: list[Criterion]) -> bool:
    return judgement.criterion_codes == [c.code for c in criteria]


@require_GET
def criteria_detail(request: MemberRequest, pk: int) -> HttpResponse:
    return _criteria_page(request, get_criteria_set_for(request, pk))


@editors_only
@require_POST
def criteria_weights(request: MemberRequest, pk: int) -> HttpResponse:
    criteria_set = get_criteria_set_for(request, pk, write=True)
    form = WeightsForm(request.POST, criteria=list(criteria_set.criteria.all()))
    if not form.is_valid():
        return _criteria_page(request, criteria_set, weights_form=form, status=400)
    services.criteria_set_set_weights(criteria_set=criteria_set, percents=form.percents())
    messages.success(request, "Weights saved.")
    return redirect("vendors:criteria-detail", pk=criteria_set.pk)


@editors_only
@require_http_methods(["POST"])
def criteria_judgement(request: MemberRequest, pk: int) -> HttpResponse:
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
    services.judgement_save(
        criteria_set=criteria_set, stakeholder=request.user, matrix=form.matrix()
    )
    criteria_set.refresh_from_db()
    # The same reading of the same judgements as the live panel (one function), then what
    # the set's weights combine.
    own = preview_of(criteria, form.matrix())
    combined = stakeholders_judgements(criteria_set.judgements.count())
    text = (
        f"Your judgements were saved. {_preview_message(own)} The weights now combine "
        f"{combined} (CR {criteria_set.consistency_ratio:.2f})."
    )
    if own.result.consistent and not criteria_set.is_consistent:
        text += " Combined, " + criteria_set.inconsistency_message[0].lower()
        text += criteria_set.inconsistency_message[1:]
    if own.result.consistent and criteria_set.is_consistent:
        messages.success(request, text)
    else:
        messages.warning(request, text)
    return redirect("vendors:criteria-detail", pk=criteria_set.pk)


def _preview_message(preview: AhpPreview) -> str:
    result = preview.result
    return consistency_message(
        float(result.cr), preview.inconsistent_pair, consistent=bool(result.consistent)
    )


@editors_only
@require_POST
def ahp_preview(request: HttpRequest, pk: int) -> JsonResponse:
    """Weights, CR and the most inconsistent pair of a posted matrix; stores nothing.

    Body: ``{"matrix": [[...], ...]}`` in the set's criterion order.
    """
    criteria_set = get_criteria_set_for(request, pk, write=True)
    if len(request.body) > MAX_JSON_BYTES:
        return JsonResponse({"error": "The matrix is too large."}, status=400)
    try:
        matrix = load_json(request.body, max_depth=3)["matrix"]
    except (JsonBodyError, KeyError, TypeError):
        return JsonResponse(
            {"error": 'Send JSON like {"matrix": [[1, 3], [0.333, 1]]}.'}, status=400
        )
    try:
        preview = preview_of(list(criteria_set.criteria.all()), matrix)
    except InvalidMatrix as error:
        return JsonResponse({"error": str(error)}, status=400)
    result = preview.result
    return JsonResponse(
        {
            "weights": [
                {"code": c.code, "label": c.label, "percent": round(float(w) * 100, 1)}
                for c, w in zip(preview.criteria, result.weights, strict=True)
            ],
            "lambda_max": round(result.lambda_max, 4),
            "ci": round(result.ci, 4),
            "cr": round(result.cr, 4),
            "consistent": bool(result.consistent),
            "inconsistent_pair": preview.inconsistent_pair or None,
            "message": _preview_message(preview),
        }
    )
