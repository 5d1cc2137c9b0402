"""The vendor registry and sourcing events under /api/v1/ (mounted by
``outsourcing/api/urls.py``)."""

from vendors.api.event_views import CandidateViewSet, EventViewSet
from vendors.api.proposal_views import ProposalViewSet
from vendors.api.views import ChangeProposalViewSet, CurationViewSet, VendorViewSet

EVENT = r"events/(?P<event_pk>[0-9]+)"

ROUTES = [
    ("vendors", VendorViewSet, "api-vendors-vendor"),
    ("vendor-changes", ChangeProposalViewSet, "api-vendors-change"),
    ("vendor-curation", CurationViewSet, "api-vendors-curation"),
    ("events", EventViewSet, "api-vendors-event"),
    (f"{EVENT}/candidates", CandidateViewSet, "api-vendors-candidate"),
    (f"{EVENT}/proposals", ProposalViewSet, "api-vendors-proposal"),
]
