"""Assessment data: the inventory and answers, recommendations, projections."""

from assessments.models.assessment import (
    Assessment,
    AssessmentQuerySet,
    Process,
    Status,
    WizardStep,
)
from assessments.models.calibration import CalibratedAssumptions
from assessments.models.portfolio import CurrentPortfolio
from assessments.models.projection import Projection, ProjectionChunk, ProjectionStatus
from assessments.models.recommendation import Recommendation
from assessments.models.scenario import Scenario

__all__ = [
    "Assessment",
    "AssessmentQuerySet",
    "CalibratedAssumptions",
    "CurrentPortfolio",
    "Process",
    "Projection",
    "ProjectionChunk",
    "ProjectionStatus",
    "Recommendation",
    "Scenario",
    "Status",
    "WizardStep",
]
