"""Demo contracts for ``manage.py seed_demo``. Running it twice changes nothing.

Acme Holdings gets four contracts with the demo vendors: three live ones with SLAs,
a year and more of measurements (breaches included), reviews, issues (some overdue),
improvement actions and realised savings, one of them with a notice deadline within
90 days; and a draft. Globex gets one small contract. Each contract goes to a vendor
whose lines of business cover it, and has issues and actions of its own; its realised
savings tell a story (transition charges that taper off over the ramp, a volume peak, or
change requests that eat the saving). Dates are relative to the day of
seeding, so the demo always shows upcoming deadlines. Without vendors (the vendor
registry not seeded) there is nothing to contract with, and nothing is created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, Role
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
    # The savings story: transition charges on top of the fee in the first months (a
    # share of the fee, tapering to nothing by ``ramp_months``), and months billed above
    # the usual (month index -> cost factor), e.g. a volume spike.
    transition_extra: str = "0"
    cost_bumps: dict[int, str] = field(default_factory=dict)
    issues: tuple[DemoIssue, ...] = ()
    actions: tuple[DemoAction, ...] = ()
    review: tuple[str, str] = ("Reviewed the SLA report and open issues.", "")


@dataclass(frozen=True)
class DemoIssue:
    title: str
    severity: str
    status: str
    raised: int  # days from today
    due: int  # days from today
    escalation: int = EscalationLevel.OPERATIONAL
    resolution: str = ""


@dataclass(frozen=True)
class DemoAction:
    description: str
    status: str
    due: int  # days from today
    benefit: str
    by_cio: bool = False  # owned by the organisation's CIO (else the contract's owner)


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
        transition_extra="0.35",
        issues=(
            DemoIssue(
                "Major incident root-cause report late",
                Severity.CRITICAL,
                IssueStatus.OPEN,
                -40,
                -12,
                EscalationLevel.TACTICAL,
            ),
            DemoIssue(
                "Knowledge base articles out of date",
                Severity.MEDIUM,
                IssueStatus.IN_PROGRESS,
                -50,
                -5,
            ),
            DemoIssue(
                "Monday-morning queue: calls wait over 10 minutes",
                Severity.HIGH,
                IssueStatus.OPEN,
                -6,
                14,
            ),
            DemoIssue(
                "Invoices sent without purchase-order numbers",
                Severity.LOW,
                IssueStatus.RESOLVED,
                -90,
                -60,
                resolution="Vendor added the PO number to the invoice template.",
            ),
        ),
        actions=(
            DemoAction(
                "Automate password resets through self-service",
                ActionStatus.IN_PROGRESS,
                30,
                "15 % fewer tickets",
            ),
            DemoAction(
                "Shift-left: train first line on the top 20 incident types",
                ActionStatus.PROPOSED,
                75,
                "First-contact resolution up 5 points",
                by_cio=True,
            ),
            DemoAction(
                "Monthly trend review of repeat incidents",
                ActionStatus.DONE,
                -20,
                "Fewer repeat P2 incidents",
            ),
        ),
        review=(
            "Reviewed the SLA report: the P1 response breach and its late root-cause report.",
            "Northbridge to present a recovery plan for P1 response times.",
        ),
    ),
    DemoContract(
        "Acme Holdings",
        "Accounts payable processing",
        ("Tessera Business Process", "Kestrel Finance Operations"),
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
        "1.0",
        "5500",
        18,
        transition_extra="0.25",
        # The year-end invoice peak, billed as extra volume.
        cost_bumps={8: "1.14", 9: "1.09"},
        issues=(
            DemoIssue(
                "Duplicate payment to two suppliers in a payment run",
                Severity.HIGH,
                IssueStatus.IN_PROGRESS,
                -35,
                -4,
                EscalationLevel.TACTICAL,
            ),
            DemoIssue(
                "Exceptions backlog still above target after the year-end peak",
                Severity.MEDIUM,
                IssueStatus.OPEN,
                -20,
                10,
            ),
            DemoIssue(
                "Supplier statement reconciliation not started",
                Severity.LOW,
                IssueStatus.OPEN,
                -3,
                25,
            ),
            DemoIssue(
                "Payment file rejected by the bank after a format change",
                Severity.HIGH,
                IssueStatus.RESOLVED,
                -120,
                -110,
                resolution="Tessera updated the file format and re-sent the run the same day.",
            ),
        ),
        actions=(
            DemoAction(
                "OCR templates for the 50 largest suppliers",
                ActionStatus.IN_PROGRESS,
                45,
                "Manual keying down by a third",
            ),
            DemoAction(
                "Review three-way-match tolerances with procurement",
                ActionStatus.PROPOSED,
                60,
                "Fewer exceptions",
                by_cio=True,
            ),
            DemoAction(
                "Weekly duplicate-payment check before each run",
                ActionStatus.DONE,
                -10,
                "No duplicate payments",
            ),
        ),
        review=(
            "Reviewed invoice accuracy and the exceptions backlog after the year-end peak.",
            "Tessera to staff up for next year's peak two weeks earlier.",
        ),
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
        "1620000",
        RenewalType.FIXED_TERM,
        60,
        ContractStatus.ACTIVE,
        "admin",
        (NETWORK_UPTIME, INCIDENT_RESOLUTION),
        # Change requests billed on top of the fee eat the 10 % saving the deal promised:
        # the contract page flags that it makes no financial difference.
        "1.08",
        "7000",
        21,
        transition_extra="0.2",
        issues=(
            DemoIssue(
                "Change requests billed outside the agreed scope",
                Severity.CRITICAL,
                IssueStatus.OPEN,
                -30,
                -7,
                EscalationLevel.STRATEGIC,
            ),
            DemoIssue(
                "WAN outage at one site: root cause still unclear",
                Severity.HIGH,
                IssueStatus.IN_PROGRESS,
                -18,
                -3,
            ),
            DemoIssue(
                "Site surveys for the two new warehouses",
                Severity.MEDIUM,
                IssueStatus.OPEN,
                -8,
                12,
            ),
            DemoIssue(
                "Firewall change window not agreed",
                Severity.LOW,
                IssueStatus.RESOLVED,
                -150,
                -140,
                resolution="Agreed: Sunday 02:00 to 05:00, two weeks' notice.",
            ),
        ),
        actions=(
            DemoAction(
                "Agree a rate card for change requests",
                ActionStatus.IN_PROGRESS,
                20,
                "Change costs known before approval",
                by_cio=True,
            ),
            DemoAction(
                "Quarterly capacity review of the WAN links",
                ActionStatus.PROPOSED,
                50,
                "Upgrades planned, not rushed",
            ),
            DemoAction(
                "Share the monitoring dashboards with the in-house team",
                ActionStatus.DONE,
                -35,
                "Outages seen at once",
            ),
        ),
        review=(
            "Reviewed WAN availability and the change requests billed this quarter.",
            "Keystone to propose a change-request rate card; no new change without a quote.",
        ),
    ),
    DemoContract(
        "Acme Holdings",
        "Market research panel",
        ("Sextant Market Intelligence", "Insightful Research Group"),
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
        transition_extra="0.3",
        issues=(
            DemoIssue(
                "German-language line unstaffed after 6 pm",
                Severity.MEDIUM,
                IssueStatus.OPEN,
                -15,
                -2,
            ),
            DemoIssue(
                "Ticket categories do not match Globex's service catalogue",
                Severity.LOW,
                IssueStatus.RESOLVED,
                -80,
                -60,
                resolution="Helix mapped its categories to the catalogue.",
            ),
        ),
        actions=(
            DemoAction(
                "Extend German-language cover to 8 pm",
                ActionStatus.PROPOSED,
                40,
                "Evening calls answered in German",
                by_cio=True,
            ),
        ),
        review=(
            "Reviewed availability and the evening language cover.",
            "Helix to quote for German-language cover until 8 pm.",
        ),
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


def _relationship(contract: Contract, spec: DemoContract, today: dt.date, owner, cio) -> None:
    """Reviews, issues and actions of the contract's own (``cio``: the organisation's CIO,
    or None; an action marked for the CIO falls back to the owner)."""
    notes, decisions = spec.review
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
            notes=notes,
            decisions=decisions,
            next_review_on=held + dt.timedelta(days=30 if level == ReviewLevel.OPERATIONAL else 91),
            recorded_by=owner,
        )
    for issue in spec.issues:
        Issue.objects.create(
            contract=contract,
            title=issue.title,
            severity=issue.severity,
            status=issue.status,
            owner=owner,
            raised_on=today + dt.timedelta(days=issue.raised),
            due_on=today + dt.timedelta(days=issue.due),
            escalation_level=issue.escalation,
            resolution=issue.resolution,
            resolved_on=today + dt.timedelta(days=issue.due - 3) if issue.resolution else None,
        )
    for action in spec.actions:
        ImprovementAction.objects.create(
            contract=contract,
            description=action.description,
            owner=cio if action.by_cio and cio is not None else owner,
            due_on=today + dt.timedelta(days=action.due),
            status=action.status,
            expected_benefit=action.benefit,
        )


def _savings(contract: Contract, spec: DemoContract, start: dt.date, user) -> None:
    """Month by month: the fee (times the usual cost factor, or a month's bump), plus
    transition charges that taper off over the ramp, a small wobble, and the governance
    cost (doubled in the first three months, while the relationship is set up)."""
    fee = contract.annual_value / 12
    ramp = max(contract.ramp_months, 1)
    rows = []
    for month in range(spec.measured_months):
        wobble = D(1) + D((month % 3) - 1) / D(100)
        factor = D(spec.cost_bumps.get(month, spec.vendor_cost_factor))
        transition = D(spec.transition_extra) * D(max(ramp - month, 0)) / D(ramp)
        governance = D(spec.governance_cost) * (2 if month < 3 else 1)
        rows.append(
            RealisedSaving(
                contract=contract,
                period=add_months(start, month),
                vendor_cost=(fee * (factor + transition) * wobble).quantize(D("0.01")),
                governance_cost=governance,
                recorded_by=user,
            )
        )
    RealisedSaving.objects.bulk_create(rows)


def seed_contract(
    spec: DemoContract,
    organisation: Organisation,
    today: dt.date,
    users: dict,
    cio=None,
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
        _relationship(contract, spec, today, owner, cio)
    return contract


def seed_contracts(organisations: dict[str, Organisation]) -> list[Contract]:
    """The demo contracts; existing ones (by organisation and title) are left as they are."""
    if not Vendor.objects.exists():
        return []
    today = timezone.localdate()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in={spec.owner for spec in CONTRACTS})
    }
    # Each organisation's own CIO (an action never goes to another organisation's).
    cios = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(organisation__in=organisations.values(), role=Role.CIO)
        .select_related("user")
        .order_by("-pk")
    }
    created = []
    with transaction.atomic():
        for spec in CONTRACTS:
            organisation = organisations.get(spec.organisation)
            if organisation is None:
                continue
            contract = seed_contract(spec, organisation, today, users, cios.get(organisation.pk))
            if contract is not None:
                created.append(contract)
    return created
