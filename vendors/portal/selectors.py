"""Reads for the RFP and the vendor response portal.

Sealing lives here: the buyer's reads return a response's content (answers, prices,
documents, the difference report, declared capabilities) only once the RFP's responses
are opened. Before that they return who was invited, who opened a link and when a
version was submitted, and nothing of what it says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.engine.countries import continent_of
from vendors.engine import portal as rules
from vendors.engine.shortlist import CERTIFICATIONS, VendorProfile
from vendors.models import (
    Capability,
    Clarification,
    ClarificationAudience,
    Invitation,
    QuestionKind,
    ResponseDocument,
    ResponseStatus,
    Rfp,
    RfpLogEntry,
    RfpQuestion,
    RfpResponse,
    SourcingEvent,
)
from vendors.selectors.registry import vendor_profile


def rfp_of(event: SourcingEvent) -> Rfp | None:
    return (
        Rfp.objects.filter(event=event)
        .select_related("published_by", "opened_by")
        .prefetch_related("processes__scope_item__process", "questions", "amendments")
        .first()
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, usable or not; None for a stranger's.

    The hash is looked up, then compared again in constant time with the stored one.
    """
    if not rules.well_formed(token):
        return None
    digest = rules.token_hash(token)
    invitation = (
        Invitation.objects.filter(token_hash=digest)
        .select_related("rfp__event__organisation", "rfp__event__assessment", "vendor")
        .first()
    )
    if invitation is None or not rules.token_matches(token, invitation.token_hash):
        return None
    return invitation


def link_usable(invitation: Invitation) -> rules.LinkState:
    rfp = invitation.rfp
    return rules.link_state(
        now=timezone.now(),
        expires_at=invitation.expires_at,
        revoked=invitation.is_revoked,
        event_receiving=rfp.event.receives_proposals and rfp.is_published and not rfp.is_opened,
    )


# ------------------------------------------------------------------ the vendor's view


@dataclass
class PortalPage:
    invitation: Invitation
    rfp: Rfp
    closes_at: datetime
    processes: list[Any]
    questions: list[RfpQuestion]
    amendments: list[Any]
    clarifications: list[Clarification]
    response: RfpResponse | None
    documents: dict[str, ResponseDocument]
    versions: list[Any] = field(default_factory=list)

    @property
    def event(self) -> SourcingEvent:
        return self.rfp.event


def portal_page(invitation: Invitation) -> PortalPage:
    """What one invited vendor sees: the RFP, amendments, answers published to all and
    its own questions, and its own response. Never another vendor's anything."""
    rfp = invitation.rfp
    vendor = invitation.vendor
    response = (
        RfpResponse.objects.filter(rfp=rfp, vendor=vendor)
        .prefetch_related("versions", "documents")
        .first()
    )
    documents = {str(d.pk): d for d in response.documents.all()} if response else {}
    return PortalPage(
        invitation=invitation,
        rfp=rfp,
        closes_at=rules.closes_at(rfp.event.deadline, timezone.get_current_timezone()),
        processes=list(rfp.processes.select_related("scope_item__process")),
        questions=list(rfp.questions.all()),
        amendments=list(rfp.amendments.all()),
        clarifications=list(
            rfp.clarifications.filter(
                Q(vendor=vendor) | Q(audience=ClarificationAudience.ALL)
            ).order_by("asked_at", "pk")
        ),
        response=response,
        documents=documents,
        versions=list(response.versions.all()) if response else [],
    )


# ------------------------------------------------------------------ the buyer's view


@dataclass(frozen=True)
class SealedStatus:
    """What the buyer may know of a response before the opening: that it exists."""

    vendor_name: str
    status: str
    versions: int
    last_submitted_at: datetime | None


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    document: ResponseDocument | None = None


@dataclass(frozen=True)
class OpenedResponse:
    response: RfpResponse
    prices: list[tuple[str, Decimal | None]]
    annual_price: Decimal
    transition_cost: Decimal | None
    term_months: Decimal | None
    answers: list[Answer]
    differences: list[str]
    versions: int


def response_statuses(rfp: Rfp) -> list[SealedStatus]:
    rows = []
    for response in (
        RfpResponse.objects.filter(rfp=rfp).select_related("vendor").prefetch_related("versions")
    ):
        versions = [v.submitted_at for v in response.versions.all()]
        rows.append(
            SealedStatus(
                vendor_name=response.vendor.name,
                status=ResponseStatus(response.status).label,
                versions=len(versions),
                last_submitted_at=max(versions) if versions else None,
            )
        )
    return rows


def _last_content(response: RfpResponse) -> dict[str, Any] | None:
    versions = sorted(response.versions.all(), key=lambda v: v.number)
    return versions[-1].content if versions else None


