"""The assessments endpoints under /api/v1/ (mounted by outsourcing/api/urls.py)."""

from __future__ import annotations

from django.urls import path

from assessments.api.processes import ProcessViewSet
from assessments.api.projections import ProjectionResultCsvView, ProjectionViewSet
from assessments.api.views import AssessmentViewSet, RecommendationViewSet

ROUTES = [
    ("assessments", AssessmentViewSet, "assessment"),
    (r"assessments/(?P<assessment_pk>[0-9]+)/processes", ProcessViewSet, "assessment-process"),
    (
        r"assessments/(?P<assessment_pk>[0-9]+)/recommendations",
        RecommendationViewSet,
        "assessment-recommendation",
    ),
    ("projections", ProjectionViewSet, "projection"),
]

urlpatterns = [
    path(
        "projections/<int:pk>/result.csv",
        ProjectionResultCsvView.as_view(),
        name="projection-result-csv",
    ),
]
