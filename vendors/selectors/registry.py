"""Reads for the shared vendor registry: profiles, the directory, a vendor's page and history.

The registry is shared by every organisation; what an organisation adds to it (notes,
ratings, contracts) is read through that organisation, so a caller cannot forget the scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from django.db.models import Avg, QuerySet

from accounts.engine.countries import continent_of, location_class
from accounts.models import Organisation
from vendors.engine.shortlist import VendorProfile
from vendors.models import (
    Award,
    Candidate,
    Certification,
    DeliveryCentre,
    Proposal,
    Vendor,
    VendorLanguage,
    VendorNote,
    VendorRating,
    VendorServiceLine,
    VendorTag,
)


def vendor_profile(vendor: Vendor) -> VendorProfile:
    """The engine's view of a vendor; reads prefetched relations (``with_profile``)."""
    return VendorProfile(
        id=vendor.pk,
        name=vendor.name,
        active=vendor.active,
        models=vendor.offered_models,
        service_lines=[line.code for line in vendor.service_lines.all()],
        languages={lang.language: lang.proficiency for lang in vendor.languages.all()},
        certifications=[(cert.code, cert.expires_on) for cert in vendor.certifications.all()],
        delivery_centres=[
            (centre.country, continent_of(centre.country))
            for centre in vendor.delivery_centres.all()
        ],
        financial_stability=vendor.financial_stability or None,
    )


_Describing = VendorServiceLine | VendorLanguage | Certification | DeliveryCentre
_HISTORY_LABELS: dict[type[_Describing], str] = {
    VendorServiceLine: "service line",
    VendorLanguage: "language",
    Certification: "certification",
    DeliveryCentre: "delivery centre",
}
_ACTIONS = {"+": "Added", "~": "Changed", "-": "Removed"}


REGISTRY_PEOPLE = "Registry curators"


@dataclass(frozen=True)
class ClassedCentre:
    centre: DeliveryCentre
    location_class: str


def classed_centres(vendor: Vendor, home_country: str) -> list[ClassedCentre]:
    """Delivery centres with onshore / nearshore / offshore seen from ``home_country``."""
    return [
        ClassedCentre(centre, location_class(home_country, centre.country))
        for centre in vendor.delivery_centres.all()
    ]


def directory_vendors() -> QuerySet[Vendor]:
    """Every vendor with what a directory row shows, in a fixed number of queries."""
    return Vendor.objects.with_profile().order_by("name", "pk")


@dataclass(frozen=True)
class VendorPage:
    """What one organisation knows about a vendor."""

    notes: list[VendorNote]
    candidacies: list[Candidate]
    proposals: Sequence[Proposal]  # annotated with mean_score: every evaluator's scores, or None
    awards: list[Award]
    rating: VendorRating | None
    tags: list[VendorTag]


def vendor_page(*, organisation: Organisation, vendor: Vendor) -> VendorPage:
    notes = list(
        VendorNote.objects.for_org(organisation).filter(vendor=vendor).select_related("author")
    )
    candidacies = list(
        Candidate.objects.filter(event__organisation=organisation, vendor=vendor)
        .select_related("event")
        .order_by("-event__created_at")
    )
    proposals = list(
        Proposal.objects.filter(event__organisation=organisation, vendor=vendor)
        .select_related("event", "event__assessment")
        .annotate(mean_score=Avg("evaluations__score"))
        .order_by("-event__created_at")
    )
    awards = list(
        Award.objects.for_org(organisation)
        .filter(vendor=vendor)
        .select_related("event", "proposal", "awarded_by")
    )
    rating = VendorRating.objects.filter(organisation=organisation, vendor=vendor).first()
    tags = list(VendorTag.objects.filter(organisation=organisation, vendor=vendor))
    return VendorPage(
        notes=notes,
        candidacies=candidacies,
        proposals=proposals,
        awards=awards,
        rating=rating,
        tags=tags,
    )


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    what: str
    changes: list[str]
    why: str


def vendor_history(
    vendor: Vendor, *, limit: int = 50, show_people: bool = False
) -> list[HistoryEntry]:
    """Who changed what, when and why, for the vendor and every row that describes it.

    Without ``show_people`` (for anyone but a curator) the person is not named: the
    registry is shared, and its editors' usernames are not another organisation's to see.
    """
    records = chain(
        vendor.history.select_related("history_user").order_by("-history_date")[:limit],
        *(
            model.history.filter(vendor_id=vendor.pk)
            .select_related("history_user")
            .order_by("-history_date")[:limit]
            for model in _HISTORY_LABELS
        ),
    )
    entries = []
    for record in records:
        model = record.instance_type
        label = _HISTORY_LABELS.get(model, "vendor record")
        changes = []
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["updated_at"])
            changes = [f"{c.field}: {c.old!r} \u2192 {c.new!r}" for c in delta.changes]
        if record.history_user is None:
            who = "system"
        else:
            who = record.history_user.get_username() if show_people else REGISTRY_PEOPLE
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=who,
                what=f"{_ACTIONS[record.history_type]} {label} \u201c{record.instance}\u201d",
                changes=changes,
                why=record.history_change_reason or "",
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
