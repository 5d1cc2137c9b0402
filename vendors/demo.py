"""Demo vendors and a sourcing event for ``manage.py seed_demo``. Running it twice changes nothing.

The companies are fictional. Certificate expiry dates are set relative to the day of
seeding, so that the demo always shows a few expiring and expired certificates.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.engine.months import add_months
from accounts.models import Organisation
from vendors import services
from vendors.models import CriteriaSet, SourcingEvent, Vendor
from vendors.selectors.events import wave_choices

DEMO_EVENT = "ITO wave 1: infrastructure and service desk RFP"
DEMO_ORGANISATION = "Acme Holdings"
EVALUATORS = ("Maya Patel", "Tom Reyes")

# name, HQ, models, service lines, languages, certifications (code, months from today),
# delivery centres, headcount, founded, financial stability, website host
VENDORS: tuple[tuple, ...] = (
    (
        "Northbridge Digital Services",
        "United Kingdom",
        "ITO",
        "service_desk infrastructure_cloud application_development cybersecurity",
        "English:native French:fluent",
        [("iso_27001", 32), ("iso_9001", 26), ("soc_2", 9), ("iso_22301", 42)],
        [("United Kingdom", "Leeds"), ("Poland", "Kraków"), ("India", "Pune")],
        6800,
        1998,
        "strong",
        "northbridge-digital.example",
    ),
    (
        "Keystone Cloud Partners",
        "Ireland",
        "ITO",
        "infrastructure_cloud cybersecurity service_desk",
        "English:native",
        [("iso_27001", 8), ("soc_2", 38)],
        [("Ireland", "Dublin"), ("United Kingdom", "Manchester"), ("Portugal", "Lisbon")],
        2100,
        2009,
        "adequate",
        "keystonecloud.example",
    ),
    (
        "Vantara Technologies",
        "India",
        "ITO BPO KPO",
        "application_development infrastructure_cloud service_desk data_analytics",
        "English:fluent Hindi:native",
        [("iso_27001", 30), ("cmmi_5", 36), ("iso_9001", 12)],
        [
            ("India", "Bengaluru"),
            ("India", "Chennai"),
            ("Philippines", "Manila"),
            ("United Kingdom", "London"),
        ],
        48000,
        1991,
        "strong",
        "vantara-tech.example",
    ),
    (
        "Meridian Systems Integration",
        "Germany",
        "ITO",
        "application_development infrastructure_cloud",
        "German:native English:fluent",
        [("iso_27001", 27), ("iso_9001", 27)],
        [("Germany", "Munich"), ("Romania", "Cluj-Napoca"), ("Czech Republic", "Brno")],
        3400,
        2001,
        "strong",
        "meridian-si.example",
    ),
    (
        "Bluecrest IT Operations",
        "United Kingdom",
        "ITO",
        "service_desk infrastructure_cloud",
        "English:native",
        [("iso_9001", 10)],
        [("United Kingdom", "Glasgow"), ("South Africa", "Cape Town")],
        900,
        2012,
        "weak",
        "bluecrest-it.example",
    ),
    (
        "Solvara Cyber Defence",
        "Israel",
        "ITO KPO",
        "cybersecurity data_analytics",
        "English:fluent Hebrew:native",
        [("iso_27001", 34), ("soc_2", 28)],
        [("Israel", "Tel Aviv"), ("United Kingdom", "London"), ("United States", "Austin")],
        750,
        2014,
        "adequate",
        "solvara.example",
    ),
    (
        "Helix Nearshore Engineering",
        "Poland",
        "ITO",
        "application_development service_desk cybersecurity",
        "Polish:native English:fluent German:fluent",
        [("iso_27001", 11), ("cmmi_3", 32)],
        [("Poland", "Wrocław"), ("Poland", "Gdańsk"), ("Ukraine", "Lviv")],
        2600,
        2005,
        "adequate",
        "helix-nearshore.example",
    ),
    (
        "Pacific Rim Infotech",
        "Philippines",
        "ITO BPO",
        "service_desk customer_support back_office",
        "English:fluent Tagalog:native",
        [("iso_27001", 6), ("copc", 12), ("pci_dss", 9)],
        [("Philippines", "Manila"), ("Philippines", "Cebu")],
        12000,
        2003,
        "adequate",
        "pacificrim-infotech.example",
    ),
    (
        "Atlas Managed Services",
        "United States",
        "ITO",
        "infrastructure_cloud service_desk application_development cybersecurity",
        "English:native Spanish:fluent",
        [("soc_2", 26), ("iso_27001", 31), ("iso_22301", 13)],
        [
            ("United States", "Dallas"),
            ("Mexico", "Guadalajara"),
            ("Costa Rica", "San José"),
            ("India", "Hyderabad"),
            ("United Kingdom", "Reading"),
        ],
        21000,
        1994,
        "strong",
        "atlas-managed.example",
    ),
    (
        "Fjordline Data Centres",
        "Norway",
        "ITO",
        "infrastructure_cloud",
        "Norwegian:native English:fluent",
        [("iso_27001", 37), ("iso_22301", 37)],
        [("Norway", "Stavanger"), ("Iceland", "Reykjavík")],
        300,
        2016,
        "adequate",
        "fjordline.example",
    ),
    (
        "Orbis Application Services",
        "Romania",
        "ITO",
        "application_development service_desk",
        "Romanian:native English:fluent French:fluent",
        [("iso_27001", -2), ("iso_9001", 8)],
        [("Romania", "Bucharest"), ("Moldova", "Chișinău")],
        1500,
        2008,
        "adequate",
        "orbis-apps.example",
    ),
    (
        "Lumen Service Desk Co.",
        "South Africa",
        "ITO BPO",
        "service_desk customer_support",
        "English:native",
        [("iso_27001", 13), ("copc", 7)],
        [("South Africa", "Johannesburg"), ("South Africa", "Durban"), ("Mauritius", "Port Louis")],
        4300,
        2002,
        "adequate",
        "lumen-desk.example",
    ),
    (
        "Castellan Secure Hosting",
        "United Kingdom",
        "ITO",
        "infrastructure_cloud cybersecurity",
        "English:native",
        [("iso_27001", 42), ("soc_2", 30), ("pci_dss", 26), ("iso_22301", 32)],
        [("United Kingdom", "Newport"), ("United Kingdom", "Edinburgh")],
        620,
        2010,
        "strong",
        "castellan-hosting.example",
    ),
    (
        "Clearwater Payroll Solutions",
        "United Kingdom",
        "BPO",
        "payroll hr_administration",
        "English:native",
        [("iso_27001", 27), ("soc_2", 10)],
        [("United Kingdom", "Birmingham"), ("Ireland", "Cork")],
        1200,
        1999,
        "strong",
        "clearwater-payroll.example",
    ),
    (
        "Tessera Business Process",
        "India",
        "BPO KPO",
        "finance_accounting procurement back_office financial_analysis",
        "English:fluent Hindi:native",
        [("iso_27001", 29), ("iso_9001", 29)],
        [("India", "Noida"), ("India", "Kolkata"), ("Sri Lanka", "Colombo")],
        26000,
        1997,
        "strong",
        "tessera-bp.example",
    ),
    (
        "Marisol Contact Centres",
        "Spain",
        "BPO",
        "customer_support back_office",
        "Spanish:native English:fluent French:fluent Portuguese:fluent",
        [("copc", 9), ("pci_dss", 11), ("iso_27001", 9)],
        [
            ("Spain", "Barcelona"),
            ("Spain", "Málaga"),
            ("Morocco", "Casablanca"),
            ("Colombia", "Medellín"),
        ],
        9500,
        2000,
        "adequate",
        "marisol-cc.example",
    ),
    (
        "Rhein Kundenservice",
        "Germany",
        "BPO",
        "customer_support back_office",
        "German:native English:fluent",
        [("copc", 26), ("iso_27001", 26)],
        [("Germany", "Leipzig"), ("Austria", "Graz")],
        2300,
        2006,
        "strong",
        "rhein-kundenservice.example",
    ),
    (
        "Voix Française Services",
        "France",
        "BPO",
        "customer_support",
        "French:native English:fluent",
        [("copc", 5), ("iso_27001", 32)],
        [("France", "Lille"), ("Tunisia", "Tunis"), ("Senegal", "Dakar")],
        3100,
        2004,
        "adequate",
        "voix-francaise.example",
    ),
    (
        "Tri-Lingua Customer Care",
        "Ireland",
        "BPO",
        "customer_support back_office",
        "English:native French:native German:native",
        [("copc", 28), ("iso_27001", 28), ("pci_dss", 28)],
        [("Ireland", "Dublin"), ("Portugal", "Porto"), ("Germany", "Berlin")],
        2800,
        2007,
        "strong",
        "trilingua-care.example",
    ),
    (
        "Kestrel Finance Operations",
        "Poland",
        "BPO",
        "finance_accounting payroll procurement",
        "Polish:native English:fluent German:fluent",
        [("iso_27001", 12), ("soc_2", 12)],
        [("Poland", "Łódź"), ("Poland", "Katowice"), ("Hungary", "Debrecen")],
        4700,
        2003,
        "strong",
        "kestrel-finops.example",
    ),
    (
        "Manila Bay Outsourcing",
        "Philippines",
        "BPO",
        "customer_support back_office hr_administration",
        "English:fluent Tagalog:native",
        [("copc", 10), ("iso_27001", 4)],
        [("Philippines", "Manila"), ("Philippines", "Davao")],
        7800,
        2008,
        "weak",
        "manilabay-outsourcing.example",
    ),
    (
        "Andes Shared Services",
        "Colombia",
        "BPO",
        "finance_accounting back_office customer_support",
        "Spanish:native English:fluent Portuguese:fluent",
        [("iso_9001", 12), ("iso_27001", 30)],
        [("Colombia", "Bogotá"), ("Peru", "Lima")],
        2900,
        2010,
        "adequate",
        "andes-shared.example",
    ),
    (
        "Nile Valley Data Services",
        "Egypt",
        "BPO",
        "back_office customer_support",
        "Arabic:native English:fluent French:fluent",
        [("iso_27001", 9)],
        [("Egypt", "Cairo")],
        5200,
        2005,
        "adequate",
        "nilevalley-data.example",
    ),
    (
        "Harbourline Logistics Services",
        "Netherlands",
        "BPO",
        "logistics procurement back_office",
        "Dutch:native English:fluent German:fluent",
        [("iso_9001", 30), ("iso_27001", 30)],
        [("Netherlands", "Rotterdam"), ("Poland", "Poznań")],
        1800,
        1996,
        "strong",
        "harbourline.example",
    ),
    (
        "Sakura HR Operations",
        "Japan",
        "BPO",
        "hr_administration payroll",
        "Japanese:native English:fluent",
        [("iso_27001", 32)],
        [("Japan", "Osaka"), ("Vietnam", "Ho Chi Minh City")],
        1100,
        2011,
        "adequate",
        "sakura-hrops.example",
    ),
    (
        "Baltic Back Office",
        "Lithuania",
        "BPO",
        "back_office finance_accounting",
        "English:fluent Polish:fluent Russian:fluent",
        [("iso_27001", 26)],
        [("Lithuania", "Vilnius"), ("Latvia", "Riga")],
        650,
        2013,
        "adequate",
        "baltic-backoffice.example",
    ),
    (
        "Summit Procurement Partners",
        "United States",
        "BPO KPO",
        "procurement market_research",
        "English:native Spanish:fluent",
        [("soc_2", 8)],
        [("United States", "Charlotte"), ("Mexico", "Monterrey")],
        1400,
        2002,
        "adequate",
        "summit-procurement.example",
    ),
    (
        "Quillon Legal Process",
        "India",
        "KPO",
        "legal_services ip_research",
        "English:fluent Hindi:native",
        [("iso_27001", 31)],
        [("India", "Gurugram"), ("United Kingdom", "London")],
        1900,
        2006,
        "strong",
        "quillon-lpo.example",
    ),
    (
        "Insightful Research Group",
        "United Kingdom",
        "KPO",
        "market_research data_analytics",
        "English:native French:fluent German:fluent",
        [("iso_27001", 12), ("iso_9001", 12)],
        [("United Kingdom", "Bristol"), ("South Africa", "Cape Town"), ("India", "Bengaluru")],
        850,
        2001,
        "adequate",
        "insightful-research.example",
    ),
    (
        "Parallax Analytics",
        "Canada",
        "KPO ITO",
        "data_analytics application_development",
        "English:native French:native",
        [("soc_2", 27), ("iso_27001", 27)],
        [("Canada", "Montreal"), ("Canada", "Toronto"), ("Chile", "Santiago")],
        1300,
        2012,
        "strong",
        "parallax-analytics.example",
    ),
    (
        "Kinetic Engineering Design",
        "India",
        "KPO",
        "engineering_design scientific_research",
        "English:fluent Hindi:native",
        [("iso_9001", 13), ("iso_27001", 7)],
        [("India", "Pune"), ("Malaysia", "Penang")],
        3600,
        1999,
        "adequate",
        "kinetic-ed.example",
    ),
    (
        "Alpenglow Scientific",
        "Switzerland",
        "KPO",
        "scientific_research data_analytics ip_research",
        "German:native French:native English:fluent",
        [("iso_27001", 33), ("iso_9001", 33)],
        [("Switzerland", "Basel"), ("Czech Republic", "Prague")],
        420,
        2009,
        "strong",
        "alpenglow-sci.example",
    ),
    (
        "Ledgerlight Financial Analysis",
        "Singapore",
        "KPO BPO",
        "financial_analysis finance_accounting data_analytics",
        "English:fluent Chinese (Mandarin):native Malay:fluent",
        [("soc_2", 11), ("iso_27001", 11)],
        [("Singapore", "Singapore"), ("Malaysia", "Kuala Lumpur"), ("Vietnam", "Hanoi")],
        2200,
        2007,
        "strong",
        "ledgerlight.example",
    ),
    (
        "Patentia IP Services",
        "Germany",
        "KPO",
        "ip_research legal_services",
        "German:native English:fluent",
        [("iso_27001", 28)],
        [("Germany", "Munich"), ("Netherlands", "Eindhoven")],
        260,
        2015,
        "adequate",
        "patentia.example",
    ),
    (
        "Sextant Market Intelligence",
        "South Africa",
        "KPO",
        "market_research",
        "English:native",
        [("iso_9001", 6)],
        [("South Africa", "Johannesburg"), ("Kenya", "Nairobi")],
        310,
        2017,
        "weak",
        "sextant-mi.example",
    ),
    (
        "Aurora Data Science Collective",
        "Australia",
        "KPO",
        "data_analytics",
        "English:native",
        [("iso_27001", 9)],
        [("Australia", "Sydney"), ("New Zealand", "Auckland")],
        540,
        2015,
        "adequate",
        "aurora-dsc.example",
    ),
    (
        "Sterling Full-Service Group",
        "United Kingdom",
        "ITO BPO KPO",
        "service_desk application_development payroll finance_accounting customer_support "
        "data_analytics",
        "English:native French:fluent German:fluent",
        [("iso_27001", 36), ("soc_2", 12), ("iso_9001", 36), ("copc", 10)],
        [
            ("United Kingdom", "London"),
            ("United Kingdom", "Sheffield"),
            ("France", "Paris"),
            ("India", "Mumbai"),
        ],
        35000,
        1985,
        "strong",
        "sterling-fsg.example",
    ),
    (
        "Danube Digital",
        "Hungary",
        "ITO",
        "application_development service_desk cybersecurity",
        "Hungarian:native English:fluent German:fluent",
        [("iso_27001", 10)],
        [("Hungary", "Budapest"), ("Serbia", "Novi Sad")],
        1050,
        2011,
        "adequate",
        "danube-digital.example",
    ),
    (
        "Kigali Tech Hub",
        "Rwanda",
        "ITO BPO",
        "application_development back_office",
        "English:fluent French:fluent",
        [("iso_27001", 13)],
        [("Rwanda", "Kigali"), ("Kenya", "Nairobi")],
        380,
        2018,
        "weak",
        "kigali-techhub.example",
    ),
    (
        "Cedar Grove Tech Support",
        "Canada",
        "ITO",
        "service_desk",
        "English:native French:native",
        [("soc_2", 10)],
        [("Canada", "Halifax"), ("Jamaica", "Kingston")],
        1700,
        2004,
        "adequate",
        "cedargrove-support.example",
    ),
    (
        "Tigris Secure Ops",
        "Turkey",
        "ITO",
        "cybersecurity infrastructure_cloud",
        "Turkish:native English:fluent",
        [("iso_27001", 26)],
        [("Turkey", "Istanbul"), ("Georgia", "Tbilisi")],
        900,
        2013,
        "adequate",
        "tigris-secops.example",
    ),
    (
        "Legacy Mainframe Services",
        "United States",
        "ITO",
        "application_development infrastructure_cloud",
        "English:native",
        [("iso_9001", -6)],
        [("United States", "Columbus")],
        200,
        1979,
        "weak",
        "legacy-mainframe.example",
    ),
)
INACTIVE = {"Legacy Mainframe Services"}

# A demo proposal per vendor name: annual price, transition cost, term, base quality
# (1..10, per evaluator offsets below) and the SLAs offered.
DEMO_PROPOSALS = {
    "Northbridge Digital Services": (Decimal("5650000"), Decimal("420000"), 60, 8),
    "Atlas Managed Services": (Decimal("5200000"), Decimal("610000"), 60, 7),
    "Vantara Technologies": (Decimal("4600000"), Decimal("550000"), 48, 7),
    "Castellan Secure Hosting": (Decimal("6100000"), Decimal("300000"), 36, 8),
    "Sterling Full-Service Group": (Decimal("5900000"), Decimal("380000"), 60, 7),
    "Keystone Cloud Partners": (Decimal("5350000"), Decimal("350000"), 48, 6),
}
DEMO_SLAS = (
    "P1 incidents resolved within 4 hours, 95 % of the time\n"
    "Service desk answers within 60 seconds, 90 % of calls\n"
    "Availability of hosted services 99.9 % a month"
)


def seed_vendors(organisations: dict[str, Organisation]) -> None:
    """The demo registry and, once Acme's assessment has a wave 1, a demo sourcing event."""
    today = timezone.localdate()
    for (
        name,
        hq,
        models,
        lines,
        languages,
        certs,
        centres,
        headcount,
        founded,
        stability,
        host,
    ) in VENDORS:
        if Vendor.objects.filter(name__iexact=name).exists():
            continue
        offered = set(models.split())
        services.vendor_save(
            vendor=None,
            data={
                "name": name,
                "website": f"https://www.{host}",
                "headquarters_country": hq,
                "offers_ito": "ITO" in offered,
                "offers_bpo": "BPO" in offered,
                "offers_kpo": "KPO" in offered,
                "headcount": headcount,
                "founded": founded,
                "financial_stability": stability,
                "references": f"Ask for two client references in {hq} and one abroad.",
                "notes": "",
                "active": name not in INACTIVE,
            },
            details=services.VendorDetails(
                service_lines=lines.split(),
                languages=[
                    (language, level)
                    for language, level in (item.split(":") for item in _split_languages(languages))
                ],
                certifications=[(code, add_months(today, months)) for code, months in certs],
                centres=centres,
            ),
        )
    for organisation in organisations.values():
        services.criteria_set_default(organisation=organisation)
    demo = organisations.get(DEMO_ORGANISATION)
    if demo is not None:
        seed_event(demo)


