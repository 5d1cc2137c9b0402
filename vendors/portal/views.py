"""The response portal: the pages a vendor reaches through an invitation link.

No account: the token in the path is the only key. Every view goes through
``_invitation_or_refusal``, which rate-limits the client, finds the invitation by the
token's hash and answers any failure (unknown, revoked, expired, closed) with the same
plain page and status, so a failed link says nothing about any event.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.engine.documents import MAX_DOCUMENT_BYTES, megabytes
from accounts.lockout import client_address
from vendors.models import Invitation, QuestionKind
from vendors.portal import services, throttle
from vendors.portal.forms import ClarificationForm, ResponseForm, initial_from_draft
from vendors.portal.selectors import PortalPage, invitation_for_token, link_usable, portal_page
from vendors.portal.uploads import SizeCappedUploadHandler, declared_too_large

UNAVAILABLE, THROTTLED, LATE, TOO_LARGE = 404, 429, 410, 413

PortalView = Callable[..., Any]


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/unavailable.html", status=UNAVAILABLE)


def _invitation_or_refusal(request: HttpRequest, token: str) -> Invitation | HttpResponse:
    if not throttle.allowed(request):
        return render(request, "portal/throttled.html", status=THROTTLED)
    invitation = invitation_for_token(token)
    if invitation is None:
        throttle.failed(request)
        return _unavailable(request)
    return invitation


def portal_view(view: PortalView) -> PortalView:
    """Open to anyone (no log-in); the token decides. Marks responses as private."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, token, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "same-origin"  # the token never leaves in a Referer
        return response

    return login_not_required(wrapped)


def _usable_or_refusal(request: HttpRequest, invitation: Invitation) -> HttpResponse | None:
    state = link_usable(invitation)
    if state.usable:
        return None
    services.link_refused(invitation=invitation, ip=client_address(request), reason=state.reason)
    return _unavailable(request)


def _kept_documents(page: PortalPage) -> dict[str, str]:
    if page.response is None:
        return {}
    answers = page.response.draft.get("answers", {})
    return {
        str(q.pk): page.documents[answers[str(q.pk)]].original_name
        for q in page.questions
        if q.kind == QuestionKind.FILE and answers.get(str(q.pk)) in page.documents
    }


def _response_form(page: PortalPage, data: Any = None, files: Any = None) -> ResponseForm:
    draft = page.response.draft if page.response else {}
    return ResponseForm(
        data,
        files,
        questions=page.questions,
        processes=page.processes,
        currency=page.event.currency,
        submitting=bool(data and "submit" in data),
        kept_documents=_kept_documents(page),
        initial=initial_from_draft(draft, page.questions),
    )


def _render_home(
    request: HttpRequest,
    page: PortalPage,
    *,
    form: ResponseForm | None = None,
    ask_form: ClarificationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "page": page,
            "event": page.event,
            "form": form or _response_form(page),
            "ask_form": ask_form or ClarificationForm(),
            "token": page_token(request),
        },
        status=status,
    )


def page_token(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.kwargs.get("token", "") if match else ""


@portal_view
@require_GET
def portal_home(request: HttpRequest, token: str) -> HttpResponse:
    found = _invitation_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        return found
    refusal = _usable_or_refusal(request, found)
    if refusal is not None:
        return refusal
    services.link_opened(invitation=found, ip=client_address(request))
    return _render_home(request, portal_page(found))


@portal_view
@csrf_exempt  # the upload handler goes in first; CSRF is checked just below
@require_POST
def portal_respond(request: HttpRequest, token: str) -> HttpResponse:
    found = _invitation_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation = found
    if invitation.is_revoked:
        return _unavailable(request)
    file_questions = invitation.rfp.questions.filter(kind=QuestionKind.FILE).count()
    declared = declared_too_large(request, file_questions)
    if declared is not None:
        return render(
            request,
            "portal/too_large.html",
            {"size": megabytes(declared), "limit": megabytes(MAX_DOCUMENT_BYTES)},
            status=TOO_LARGE,
        )
    capped = SizeCappedUploadHandler(request)
    request.upload_handlers = [capped, *request.upload_handlers]
    return _respond(request, invitation, capped)


@csrf_protect
def _respond(
    request: HttpRequest, invitation: Invitation, capped: SizeCappedUploadHandler
) -> HttpResponse:
    page = portal_page(invitation)
    form = _response_form(page, request.POST, request.FILES)
    valid = form.is_valid()
    for name in capped.refused:
        form.add_error(
            name,
            f"The file is more than {megabytes(MAX_DOCUMENT_BYTES)}, the limit; it was not "
            "stored. Compress it or send it in parts.",
        )
        valid = False
    if not link_usable(invitation).usable:
        services.response_refused(invitation=invitation, ip=client_address(request))
        return _late(request, form)
    if not valid:
        return _render_home(request, page, form=form, status=400)
    submit = form.submitting
    try:
        response = services.response_save(
            invitation=invitation,
            draft=form.draft(),
            uploads=form.uploads(),
            kinds=form.checked_kinds,
            submit=submit,
            ip=client_address(request),
        )
    except services.LateResponse:
        services.response_refused(invitation=invitation, ip=client_address(request))
        return _late(request, form)
    if submit:
        number = response.versions.count()
        messages.success(
            request,
            f"Response submitted (version {number}). You may revise it until the deadline; "
            "every version is kept and the last one counts.",
        )
    else:
        messages.success(request, "Draft saved. It is not submitted until you press Submit.")
    return redirect("portal:portal-home", token=page_token(request))


def _late(request: HttpRequest, form: ResponseForm) -> HttpResponse:
    """The deadline passed: say so, and give back what was typed (nothing is stored)."""
    return render(request, "portal/late.html", {"typed": form.typed()}, status=LATE)


@portal_view
@require_POST
def portal_ask(request: HttpRequest, token: str) -> HttpResponse:
    found = _invitation_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        return found
    refusal = _usable_or_refusal(request, found)
    if refusal is not None:
        return refusal
    form = ClarificationForm(request.POST)
    if not form.is_valid():
        return _render_home(request, portal_page(found), ask_form=form, status=400)
    try:
        services.clarification_ask(
            invitation=found, question=form.cleaned_data["question"], ip=client_address(request)
        )
    except services.LateResponse:
        return _unavailable(request)
    messages.success(request, "Question sent. The answer will appear on this page.")
    return redirect("portal:portal-home", token=token)


@portal_view
@require_http_methods(["GET"])
def portal_document(request: HttpRequest, token: str, pk: int) -> HttpResponse | FileResponse:
    """The vendor's own uploaded document, back to the vendor."""
    found = _invitation_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        return found
    refusal = _usable_or_refusal(request, found)
    if refusal is not None:
        return refusal
    page = portal_page(found)
    document = page.documents.get(str(pk))
    if document is None:
        return _unavailable(request)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name)
