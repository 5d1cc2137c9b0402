"""Builders for contract tests: vendors, contracts with the worked-example SLAs, awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accounts.engine.months import add_months
from accounts.models import Membership
from assessments.models import Assessment, Process, Recommendation, Status, WizardStep
from contracts.models import (
    Contract,
    ContractStatus,
    GovernanceReview,
    Measurement,
    RenewalType,
    Sla,
)
from contracts.services import credits_recompute
from vendors.models import (
    Award,
    CriteriaSet,
    EventProcess,
    EventStatus,
    Proposal,
    SourcingEvent,
    Vendor,
)

START = dt.date(2025, 1, 1)
END = dt.date(2027, 12, 31)
# METHODOLOGY 7's worked example: fee 100,000 a month, 12 % at risk (P = 12,000).
WORKED = (
    ("Availability", "availability", "99.5", "%", "higher", "99.0", "50", True),
    ("Response hours", "response_time", "4", "hours", "lower", "8", "40", False),
    ("CSAT", "csat", "85", "%", "higher", "75", "60", True),
)


def make_vendor(name: str = "Northwind Services", **fields) -> Vendor:
    vendor, _ = Vendor.objects.get_or_create(
        name=name,
        defaults={
            "headquarters_country": "United Kingdom",
            "offers_ito": True,
            "offers_bpo": True,
            **fields,
        },
    )
    return vendor


def make_contract(
    member: Membership,
    *,
    title: str = "Service desk",
    vendor: Vendor | None = None,
    start: dt.date = START,
    end: dt.date = END,
    **fields,
) -> Contract:
    data = {
        "model": "ITO",
        "location": "offshore",
        "annual_value": Decimal("1200000"),
        "currency": member.organisation.currency,
        "status": ContractStatus.ACTIVE,
        "renewal_type": RenewalType.FIXED_TERM,
        "notice_days": 90,
        "at_risk_pct": Decimal("12"),
        **fields,
    }
    return Contract.objects.create(
        organisation=member.organisation,
        title=title,
        vendor=vendor or make_vendor(),
        owner=member.user,
        start_date=start,
        end_date=end,
        **data,
    )


def make_exit_contract(member: Membership) -> Contract:
    """A BPO contract with its termination terms written down and no baseline (the fee
    stands in for the transition-out cost): the exit plan pages' and API's contract."""
    return make_contract(
        member,
        title="Payroll service",
        model="BPO",
        termination_terms="Twelve months of termination assistance at the current rates.",
    )


def add_sla(
    contract: Contract,
    name: str,
    category: str = "availability",
    target: str = "99.5",
    unit: str = "%",
    direction: str = "higher",
    minimum: str | None = "99.0",
    allocation: str = "50",
    earn_back: bool = False,
) -> Sla:
    return Sla.objects.create(
        contract=contract,
        position=contract.slas.count() + 1,
        name=name,
        category=category,
        target=Decimal(target),
        unit=unit,
        direction=direction,
        allocation_pct=Decimal(allocation),
        minimum=None if minimum is None else Decimal(minimum),
        earn_back=earn_back,
    )


def add_worked_slas(contract: Contract) -> dict[str, Sla]:
    return {
        row[0]: add_sla(contract, row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7])
        for row in WORKED
    }


def measure(contract: Contract, period: dt.date, actuals: dict[str, str | float]) -> None:
    """Write measurements straight to the table (then recompute), for test set-up."""
    slas = {sla.name: sla for sla in contract.slas.all()}
    Measurement.objects.bulk_create(
        [
            Measurement(sla=slas[name], period=period, actual=Decimal(str(value)))
            for name, value in actuals.items()
        ]
    )
    credits_recompute(contract=contract)


def month(index: int) -> dt.date:
    """The index-th month of the contract (0: January 2025)."""
    return dt.date(2025 + index // 12, index % 12 + 1, 1)


def make_assessment(
    member: Membership,
    processes=(("Service desk", 1_500_000, "ITO", 0, 3), ("Desktop support", 650_000, "ITO", 0, 3)),
) -> Assessment:
    assessment = Assessment.objects.create(
        organisation=member.organisation,
        owner=member.user,
        name="Review 2027",
        home_country="United Kingdom",
        home_continent="Europe",
        currency="GBP",
        status=Status.SUBMITTED,
        wizard_step=WizardStep.REVIEW,
    )
    for position, (name, cost, model, start, go_live) in enumerate(processes, start=1):
        process = Process.objects.create(
            assessment=assessment,
            position=position,
            name=name,
            annual_cost=Decimal(cost),
            fte=Decimal(5),
        )
        Recommendation.objects.create(
            process=process,
            model=model,
            location="offshore",
            wave=1,
            start_month=start,
            go_live_month=go_live,
            engine_version="test",
        )
    return assessment


def make_award(
    member: Membership, *, term_months: int = 36, planned_start: dt.date = dt.date(2026, 3, 1)
) -> Award:
    assessment = make_assessment(member)
    criteria = CriteriaSet.objects.create(organisation=member.organisation, name="Default")
    event = SourcingEvent.objects.create(
        organisation=member.organisation,
        name="ITO wave 1 RFP",
        assessment=assessment,
        wave=1,
        model="ITO",
        deadline=dt.date(2026, 1, 15),
        planned_start=planned_start,
        criteria_set=criteria,
        status=EventStatus.AWARDED,
        created_by=member.user,
    )
    for process in assessment.processes.all():
        EventProcess.objects.create(event=event, process=process, location="nearshore")
    vendor = make_vendor("Winning Vendor Ltd")
    proposal = Proposal.objects.create(
        event=event,
        vendor=vendor,
        annual_price=Decimal("1450000.00"),
        term_months=term_months,
        entered_by=member.user,
    )
    return Award.objects.create(
        event=event,
        proposal=proposal,
        vendor=vendor,
        rationale="Best value.",
        snapshot={},
        awarded_by=member.user,
    )


def make_review(
    contract: Contract,
    recorded_by,
    held_on: dt.date,
    ratings: tuple[int, int, int, int] = (4, 4, 4, 3),
    *,
    attendees: str = "Maya, vendor",
) -> GovernanceReview:
    """A governance review with its four ratings (delivery, communication,
    responsiveness, innovation); the next one a month later."""
    delivery, communication, responsiveness, innovation = ratings
    return GovernanceReview.objects.create(
        contract=contract,
        held_on=held_on,
        level="operational",
        attendees=attendees,
        rating_delivery=delivery,
        rating_communication=communication,
        rating_responsiveness=responsiveness,
        rating_innovation=innovation,
        next_review_on=add_months(held_on, 1),
        recorded_by=recorded_by,
    )
