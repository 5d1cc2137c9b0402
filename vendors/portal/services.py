"""Writes for an event's RFP and the vendor response portal.

Each function runs in one transaction and raises ``SelectionError`` (words for a person)
when a rule is broken. Every step of the RFP's life is written to its own record
(``RfpLogEntry``) in the same transaction, without any sealed content.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.engine.formatting import count_of
from vendors.engine import portal as rules
from vendors.models import (
    Candidate,
    Capability,
    Clarification,
    ClarificationAudience,
    EventStatus,
    Invitation,
    LogKind,
    QuestionKind,
    ResponseDocument,
    ResponseStatus,
    ResponseVersion,
    Rfp,
    RfpAmendment,
    RfpLogEntry,
    RfpProcess,
    RfpQuestion,
    RfpResponse,
    SourcingEvent,
    Vendor,
)
from vendors.models.events import RECEIVING_STATUSES
from vendors.services.errors import SelectionError
from vendors.services.events import proposal_save, require_status


class LateResponse(SelectionError):
    """The deadline passed before the response arrived; nothing of it was stored."""


def _log(
    rfp: Rfp,
    kind: str,
    *,
    actor: str = "",
    vendor: Vendor | None = None,
    ip: str | None = None,
    detail: str = "",
) -> None:
    RfpLogEntry.objects.create(
        rfp=rfp, kind=kind, actor=actor[:300], vendor=vendor, ip_address=ip, detail=detail[:500]
    )


def _who(user: User) -> str:
    return user.get_full_name() or user.get_username()


def closes_at(event: SourcingEvent) -> datetime:
    return rules.closes_at(event.deadline, timezone.get_current_timezone())


# ------------------------------------------------------------------ the RFP


def default_questions(event: SourcingEvent) -> list[dict[str, Any]]:
    """The questions every RFP starts with: the capabilities shortlist and flags use."""
    home = event.assessment.home_country
    return [
        {
            "kind": QuestionKind.TEXT,
            "capability": Capability.LANGUAGES,
            "text": "Which languages do your agents speak, and at what level?",
            "help_text": "One per line or comma-separated, e.g. 'German: native, French: fluent'.",
        },
        {
            "kind": QuestionKind.TEXT,
            "capability": Capability.CERTIFICATIONS,
            "text": "Which certifications do you hold, and until when?",
            "help_text": "e.g. 'ISO/IEC 27001 until 2028-03-31; SOC 2 Type II'.",
        },
        {
            "kind": QuestionKind.TEXT,
            "capability": Capability.DELIVERY_CENTRES,
            "text": "From which countries would you deliver this work?",
            "help_text": "The countries of the delivery centres, one per line or comma-separated.",
        },
        {
            "kind": QuestionKind.CHOICE,
            "capability": Capability.DATA_RESIDENCY,
            "text": f"Will all our data stay in {home}?",
            "choices": ["Yes", "No"],
        },
        {
            "kind": QuestionKind.TEXT,
            "capability": Capability.SLAS,
            "text": "Which service levels do you propose?",
            "help_text": "One per line, with the target and how it is measured.",
        },
        {
            "kind": QuestionKind.FILE,
            "capability": Capability.TRANSITION_PLAN,
            "text": "Your transition plan",
            "help_text": "PDF, Word or Excel: phases, dates, knowledge transfer, parallel run.",
        },
    ]


def rfp_create(*, event: SourcingEvent, user: User) -> Rfp:
    """An RFP assembled from the event's scope, with the default questionnaire."""
    require_status(event, (EventStatus.DRAFT, *RECEIVING_STATUSES), "write its RFP")
    with transaction.atomic():
        rfp, created = Rfp.objects.get_or_create(
            event=event,
            defaults={
                "required_documents": "Company profile\nTransition plan",
                "introduction": (
                    f"{event.organisation.name} invites you to propose for the "
                    f"{event.get_model_display()} services below."
                ),
            },
        )
        if not created:
            return rfp
        for item in event.scope.select_related("process"):
            process = item.process
            fte = f"{process.fte.normalize():f} FTE today" if process.fte else ""
            RfpProcess.objects.create(rfp=rfp, scope_item=item, volumes=fte)
        for position, question in enumerate(default_questions(event)):
            RfpQuestion.objects.create(rfp=rfp, position=position, **question)
        _log(rfp, LogKind.CREATED, actor=_who(user))
    return rfp


