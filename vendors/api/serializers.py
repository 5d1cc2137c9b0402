"""Serializers of the vendor registry: shared records, change proposals, private data.

A vendor record is shared by every organisation; ``own`` holds what the caller's
organisation alone keeps about it (notes, rating, tags). Bodies that change a record are
turned into a vendor snapshot (``vendors.snapshots``) and validated by the same vendor
form the pages and the curators' acceptance use, so the rules live in one place.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import StrictSerializerMixin
from accounts.engine.countries import COUNTRY_CHOICES, LANGUAGE_CHOICES
from assessments.engine.vocabulary import OUTSOURCED_MODELS
from vendors.api.fields import id_field
from vendors.models import (
    Certification,
    FinancialStability,
    Proficiency,
    Vendor,
    VendorChangeProposal,
    VendorLanguage,
    VendorServiceLine,
)
from vendors.models.registry import (
    CERTIFICATION_CHOICES,
    EARLIEST_FOUNDED,
    SERVICE_LINE_CHOICES,
    LocationClass,
)
from vendors.selectors.registry import classed_centres, vendor_page
from vendors.snapshots import Snapshot, canonical, describe_changes, vendor_snapshot

REASON_MAX = 2000  # as the reason and decision forms
SMALLINT_MAX, INT_MAX = 32767, 2**31 - 1


def person_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


# ---------------------------------------------------------------- reading the registry


class ServiceLineSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_code_display")  # type: ignore[assignment]

    class Meta:
        model = VendorServiceLine
        fields = ["code", "label"]


class VendorLanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = VendorLanguage
        fields = ["language", "proficiency"]


class CertificationSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_code_display")  # type: ignore[assignment]
    valid = serializers.SerializerMethodField(help_text="Not expired today.")

    class Meta:
        model = Certification
        fields = ["code", "label", "expires_on", "valid"]

    def get_valid(self, certification: Certification) -> bool:
        return certification.expires_on >= self.context.get("today", timezone.localdate())


class DeliveryCentreSerializer(serializers.Serializer):
    country = serializers.CharField(source="centre.country")
    city = serializers.CharField(source="centre.city")
    continent = serializers.CharField(source="centre.continent")
    location_class = serializers.ChoiceField(
        choices=LocationClass.choices,
        help_text="Onshore, nearshore or offshore, seen from your organisation's home country.",
    )


class VendorSerializer(serializers.ModelSerializer):
    """A directory row: the shared record and what describes it."""

    models = serializers.ListField(
        source="offered_models",
        child=serializers.ChoiceField(choices=OUTSOURCED_MODELS),
        help_text="Sourcing models offered.",
    )
    service_lines = ServiceLineSerializer(many=True)
    languages = VendorLanguageSerializer(many=True)
    certifications = CertificationSerializer(many=True)
    delivery_centres = serializers.SerializerMethodField()

    class Meta:
        model = Vendor
        fields = [
            "id",
            "name",
            "website",
            "headquarters_country",
            "models",
            "service_lines",
            "languages",
            "certifications",
            "delivery_centres",
            "headcount",
            "founded",
            "financial_stability",
            "active",
            "merged_into",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(DeliveryCentreSerializer(many=True))
    def get_delivery_centres(self, vendor: Vendor) -> list[dict[str, Any]]:
        home = self.context["home_country"]
        return list(DeliveryCentreSerializer(classed_centres(vendor, home), many=True).data)


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_author(self, note: Any) -> str:
        return person_name(note.author)


class OwnDataSerializer(serializers.Serializer):
    """What the caller's organisation keeps about a vendor; no other organisation sees it."""

    rating = serializers.IntegerField(allow_null=True, help_text="Your internal rating, 1 to 5.")
    tags = serializers.ListField(child=serializers.CharField())
    notes = NoteSerializer(many=True)


class VendorDetailSerializer(VendorSerializer):
    own = serializers.SerializerMethodField(
        help_text="Your organisation's own notes, rating and tags (null for a registry "
        "curator outside any organisation)."
    )

    class Meta(VendorSerializer.Meta):
        fields = [*VendorSerializer.Meta.fields, "references", "notes", "created_at", "own"]
        read_only_fields = fields

    @extend_schema_field(OwnDataSerializer(allow_null=True))
    def get_own(self, vendor: Vendor) -> dict[str, Any] | None:
        organisation = self.context.get("organisation")
        if organisation is None:
            return None
        return own_data(organisation, vendor)


