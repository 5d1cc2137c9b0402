"""Small builders for assessment test data (answers in METHODOLOGY table order)."""

from decimal import Decimal

from accounts.models import Membership
from assessments.engine.questions import QUESTION_KEYS
from assessments.models import Assessment, Process

PAYROLL = (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2)
MARKET_RESEARCH = (3, 2, 2, 5, 2, 2, 1, 1, 5, 4, 2)
CORE_RD = (5, 1, 2, 5, 3, 4, 1, 3, 1, 2, 5)
NETWORK = (2, 4, 4, 3, 5, 3, 1, 4, 4, 3, 3)
HOTLINE = (2, 4, 5, 2, 2, 3, 5, 1, 3, 4, 2)


def make_assessment(member: Membership, name: str = "Review", **fields) -> Assessment:
    defaults = {
        "home_country": "United Kingdom",
        "home_continent": "Europe",
        "currency": "GBP",
        "objectives": ["cost_reduction"],
    }
    return Assessment.objects.create(
        organisation=member.organisation, owner=member.user, name=name, **{**defaults, **fields}
    )


def add_process(
    assessment: Assessment, name: str, answers=PAYROLL, cost: int = 1_000_000, function: str = "HR"
) -> Process:
    values = dict(zip(QUESTION_KEYS, answers, strict=True)) if answers else {}
    return Process.objects.create(
        assessment=assessment,
        name=name,
        business_function=function,
        annual_cost=Decimal(cost),
        fte=Decimal(5),
        **values,
    )
