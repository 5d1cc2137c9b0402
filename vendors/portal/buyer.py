"""The buyer's RFP pages: write and publish the RFP, invite, answer, open, export the record.

Managers and admins change; every member of the organisation reads. Before the opening
the page shows who responded and when, never what (``vendors/portal/selectors.py``).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import MemberRequest, editors_only
from assessments.engine.exports import to_csv, to_xlsx
from vendors.access import get_event_for, get_rfp_for, get_rfp_part_for
from vendors.engine import portal as rules
from vendors.models import Clarification, Invitation, Rfp, RfpQuestion, SourcingEvent
from vendors.portal import services
from vendors.portal.forms import (
    AmendmentForm,
    AnswerForm,
    InvitationForm,
    QuestionForm,
    RfpForm,
)
from vendors.portal.selectors import (
    audit_rows,
    clarifications_of,
    invitations_of,
    opened_document,
    opened_responses,
    prefetch_candidates,
    response_statuses,
    rfp_of,
)
from vendors.services import SelectionError

AUDIT_HEADER = ("Time (UTC)", "What", "Vendor", "Who", "IP address", "Detail")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(
    request: HttpRequest,
    event: SourcingEvent,
    rfp: Rfp | None,
    *,
    status: int = 200,
    error: str = "",
    **forms: Any,
) -> HttpResponse:
    context: dict[str, Any] = {"event": event, "rfp": rfp, "error": error}
    if rfp is not None:
        invitations = invitations_of(rfp)
        candidates = prefetch_candidates(event)
        for candidate in candidates:
            candidate.links = [i for i in invitations if i.vendor_id == candidate.vendor_id]
        closes = rules.closes_at(event.deadline, timezone.get_current_timezone())
        clarifications = clarifications_of(rfp)
        answering = forms.pop("answer_form", None)
        for item in clarifications:
            item.form = (  # type: ignore[attr-defined]  # the page's form for each one
                answering[1]
                if answering and answering[0] == item.pk
                else AnswerForm(prefix=f"c{item.pk}")
            )
        context.update(
            {
                "rfp_form": forms.pop("rfp_form", None)
                or RfpForm(
                    processes=list(rfp.processes.all()),
                    initial={
                        "introduction": rfp.introduction,
                        "required_documents": rfp.required_documents,
                    },
                ),
                "question_form": forms.pop("question_form", None) or QuestionForm(),
                "amendment_form": forms.pop("amendment_form", None) or AmendmentForm(),
                "invitation_form": forms.pop("invitation_form", None),
                "inviting": forms.pop("inviting", None),
                "candidates": candidates,
                "clarifications": clarifications,
                "closes_at": closes,
                "flag_capabilities": rules.CAPABILITIES,
                "closed": timezone.now() >= closes,
                "open_problem": rules.may_open(
                    now=timezone.now(),
                    deadline=event.deadline,
                    zone=timezone.get_current_timezone(),
                    opened=rfp.is_opened,
                ),
                "statuses": response_statuses(rfp),
                "opened": opened_responses(rfp),
            }
        )
    return render(request, "vendors/rfp.html", context, status=status)


def _back(event: SourcingEvent, anchor: str = "") -> HttpResponse:
    response = redirect("vendors:rfp", pk=event.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@require_GET
def rfp_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk)
    return _page(request, event, rfp_of(event))


@editors_only
@require_POST
def rfp_create(request: MemberRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    try:
        services.rfp_create(event=event, user=request.user)
    except SelectionError as error:
        return _page(request, event, None, status=400, error=str(error))
    messages.success(request, "RFP drafted from the event's scope, with the default questions.")
    return _back(event)


@editors_only
@require_POST
def rfp_update(request: MemberRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    rfp = get_rfp_for(request, event, write=True)
    form = RfpForm(request.POST, processes=list(rfp.processes.all()))
    if form.is_valid():
        try:
            services.rfp_update(
                rfp=rfp,
                introduction=form.cleaned_data["introduction"],
                required_documents=form.cleaned_data["required_documents"],
                processes=form.process_values(),
            )
        except SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "RFP saved.")
            return _back(event)
    return _page(request, event, rfp, rfp_form=form, status=400)


@editors_only
@require_POST
def question_add(request: MemberRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    rfp = get_rfp_for(request, event, write=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.question_add(
                rfp=rfp,
                user=request.user,
                kind=data["kind"],
                text=data["text"],
                choices=data["choice_list"],
                required=data["required"],
            )
        except SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Question added"
                + (" and announced to vendors in an amendment." if rfp.is_published else "."),
            )
            return _back(event, "questions")
    return _page(request, event, rfp, question_form=form, status=400)


@editors_only
@require_POST
def question_remove(request: MemberRequest, pk: int, question_pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    rfp = get_rfp_for(request, event, write=True)
    question: RfpQuestion = get_rfp_part_for(request, rfp, RfpQuestion, question_pk, write=True)
    try:
        services.question_remove(question=question)
    except SelectionError as error:
        return _page(request, event, rfp, status=400, error=str(error))
    messages.success(request, "Question removed.")
    return _back(event, "questions")


@editors_only
@require_POST
def rfp_publish(request: MemberRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    rfp = get_rfp_for(request, event, write=True)
    try:
        services.rfp_publish(rfp=rfp, user=request.user)
    except SelectionError as error:
        return _page(request, event, rfp, status=400, error=str(error))
    messages.success(request, "RFP published. Now send each shortlisted vendor its link.")
    return _back(event, "invitations")


@editors_only
@require_POST
def amendment_add(request: MemberRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    rfp = get_rfp_for(request, event, write=True)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            services.amendment_add(rfp=rfp, user=request.user, text=form.cleaned_data["text"])
        except SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Amendment published to every invited vendor.")
            return _back(event)
    return _page(request, event, rfp, amendment_form=form, status=400)


@editors_only
@require_POST
def invitation_send(request: MemberRequest, pk: int, candidate_pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    rfp = get_rfp_for(request, event, write=True)
    candidate = event.candidates.filter(pk=candidate_pk, invited=True).select_related("vendor")
    chosen = candidate.first()
    if chosen is None:
        raise Http404("No such vendor on the shortlist.")
    form = InvitationForm(request.POST, prefix=f"v{chosen.pk}")
    if form.is_valid():
        try:
            services.invitation_issue(
                rfp=rfp,
                candidate=chosen,
                email=form.cleaned_data["email"],
                user=request.user,
                link_for=request.build_absolute_uri,
            )
        except SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Invitation e-mailed to {form.cleaned_data['email']} for {chosen.vendor.name}.",
            )
            return _back(event, "invitations")
    return _page(request, event, rfp, invitation_form=form, inviting=chosen.pk, status=400)


@editors_only
@require_POST
def invitation_revoke(request: MemberRequest, pk: int, invitation_pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    rfp = get_rfp_for(request, event, write=True)
    invitation: Invitation = get_rfp_part_for(request, rfp, Invitation, invitation_pk, write=True)
    services.invitation_revoke(invitation=invitation, user=request.user)
    messages.success(request, f"Link for {invitation.email} revoked; it opens nothing now.")
    return _back(event, "invitations")


@editors_only
@require_POST
def clarification_answer(request: MemberRequest, pk: int, clarification_pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    rfp = get_rfp_for(request, event, write=True)
    item: Clarification = get_rfp_part_for(
        request, rfp, Clarification, clarification_pk, write=True
    )
    form = AnswerForm(request.POST, prefix=f"c{item.pk}")
    if form.is_valid():
        try:
            services.clarification_answer(
                clarification=item,
                answer=form.cleaned_data["answer"],
                audience=form.cleaned_data["audience"],
                user=request.user,
            )
        except SelectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Answer published.")
            return _back(event, "clarifications")
    return _page(request, event, rfp, answer_form=(item.pk, form), status=400)


@editors_only
@require_POST
def responses_open(request: MemberRequest, pk: int) -> HttpResponse:
    event = get_event_for(request, pk, write=True)
    rfp = get_rfp_for(request, event, write=True)
    try:
        opened = services.responses_open(rfp=rfp, user=request.user)
    except SelectionError as error:
        return _page(request, event, rfp, status=400, error=str(error))
    messages.success(
        request,
        f"Responses opened: {len(opened)} became proposals. Evaluators can score them now.",
    )
    return _back(event, "responses")


@require_GET
def rfp_audit(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    event = get_event_for(request, pk)
    rfp = get_rfp_for(request, event)
    rows = [
        (
            row.at.astimezone(UTC).replace(tzinfo=None),
            row.what,
            row.vendor,
            row.actor,
            row.ip_address,
            row.detail,
        )
        for row in audit_rows(rfp)
    ]
    if fmt == "csv":
        content, kind = to_csv(AUDIT_HEADER, rows), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = to_xlsx(
            AUDIT_HEADER, rows, sheet="RFP record", number_formats={0: "yyyy-mm-dd hh:mm:ss"}
        )
        kind = XLSX
    else:
        raise Http404("Export as csv or xlsx.")
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="rfp-{event.pk}-record.{fmt}"'
    return response


@require_GET
def response_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A document of an opened response; 404 while the responses are sealed."""
    event = get_event_for(request, pk)
    rfp = get_rfp_for(request, event)
    document = opened_document(rfp, document_pk)
    if document is None:
        raise Http404("No such document, or the responses are still sealed.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(handle, as_attachment=True, filename=document.original_name)
    response["Cache-Control"] = "private, no-store"
    return response
