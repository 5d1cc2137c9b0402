"""Assessment data: the inventory and answers, recommendations, projections."""

from .assessment import Assessment, AssessmentQuerySet, Process, Status, WizardStep
from .projection import Projection, ProjectionChunk, ProjectionStatus
from .recommendation import Recommendation

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