def own_data(organisation: Any, vendor: Vendor) -> dict[str, Any]:
    known = vendor_page(organisation=organisation, vendor=vendor)
    return OwnDataSerializer(
        {
            "rating": known.rating.rating if known.rating else None,
            "tags": [tag.label for tag in known.tags],
            "notes": known.notes,
        }
    ).data


# ---------------------------------------------------------------- writing a record


class LanguageRowSerializer(StrictSerializerMixin, serializers.Serializer):
    """A language the vendor delivers in."""

    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    proficiency = serializers.ChoiceField(choices=Proficiency.choices)


class CertificationRowSerializer(StrictSerializerMixin, serializers.Serializer):
    """A certification and the expiry date printed on it."""

    code = serializers.ChoiceField(choices=CERTIFICATION_CHOICES)
    expires_on = serializers.DateField()


class CentreRowSerializer(StrictSerializerMixin, serializers.Serializer):
    """A delivery centre."""

    country = serializers.ChoiceField(choices=COUNTRY_CHOICES)
    city = serializers.CharField(max_length=100)


class VendorRecordSerializer(StrictSerializerMixin, serializers.Serializer):
    """A vendor record to save or propose. Every field is optional here: a change sends
    only what changes, and a new record is checked for its name and headquarters by the
    vendor form."""

    name = serializers.CharField(max_length=200, required=False)
    website = serializers.CharField(max_length=200, required=False, allow_blank=True)
    headquarters_country = serializers.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    models = serializers.ListField(
        child=serializers.ChoiceField(choices=OUTSOURCED_MODELS),
        max_length=3,
        required=False,
        help_text="Sourcing models offered: ITO, BPO, KPO.",
    )
    service_lines = serializers.ListField(
        child=serializers.ChoiceField(choices=SERVICE_LINE_CHOICES),
        max_length=len(SERVICE_LINE_CHOICES),
        required=False,
    )
    languages: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=LanguageRowSerializer(), required=False, max_length=len(LANGUAGE_CHOICES)
    )
    certifications: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=CertificationRowSerializer(), required=False, max_length=len(CERTIFICATION_CHOICES)
    )
    delivery_centres: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=CentreRowSerializer(), required=False, max_length=500
    )
    headcount = serializers.IntegerField(
        min_value=0, max_value=INT_MAX, allow_null=True, required=False
    )
    founded = serializers.IntegerField(
        min_value=EARLIEST_FOUNDED, max_value=SMALLINT_MAX, allow_null=True, required=False
    )
    financial_stability = serializers.ChoiceField(
        choices=FinancialStability.choices, allow_blank=True, required=False
    )
    references = serializers.CharField(max_length=10000, allow_blank=True, required=False)
    notes = serializers.CharField(
        max_length=10000,
        allow_blank=True,
        required=False,
        help_text="Curators' notes, shared by every organisation.",
    )
    active = serializers.BooleanField(required=False)


class VendorWriteSerializer(VendorRecordSerializer):
    """A curator's new record or change (PATCH sends only what changes)."""

    reason = serializers.CharField(
        max_length=REASON_MAX,
        allow_blank=True,
        required=False,
        help_text="Kept in the record's history.",
    )


NEW_RECORD: Snapshot = {
    "name": "",
    "website": "",
    "headquarters_country": "",
    "headcount": None,
    "founded": None,
    "financial_stability": "",
    "references": "",
    "notes": "",
    "active": True,
    "models": [],
    "service_lines": [],
    "languages": [],
    "certifications": [],
    "centres": [],
}


