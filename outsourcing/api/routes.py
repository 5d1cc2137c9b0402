"""The dashboard's endpoints, mounted under /api/v1/ by outsourcing/api/urls.py."""

from __future__ import annotations

from django.urls import path

from outsourcing.api.dashboard import DashboardFigureViewSet, DashboardHeadlineView

ROUTES = [("dashboard/figures", DashboardFigureViewSet, "api-dashboard-figure")]

urlpatterns = [
    path("dashboard/headline/", DashboardHeadlineView.as_view(), name="api-dashboard-headline"),
]
