"""Sourcing events: create from a wave or hand-picked processes, scope, shortlist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import MemberRequest, editors_only, organisation_of
from accounts.engine.formatting import count_of
from assessments.engine.vocabulary import model_label
from assessments.models import Process
from vendors import services
from vendors.access import get_candidate_for, get_event_for
from vendors.forms import EventFromProcessesForm, EventFromWaveForm, ReasonForm, ScopeForm
from vendors.models import Candidate, Proposal, SourcedModel, SourcingEvent
from vendors.selectors.criteria import criteria_set_first
from vendors.selectors.events import (
    WaveChoice,
    event_candidates,
    event_proposals,
    events_for,
    outsourced_processes,
    wave_choices,
)


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "vendors/event_list.html", {"events": events_for(organisation_of(request))}
    )


def _scope_from_link(
    request: HttpRequest, waves: list[WaveChoice], pickable: QuerySet[Process]
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Which form a link asks for ("wave" or "processes") and the initial values it
    gives each: a wave the roadmap offers, or processes the manager may pick (anything
    else in the query is ignored)."""
    by_key = {wave.key: wave for wave in waves}
    wave = by_key.get(request.GET.get("wave", ""))
    if wave is not None:
        name = f"{wave.assessment.name} wave {wave.number} ({model_label(wave.model)}) RFP"
        return "wave", {"wave": wave.key, "name": name[:200]}, {}
    wanted = [i for i in request.GET.getlist("process")[:500] if i.isascii() and i.isdigit()]
    chosen = list(pickable.filter(pk__in=[int(i) for i in wanted if len(i) < 19]))
    if chosen:
        rec = getattr(chosen[0], "recommendation", None)
        model = rec.effective_model if rec is not None else ""
        pick: dict[str, Any] = {"processes": [p.pk for p in chosen]}
        if model in SourcedModel.values:
            pick["model"] = model
        return "processes", {}, pick
    return "wave", {}, {}


@editors_only
@require_http_methods(["GET", "POST"])
def event_create(request: MemberRequest) -> HttpResponse:
    organisation = organisation_of(request)
    # Read only: an organisation without a set gets the default one with its first event.
    default_set = criteria_set_first(organisation)
    waves = wave_choices(organisation)
    pickable = outsourced_processes(organisation)
    # A link from the roadmap names a wave (?wave=<assessment>:<number>) or processes
    # (?process=<id>&process=<id>): the form opens with that scope chosen.
    asked, wave_initial, pick_initial = _scope_from_link(request, waves, pickable)
    source = request.POST.get("source", asked)
    initial = {"criteria_set": default_set.pk} if default_set else {}
    wave_data = request.POST if request.method == "POST" and source == "wave" else None
    pick_data = request.POST if request.method == "POST" and source == "processes" else None
    wave_form = EventFromWaveForm(
        wave_data,
        organisation=organisation,
        waves=waves,
        initial={**initial, **wave_initial},
        prefix="wave",
    )
    pick_form = EventFromProcessesForm(
        pick_data,
        organisation=organisation,
        processes=pickable,
        initial={**initial, **pick_initial},
        prefix="pick",
    )
    form = wave_form if source == "wave" else pick_form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if isinstance(form, EventFromWaveForm):
            wave = form.chosen_wave()
            assessment, processes, model, number = (
                wave.assessment,
                wave.processes,
                wave.model,
                wave.number,
            )
        else:
            processes = list(data["processes"])
            assessment, model, number = processes[0].assessment, data["model"], None
        try:
            event = services.event_create(
                organisation=organisation,
                user=request.user,
                name=data["name"],
                assessment=assessment,
                processes=processes,
                model=model,
                wave=number,
                deadline=data["deadline"],
                planned_start=data["planned_start"],
                criteria_set=data["criteria_set"],
            )
        except services.SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Event created. Check the proposed shortlist, add or "
                "remove vendors with a reason, then accept it.",
            )
            return redirect("vendors:event-detail", pk=event.pk)
    return render(
        request,
        "vendors/event_form.html",
        {
            "wave_form": wave_form,
            "pick_form": pick_form,
            "waves": waves,
            "source": source,
            "can_pick": pickable.exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@dataclass(frozen=True)
class ShortlistRow:
    candidate: Candidate
    proposal: Proposal | None


def _event_page(
    request: HttpRequest,
    event: SourcingEvent,
    *,
    scope_form: ScopeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    proposals = {p.vendor_id: p for p in event_proposals(event)}
    rows = [ShortlistRow(c, proposals.get(c.vendor_id)) for c in event_candidates(event)]

    def on_list(candidate: Candidate) -> bool:
        # In a draft the rules' proposal counts unless a manager decided otherwise.
        if candidate.decided_by_manager or not event.is_draft:
            return candidate.invited
        return candidate.proposed

    return render(
        request,
        "vendors/event_detail.html",
        {
            "event": event,
            "scope_form": scope_form or ScopeForm(items=event.scope.all()),
            "included": [row for row in rows if on_list(row.candidate)],
            "excluded": [row for row in rows if not on_list(row.candidate)],
        },
        status=status,
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_page(request, get_event_for(request, pk))


@editors_only
@require_POST
def event_scope(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    form = ScopeForm(request.POST, items=event.scope.all())
    if not form.is_valid():
        return _event_page(request, event, scope_form=form, status=400)
    try:
        services.event_set_service_lines(event=event, lines=form.lines())
    except services.SelectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Scope saved and the shortlist proposed again.")
    return redirect("vendors:event-detail", pk=event.pk)


@editors_only
@require_POST
def shortlist_accept(request: MemberRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    try:
        services.shortlist_accept(event=event, user=request.user)
    except services.SelectionError as error:
        messages.error(request, str(error))
    else:
        invited = event.candidates.filter(invited=True).count()
        messages.success(
            request,
            f"Shortlist accepted: {count_of(invited, 'vendor')} invited. Record "
            "their proposals as they arrive.",
        )
    return redirect("vendors:event-detail", pk=event.pk)


@editors_only
@require_POST
def candidate_decide(request: MemberRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """Add (``invite=1``) or remove (``invite=0``) a vendor, with the reason kept."""
    event = get_event_for(request, pk, write=True)
    candidate = get_candidate_for(request, event, candidate_pk, write=True)
    candidate.event = event
    form = ReasonForm(request.POST)
    invite = request.POST.get("invite") == "1"
    if not form.is_valid():
        messages.error(
            request,
            f"{candidate.vendor.name}: say why you "
            f"{'add' if invite else 'remove'} the vendor; the reason is "
            "kept on record.",
        )
        return _event_page(request, event, status=400)
    try:
        services.candidate_decide(
            candidate=candidate,
            invite=invite,
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except services.SelectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{candidate.vendor.name} {'added to' if invite else 'removed from'} the shortlist.",
        )
    return redirect("vendors:event-detail", pk=event.pk)


@editors_only
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    form = ReasonForm(request.POST, prefix="cancel")
    if not form.is_valid():
        messages.error(request, "Say why the event is cancelled.")
        return redirect("vendors:event-detail", pk=event.pk)
    try:
        services.event_cancel(event=event, reason=form.cleaned_data["reason"])
    except services.SelectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Event cancelled.")
    return redirect("vendors:event-detail", pk=event.pk)
