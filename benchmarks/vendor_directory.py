"""Benchmark the vendor directory on 5,000 vendors, and ranking 200 proposals x 12 criteria.

Run from the project root:

    .venv/bin/python benchmarks/vendor_directory.py [--vendors 5000 --runs 30]

The database is a throwaway: a temporary SQLite file, or, when DATABASE_URL is set, a
database created beside that one (``<name>_vendor_bench``) and dropped afterwards. It
never touches db.sqlite3. Targets: a filtered directory page under 100 ms (median
server time through Django's test Client) with a query count that does not grow with
the number of vendors; ranking by both methods under 10 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script, the project root is not on sys.path

DIRECTORY_TARGET_MS = 100.0
RANKING_TARGET_MS = 10.0
FILTERS = {
    "model": "ITO",
    "language": "English",
    "location_class": "offshore",
    "certification": "iso_27001",
}


def _setup() -> Callable[[], None]:
    """Configure Django on a throwaway database; returns the clean-up function."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing.settings")
    temp_dir = tempfile.mkdtemp(prefix="vendor-bench-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{temp_dir}/unused.sqlite3"
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    test_name = (
        f"{temp_dir}/bench.sqlite3" if connection.vendor == "sqlite" else f"{name}_vendor_bench"
    )
    connection.settings_dict["TEST"]["NAME"] = test_name
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    def teardown() -> None:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(temp_dir, ignore_errors=True)

    return teardown


def _load_vendors(start: int, stop: int, seed: int = 2026) -> None:
    """Vendors ``start`` to ``stop - 1`` with three to five rows of each list, in bulk."""
    import numpy as np

    from accounts.engine.countries import COUNTRIES, LANGUAGES
    from vendors.models import (
        Certification,
        DeliveryCentre,
        Vendor,
        VendorLanguage,
        VendorServiceLine,
    )
    from vendors.models.registry import CERTIFICATION_CHOICES, SERVICE_LINE_CHOICES

    rng = np.random.default_rng(seed + start)
    lines = [code for code, _ in SERVICE_LINE_CHOICES]
    certs = [code for code, _ in CERTIFICATION_CHOICES]
    vendors = Vendor.objects.bulk_create(
        [
            Vendor(
                name=f"Benchmark vendor {n:05d}",
                headquarters_country=str(rng.choice(COUNTRIES)),
                offers_ito=bool(rng.random() < 0.5),
                offers_bpo=bool(rng.random() < 0.5),
                offers_kpo=bool(rng.random() < 0.3),
                headcount=int(rng.integers(50, 50_000)),
                founded=int(rng.integers(1950, 2024)),
                financial_stability=str(rng.choice(["strong", "adequate", "weak", ""])),
            )
            for n in range(start, stop)
        ],
        batch_size=500,
    )
    children: dict[type, list] = {
        VendorServiceLine: [],
        VendorLanguage: [],
        Certification: [],
        DeliveryCentre: [],
    }
    for vendor in vendors:
        for code in rng.choice(lines, size=3, replace=False):
            children[VendorServiceLine].append(VendorServiceLine(vendor=vendor, code=code))
        for language in {"English", *rng.choice(LANGUAGES, size=2, replace=False)}:
            children[VendorLanguage].append(
                VendorLanguage(
                    vendor=vendor,
                    language=language,
                    proficiency="native" if rng.random() < 0.4 else "fluent",
                )
            )
        for code in rng.choice(certs, size=2, replace=False):
            children[Certification].append(
                Certification(
                    vendor=vendor, code=code, expires_on=f"{int(rng.integers(2024, 2031))}-06-30"
                )
            )
        for country in rng.choice(COUNTRIES, size=3, replace=False):
            children[DeliveryCentre].append(
                DeliveryCentre(vendor=vendor, country=country, city=f"City {rng.integers(1, 99)}")
            )
    for model, rows in children.items():
        model.objects.bulk_create(rows, batch_size=1000)


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from accounts.models import Membership, Organisation, Role

    organisation = Organisation.objects.create(name="Benchmark Ltd", home_country="United Kingdom")
    user = get_user_model().objects.create_user("bench", password="not-used")
    Membership.objects.create(user=user, organisation=organisation, role=Role.CIO)
    client = Client()
    client.force_login(user)
    client.get("/vendors/")  # the session's first request stores the organisation
    return client


def _directory(client, runs: int) -> tuple[float, int, int]:
    """Median milliseconds, query count and vendors matched for the filtered page."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from vendors.filters import VendorFilter
    from vendors.selectors.registry import directory_vendors

    reset_queries()  # the log is capped (9,000): loading the vendors filled it
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/vendors/", FILTERS)
    assert response.status_code == 200, response.status_code
    matched = VendorFilter(
        FILTERS, queryset=directory_vendors(), home_country="United Kingdom"
    ).qs.count()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get("/vendors/", FILTERS)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, len(queries), matched


def _ranking(runs: int = 300) -> float:
    import numpy as np

    from vendors.engine.ranking import cost_scores, ranks, topsis, weighted_sum

    rng = np.random.default_rng(2026)
    scores = rng.integers(1, 11, size=(200, 12)).astype(float)
    scores[:, 0] = cost_scores(rng.uniform(1e6, 5e6, size=200))
    weights = rng.random(12)
    weights /= weights.sum()

    def both() -> None:
        ranks(weighted_sum(scores, weights))
        ranks(topsis(scores, weights))

    both()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        both()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    teardown = _setup()  # before any model import: Django is configured here
    try:
        client = _client()
        small = max(1, args.vendors // 10)
        _load_vendors(0, small)
        small_ms, small_queries, small_matched = _directory(client, args.runs)
        _load_vendors(small, args.vendors)
        ms, queries, matched = _directory(client, args.runs)
    finally:
        teardown()
    ranking_ms = _ranking()
    print(f"vendor directory, filtered by {FILTERS}")
    print(
        f"  {small:>6,} vendors: median {small_ms:7.1f} ms, {small_queries} queries, "
        f"{small_matched:,} match"
    )
    print(
        f"  {args.vendors:>6,} vendors: median {ms:7.1f} ms, {queries} queries, {matched:,} match"
    )
    verdict = "meets" if ms < DIRECTORY_TARGET_MS else "MISSES"
    print(
        f"  the directory {verdict} the {DIRECTORY_TARGET_MS:g} ms target; the query count "
        f"{'does not grow' if queries == small_queries else 'GROWS'} with the vendors"
    )
    verdict = "meets" if ranking_ms < RANKING_TARGET_MS else "MISSES"
    print(
        f"ranking 200 proposals x 12 criteria by weighted sum and TOPSIS: median "
        f"{ranking_ms:.3f} ms ({verdict} the {RANKING_TARGET_MS:g} ms target)"
    )
    return 0 if queries == small_queries else 1


if __name__ == "__main__":
    sys.exit(main())
