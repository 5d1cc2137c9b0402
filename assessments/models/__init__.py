"""Assessment data: the inventory and answers, recommendations, projections."""

from assessments.models.assessment import (
    Assessment,
    AssessmentQuerySet,
    Process,
    Status,
    WizardStep,
)
from assessments.models.projection import Projection, ProjectionChunk, ProjectionStatus
from assessments.models.recommendation import Recommendation

__all__ = [
    "Assessment",
    "AssessmentQuerySet",
    "Process",
    "Projection",
    "ProjectionChunk",
    "ProjectionStatus",
    "Recommendation",
    "Status",
    "WizardStep",
]
