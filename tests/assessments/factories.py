"""Assessments with scored processes, for the results tests."""

from __future__ import annotations

from decimal import Decimal

from assessments.engine.questions import QUESTION_KEYS
from assessments.models import Assessment, Process, Status
from assessments.services import assessments as services

# METHODOLOGY 3.7: name, business function, answers in QUESTION_KEYS order.
WORKED_CASES = (
    ("Payroll processing", "HR", (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2)),
    ("Market research", "marketing", (3, 2, 2, 5, 2, 2, 1, 1, 5, 4, 2)),
    ("Core product R&D", "R&D", (5, 1, 2, 5, 3, 4, 1, 3, 1, 2, 5)),
    ("Network infrastructure", "IT", (2, 4, 4, 3, 5, 3, 1, 4, 4, 3, 3)),
    ("Customer support hotline", "customer service", (2, 4, 5, 2, 2, 3, 5, 1, 3, 4, 2)),
    ("Every answer 3", "other", (3,) * 11),
)


def answers_of(values: tuple[int, ...]) -> dict[str, int]:
    return dict(zip(QUESTION_KEYS, values, strict=True))


def scored_assessment(
    organisation,
    owner,
    *,
    processes=WORKED_CASES,
    name="Review 2027",
    objectives=("cost_reduction", "operational_efficiency"),
    cost=Decimal("1000000"),
) -> Assessment:
    """A submitted assessment whose processes are scored, as after ``assessment_submit``.

    ``processes``: (name, business function, answers tuple) triples.
    """
    assessment = Assessment.objects.create(
        organisation=organisation,
        owner=owner,
        name=name,
        objectives=list(objectives),
        home_country="United Kingdom",
        currency="GBP",
        status=Status.SUBMITTED,
    )
    Process.objects.bulk_create(
        [
            Process(
                assessment=assessment,
                position=i,
                name=process_name,
                business_function=function,
                annual_cost=cost + i * 1000,
                fte=Decimal("5"),
                **answers_of(answers),
            )
            for i, (process_name, function, answers) in enumerate(processes, start=1)
        ]
    )
    services.assessment_score(assessment=assessment)
    return assessment


def many_processes(count: int) -> list[tuple[str, str, tuple[int, ...]]]:
    """``count`` processes cycling through the worked cases, with unique names."""
    return [
        (
            f"{WORKED_CASES[i % len(WORKED_CASES)][0]} {i}",
            WORKED_CASES[i % len(WORKED_CASES)][1],
            WORKED_CASES[i % len(WORKED_CASES)][2],
        )
        for i in range(count)
    ]
