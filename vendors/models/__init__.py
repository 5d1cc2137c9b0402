"""Vendor data: the shared registry, each organisation's criteria, sourcing events."""

from .criteria import COST_CRITERION, CriteriaSet, Criterion, PairwiseJudgement, WeightMethod
from .events import (
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
from .registry import (
    Certification,
    DeliveryCentre,
    FinancialStability,
    LocationClass,
    Proficiency,
    Vendor,
    VendorLanguage,
    VendorNote,
    VendorServiceLine,
)

__all__ = [
    "COST_CRITERION",
    "Award",
    "Candidate",
    "CandidateChange",
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
    "VendorLanguage",
    "VendorNote",
    "VendorServiceLine",
    "WeightMethod",
]