def _split_languages(text: str) -> list[str]:
    # "Chinese (Mandarin):native" holds a space; split on the space before a language.
    items, current = [], ""
    for word in text.split(" "):
        current = f"{current} {word}".strip()
        if ":" in word:
            items.append(current)
            current = ""
    return items


def seed_event(organisation: Organisation) -> SourcingEvent | None:
    """A demo event for wave 1 (ITO) with proposals and two evaluators' scores."""
    existing = SourcingEvent.objects.filter(organisation=organisation, name=DEMO_EVENT).first()
    if existing is not None:
        return existing
    wave = next((w for w in wave_choices(organisation) if w.number == 1), None)
    if wave is None:
        return None  # the demo assessment has not been scored (yet)
    user = get_user_model().objects.get(username="manager")
    today = timezone.localdate()
    criteria_set = CriteriaSet.objects.for_org(organisation).order_by("created_at", "pk").first()
    event = services.event_create(
        organisation=organisation,
        user=user,
        name=DEMO_EVENT,
        assessment=wave.assessment,
        processes=wave.processes,
        model=wave.model,
        wave=wave.number,
        deadline=today + timedelta(days=21),
        planned_start=today + timedelta(days=120),
        criteria_set=criteria_set,
    )
    if not event.candidates.filter(proposed=True).exists():
        return event
    services.shortlist_accept(event=event, user=user)
    criteria = [c for c in event.criteria_set.criteria.all() if not c.is_cost]
    invited = {
        c.vendor.name: c.vendor
        for c in event.candidates.filter(invited=True).select_related("vendor")
    }
    for number, (name, (price, transition, term, quality)) in enumerate(DEMO_PROPOSALS.items()):
        vendor = invited.get(name)
        if vendor is None:
            continue
        proposal = services.proposal_save(
            event=event,
            vendor=vendor,
            user=user,
            data={
                "annual_price": price,
                "transition_cost": transition,
                "term_months": term,
                "proposed_slas": DEMO_SLAS,
                "notes": "",
            },
        )
        for offset, evaluator in enumerate(EVALUATORS):
            scores = {}
            for j, criterion in enumerate(criteria):
                # A little variety per criterion, and one strong disagreement to discuss.
                score = quality + ((number + j) % 3) - 1 - offset * ((j + number) % 2)
                if number == 1 and j == 2:
                    score = quality + 2 if offset == 0 else quality - 3
                comment = (
                    "Reference calls were mixed." if number == 1 and j == 2 and offset == 1 else ""
                )
                scores[criterion] = (max(1, min(10, score)), comment)
            services.evaluation_record(
                proposal=proposal, evaluator=evaluator, scores=scores, user=user
            )
    return event