def opened_responses(rfp: Rfp) -> list[OpenedResponse]:
    """The submitted responses' last versions, with their difference reports; nothing
    while the responses are sealed."""
    if not rfp.is_opened:
        return []
    questions = list(rfp.questions.all())
    processes = list(rfp.processes.select_related("scope_item__process"))
    labels = dict(CERTIFICATIONS)
    result = []
    responses = (
        RfpResponse.objects.filter(rfp=rfp, status=ResponseStatus.SUBMITTED)
        .select_related("vendor")
        .prefetch_related(
            "versions",
            "documents",
            "vendor__languages",
            "vendor__certifications",
            "vendor__delivery_centres",
            "vendor__service_lines",
        )
    )
    for response in responses:
        content = _last_content(response)
        if content is None:
            continue
        documents = {str(d.pk): d for d in response.documents.all()}
        answers = content.get("answers", {})
        shown = []
        for question in questions:
            value = str(answers.get(str(question.pk), ""))
            if question.kind == QuestionKind.FILE:
                document = documents.get(value)
                shown.append(
                    Answer(question.text, document.original_name if document else "", document)
                )
            else:
                shown.append(Answer(question.text, value))
        prices = [
            (
                str(p.scope_item.process),
                rules.parse_amount(content.get("prices", {}).get(str(p.pk))),
            )
            for p in processes
        ]
        profile = vendor_profile(response.vendor)
        declared = rules.declared_from(_capability_answers(questions, answers))
        result.append(
            OpenedResponse(
                response=response,
                prices=prices,
                annual_price=rules.total_price(v for _, v in prices if v is not None),
                transition_cost=rules.parse_amount(content.get("transition_cost")),
                term_months=rules.parse_amount(content.get("term_months")),
                answers=shown,
                differences=rules.differences(
                    languages=profile.languages,
                    certifications=[code for code, _ in profile.certifications],
                    countries=[country for country, _ in profile.delivery_centres],
                    declared=declared,
                    labels=labels,
                ),
                versions=len(response.versions.all()),
            )
        )
    return result


def _capability_answers(
    questions: Sequence[RfpQuestion], answers: dict[str, Any]
) -> dict[str, str]:
    return {
        q.capability: str(answers.get(str(q.pk), ""))
        for q in questions
        if q.capability and q.capability != Capability.TRANSITION_PLAN
    }


def declared_capabilities(event: SourcingEvent) -> dict[int, rules.Declared]:
    """Per vendor, what its opened response declared; empty while sealed or without RFP."""
    rfp = Rfp.objects.filter(event=event, opened_at__isnull=False).first()
    if rfp is None:
        return {}
    questions = list(rfp.questions.exclude(capability=""))
    found = {}
    for response in RfpResponse.objects.filter(
        rfp=rfp, status=ResponseStatus.SUBMITTED
    ).prefetch_related("versions"):
        content = _last_content(response)
        if content is not None:
            found[response.vendor_id] = rules.declared_from(
                _capability_answers(questions, content.get("answers", {}))
            )
    return found


def profile_with_declared(
    profile: VendorProfile, declared: dict[int, rules.Declared]
) -> VendorProfile:
    """The profile the risk flags read: the registry record plus the vendor's declarations."""
    said = declared.get(int(profile.id))
    return profile if said is None else rules.with_declared(profile, said, continent_of)


def opened_document(rfp: Rfp, pk: int) -> ResponseDocument | None:
    """A document of a submitted response, once the responses are opened; else None."""
    if not rfp.is_opened:
        return None
    return (
        ResponseDocument.objects.filter(response__rfp=rfp, pk=pk).select_related("response").first()
    )


def invitations_of(rfp: Rfp) -> list[Invitation]:
    return list(rfp.invitations.select_related("vendor").order_by("vendor__name", "-created_at"))


def clarifications_of(rfp: Rfp) -> list[Clarification]:
    return list(rfp.clarifications.select_related("vendor", "answered_by"))


@dataclass(frozen=True)
class LogRow:
    at: datetime
    what: str
    vendor: str
    actor: str
    ip_address: str
    detail: str


def audit_rows(rfp: Rfp) -> list[LogRow]:
    """The RFP's whole life, oldest first, the award included once there is one."""
    rows = [
        LogRow(
            entry.at,
            entry.get_kind_display(),
            entry.vendor.name if entry.vendor else "",
            entry.actor,
            entry.ip_address or "",
            entry.detail,
        )
        for entry in RfpLogEntry.objects.filter(rfp=rfp).select_related("vendor")
    ]
    award = getattr(rfp.event, "award", None)
    if award is not None:
        who = award.awarded_by
        rows.append(
            LogRow(
                award.awarded_at,
                "Event awarded",
                award.vendor.name,
                who.get_full_name() or who.get_username(),
                "",
                "",
            )
        )
    rows.sort(key=lambda row: row.at)
    return rows


def prefetch_candidates(event: SourcingEvent) -> list[Any]:
    return list(
        event.candidates.filter(invited=True)
        .select_related("vendor")
        .prefetch_related(Prefetch("vendor__delivery_centres"))
    )
