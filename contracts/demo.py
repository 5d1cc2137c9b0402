"""Demo contracts for ``manage.py seed_demo``. Running it twice changes nothing.

Acme Holdings gets four contracts with the demo vendors: three live ones with SLAs,
a year and more of measurements (breaches included), reviews, issues (some overdue),
improvement actions and realised savings, one of them with a notice deadline within
90 days; and a draft. Globex gets one small contract. Dates are relative to the day of
seeding, so the demo always shows upcoming deadlines. Without vendors (the vendor
registry not seeded) there is nothing to contract with, and nothing is created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from assessments.models import Process
from contracts.engine.periods import add_months, month_end, month_start
from contracts.models import (
    ActionStatus,
    Contract,
    ContractStatus,
    EscalationLevel,
    GovernanceReview,
    ImprovementAction,
    Issue,
    IssueStatus,
    Measurement,
    MeasurementSource,
    RealisedSaving,
    RenewalType,
    ReviewLevel,
    Severity,
    Sla,
)
from contracts.services import contract_create, credits_recompute
from vendors.models import Vendor

D = Decimal


@dataclass(frozen=True)
class DemoSla:
    name: str
    category: str
    target: str
    unit: str
    direction: str
    allocation_pct: str
    minimum: str | None
    earn_back: bool
    good: tuple[str, ...]  # met values, cycled month by month
    misses: dict[int, str]  # month index -> a value that breaches


@dataclass(frozen=True)
class DemoContract:
    organisation: str
    title: str
    vendors: tuple[str, ...]  # preferred demo vendors, first found wins
    model: str
    location: str
    processes: tuple[str, ...]
    months_ago: int  # start: the first day of the month this many months back
    term_months: int | None  # None: ends at the end of the third month from now
    annual_value: str
    renewal_type: str
    notice_days: int
    status: str
    owner: str
    slas: tuple[DemoSla, ...]
    vendor_cost_factor: str = "1"  # actual monthly cost relative to the fee
    governance_cost: str = "0"
    measured_months: int = 0


AVAILABILITY = DemoSla(
    "Availability",
    "availability",
    "99.5",
    "%",
    "higher",
    "50",
    "99.0",
    True,
    ("99.82", "99.71", "99.93", "99.64"),
    {3: "99.21", 7: "98.62"},
)
P1_RESPONSE = DemoSla(
    "P1 response time",
    "response_time",
    "4",
    "hours",
    "lower",
    "40",
    "8",
    False,
    ("2.6", "3.1", "2.2", "3.7"),
    {7: "9.5", 10: "5.2"},
)
FIRST_CONTACT = DemoSla(
    "First-contact resolution",
    "first_contact_resolution",
    "70",
    "%",
    "higher",
    "30",
    "60",
    False,
    ("74", "72.5", "76", "71"),
    {5: "66.5"},
)
CSAT = DemoSla(
    "CSAT",
    "csat",
    "85",
    "%",
    "higher",
    "60",
    "75",
    True,
    ("88", "86.5", "90", "87"),
    {3: "82", 11: "80"},
)
INVOICE_ACCURACY = DemoSla(
    "Invoice processing accuracy",
    "accuracy",
    "99",
    "%",
    "higher",
    "60",
    "97",
    True,
    ("99.4", "99.2", "99.6", "99.3"),
    {2: "98.4", 9: "96.5"},
)
INVOICE_TURNAROUND = DemoSla(
    "Invoice turnaround",
    "turnaround",
    "3",
    "days",
    "lower",
    "50",
    "5",
    False,
    ("2.1", "2.6", "1.9", "2.4"),
    {6: "3.4"},
)
BACKLOG = DemoSla(
    "Exceptions backlog",
    "backlog",
    "150",
    "items",
    "lower",
    "30",
    None,
    False,
    ("96", "120", "88", "134"),
    {8: "210"},
)
NETWORK_UPTIME = DemoSla(
    "WAN availability",
    "availability",
    "99.9",
    "%",
    "higher",
    "60",
    "99.5",
    True,
    ("99.95", "99.97", "99.92", "99.99"),
    {4: "99.7", 12: "99.3"},
)
INCIDENT_RESOLUTION = DemoSla(
    "P2 resolution time",
    "resolution_time",
    "8",
    "hours",
    "lower",
    "40",
    "16",
    False,
    ("6.5", "5.8", "7.1", "6.0"),
    {9: "11"},
)
GLOBEX_DESK = DemoSla(
    "Verfügbarkeit (availability)",
    "availability",
    "99.0",
    "%",
    "higher",
    "100",
    "98.0",
    False,
    ("99.3", "99.6", "99.1"),
    {4: "98.7"},
)

CONTRACTS = (
    DemoContract(
        "Acme Holdings",
        "Service desk and end-user support",
        ("Northbridge Digital Services",),
        "ITO",
        "offshore",
        ("Service desk", "Desktop support"),
        16,
        36,
        "1450000",
        RenewalType.AUTO_RENEW,
        90,
        ContractStatus.ACTIVE,
        "manager",
        (AVAILABILITY, P1_RESPONSE, FIRST_CONTACT, CSAT),
        "1.0",
        "9000",
        16,
    ),
    DemoContract(
        "Acme Holdings",
        "Accounts payable processing",
        ("Vantara Technologies",),
        "BPO",
        "offshore",
        ("Accounts payable",),
        18,
        24,
        "780000",
        RenewalType.OPTION_TO_EXTEND,
        90,
        ContractStatus.ACTIVE,
        "manager",
        (INVOICE_ACCURACY, INVOICE_TURNAROUND, BACKLOG),
        "1.02",
        "5500",
        18,
    ),
    DemoContract(
        "Acme Holdings",
        "Network infrastructure management",
        ("Keystone Cloud Partners",),
        "ITO",
        "nearshore",
        ("Network infrastructure",),
        21,
        None,
        "1850000",
        RenewalType.FIXED_TERM,
        60,
        ContractStatus.ACTIVE,
        "admin",
        (NETWORK_UPTIME, INCIDENT_RESOLUTION),
        "1.0",
        "7000",
        21,
    ),
    DemoContract(
        "Acme Holdings",
        "Market research panel",
        ("Solvara Cyber Defence", "Vantara Technologies"),
        "KPO",
        "offshore",
        ("Market research",),
        -1,
        24,
        "210000",
        RenewalType.FIXED_TERM,
        60,
        ContractStatus.DRAFT,
        "manager",
        (),
    ),
    DemoContract(
        "Globex",
        "IT-Servicedesk (IT service desk)",
        ("Helix Nearshore Engineering",),
        "ITO",
        "nearshore",
        ("IT service desk",),
        7,
        24,
        "320000",
        RenewalType.AUTO_RENEW,
        90,
        ContractStatus.ACTIVE,
        "globex",
        (GLOBEX_DESK,),
        "1.0",
        "2500",
        7,
    ),
)


def _vendor(spec: DemoContract) -> Vendor | None:
    for name in spec.vendors:
        vendor = Vendor.objects.filter(name__iexact=name).first()
        if vendor is not None:
            return vendor
    return (
        Vendor.objects.active().offering(spec.model).order_by("name").first()
        or Vendor.objects.order_by("name").first()
    )


def _dates(spec: DemoContract, today: dt.date) -> tuple[dt.date, dt.date]:
    start = add_months(month_start(today), -spec.months_ago)
    if spec.term_months is None:
        end = month_end(add_months(month_start(today), 3))
    else:
        end = add_months(start, spec.term_months) - dt.timedelta(days=1)
    return start, end


def _measurements(
    contract: Contract, slas: list[Sla], spec: DemoContract, start: dt.date, user
) -> list[Measurement]:
    rows = []
    for month in range(spec.measured_months):
        period = add_months(start, month)
        for sla, sla_spec in zip(slas, spec.slas, strict=True):
            value = sla_spec.misses.get(month, sla_spec.good[month % len(sla_spec.good)])
            rows.append(
                Measurement(
                    sla=sla,
                    period=period,
                    actual=D(value),
                    source=MeasurementSource.IMPORT,
                    recorded_by=user,
                )
            )
    return rows


def _relationship(contract: Contract, spec: DemoContract, today: dt.date, users: dict) -> None:
    owner = users[spec.owner]
    cio = users.get("cio", owner)
    for months_back, level, ratings in (
        (1, ReviewLevel.OPERATIONAL, (4, 4, 3, 3)),
        (2, ReviewLevel.OPERATIONAL, (3, 4, 3, 2)),
        (4, ReviewLevel.TACTICAL, (3, 3, 4, 3)),
    ):
        held = add_months(month_start(today), -months_back) + dt.timedelta(days=9)
        GovernanceReview.objects.create(
            contract=contract,
            held_on=held,
            level=level,
            attendees=f"{owner.get_full_name()}, {contract.vendor.name} service manager",
            rating_delivery=ratings[0],
            rating_communication=ratings[1],
            rating_responsiveness=ratings[2],
            rating_innovation=ratings[3],
            notes="Reviewed the SLA report and open issues.",
            decisions="Vendor to present a recovery plan for the breached SLAs.",
            next_review_on=held + dt.timedelta(days=30 if level == ReviewLevel.OPERATIONAL else 91),
            recorded_by=owner,
        )
    issues = (
        (
            "Major incident root-cause report late",
            Severity.CRITICAL,
            IssueStatus.OPEN,
            -40,
            -12,
            EscalationLevel.TACTICAL,
            "",
        ),
        (
            "Knowledge base articles out of date",
            Severity.MEDIUM,
            IssueStatus.IN_PROGRESS,
            -50,
            -5,
            EscalationLevel.OPERATIONAL,
            "",
        ),
        (
            "Monthly SLA report missing two metrics",
            Severity.HIGH,
            IssueStatus.OPEN,
            -6,
            14,
            EscalationLevel.OPERATIONAL,
            "",
        ),
        (
            "Invoices sent without purchase-order numbers",
            Severity.LOW,
            IssueStatus.RESOLVED,
            -90,
            -60,
            EscalationLevel.OPERATIONAL,
            "Vendor added the PO number to the invoice template.",
        ),
    )
    for title, severity, status, raised, due, escalation, resolution in issues:
        Issue.objects.create(
            contract=contract,
            title=title,
            severity=severity,
            status=status,
            owner=owner,
            raised_on=today + dt.timedelta(days=raised),
            due_on=today + dt.timedelta(days=due),
            escalation_level=escalation,
            resolution=resolution,
            resolved_on=today + dt.timedelta(days=due - 3) if resolution else None,
        )
    actions = (
        (
            "Automate password resets through self-service",
            ActionStatus.IN_PROGRESS,
            30,
            "15 % fewer tickets",
        ),
        (
            "Shift-left: train first line on the top 20 incident types",
            ActionStatus.PROPOSED,
            75,
            "First-contact resolution up 5 points",
        ),
        (
            "Monthly trend review of repeat incidents",
            ActionStatus.DONE,
            -20,
            "Fewer repeat P2 incidents",
        ),
    )
    for description, action_status, due, benefit in actions:
        ImprovementAction.objects.create(
            contract=contract,
            description=description,
            owner=cio if action_status == ActionStatus.PROPOSED else owner,
            due_on=today + dt.timedelta(days=due),
            status=action_status,
            expected_benefit=benefit,
        )


def _savings(contract: Contract, spec: DemoContract, start: dt.date, user) -> None:
    fee = contract.annual_value / 12
    rows = []
    for month in range(spec.measured_months):
        wobble = D(1) + D((month % 3) - 1) / D(100)
        rows.append(
            RealisedSaving(
                contract=contract,
                period=add_months(start, month),
                vendor_cost=(fee * D(spec.vendor_cost_factor) * wobble).quantize(D("0.01")),
                governance_cost=D(spec.governance_cost),
                recorded_by=user,
            )
        )
    RealisedSaving.objects.bulk_create(rows)


def seed_contract(
    spec: DemoContract, organisation: Organisation, today: dt.date, users: dict
) -> Contract | None:
    existing = Contract.objects.filter(organisation=organisation, title=spec.title).first()
    if existing is not None:
        return existing
    vendor = _vendor(spec)
    owner = users.get(spec.owner)
    if vendor is None or owner is None:
        return None
    start, end = _dates(spec, today)
    processes = list(
        Process.objects.filter(
            assessment__organisation=organisation, name__in=spec.processes
        ).order_by("assessment_id", "position")
    )
    if processes:  # one assessment's processes
        processes = [p for p in processes if p.assessment_id == processes[0].assessment_id]
    contract = contract_create(
        organisation=organisation,
        user=owner,
        data={
            "title": spec.title,
            "vendor": vendor,
            "model": spec.model,
            "location": spec.location,
            "start_date": start,
            "end_date": end,
            "annual_value": D(spec.annual_value),
            "currency": organisation.currency,
            "payment_terms": "Monthly in arrears, 30 days net",
            "renewal_type": spec.renewal_type,
            "renewal_term_months": 12,
            "notice_days": spec.notice_days,
            "owner": owner,
            "status": spec.status,
            "termination_terms": "Either party may terminate for material breach not remedied "
            "within 30 days; termination for convenience with 6 months' "
            "notice and an exit fee.",
            "at_risk_pct": D("12"),
            "ramp_months": 6,
            "processes": processes,
        },
    )
    slas = []
    for position, sla_spec in enumerate(spec.slas, start=1):
        sla = Sla(
            contract=contract,
            position=position,
            name=sla_spec.name,
            category=sla_spec.category,
            target=D(sla_spec.target),
            unit=sla_spec.unit,
            direction=sla_spec.direction,
            allocation_pct=D(sla_spec.allocation_pct),
            minimum=None if sla_spec.minimum is None else D(sla_spec.minimum),
            earn_back=sla_spec.earn_back,
        )
        sla._history_user = owner
        sla.save()
        slas.append(sla)
    if spec.measured_months:
        Measurement.objects.bulk_create(_measurements(contract, slas, spec, start, owner))
        credits_recompute(contract=contract, user=owner, reason="Demo measurements")
        _savings(contract, spec, start, owner)
        _relationship(contract, spec, today, users)
    return contract


def seed_contracts(organisations: dict[str, Organisation]) -> list[Contract]:
    """The demo contracts; existing ones (by organisation and title) are left as they are."""
    if not Vendor.objects.exists():
        return []
    today = timezone.localdate()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in={spec.owner for spec in CONTRACTS} | {"cio"}
        )
    }
    created = []
    with transaction.atomic():
        for spec in CONTRACTS:
            organisation = organisations.get(spec.organisation)
            if organisation is None:
                continue
            contract = seed_contract(spec, organisation, today, users)
            if contract is not None:
                created.append(contract)
    return created
