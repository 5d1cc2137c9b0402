"""How fast is the CIO dashboard, and the board-pack export, on a large organisation?

Run: .venv/bin/python benchmarks/dashboard.py

Seeds an organisation with 1,000 processes (and a second one with 100, to show the
query count does not grow), 300 vendors, 200 contracts with 3 SLAs each and 24 months of
measurements (credits computed by the real service), then prints the dashboard's median
server time cold (cache empty) and warm, its query counts, and the XLSX and PDF board
pack export times. Targets: warm < 150 ms, cold < 1 s, at most 20 queries and the same
for 100 and 1,000 processes; XLSX < 5 s, PDF < 15 s.

Uses DATABASE_URL when set (an existing, empty database: it migrates into it), otherwise a
temporary SQLite file; never db.sqlite3.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REQUESTS = 10


def setup_django(tmp: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "outsourcing.settings"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/dashboard-bench.sqlite3")
    os.environ.pop("REDIS_URL", None)  # the export runs in-process here: we time the work
    import django

    django.setup()
    from django.conf import settings

    if Path(str(settings.DATABASES["default"]["NAME"])).resolve() == (ROOT / "db.sqlite3"):
        sys.exit("Refusing to run against db.sqlite3.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_organisation(name: str, processes: int, vendors: list, contracts: int, rng):
    from django.contrib.auth import get_user_model
    from django.test import TestCase

    from accounts.models import Membership, Organisation
    from assessments.engine.questions import BUSINESS_FUNCTIONS, QUESTION_KEYS
    from assessments.models import Assessment, Process
    from assessments.services import assessments as services
    from contracts.models import Contract, Measurement, Sla
    from contracts.services.credits import credits_recompute_many

    organisation = Organisation.objects.create(name=name)
    user = get_user_model().objects.create_user(f"cio-{name}", password="bench-password-1")
    Membership.objects.create(user=user, organisation=organisation, role="cio")
    assessment = Assessment.objects.create(
        organisation=organisation,
        owner=user,
        name=f"{name} portfolio",
        objectives=["cost_reduction"],
        home_country="United Kingdom",
        home_continent="Europe",
    )
    Process.objects.bulk_create(
        [
            Process(
                assessment=assessment,
                position=i,
                name=f"Process {i:04d}",
                business_function=rng.choice(BUSINESS_FUNCTIONS),
                annual_cost=Decimal(rng.randrange(100_000, 3_000_000)),
                fte=Decimal(5),
                **{key: rng.randint(1, 5) for key in QUESTION_KEYS},
            )
            for i in range(processes)
        ]
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.assessment_submit(assessment=assessment, user=user)
    today = dt.date.today()
    start = (today.replace(day=1) - dt.timedelta(days=24 * 31)).replace(day=1)
    made = Contract.objects.bulk_create(
        [
            Contract(
                organisation=organisation,
                title=f"Contract {i:03d}",
                vendor=rng.choice(vendors),
                model=rng.choice(["ITO", "BPO", "KPO"]),
                location="offshore",
                start_date=start,
                end_date=today + dt.timedelta(days=rng.randrange(30, 900)),
                annual_value=Decimal(rng.randrange(200_000, 5_000_000)),
                currency="GBP",
                owner=user,
                status="active",
            )
            for i in range(contracts)
        ]
    )
    slas = Sla.objects.bulk_create(
        [
            Sla(
                contract=contract,
                position=j,
                name=metric,
                category=category,
                target=target,
                unit=unit,
                direction=direction,
                allocation_pct=Decimal(40),
                minimum=minimum,
            )
            for contract in made
            for j, (metric, category, target, unit, direction, minimum) in enumerate(
                [
                    ("Availability", "availability", Decimal("99.5"), "%", "higher", Decimal("99")),
                    (
                        "Response time",
                        "response_time",
                        Decimal("4"),
                        "hours",
                        "lower",
                        Decimal("8"),
                    ),
                    ("CSAT", "csat", Decimal("85"), "%", "higher", Decimal("75")),
                ]
            )
        ]
    )
    months = [(start.replace(day=1) + dt.timedelta(days=31 * m)).replace(day=1) for m in range(24)]
    Measurement.objects.bulk_create(
        [
            Measurement(
                sla=sla,
                period=month,
                actual=Decimal(str(round(float(sla.target) * rng.uniform(0.95, 1.05), 2))),
            )
            for sla in slas
            for month in months
        ],
        batch_size=5_000,
    )
    credits_recompute_many(contracts=made)
    return user


def timed_get(client, url: str, *, clear_cache: bool) -> tuple[float, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if clear_cache:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, len(queries)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from django.test import Client
        from django.utils import timezone

        from outsourcing.dashboard.boardpacks.documents import build_pdf, build_xlsx
        from outsourcing.dashboard.figures import FIGURES
        from outsourcing.dashboard.selectors import DashboardFilters, dashboard_data
        from vendors.models import Vendor

        rng = random.Random(7)
        started = time.perf_counter()
        vendors = Vendor.objects.bulk_create(
            [
                Vendor(
                    name=f"Vendor {i:03d}",
                    headquarters_country="India",
                    offers_ito=True,
                    offers_bpo=True,
                )
                for i in range(300)
            ]
        )
        big = seed_organisation("Big", 1_000, vendors, 200, rng)
        small = seed_organisation("Small", 100, vendors, 200, rng)
        print(f"seeded in {time.perf_counter() - started:.1f} s")

        results = {}
        for label, user in (("1,000 processes", big), ("100 processes", small)):
            client = Client()
            client.force_login(user)
            cold = [timed_get(client, "/dashboard/", clear_cache=True) for _ in range(REQUESTS)]
            warm = [timed_get(client, "/dashboard/", clear_cache=False) for _ in range(REQUESTS)]
            results[label] = (cold, warm)
            print(
                f"{label}: cold median {statistics.median(t for t, _ in cold):.0f} ms "
                f"({cold[0][1]} queries); warm median {statistics.median(t for t, _ in warm):.0f}"
                f" ms ({warm[0][1]} queries)"
            )
        same = results["1,000 processes"][0][0][1] == results["100 processes"][0][0][1]
        print(f"query count the same for 100 and 1,000 processes: {same}")

        from accounts.models import Organisation

        data = dashboard_data(
            Organisation.objects.get(name="Big"), DashboardFilters(), timezone.localdate()
        )
        started = time.perf_counter()
        xlsx = build_xlsx(data)
        print(f"board pack XLSX: {time.perf_counter() - started:.2f} s ({len(xlsx):,} bytes)")
        started = time.perf_counter()
        pdf = build_pdf(data, {name: build(data) for name, (_, build) in FIGURES.items()})
        print(f"board pack PDF: {time.perf_counter() - started:.2f} s ({len(pdf):,} bytes)")


if __name__ == "__main__":
    main()
