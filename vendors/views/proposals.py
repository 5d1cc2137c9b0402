"""Proposals, evaluators' scores, the ranking and the award."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import MemberRequest, editors_only
from vendors import services
from vendors.access import get_award_for, get_candidate_for, get_event_for, get_proposal_for
from vendors.forms import AwardForm, ProposalForm, ScoreForm
from vendors.models import Proposal
from vendors.selectors.events import evaluator_names, proposal_spreads
from vendors.selectors.scoreboard import event_scoreboard


@editors_only
@require_http_methods(["GET", "POST"])
def proposal_edit(request: MemberRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """Record (or correct) the proposal of an invited vendor."""
    event = get_event_for(request, pk, write=True)
    candidate = get_candidate_for(request, event, candidate_pk, write=True)
    existing = event.proposals.filter(vendor=candidate.vendor).first()
    initial = {f: getattr(existing, f) for f in services.PROPOSAL_FIELDS} if existing else None
    form = ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_save(
                event=event, vendor=candidate.vendor, data=form.cleaned_data, user=request.user
            )
        except services.SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Proposal from {candidate.vendor.name} saved. Now the evaluators score it.",
            )
            return redirect("vendors:proposal-detail", pk=event.pk, proposal_pk=proposal.pk)
    return render(
        request,
        "vendors/proposal_form.html",
        {
            "event": event,
            "candidate": candidate,
            "form": form,
            "proposal": existing,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def proposal_detail(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    event = get_event_for(request, pk)
    proposal = get_proposal_for(request, event, proposal_pk)
    return render(
        request,
        "vendors/proposal_detail.html",
        {
            "event": event,
            "proposal": proposal,
            "spreads": proposal_spreads(proposal, event.criteria_set),
            "evaluators": evaluator_names(event),
        },
    )


@editors_only
@require_http_methods(["GET", "POST"])
def proposal_score(request: MemberRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """One evaluator's scores of one proposal; ``?evaluator=`` loads theirs to correct."""
    event = get_event_for(request, pk, write=True)
    proposal = get_proposal_for(request, event, proposal_pk, write=True)
    proposal.event = event
    criteria = list(event.criteria_set.criteria.all())
    initial = _initial_scores(request, proposal)
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(
                proposal=proposal,
                evaluator=form.cleaned_data["evaluator"],
                scores=form.scores(),
                user=request.user,
            )
        except services.SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Scores of {form.cleaned_data['evaluator']} for {proposal.vendor.name} saved.",
            )
            return redirect("vendors:proposal-detail", pk=event.pk, proposal_pk=proposal.pk)
    return render(
        request,
        "vendors/proposal_score.html",
        {
            "event": event,
            "proposal": proposal,
            "form": form,
            "evaluators": evaluator_names(event),
        },
        status=400 if request.method == "POST" else 200,
    )


def _initial_scores(request: MemberRequest, proposal: Proposal) -> dict[str, Any]:
    evaluator = " ".join(request.GET.get("evaluator", "").split())
    if not evaluator:
        full_name = request.user.get_full_name()
        return {"evaluator": full_name or request.user.get_username()}
    initial: dict[str, Any] = {"evaluator": evaluator}
    for evaluation in proposal.evaluations.filter(evaluator__iexact=evaluator):
        initial[f"score_{evaluation.criterion_id}"] = evaluation.score
        initial[f"comment_{evaluation.criterion_id}"] = evaluation.comment
    return initial


@require_GET
def event_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk)
    board = event_scoreboard(event)
    return render(
        request,
        "vendors/event_ranking.html",
        {
            "event": event,
            "board": board,
            "rows_with_scores": [
                (row, list(zip(board.criteria, row.scores, strict=True))) for row in board.rows
            ],
            # The same scores a criterion to a row, proposals across: a table that stays
            # narrow (criteria labels wrap, shortlists are short) at a tablet's width.
            "criteria_with_scores": [
                (criterion, [row.scores[i] for row in board.rows])
                for i, criterion in enumerate(board.criteria)
            ],
        },
    )


@editors_only
@require_http_methods(["GET", "POST"])
def event_award(request: MemberRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    board = event_scoreboard(event)
    form = AwardForm(request.POST or None, rows=board.rows)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.award_create(
                event=event,
                proposal=form.chosen(),
                rationale=form.cleaned_data["rationale"],
                user=request.user,
                early_reason=form.cleaned_data["early_reason"],
            )
        except services.SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{event.name} awarded to {award.vendor.name}.")
            # Next: the draft contract made from the award (the contracts app asks first).
            return redirect("contracts:new-from-award", award_pk=award.pk)
    return render(
        request,
        "vendors/event_award.html",
        {
            "event": event,
            "board": board,
            "form": form,
            "early": services.award_is_early(event),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_award_for(request, pk)
    return render(
        request, "vendors/award_detail.html", {"award": award, "snapshot": award.snapshot}
    )
