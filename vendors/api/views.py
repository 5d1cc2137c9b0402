"""The vendor registry over the API: the same rules as the pages (``vendors/views/``).

Every member reads the shared registry. Registry curators change it directly; an
organisation's admin proposes a change instead (``/vendor-changes/``), which a curator
accepts or rejects (``/vendor-curation/``). What an organisation keeps about a vendor
(notes, rating, tags) is read and written through that organisation only; managers and
admins write it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms import BaseFormSet
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.errors import form_errors
from accounts.api.permissions import OrganisationAdmin
from accounts.api.views import ApiViewSet
from vendors import services
from vendors.access import (
    get_change_proposal_for,
    get_change_proposal_to_decide,
    get_vendor,
)
from vendors.api.access import (
    ID,
    CuratorsOnly,
    RegistryAccess,
    caller,
    caller_organisation,
    member_organisation,
    object_id,
    require_curator,
    require_editor,
)
from vendors.api.errors import selection_error
from vendors.api.filters import VendorApiFilter, home_country_of
from vendors.api.serializers import (
    ChangeProposalCreateSerializer,
    ChangeProposalSerializer,
    CurationItemSerializer,
    DecisionSerializer,
    NoteCreateSerializer,
    NoteSerializer,
    OwnDataSerializer,
    PrivateDataWriteSerializer,
    VendorDetailSerializer,
    VendorSerializer,
    VendorWriteSerializer,
    own_data,
    record_snapshot,
)
from vendors.forms import (
    NoteForm,
    PrivateDataForm,
    VendorForm,
    bind_snapshot,
    form_errors_in_words,
    snapshot_from_forms,
    vendor_details,
)
from vendors.models import ChangeStatus, Vendor, VendorChangeProposal
from vendors.selectors.registry import directory_vendors
from vendors.snapshots import apply_changes, vendor_snapshot

RECORD_EXAMPLE = {
    "name": "Initech",
    "website": "https://initech.example",
    "headquarters_country": "United Kingdom",
    "models": ["ITO"],
    "service_lines": ["service_desk"],
    "languages": [{"language": "English", "proficiency": "native"}],
    "certifications": [{"code": "iso_27001", "expires_on": "2027-06-30"}],
    "delivery_centres": [{"country": "Poland", "city": "Kraków"}],
    "headcount": 1200,
    "founded": 1998,
    "financial_stability": "strong",
}


def validated_record(
    data: dict[str, Any], vendor: Vendor | None
) -> tuple[VendorForm, dict[str, BaseFormSet]]:
    """The vendor form and row formsets bound to the record the body asks for, valid."""
    form, formsets = bind_snapshot(record_snapshot(data, vendor), vendor)
    if not (form.is_valid() and all(f.is_valid() for f in formsets.values())):
        # The API calls the delivery centres' rows what the record calls them.
        named = {"delivery_centres" if p == "centres" else p: f for p, f in formsets.items()}
        raise exceptions.ValidationError(form_errors(form, named))
    return form, formsets


@extend_schema_view(
    list=extend_schema(
        summary="List vendors",
        description="The shared vendor registry (active vendors unless `include_inactive`), "
        "with service lines, languages, certifications and delivery centres. "
        "Locations are classed from your organisation's home country.",
    ),
    retrieve=extend_schema(
        summary="One vendor",
        description="The shared record, plus `own`: the notes, rating and tags your "
        "organisation keeps about the vendor (no other organisation sees them).",
    ),
)
class VendorViewSet(mixins.ListModelMixin, ApiViewSet):
    permission_classes = [RegistryAccess]
    serializer_class = VendorSerializer
    filterset_class = VendorApiFilter
    lookup_value_regex = ID

    def get_queryset(self) -> Any:
        return directory_vendors()

    def get_serializer_context(self) -> dict[str, Any]:
        organisation = member_organisation(self.request) if self.request else None
        return {
            **super().get_serializer_context(),
            "organisation": organisation,
            "home_country": home_country_of(organisation),
        }

    def _detail(self, vendor: Vendor, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            VendorDetailSerializer(vendor, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(responses=VendorDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(get_vendor(request._request, object_id(pk)))

    @extend_schema(
        summary="Add a vendor (registry curators)",
        description="Registry curators add a vendor to the shared registry; the reason is "
        "kept in its history. An organisation's admin proposes a new vendor "
        "with POST /api/v1/vendor-changes/ instead (403 here).",
        request=VendorWriteSerializer,
        responses={201: VendorDetailSerializer},
        examples=[
            OpenApiExample(
                "A new vendor",
                request_only=True,
                value={**RECORD_EXAMPLE, "reason": "From its annual report"},
            )
        ],
    )
    def create(self, request: Request) -> Response:
        require_curator(request)
        body = VendorWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._save(request, None, body.validated_data, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a vendor (registry curators)",
        description="Registry curators change the shared record; only the fields sent "
        "change, and a list sent (languages, say) replaces the record's list. An "
        "organisation's admin proposes the change with POST "
        "/api/v1/vendor-changes/ instead (403 here).",
        request=VendorWriteSerializer,
        responses=VendorDetailSerializer,
        examples=[
            OpenApiExample(
                "A new headcount",
                request_only=True,
                value={"headcount": 1500, "reason": "Annual report 2026"},
            )
        ],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        require_curator(request)
        vendor = get_vendor(request._request, object_id(pk), write=True)
        body = VendorWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._save(request, vendor, body.validated_data, status.HTTP_200_OK)

    def _save(
        self, request: Request, vendor: Vendor | None, data: dict[str, Any], code: int
    ) -> Response:
        with transaction.atomic():
            form, formsets = validated_record(data, vendor)
            saved = services.vendor_save(
                vendor=vendor,
                data=form.vendor_data(),
                details=vendor_details(form, formsets),
                user=caller(request),
                reason=data.get("reason", ""),
            )
        return self._detail(get_vendor(request._request, saved.pk), code)

    @extend_schema(
        summary="Note a vendor",
        description="A note only your organisation sees. Managers and admins.",
        request=NoteCreateSerializer,
        responses={201: NoteSerializer},
        examples=[
            OpenApiExample(
                "A note", request_only=True, value={"text": "Met them at the 2026 trade fair."}
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str) -> Response:
        require_editor(request)
        vendor = get_vendor(request._request, object_id(pk))
        body = NoteCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form = NoteForm(body.validated_data)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            note = services.vendor_note_add(
                organisation=caller_organisation(request),
                vendor=vendor,
                author=caller(request),
                text=form.cleaned_data["text"],
            )
        except services.SelectionError as error:
            raise selection_error(error, "text") from None
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Set your rating and tags of a vendor",
        description="Replace your organisation's internal rating (1 to 5, or null) and tags "
        "for the vendor; only your organisation sees them. Managers and admins.",
        request=PrivateDataWriteSerializer,
        responses=OwnDataSerializer,
        examples=[
            OpenApiExample(
                "Rated and tagged",
                request_only=True,
                value={"rating": 4, "tags": ["preferred", "EU data"]},
            )
        ],
    )
    @action(detail=True, methods=["put"])
    def private(self, request: Request, pk: str) -> Response:
        require_editor(request)
        vendor = get_vendor(request._request, object_id(pk))
        body = PrivateDataWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rating = body.validated_data["rating"]
        form = PrivateDataForm(
            {
                "rating": "" if rating is None else str(rating),
                "tags": ", ".join(body.validated_data["tags"]),
            }
        )
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        organisation = caller_organisation(request)
        services.vendor_private_save(
            organisation=organisation,
            vendor=vendor,
            user=caller(request),
            rating=form.cleaned_data["rating"],
            tags=form.cleaned_data["tags"],
        )
        return Response(own_data(organisation, vendor))


@extend_schema_view(
    list=extend_schema(
        summary="List your organisation's change proposals",
        description="The changes to the shared registry your organisation "
        "proposed, newest first, with the curators' decisions.",
    ),
    retrieve=extend_schema(summary="One of your organisation's change proposals"),
)
class ChangeProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = VendorChangeProposal.objects.none()  # the model, for the schema
    permission_classes = [OrganisationAdmin]
    serializer_class = ChangeProposalSerializer
    lookup_value_regex = ID

    def get_queryset(self) -> Any:
        return VendorChangeProposal.objects.for_org(
            caller_organisation(self.request)
        ).select_related("vendor", "proposed_by")

    def get_object(self) -> VendorChangeProposal:
        return get_change_proposal_for(self.request._request, object_id(self.kwargs["pk"]))

    @extend_schema(
        summary="Propose a change to the registry (organisation admins)",
        description="Ask the registry curators for a new vendor (`vendor` null) or a change "
        "to one (only the fields sent change). The record changes only when a "
        "curator accepts; the proposal is checked as the vendor form checks it.",
        request=ChangeProposalCreateSerializer,
        responses={201: ChangeProposalSerializer},
        examples=[
            OpenApiExample(
                "A new name",
                request_only=True,
                value={
                    "vendor": 12,
                    "proposed": {"name": "Initrode"},
                    "reason": "Renamed in 2025, see their press release.",
                },
            )
        ],
    )
    def create(self, request: Request) -> Response:
        body = ChangeProposalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        vendor = None
        if data.get("vendor") is not None:
            try:
                vendor = get_vendor(request._request, data["vendor"], write=True)
            except Http404:
                raise exceptions.ValidationError({"vendor": ["No such vendor."]}) from None
        form, formsets = validated_record(data["proposed"], vendor)
        try:
            proposal = services.change_proposal_submit(
                organisation=caller_organisation(request),
                user=caller(request),
                vendor=vendor,
                proposed=snapshot_from_forms(form, formsets),
                reason=data["reason"],
            )
        except services.SelectionError as error:
            raise selection_error(error) from None
        return Response(ChangeProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                enum=ChangeStatus.values,
                description="pending (the default), accepted or rejected.",
            )
        ],
        summary="The curation queue (registry curators)",
        description="Every organisation's change proposals with a status (pending by "
        "default), oldest first. Curators see the proposing organisation's name, "
        "never the proposer's, and nothing an organisation keeps privately.",
    ),
    retrieve=extend_schema(summary="One change proposal to decide (registry curators)"),
)
class CurationViewSet(mixins.ListModelMixin, ApiViewSet):
    permission_classes = [CuratorsOnly]
    serializer_class = CurationItemSerializer
    lookup_value_regex = ID

    def get_queryset(self) -> Any:
        wanted = self.request.query_params.get("status") or ChangeStatus.PENDING
        if wanted not in ChangeStatus.values:
            raise exceptions.ValidationError(
                {"status": [f"Choose one of {', '.join(ChangeStatus.values)}."]}
            )
        return (
            VendorChangeProposal.objects.filter(status=wanted)
            .select_related("vendor", "organisation")
            .order_by("created_at", "pk")
        )

    def _item(self, proposal: VendorChangeProposal) -> Response:
        vendor = (
            get_vendor(self.request._request, proposal.vendor_id) if proposal.vendor_id else None
        )
        current = {proposal.pk: vendor_snapshot(vendor)} if vendor is not None else {}
        return Response(CurationItemSerializer(proposal, context={"current": current}).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._item(get_change_proposal_to_decide(request._request, object_id(pk)))

    @extend_schema(
        summary="Accept a change proposal (registry curators)",
        description="Apply the fields the proposer changed on top of today's record, after "
        "the vendor form has checked them again; the history records the "
        "curator and the note.",
        request=DecisionSerializer,
        responses=CurationItemSerializer,
        examples=[
            OpenApiExample(
                "Accepted", request_only=True, value={"note": "Checked against Companies House."}
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        proposal = get_change_proposal_to_decide(request._request, object_id(pk))
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        vendor = (
            get_vendor(request._request, proposal.vendor_id, write=True)
            if proposal.vendor_id
            else None
        )
        wanted = (
            apply_changes(vendor_snapshot(vendor), proposal.base, proposal.proposed)
            if vendor is not None
            else proposal.proposed
        )
        form, formsets = bind_snapshot(wanted, vendor)
        try:
            if not (form.is_valid() and all(f.is_valid() for f in formsets.values())):
                raise services.SelectionError(
                    "The proposal no longer fits the registry: "
                    f"{form_errors_in_words(form, formsets)} Reject it with a note, or edit "
                    "the record yourself."
                )
            services.change_proposal_accept(
                proposal=proposal,
                curator=caller(request),
                data=form.vendor_data(),
                details=vendor_details(form, formsets),
                note=body.validated_data["note"].strip(),
            )
        except services.SelectionError as error:
            raise selection_error(error) from None
        return self._item(get_change_proposal_to_decide(request._request, object_id(pk)))

    @extend_schema(
        summary="Reject a change proposal (registry curators)",
        description="The record is unchanged; the note (required) tells the proposer why.",
        request=DecisionSerializer,
        responses=CurationItemSerializer,
        examples=[
            OpenApiExample(
                "Rejected",
                request_only=True,
                value={"note": "The vendor's site still shows the old name."},
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        proposal = get_change_proposal_to_decide(request._request, object_id(pk))
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.change_proposal_reject(
                proposal=proposal, curator=caller(request), note=body.validated_data["note"]
            )
        except services.SelectionError as error:
            raise selection_error(error, "note") from None
        return self._item(get_change_proposal_to_decide(request._request, object_id(pk)))