def rfp_update(
    *,
    rfp: Rfp,
    introduction: str,
    required_documents: str,
    processes: Mapping[int, tuple[str, str]],
) -> Rfp:
    """Change the RFP before it is published (afterwards a change is an amendment)."""
    if rfp.is_published:
        raise SelectionError(
            "The RFP is published: write an amendment, which every invited vendor sees."
        )
    with transaction.atomic():
        rfp.introduction = introduction.strip()
        rfp.required_documents = required_documents.strip()
        rfp.save(update_fields=["introduction", "required_documents"])
        for item in rfp.processes.all():
            if item.pk in processes:
                item.volumes, item.service_levels = (v.strip() for v in processes[item.pk])
                item.save(update_fields=["volumes", "service_levels"])
    return rfp


def question_add(
    *,
    rfp: Rfp,
    user: User,
    kind: str,
    text: str,
    choices: Sequence[str] = (),
    required: bool = True,
    help_text: str = "",
) -> RfpQuestion:
    """A question of the manager's; after publication it comes with a dated amendment."""
    if rfp.is_opened or (rfp.is_published and not rfp.event.receives_proposals):
        raise SelectionError("Responses are closed: no question can be added now.")
    if kind == QuestionKind.CHOICE and len(choices) < 2:
        raise SelectionError("A choice question needs at least two choices.")
    with transaction.atomic():
        position = rfp.questions.count()
        question = RfpQuestion.objects.create(
            rfp=rfp,
            position=position,
            kind=kind,
            text=text.strip(),
            help_text=help_text.strip(),
            choices=list(choices) if kind == QuestionKind.CHOICE else [],
            required=required,
        )
        if rfp.is_published:
            amendment_add(rfp=rfp, user=user, text=f"New question: {question.text}")
    return question


def question_remove(*, question: RfpQuestion) -> None:
    if question.rfp.is_published:
        raise SelectionError("The RFP is published: its questions stay as vendors saw them.")
    question.delete()


def rfp_publish(*, rfp: Rfp, user: User) -> Rfp:
    event = rfp.event
    require_status(event, RECEIVING_STATUSES, "publish its RFP (accept the shortlist first)")
    if rfp.is_published:
        raise SelectionError("The RFP is published already; a change now is an amendment.")
    if timezone.now() >= closes_at(event):
        raise SelectionError("The deadline has passed: move it before publishing the RFP.")
    with transaction.atomic():
        rfp.published_at, rfp.published_by = timezone.now(), user
        rfp.save(update_fields=["published_at", "published_by"])
        _log(rfp, LogKind.PUBLISHED, actor=_who(user))
    return rfp


def amendment_add(*, rfp: Rfp, user: User, text: str) -> RfpAmendment:
    if not rfp.is_published:
        raise SelectionError("The RFP is not published yet: change it directly.")
    text = text.strip()
    if not text:
        raise SelectionError("Write what changes.")
    with transaction.atomic():
        amendment = RfpAmendment.objects.create(rfp=rfp, text=text, created_by=user)
        _log(rfp, LogKind.AMENDED, actor=_who(user), detail=text[:200])
    return amendment


# ------------------------------------------------------------------ invitations


@dataclass(frozen=True)
class IssuedLink:
    invitation: Invitation
    token: str  # shown once (in the e-mail); only its hash is stored

    @property
    def path(self) -> str:
        return f"/portal/{self.token}/"


def invitation_issue(
    *,
    rfp: Rfp,
    candidate: Candidate,
    email: str,
    user: User | None,
    link_for: Callable[[str], str] | None,
) -> IssuedLink:
    """A new link for one contact of an invited vendor, e-mailed to that contact.

    ``link_for(path)`` makes the absolute URL for the e-mail. None only for the demo
    (``seed_demo`` prints the path instead of sending it). If the e-mail cannot be sent,
    nothing is saved.
    """
    event = rfp.event
    if not rfp.is_published:
        raise SelectionError("Publish the RFP before inviting vendors to answer it.")
    require_status(event, RECEIVING_STATUSES, "invite vendors")
    if candidate.event_id != event.pk or not candidate.invited:
        raise SelectionError(f"{candidate.vendor.name} is not on the shortlist of this event.")
    expires = closes_at(event)
    if timezone.now() >= expires:
        raise SelectionError("The deadline has passed: a new link would not open.")
    token = rules.new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            rfp=rfp,
            vendor=candidate.vendor,
            email=email.strip(),
            token_hash=rules.token_hash(token),
            expires_at=expires,
            sent_by=user,
        )
        _log(
            rfp,
            LogKind.INVITED,
            actor=_who(user) if user else "seed_demo",
            vendor=candidate.vendor,
            detail=f"Link for {invitation.email}",
        )
        link = IssuedLink(invitation, token)
        if link_for is not None:
            try:
                _send_invitation(link, url=link_for(link.path))
            except OSError as error:  # smtplib's errors are OSErrors
                transaction.set_rollback(True)
                raise SelectionError(
                    f"The invitation e-mail to {invitation.email} could not be sent "
                    f"({error.__class__.__name__}); nothing was saved. Try again later."
                ) from None
    return link


