"""Vendor data: the shared registry, each organisation's criteria, sourcing events."""

from vendors.models.criteria import (
    COST_CRITERION,
    CriteriaSet,
    Criterion,
    PairwiseJudgement,
    WeightMethod,
)
from vendors.models.curation import ChangeStatus, VendorChangeProposal
from vendors.models.events import (
    Award,
    Candidate,
    CandidateChange,
    Evaluation,
    EventProcess,
    EventStatus,
    Proposal,
    SourcedModel,
    SourcingEvent,
)
from vendors.models.registry import (
    Certification,
    DeliveryCentre,
    FinancialStability,
    LocationClass,
    Proficiency,
    Vendor,
    VendorLanguage,
    VendorNote,
    VendorRating,
    VendorServiceLine,
    VendorTag,
)

__all__ = [
    "COST_CRITERION",
    "Award",
    "Candidate",
    "CandidateChange",
    "ChangeStatus",
    "Certification",
    "CriteriaSet",
    "Criterion",
    "DeliveryCentre",
    "EventProcess",
    "EventStatus",
    "Evaluation",
    "FinancialStability",
    "LocationClass",
    "PairwiseJudgement",
    "Proficiency",
    "Proposal",
    "SourcedModel",
    "SourcingEvent",
    "Vendor",
    "VendorChangeProposal",
    "VendorLanguage",
    "VendorNote",
    "VendorRating",
    "VendorServiceLine",
    "VendorTag",
    "WeightMethod",
]
