"""The demo of the vendor response portal, used by ``seed_demo``.

One sourcing event of the demo organisation with a published RFP, three invited vendors
(two have responded, one has not) and one clarification answered to all. Every run
issues a fresh link for the vendor that has not responded and revokes the earlier ones:
tokens are stored only as hashes, so a link printed before cannot be shown again.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Organisation
from vendors import services
from vendors.demo import DEMO_ORGANISATION
from vendors.engine.shortlist import CERTIFICATIONS
from vendors.models import (
    Candidate,
    Capability,
    ClarificationAudience,
    Invitation,
    Rfp,
    RfpResponse,
    SourcingEvent,
    Vendor,
)
from vendors.portal import services as portal
from vendors.selectors.events import wave_choices

PORTAL_EVENT = "Response portal demo: RFP for the next wave"
DEMO_CONTACTS = ("bids@{host}.example", "tenders@{host}.example", "rfp@{host}.example")
# The two responding vendors answer from their registry record; the first also declares a
# delivery centre the registry lacks, and that the data would leave the country: the
# difference report and the data-residency flag show it once the responses are opened.
EXTRA_CENTRE = "India"
SLAS = (
    "P1 incidents resolved within 4 hours, 95 % of the time",
    "Service desk answers within 60 seconds, 90 % of calls",
)
PRICES = (Decimal("410000"), Decimal("455000"))


def _from_record(vendor: Vendor, *, extra_centre: str | None) -> dict[str, str]:
    """Answers to the capability questions as the registry record has them."""
    labels = dict(CERTIFICATIONS)
    centres = [c.country for c in vendor.delivery_centres.all()]
    if extra_centre:
        centres.append(extra_centre)
    return {
        Capability.LANGUAGES: ", ".join(
            f"{lang.language}: {lang.proficiency}" for lang in vendor.languages.all()
        ),
        Capability.CERTIFICATIONS: "; ".join(
            f"{labels.get(c.code, c.code)} until {c.expires_on:%Y-%m-%d}"
            for c in vendor.certifications.all()
        ),
        Capability.DELIVERY_CENTRES: ", ".join(dict.fromkeys(centres)),
        Capability.DATA_RESIDENCY: "No" if extra_centre else "Yes",
    }


def _event(organisation: Organisation) -> SourcingEvent | None:
    existing = SourcingEvent.objects.filter(organisation=organisation, name=PORTAL_EVENT).first()
    if existing is not None:
        return existing
    waves = sorted(wave_choices(organisation), key=lambda w: (w.number == 1, w.number))
    if not waves:
        return None
    wave = waves[0]
    user = get_user_model().objects.get(username="manager")
    today = timezone.localdate()
    event = services.event_create(
        organisation=organisation,
        user=user,
        name=PORTAL_EVENT,
        assessment=wave.assessment,
        processes=wave.processes,
        model=wave.model,
        wave=wave.number,
        deadline=today + timedelta(days=28),
        planned_start=today + timedelta(days=150),
    )
    # Three vendors: the rules' choice first, then others the manager adds with a reason.
    candidates = list(
        event.candidates.select_related("vendor").order_by("-proposed", "vendor__name")
    )
    for candidate in candidates[:3]:
        if not candidate.proposed:
            services.candidate_decide(
                candidate=candidate,
                invite=True,
                reason="Known to us from an earlier engagement; invited to answer.",
                user=user,
            )
    for candidate in candidates[3:]:
        if candidate.proposed:
            services.candidate_decide(
                candidate=candidate,
                invite=False,
                reason="Three vendors are enough for this demo RFP.",
                user=user,
            )
    services.shortlist_accept(event=event, user=user)
    return event


def seed_portal(organisations: dict[str, Organisation]) -> str | None:
    """Load the portal demo; the path of a fresh link for the vendor yet to respond."""
    organisation = organisations.get(DEMO_ORGANISATION)
    if organisation is None:
        return None
    event = _event(organisation)
    if event is None:
        return None
    user = get_user_model().objects.get(username="manager")
    rfp = Rfp.objects.filter(event=event).first() or portal.rfp_create(event=event, user=user)
    if not rfp.is_published:
        portal.rfp_publish(rfp=rfp, user=user)
    invited = list(
        Candidate.objects.filter(event=event, invited=True)
        .select_related("vendor")
        .order_by("vendor__name")[:3]
    )
    if len(invited) < 3:
        return None
    responding, waiting = invited[:2], invited[2]
    questions = list(rfp.questions.all())
    processes = list(rfp.processes.all())
    for n, candidate in enumerate(responding):
        if RfpResponse.objects.filter(rfp=rfp, vendor=candidate.vendor).exists():
            continue
        host = candidate.vendor.name.split()[0].lower()
        link = portal.invitation_issue(
            rfp=rfp,
            candidate=candidate,
            email=DEMO_CONTACTS[n].format(host=host),
            user=user,
            link_for=None,
        )
        said = _from_record(candidate.vendor, extra_centre=EXTRA_CENTRE if n == 0 else None)
        said[Capability.SLAS] = SLAS[n]
        answers = {
            str(q.pk): said.get(q.capability, "")
            for q in questions
            if q.capability != Capability.TRANSITION_PLAN
        }
        portal.response_save(
            invitation=link.invitation,
            draft={
                "answers": answers,
                "prices": {str(p.pk): str(PRICES[n]) for p in processes},
                "transition_cost": str(Decimal("250000") + 50000 * n),
                "term_months": str(48 + 12 * n),
            },
            uploads={},
            kinds={},
            submit=True,
            ip="192.0.2.10",
        )
        if n == 0:
            asked = portal.clarification_ask(
                invitation=link.invitation,
                question="Are weekend volumes included in the figures for the processes?",
                ip="192.0.2.10",
            )
            portal.clarification_answer(
                clarification=asked,
                answer="Yes: the volumes cover seven days a week.",
                audience=ClarificationAudience.ALL,
                user=user,
            )
    for earlier in Invitation.objects.filter(
        rfp=rfp, vendor=waiting.vendor, revoked_at__isnull=True
    ):
        portal.invitation_revoke(invitation=earlier, user=None)
    host = waiting.vendor.name.split()[0].lower()
    fresh = portal.invitation_issue(
        rfp=rfp,
        candidate=waiting,
        email=DEMO_CONTACTS[2].format(host=host),
        user=None,
        link_for=None,
    )
    return fresh.path
