"""Builders for vendor-selection tests: vendors, a submitted assessment with a roadmap, events.

The assessment is written straight to the database (recommendations and waves as the
engine would leave them) so these tests do not depend on the scoring engine.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import Assessment, Process, Recommendation, Status, WizardStep
from vendors import services
from vendors.models import CriteriaSet, Proposal, SourcingEvent, Vendor

FAR = date(2099, 12, 31)


def make_vendor(
    name: str,
    *,
    models: str = "ITO",
    lines: tuple[str, ...] = ("service_desk",),
    languages: tuple[tuple[str, str], ...] = (("English", "native"),),
    certs: tuple[tuple[str, date], ...] = (("iso_27001", FAR),),
    centres: tuple[tuple[str, str], ...] = (("United Kingdom", "London"),),
    **fields,
) -> Vendor:
    offered = set(models.split())
    data = {
        "name": name,
        "headquarters_country": fields.pop("hq", "United Kingdom"),
        "offers_ito": "ITO" in offered,
        "offers_bpo": "BPO" in offered,
        "offers_kpo": "KPO" in offered,
        **fields,
    }
    return services.vendor_save(
        vendor=None,
        data=data,
        details=services.VendorDetails(
            service_lines=lines, languages=languages, certifications=certs, centres=centres
        ),
    )


# name, function, cost, wave, model, location, (customer contact, data sensitivity, onsite)
ROADMAP = (
    ("Service desk", "IT", 1_500_000, 1, "ITO", "nearshore", (1, 3, 2)),
    ("Network infrastructure", "IT", 1_800_000, 1, "ITO", "onshore", (1, 3, 4)),
    ("Data centre hosting", "IT", 2_600_000, 1, "ITO", "offshore", (1, 4, 3)),
    ("Payroll processing", "HR", 1_000_000, 2, "BPO", "nearshore", (1, 4, 1)),
    ("Customer support hotline", "customer service", 2_400_000, 2, "BPO", "nearshore", (5, 3, 1)),
    ("Brand strategy", "marketing", 600_000, None, "retain", "in_house", (3, 3, 1)),
)


def make_assessment(
    organisation,
    owner,
    *,
    name: str = "Review 2027",
    languages: tuple[str, ...] = ("English",),
    status: str = Status.SUBMITTED,
) -> Assessment:
    assessment = Assessment.objects.create(
        organisation=organisation,
        owner=owner,
        name=name,
        home_country=organisation.home_country,
        home_continent="Europe",
        customer_languages=list(languages),
        currency=organisation.currency,
        status=status,
        wizard_step=WizardStep.REVIEW,
        submitted_at=timezone.now() if status == Status.SUBMITTED else None,
    )
    for position, (p_name, function, cost, wave, model, location, answers) in enumerate(
        ROADMAP, start=1
    ):
        contact, sensitivity, onsite = answers
        process = Process.objects.create(
            assessment=assessment,
            position=position,
            name=p_name,
            business_function=function,
            annual_cost=Decimal(cost),
            fte=Decimal(5),
            customer_contact=contact,
            data_sensitivity=sensitivity,
            onsite_need=onsite,
        )
        Recommendation.objects.create(
            process=process,
            model=model,
            location=location,
            confidence=0.8,
            wave=wave,
            start_month=0 if wave else None,
            engine_version="test",
        )
    return assessment


def make_event(
    cast,
    *,
    assessment: Assessment | None = None,
    wave: int = 1,
    name: str = "ITO wave 1 RFP",
    criteria_set: CriteriaSet | None = None,
    organisation=None,
    user=None,
) -> SourcingEvent:
    organisation = organisation or cast.org
    user = user or cast.manager.user
    assessment = assessment or make_assessment(organisation, user)
    processes = [
        p
        for p in assessment.processes.select_related("recommendation")
        if p.recommendation.wave == wave
    ]
    model = processes[0].recommendation.effective_model
    today = timezone.localdate()
    return services.event_create(
        organisation=organisation,
        user=user,
        name=name,
        assessment=assessment,
        processes=processes,
        model=model,
        wave=wave,
        deadline=today + timedelta(days=30),
        planned_start=today + timedelta(days=120),
        criteria_set=criteria_set or services.criteria_set_default(organisation=organisation),
    )


def ito_vendors() -> list[Vendor]:
    """Three vendors that pass the wave-1 rules above, and one that does not."""
    if Vendor.objects.filter(name="Alpha Services").exists():
        return list(
            Vendor.objects.filter(
                name__in=["Alpha Services", "Beta Cloud", "Gamma Digital", "Delta Payroll"]
            )
        )
    return [
        make_vendor(
            "Alpha Services",
            lines=("service_desk", "infrastructure_cloud"),
            centres=(("United Kingdom", "Leeds"), ("Poland", "Kraków")),
        ),
        make_vendor(
            "Beta Cloud",
            lines=("infrastructure_cloud",),
            centres=(("United Kingdom", "Manchester"),),
            financial_stability="weak",
        ),
        make_vendor(
            "Gamma Digital",
            lines=("service_desk", "infrastructure_cloud"),
            centres=(("United Kingdom", "Reading"), ("India", "Pune")),
        ),
        make_vendor("Delta Payroll", models="BPO", lines=("payroll",)),
    ]


PRICES = {
    "Alpha Services": Decimal("5000000"),
    "Beta Cloud": Decimal("4000000"),
    "Gamma Digital": Decimal("6000000"),
}
QUALITY = {"Alpha Services": 8, "Beta Cloud": 6, "Gamma Digital": 7}


def scored_event(cast, *, deadline_passed: bool = True, **kwargs) -> SourcingEvent:
    """An open event with three proposals, each scored by two evaluators.

    Its deadline for proposals was yesterday (as when an event is awarded), unless
    ``deadline_passed`` is False: then it is 30 days away and an award needs a reason.
    """
    ito_vendors()
    event = make_event(cast, **kwargs)
    user = kwargs.get("user") or cast.manager.user
    services.shortlist_accept(event=event, user=user)
    criteria = [c for c in event.criteria_set.criteria.all() if not c.is_cost]
    for candidate in event.candidates.filter(invited=True).select_related("vendor"):
        name = candidate.vendor.name
        proposal = services.proposal_save(
            event=event,
            vendor=candidate.vendor,
            user=user,
            data={
                "annual_price": PRICES[name],
                "transition_cost": Decimal("300000"),
                "term_months": 60,
                "proposed_slas": "P1 in 4 h",
                "notes": "",
            },
        )
        for offset, evaluator in enumerate(("Ann Evaluator", "Bob Evaluator")):
            services.evaluation_record(
                proposal=proposal,
                evaluator=evaluator,
                user=user,
                scores=dict.fromkeys(criteria, (QUALITY[name] - offset, "")),
            )
    if deadline_passed:
        yesterday = timezone.localdate() - timedelta(days=1)
        SourcingEvent.objects.filter(pk=event.pk).update(deadline=yesterday)
    event.refresh_from_db()
    return event


def proposal_of(event: SourcingEvent, vendor_name: str) -> Proposal:
    return event.proposals.get(vendor__name=vendor_name)
