"""Permission-checked getters for assessment resources (built on accounts.access)."""

from django.http import HttpRequest

from accounts.access import get_for
from assessments.models import Assessment, Process, Projection, Recommendation, Scenario


def get_assessment_for(request: HttpRequest, pk: int, *, write: bool = False) -> Assessment:
    return get_for(request, Assessment.objects.all(), write=write, pk=pk)


def get_process_for(
    request: HttpRequest, assessment: Assessment, pk: int, *, write: bool = False
) -> Process:
    return get_for(
        request,
        Process.objects.filter(assessment=assessment),
        write=write,
        via="assessment__organisation",
        pk=pk,
    )


def get_recommendation_for(
    request: HttpRequest, process: Process, *, write: bool = False
) -> Recommendation:
    return get_for(
        request,
        Recommendation.objects.select_related("process"),
        write=write,
        via="process__assessment__organisation",
        process=process,
    )


def get_projection_for(request: HttpRequest, assessment: Assessment, pk: int) -> Projection:
    return get_for(
        request,
        Projection.objects.filter(assessment=assessment),
        via="assessment__organisation",
        pk=pk,
    )


def get_scenario_for(
    request: HttpRequest, assessment: Assessment, pk: int, *, write: bool = False
) -> Scenario:
    return get_for(
        request,
        Scenario.objects.filter(assessment=assessment),
        write=write,
        via="assessment__organisation",
        pk=pk,
    )