def _send_invitation(link: IssuedLink, *, url: str) -> None:
    invitation = link.invitation
    event = invitation.rfp.event
    body = (
        f"Hello,\n\n{event.organisation.name} invites {invitation.vendor.name} to respond to "
        f"the request for proposal '{event.name}'.\n\n"
        f"Open your response page (no account needed):\n{url}\n\n"
        f"The link is yours alone and works until the deadline, "
        f"{closes_at(event):%d %B %Y %H:%M %Z}. Do not forward it: anyone holding it can "
        "answer in your name. Ask us for a new link if it stops working.\n"
    )
    send_mail(
        f"Request for proposal: {event.name}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )


def invitation_revoke(*, invitation: Invitation, user: User | None) -> Invitation:
    if invitation.is_revoked:
        return invitation
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _log(
            invitation.rfp,
            LogKind.REVOKED,
            actor=_who(user) if user else "seed_demo",
            vendor=invitation.vendor,
            detail=f"Link for {invitation.email}",
        )
    return invitation


def link_opened(*, invitation: Invitation, ip: str | None) -> None:
    """Record that a link was opened (time and address), for the RFP's audit record."""
    with transaction.atomic():
        invitation.last_opened_at = timezone.now()
        invitation.save(update_fields=["last_opened_at"])
        _log(
            invitation.rfp,
            LogKind.OPENED_LINK,
            actor=invitation.email,
            vendor=invitation.vendor,
            ip=ip,
        )


def link_refused(*, invitation: Invitation, ip: str | None, reason: str) -> None:
    _log(
        invitation.rfp,
        LogKind.REFUSED_LINK,
        actor=invitation.email,
        vendor=invitation.vendor,
        ip=ip,
        detail=reason,
    )


# ------------------------------------------------------------------ responses


def _require_open(invitation: Invitation) -> None:
    state = rules.link_state(
        now=timezone.now(),
        expires_at=invitation.expires_at,
        revoked=invitation.is_revoked,
        event_receiving=invitation.rfp.event.receives_proposals and not invitation.rfp.is_opened,
    )
    if not state.usable:
        raise LateResponse(
            "The deadline for responses has passed, so this response was not received. "
            "Your earlier submitted version, if any, is kept as it was."
        )


def response_save(
    *,
    invitation: Invitation,
    draft: Mapping[str, Any],
    uploads: Mapping[RfpQuestion, UploadedFile],
    kinds: Mapping[RfpQuestion, str],
    submit: bool,
    ip: str | None,
) -> RfpResponse:
    """Save the vendor's draft (and its checked uploads); with ``submit``, a new version.

    ``draft`` holds ``answers`` (question pk -> text), ``prices`` (RFP process pk ->
    amount as text), ``transition_cost`` and ``term_months``, as the form cleaned them.
    """
    with transaction.atomic():
        rfp = Rfp.objects.select_for_update().select_related("event").get(pk=invitation.rfp_id)
        invitation.rfp = rfp
        _require_open(invitation)
        response, _ = RfpResponse.objects.get_or_create(rfp=rfp, vendor=invitation.vendor)
        content = {
            "answers": dict(draft.get("answers", {})),
            "prices": dict(draft.get("prices", {})),
            "transition_cost": draft.get("transition_cost", ""),
            "term_months": draft.get("term_months", ""),
        }
        # A file question keeps the document last uploaded for it.
        for question, upload in uploads.items():
            document = ResponseDocument(
                response=response,
                question=question,
                original_name=(upload.name or "document")[:200],
                kind=kinds[question],
                size=upload.size or 0,
            )
            document.file.save(f"{kinds[question]}-document.{kinds[question]}", upload, save=False)
            document.save()
            content["answers"][str(question.pk)] = str(document.pk)
        for question in rfp.questions.filter(kind=QuestionKind.FILE):
            key = str(question.pk)
            if key not in content["answers"] and key in response.draft.get("answers", {}):
                content["answers"][key] = response.draft["answers"][key]
        response.draft = content
        if submit:
            number = response.versions.count() + 1
            ResponseVersion.objects.create(response=response, number=number, content=content)
            response.status = ResponseStatus.SUBMITTED
            _log(
                rfp,
                LogKind.SUBMITTED,
                actor=invitation.email,
                vendor=invitation.vendor,
                ip=ip,
                detail="First version" if number == 1 else f"Revision: version {number}",
            )
        else:
            _log(rfp, LogKind.DRAFT_SAVED, actor=invitation.email, vendor=invitation.vendor, ip=ip)
        response.save()
    return response


def response_refused(*, invitation: Invitation, ip: str | None) -> None:
    """Record a response that arrived too late (nothing of it is stored)."""
    _log(
        invitation.rfp,
        LogKind.LATE,
        actor=invitation.email,
        vendor=invitation.vendor,
        ip=ip,
        detail="Arrived after the deadline; not stored",
    )


# ------------------------------------------------------------------ clarifications


def clarification_ask(*, invitation: Invitation, question: str, ip: str | None) -> Clarification:
    with transaction.atomic():
        _require_open(invitation)
        clarification = Clarification.objects.create(
            rfp=invitation.rfp, vendor=invitation.vendor, question=question.strip()
        )
        _log(
            invitation.rfp,
            LogKind.ASKED,
            actor=invitation.email,
            vendor=invitation.vendor,
            ip=ip,
            detail=clarification.question[:200],
        )
    return clarification


def clarification_answer(
    *, clarification: Clarification, answer: str, audience: str, user: User
) -> Clarification:
    if audience not in (ClarificationAudience.ASKER, ClarificationAudience.ALL):
        raise SelectionError("Choose who sees the answer: the asking vendor or every vendor.")
    answer = answer.strip()
    if not answer:
        raise SelectionError("Write the answer.")
    with transaction.atomic():
        clarification.answer, clarification.audience = answer, audience
        clarification.answered_at, clarification.answered_by = timezone.now(), user
        clarification.save()
        _log(
            clarification.rfp,
            LogKind.ANSWERED,
            actor=_who(user),
            vendor=clarification.vendor,
            detail=f"To {'all invited vendors' if audience == 'all' else 'the asker only'}",
        )
    return clarification


# ------------------------------------------------------------------ opening the bids


def responses_open(*, rfp: Rfp, user: User) -> list[RfpResponse]:
    """Open the sealed responses, once, after the deadline: each submitted response's last
    version becomes the vendor's proposal, which evaluators then score as any other."""
    event = rfp.event
    require_status(event, RECEIVING_STATUSES, "open the responses")
    with transaction.atomic():
        locked = Rfp.objects.select_for_update().get(pk=rfp.pk)
        problem = rules.may_open(
            now=timezone.now(),
            deadline=event.deadline,
            zone=timezone.get_current_timezone(),
            opened=locked.is_opened,
        )
        if problem:
            raise SelectionError(problem)
        locked.opened_at, locked.opened_by = timezone.now(), user
        locked.save(update_fields=["opened_at", "opened_by"])
        rfp.opened_at, rfp.opened_by = locked.opened_at, user
        opened = []
        responses = RfpResponse.objects.filter(
            rfp=rfp, status=ResponseStatus.SUBMITTED
        ).select_related("vendor")
        questions = list(rfp.questions.all())
        for response in responses:
            version = response.versions.order_by("-number").first()
            if version is None:
                continue
            proposal_save(
                event=event,
                vendor=response.vendor,
                user=user,
                data=_proposal_data(version.content, questions, response),
            )
            opened.append(response)
        _log(
            rfp,
            LogKind.OPENED_BIDS,
            actor=_who(user),
            detail=f"{count_of(len(opened), 'submitted response')} became "
            f"{'a proposal' if len(opened) == 1 else 'proposals'}",
        )
    return opened


def _proposal_data(
    content: Mapping[str, Any], questions: Sequence[RfpQuestion], response: RfpResponse
) -> dict[str, Any]:
    answers = content.get("answers", {})
    prices = [rules.parse_amount(v) for v in content.get("prices", {}).values()]
    documents = {str(d.pk): d.original_name for d in response.documents.all()}
    lines, slas = [], ""
    for question in questions:
        value = str(answers.get(str(question.pk), "")).strip()
        if question.kind == QuestionKind.FILE:
            value = documents.get(value, "")
        if question.capability == Capability.SLAS:
            slas = value
            continue
        lines.append(f"{question.text}\n{value or '(no answer)'}")
    term = rules.parse_amount(content.get("term_months"))
    return {
        "annual_price": rules.total_price(p for p in prices if p is not None),
        "transition_cost": rules.parse_amount(content.get("transition_cost")) or Decimal("0"),
        "term_months": int(term) if term is not None else 12,
        "proposed_slas": slas[:10000],
        "notes": ("From the response portal.\n\n" + "\n\n".join(lines))[:10000],
    }