def record_snapshot(data: dict[str, Any], vendor: Vendor | None) -> Snapshot:
    """The record the body asks for: today's record (or a blank one) with the fields the
    body gives replaced, as a snapshot the vendor form validates."""
    snapshot = dict(vendor_snapshot(vendor) if vendor is not None else NEW_RECORD)
    for name in (
        "name",
        "website",
        "headquarters_country",
        "headcount",
        "founded",
        "financial_stability",
        "references",
        "notes",
        "active",
        "models",
        "service_lines",
    ):
        if name in data:
            snapshot[name] = data[name]
    if "languages" in data:
        snapshot["languages"] = [[row["language"], row["proficiency"]] for row in data["languages"]]
    if "certifications" in data:
        snapshot["certifications"] = [
            [row["code"], row["expires_on"].isoformat()] for row in data["certifications"]
        ]
    if "delivery_centres" in data:
        snapshot["centres"] = [[row["country"], row["city"]] for row in data["delivery_centres"]]
    return canonical(snapshot)


# ---------------------------------------------------------------- change proposals


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(source="label")
    old = serializers.CharField()
    new = serializers.CharField()


class CuratedFieldChangeSerializer(FieldChangeSerializer):
    changed_since = serializers.BooleanField(
        help_text="The record no longer holds the value the proposer saw."
    )


class ChangeProposalSerializer(serializers.ModelSerializer):
    """One of your organisation's change proposals, as the registry curators decide it."""

    title = serializers.CharField()
    changes = serializers.SerializerMethodField()
    proposed_by = serializers.SerializerMethodField()

    class Meta:
        model = VendorChangeProposal
        fields = [
            "id",
            "vendor",
            "is_new_vendor",
            "title",
            "status",
            "reason",
            "changes",
            "proposed_by",
            "created_at",
            "decision_note",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(FieldChangeSerializer(many=True))
    def get_changes(self, proposal: VendorChangeProposal) -> list[dict[str, Any]]:
        changes = describe_changes(proposal.base, proposal.proposed)
        return list(FieldChangeSerializer(changes, many=True).data)

    def get_proposed_by(self, proposal: VendorChangeProposal) -> str:
        return person_name(proposal.proposed_by)


class ChangeProposalCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    """A change to the shared registry, for the registry curators to decide."""

    vendor = id_field(
        required=False,
        allow_null=True,
        help_text="The record to change; null or absent for a new vendor.",
    )
    proposed = VendorRecordSerializer(
        help_text="The fields to change (all of them for a new vendor)."
    )
    reason = serializers.CharField(
        max_length=REASON_MAX,
        help_text="Why the record should change: a curator reads it before deciding.",
    )


class CurationItemSerializer(serializers.ModelSerializer):
    """A change proposal as a curator sees it: the organisation's name, never the
    proposer's, and nothing the organisation keeps privately."""

    title = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name")
    changes = serializers.SerializerMethodField()

    class Meta:
        model = VendorChangeProposal
        fields = [
            "id",
            "organisation",
            "vendor",
            "is_new_vendor",
            "title",
            "status",
            "reason",
            "changes",
            "created_at",
            "decision_note",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CuratedFieldChangeSerializer(many=True))
    def get_changes(self, proposal: VendorChangeProposal) -> list[dict[str, Any]]:
        current = self.context.get("current", {}).get(proposal.pk)
        changes = describe_changes(proposal.base, proposal.proposed, current)
        return list(CuratedFieldChangeSerializer(changes, many=True).data)


class DecisionSerializer(StrictSerializerMixin, serializers.Serializer):
    """A curator's decision note."""

    note = serializers.CharField(
        max_length=REASON_MAX,
        allow_blank=True,
        required=False,
        default="",
        help_text="Read by the proposing organisation; required to "
        "reject. On acceptance it is kept in the record's "
        "history.",
    )


# ---------------------------------------------------------------- the organisation's own data


class NoteCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    """A note your organisation keeps about a vendor."""

    text = serializers.CharField(max_length=5000, help_text="Seen only by your organisation.")


class PrivateDataWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    """Your organisation's rating and tags of a vendor."""

    rating = serializers.IntegerField(
        min_value=1,
        max_value=5,
        allow_null=True,
        help_text="Your internal rating, 1 to 5; null clears it.",
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        max_length=200,
        help_text="Your organisation's tags for the vendor (at most 20, each at most 40 "
        "characters); they replace the current ones.",
    )

    def validate_tags(self, tags: list[str]) -> list[str]:
        if any("," in tag for tag in tags):
            raise serializers.ValidationError("A tag cannot contain a comma.")
        return tags
