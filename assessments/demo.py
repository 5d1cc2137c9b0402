"""Demo assessments for ``manage.py seed_demo``: about 30 realistic processes."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from accounts.models import Organisation
from assessments.engine.questions import QUESTION_KEYS
from assessments.models import Assessment, CurrentPortfolio, Process, Status, WizardStep
from assessments.services.assessments import assessment_submit
from assessments.services.portfolio import portfolio_mark_current

DEMO_ASSESSMENT = "Operating model review 2027"

# name, function, description, annual cost, FTEs, answers in QUESTION_KEYS order
# (strategic importance, standardisation, volume, knowledge intensity, technology intensity,
#  data sensitivity, customer contact, on-site need, capability gap, demand variability,
#  interdependence); 0 = don't know.
ACME_PROCESSES = (
    (
        "Payroll processing",
        "HR",
        "Monthly payroll for 4,200 staff in three countries",
        1_000_000,
        9,
        (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2),
    ),
    (
        "HR administration",
        "HR",
        "Contracts, leavers, absence records, HR helpdesk",
        850_000,
        12,
        (1, 4, 5, 2, 2, 4, 1, 1, 3, 2, 2),
    ),
    (
        "Recruitment screening",
        "HR",
        "CV screening and interview scheduling",
        420_000,
        6,
        (2, 4, 4, 2, 2, 3, 2, 1, 4, 4, 2),
    ),
    (
        "Learning and development",
        "HR",
        "Course catalogue, trainers, e-learning",
        380_000,
        4,
        (3, 3, 2, 3, 2, 2, 1, 2, 3, 2, 2),
    ),
    (
        "Accounts payable",
        "finance",
        "Invoice capture, matching and payment runs",
        1_200_000,
        18,
        (1, 5, 5, 2, 3, 3, 1, 1, 3, 2, 2),
    ),
    (
        "Accounts receivable",
        "finance",
        "Billing, cash allocation and dunning",
        900_000,
        11,
        (1, 5, 5, 2, 3, 3, 2, 1, 3, 2, 3),
    ),
    (
        "Financial planning and analysis",
        "finance",
        "Budgets, forecasts, variance analysis",
        1_100_000,
        8,
        (4, 2, 2, 5, 2, 4, 1, 1, 2, 3, 4),
    ),
    (
        "Tax compliance",
        "finance",
        "Corporate tax and VAT returns",
        600_000,
        4,
        (2, 3, 2, 5, 2, 5, 1, 1, 5, 3, 2),
    ),
    (
        "Customer support hotline",
        "customer service",
        "First-line phone and chat support",
        2_400_000,
        45,
        (2, 4, 5, 2, 2, 3, 5, 1, 3, 4, 2),
    ),
    (
        "Complaints handling",
        "customer service",
        "Formal complaints and ombudsman cases",
        700_000,
        9,
        (3, 3, 3, 3, 2, 4, 5, 1, 2, 3, 3),
    ),
    (
        "Order entry",
        "customer service",
        "Keying orders from e-mail and EDI exceptions",
        520_000,
        10,
        (1, 5, 5, 1, 2, 2, 2, 1, 3, 3, 2),
    ),
    (
        "Service desk",
        "IT",
        "IT helpdesk for staff, 24/7",
        1_500_000,
        22,
        (2, 4, 5, 2, 5, 3, 1, 2, 4, 4, 2),
    ),
    (
        "Network infrastructure",
        "IT",
        "WAN, LAN and Wi-Fi across 40 sites",
        1_800_000,
        14,
        (2, 4, 4, 3, 5, 3, 1, 4, 4, 3, 3),
    ),
    (
        "Data centre hosting",
        "IT",
        "Two on-premise data centres",
        2_600_000,
        16,
        (2, 4, 4, 3, 5, 4, 1, 3, 4, 3, 3),
    ),
    (
        "Application maintenance (ERP)",
        "IT",
        "Fixes and small changes to the ERP",
        1_300_000,
        15,
        (2, 4, 4, 3, 5, 3, 1, 1, 4, 3, 4),
    ),
    (
        "Desktop support",
        "IT",
        "Hands-on PC and printer support at head office",
        650_000,
        10,
        (1, 4, 5, 2, 5, 2, 1, 5, 3, 3, 2),
    ),
    (
        "Cybersecurity monitoring",
        "IT",
        "Security operations centre, round the clock",
        900_000,
        7,
        (3, 4, 4, 4, 5, 5, 1, 1, 5, 5, 3),
    ),
    (
        "Core product R&D",
        "R&D",
        "Design of the company's flagship products",
        4_000_000,
        30,
        (5, 1, 2, 5, 3, 4, 1, 3, 1, 2, 5),
    ),
    (
        "Engineering design support",
        "R&D",
        "CAD drafting and simulation runs",
        950_000,
        9,
        (3, 3, 3, 5, 3, 3, 1, 1, 4, 4, 3),
    ),
    (
        "Scientific literature review",
        "R&D",
        "Patent and publication searches",
        300_000,
        3,
        (2, 2, 2, 5, 2, 2, 1, 1, 5, 4, 2),
    ),
    (
        "Contract review",
        "legal",
        "Standard supplier and customer contracts",
        450_000,
        4,
        (2, 3, 3, 5, 2, 4, 1, 1, 4, 3, 2),
    ),
    (
        "Litigation management",
        "legal",
        "Strategy and management of disputes",
        800_000,
        3,
        (5, 1, 1, 5, 1, 5, 2, 2, 2, 2, 4),
    ),
    (
        "IP research",
        "legal",
        "Trademark watch and freedom-to-operate searches",
        350_000,
        2,
        (2, 3, 2, 5, 2, 3, 1, 1, 5, 3, 2),
    ),
    (
        "Market research",
        "marketing",
        "Customer surveys and competitor studies",
        500_000,
        3,
        (3, 2, 2, 5, 2, 2, 1, 1, 5, 4, 2),
    ),
    (
        "Digital campaign operations",
        "marketing",
        "Building and running e-mail campaigns",
        420_000,
        5,
        (2, 4, 4, 3, 4, 3, 3, 1, 3, 3, 2),
    ),
    (
        "Brand strategy",
        "marketing",
        "Positioning and brand architecture",
        600_000,
        3,
        (5, 1, 1, 5, 1, 3, 3, 1, 2, 2, 4),
    ),
    (
        "Data analytics",
        "operations",
        "Dashboards and demand forecasting models",
        700_000,
        5,
        (3, 3, 3, 5, 3, 3, 1, 1, 5, 3, 3),
    ),
    (
        "Procurement operations",
        "procurement",
        "Purchase orders and catalogue upkeep",
        550_000,
        8,
        (1, 5, 4, 2, 2, 2, 1, 1, 3, 2, 2),
    ),
    (
        "Logistics coordination",
        "logistics",
        "Carrier booking and shipment tracking",
        750_000,
        10,
        (2, 4, 5, 2, 3, 2, 2, 2, 3, 4, 3),
    ),
    (
        "Facilities helpdesk",
        "operations",
        "Building requests and maintenance booking",
        300_000,
        4,
        (1, 4, 4, 1, 2, 1, 2, 3, 3, 2, 2),
    ),
    (
        "Warehouse inventory control",
        "logistics",
        "Stock counts at the central warehouse",
        480_000,
        9,
        (2, 3, 3, 2, 2, 2, 1, 5, 2, 3, 4),
    ),
    (
        "Sales operations",
        "sales",
        "Quotes, pricing approvals and CRM upkeep",
        0,
        0,
        (3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3),
    ),
)

GLOBEX_PROCESSES = (
    (
        "Lohnabrechnung (payroll)",
        "HR",
        "Payroll for 600 staff",
        300_000,
        3,
        (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2),
    ),
    ("IT service desk", "IT", "Staff helpdesk", 450_000, 6, (2, 4, 5, 2, 5, 3, 1, 2, 4, 4, 2)),
    (
        "Customer hotline",
        "customer service",
        "German-language support",
        900_000,
        15,
        (2, 4, 5, 2, 2, 3, 5, 1, 3, 4, 2),
    ),
    (
        "Market analysis",
        "marketing",
        "Competitor studies",
        200_000,
        2,
        (3, 2, 2, 5, 2, 2, 1, 1, 5, 4, 2),
    ),
)


def seed_assessment(
    organisation: Organisation,
    username: str,
    name: str,
    processes,
    objectives: list[str],
    languages: list[str],
) -> Assessment:
    """Create and submit the demo assessment once; an existing one is left as it is."""
    existing = Assessment.objects.filter(organisation=organisation, name=name).first()
    if existing is not None:
        return existing
    owner = get_user_model().objects.get(username=username)
    assessment = Assessment.objects.create(
        organisation=organisation,
        owner=owner,
        name=name,
        objectives=objectives,
        home_country=organisation.home_country,
        currency=organisation.currency,
        customer_languages=languages,
        wizard_step=WizardStep.REVIEW,
        status=Status.DRAFT,
    )
    from accounts.engine.countries import continent_of

    assessment.home_continent = continent_of(organisation.home_country)
    assessment.save(update_fields=["home_continent"])
    Process.objects.bulk_create(
        [
            Process(
                assessment=assessment,
                position=i,
                name=p_name,
                business_function=function,
                description=description,
                annual_cost=Decimal(cost or 250_000),
                fte=Decimal(fte),
                **dict(zip(QUESTION_KEYS, answers, strict=True)),
            )
            for i, (p_name, function, description, cost, fte, answers) in enumerate(processes, 1)
        ]
    )
    assessment_submit(assessment=assessment, user=owner)
    return assessment


def _mark_current(assessment: Assessment) -> None:
    """The demo assessment is its organisation's current portfolio, unless one is chosen."""
    if not CurrentPortfolio.objects.filter(organisation=assessment.organisation_id).exists():
        portfolio_mark_current(
            organisation=assessment.organisation, assessment=assessment, user=None
        )


def seed_assessments(organisations: dict[str, Organisation]) -> None:
    acme = seed_assessment(
        organisations["Acme Holdings"],
        "manager",
        DEMO_ASSESSMENT,
        ACME_PROCESSES,
        ["cost_reduction", "operational_efficiency", "access_to_skills", "focus_on_core"],
        ["English", "French", "German"],
    )
    globex = seed_assessment(
        organisations["Globex"],
        "globex",
        "Globex sourcing review",
        GLOBEX_PROCESSES,
        ["cost_reduction"],
        ["German"],
    )
    for assessment in (acme, globex):
        _mark_current(assessment)
