"""One path from stored rows to a vendor's score, for the organisation, the vendor record
and the contract page: the same numbers, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Projection, ProjectionStatus
from contracts.engine.periods import add_months
from contracts.models import GovernanceReview, Issue, RealisedSaving
from contracts.selectors.scorecards import contract_scorecard, vendor_record, vendor_scorecards
from tests.contracts.builders import (
    add_worked_slas,
    make_assessment,
    make_contract,
    make_vendor,
    measure,
)

pytestmark = pytest.mark.django_db


def finished_projection(assessment) -> Projection:
    """A finished projection whose stored inputs the savings comparison re-runs."""
    processes = [
        {
            "name": p.name,
            "model": "ITO",
            "location": "offshore",
            "annual_cost": float(p.annual_cost),
            "start_month": 0,
            "wave": 1,
        }
        for p in assessment.processes.all()
    ]
    return Projection.objects.create(
        assessment=assessment,
        status=ProjectionStatus.DONE,
        trials=500,
        seed=7,
        horizon_months=60,
        discount_rate=0.08,
        inputs={"processes": processes},
        result={"nothing_to_project": False, "monte_carlo": {}},
        finished_at=timezone.now(),
    )


def relationship(member, vendor, *, title: str, today: dt.date, assessment=None):
    """A contract two years old with two measured months, a review, an overdue issue and,
    when it covers an assessment's processes, six months of realised savings in its
    second year (past the transition, when the projection expects a saving)."""
    this_month = today.replace(day=1)
    contract = make_contract(
        member,
        title=title,
        vendor=vendor,
        start=add_months(this_month, -24),
        end=add_months(this_month, 24),
    )
    add_worked_slas(contract)
    measure(
        contract,
        add_months(this_month, -2),
        {"Availability": 99.6, "Response hours": 5, "CSAT": 90},
    )
    measure(
        contract,
        add_months(this_month, -1),
        {"Availability": 98.0, "Response hours": 3, "CSAT": 90},
    )
    GovernanceReview.objects.create(
        contract=contract,
        held_on=today - dt.timedelta(days=30),
        level="operational",
        attendees="x",
        rating_delivery=4,
        rating_communication=3,
        rating_responsiveness=4,
        rating_innovation=2,
        next_review_on=today + dt.timedelta(days=30),
        recorded_by=member.user,
    )
    Issue.objects.create(
        contract=contract,
        title="Late report",
        severity="critical",
        owner=member.user,
        raised_on=today - dt.timedelta(days=40),
        due_on=today - dt.timedelta(days=10),
    )
    if assessment is not None:
        # The forecast is computed on commit of the change, as after a real request.
        with TestCase.captureOnCommitCallbacks(execute=True):
            contract.processes.set(assessment.processes.all())
        for months in range(6):
            RealisedSaving.objects.create(
                contract=contract,
                period=add_months(contract.start_date, 12 + months),
                vendor_cost=Decimal("150000.00"),
                governance_cost=Decimal("4000.00"),
                recorded_by=member.user,
            )
    return contract


@pytest.fixture
def world(cast):
    cache.clear()
    today = timezone.localdate()
    assessment = make_assessment(cast.manager)
    finished_projection(assessment)
    northwind, acme = make_vendor("Northwind Services"), make_vendor("Acme Outsourcing")
    return {
        "today": today,
        "northwind": northwind,
        "acme": acme,
        "covered": relationship(
            cast.manager, northwind, title="Service desk", today=today, assessment=assessment
        ),
        "second": relationship(cast.manager, northwind, title="Field support", today=today),
        "single": relationship(cast.manager, acme, title="Payroll", today=today),
    }


def test_the_organisations_scorecards_equal_each_vendor_record(cast, world):
    today = world["today"]
    cards = vendor_scorecards(cast.org, today)
    assert set(cards) == {world["northwind"].pk, world["acme"].pk}
    for vendor in (world["northwind"], world["acme"]):
        assert cards[vendor.pk] == vendor_record(cast.org, vendor, today).scorecard


def test_a_vendor_with_one_contract_scores_the_same_on_the_contract_page(cast, world):
    today = world["today"]
    single = contract_scorecard(world["single"], today)
    assert single == vendor_scorecards(cast.org, today)[world["acme"].pk]


def test_the_savings_part_is_scored_from_the_projection_of_the_covered_processes(cast, world):
    card = vendor_scorecards(cast.org, world["today"])[world["northwind"].pk]
    savings = next(p for p in card.scorecard.parts if p.key == "savings_realisation")
    assert card.realised is not None and card.projected_p50 is not None
    assert savings.value == pytest.approx(min(1.0, max(0.0, card.realised / card.projected_p50)))
    # Two contracts: their SLA-months (6 a month, 2 months each) count together.
    assert card.sla_periods == 12


def test_another_organisations_contracts_with_the_vendor_do_not_count(cast, world):
    today = world["today"]
    before = vendor_scorecards(cast.org, today)[world["acme"].pk]
    relationship(cast.outsider, world["acme"], title="Their payroll", today=today)
    assert vendor_scorecards(cast.org, today)[world["acme"].pk] == before
    assert set(vendor_scorecards(cast.other_org, today)) == {world["acme"].pk}


def test_the_scorecards_read_a_fixed_number_of_queries_whatever_the_vendors(cast, world):
    today = world["today"]
    vendor_scorecards(cast.org, today)  # the projection re-run is cached from here on
    with CaptureQueriesContext(connection) as few:
        vendor_scorecards(cast.org, today)
    assessment = make_assessment(cast.manager)
    finished_projection(assessment)
    for i in range(4):
        relationship(
            cast.manager,
            make_vendor(f"Vendor {i}"),
            title=f"Deal {i}",
            today=today,
            assessment=assessment,
        )
    with CaptureQueriesContext(connection) as many:
        cards = vendor_scorecards(cast.org, today)
    assert len(cards) == 6
    assert len(many) == len(few) <= 7
