"""Query parameters of the assessments API's lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from assessments import filters as page_filters
from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES
from assessments.models import Assessment, Projection, ProjectionStatus, Status


class AssessmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Status.choices, help_text="Only drafts, or only submitted ones."
    )
    search = django_filters.CharFilter(
        method="by_name", help_text="Words that all appear in the name."
    )

    class Meta:
        model = Assessment
        fields: list[str] = []

    def by_name(
        self, queryset: QuerySet[Assessment], name: str, value: str
    ) -> QuerySet[Assessment]:
        condition = Q()
        for word in value.split():
            condition &= Q(name__icontains=word)
        return queryset.filter(condition)


class RecommendationFilter(page_filters.RecommendationFilter):
    """The results page's filters (search ``q``, ``model``, ``location``, ``wave``, ``flag``,
    ``sort``), with the business function named ``business_function``. Model and location
    are the decided ones: a manager's override counts."""

    function = None  # type: ignore[assignment]  # the page's name for it; the API spells it out
    business_function = django_filters.ChoiceFilter(
        field_name="process__business_function",
        choices=BUSINESS_FUNCTION_CHOICES,
        help_text="Only processes of this business function.",
    )


class ProjectionFilter(django_filters.FilterSet):
    # Bounded to what an id column holds: a larger number is a 400, never an overflow.
    assessment = django_filters.NumberFilter(
        field_name="assessment_id",
        help_text="Only this assessment's projections.",
        min_value=1,
        max_value=2**63 - 1,
    )
    status = django_filters.ChoiceFilter(choices=ProjectionStatus.choices)

    class Meta:
        model = Projection
        fields: list[str] = []
