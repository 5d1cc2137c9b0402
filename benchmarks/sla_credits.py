"""Service credits with the database: 200 contracts x 10 SLAs x 36 months.

Run from the project root:

    .venv/bin/python benchmarks/sla_credits.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sourcewise_bench \\
        .venv/bin/python benchmarks/sla_credits.py

Loads the SLAs and measurements from the database, computes every contract's credits
(``contracts.services.credits_recompute_many``, the service a save calls) and writes the
results (one ``CreditComputation`` per contract with its inputs, one ``ServiceCredit``
per contract-month with its working); prints the time (target: under 1 s on
PostgreSQL). Then prints the contract page's query count with 12 and with 36 months of
measurements, which must be equal.

With ``DATABASE_URL`` (PostgreSQL) the script creates that database, migrates it and
drops it at the end; it refuses a database that already exists. Without it, it uses a
temporary SQLite file. It never touches db.sqlite3.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_SECONDS = 1.0


def _postgres_admin(url: str):
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True), name


def create_database(url: str) -> None:
    from psycopg import sql

    connection, name = _postgres_admin(url)
    with connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            sys.exit(
                f"The database {name!r} already exists; drop it or name another in "
                "DATABASE_URL (this benchmark creates and drops its own)."
            )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    connection, name = _postgres_admin(url)
    with connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def setup(database_url: str, media: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_MEDIA_ROOT"] = media
    # A developer's machine: the settings refuse to start without a chosen mode.
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_portfolio(contracts: int, slas: int, months: int):
    """The engine benchmark's seeded portfolio, written as contracts, SLAs, measurements."""
    from django.contrib.auth import get_user_model
    from sla_credits_engine import make_contracts

    from accounts.models import Membership, Organisation, Role
    from contracts.engine.periods import add_months, month_start
    from contracts.models import Contract, ContractStatus, Measurement, Sla
    from vendors.models import Vendor

    organisation = Organisation.objects.create(name="Benchmark Ltd")
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    Membership.objects.create(user=user, organisation=organisation, role=Role.MANAGER)
    vendor = Vendor.objects.create(
        name="Benchmark Vendor", headquarters_country="India", offers_ito=True
    )
    from django.utils import timezone

    first = add_months(month_start(timezone.localdate()), -months)
    start, end = first, add_months(first, months + 24)
    rows = []
    data = make_contracts(contracts, slas, months)
    records = Contract.objects.bulk_create(
        [
            Contract(
                organisation=organisation,
                title=f"Contract {i}",
                vendor=vendor,
                model="ITO",
                location="offshore",
                start_date=start,
                end_date=end,
                annual_value=Decimal(repr(fee)) * 12,
                currency="GBP",
                owner=user,
                status=ContractStatus.ACTIVE,
                at_risk_pct=Decimal(repr(pct * 100)).quantize(Decimal("0.01")),
            )
            for i, (_, _, fee, pct) in enumerate(data)
        ]
    )
    sla_rows = []
    for contract, (definitions, _, _, _) in zip(records, data, strict=True):
        for position, sla in enumerate(definitions, start=1):
            sla_rows.append(
                Sla(
                    contract=contract,
                    position=position,
                    name=sla["name"],
                    category="availability",
                    target=Decimal(repr(sla["target"])).quantize(Decimal("0.0001")),
                    unit="%",
                    direction=sla["direction"],
                    minimum=Decimal(repr(sla["minimum"])).quantize(Decimal("0.0001")),
                    allocation_pct=Decimal(repr(sla["allocation"] * 100)).quantize(Decimal("0.01")),
                    earn_back=sla["earn_back"],
                )
            )
    Sla.objects.bulk_create(sla_rows, batch_size=2_000)
    by_contract: dict[int, dict[str, Sla]] = {}
    for sla in sla_rows:
        by_contract.setdefault(sla.contract_id, {})[sla.name] = sla
    for contract, (_, periods, _, _) in zip(records, data, strict=True):
        for index, period in enumerate(periods):
            for name, actual in period.items():
                rows.append(
                    Measurement(
                        sla=by_contract[contract.pk][name],
                        period=add_months(first, index),
                        actual=Decimal(repr(actual)).quantize(Decimal("0.0001")),
                    )
                )
    Measurement.objects.bulk_create(rows, batch_size=5_000)
    return records, user, len(rows)


def time_recompute(contracts, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock seconds per run, and this process's CPU seconds (the database's own
    work runs in its server process and shows only in the wall clock)."""
    from contracts.services import credits_recompute_many

    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        credits_recompute_many(contracts=contracts, reason="benchmark")
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return timings, cpu


def page_queries(user, months: int) -> int:
    """Queries of one contract page (10 SLAs) with ``months`` months measured."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from contracts.engine.periods import add_months, month_start
    from contracts.models import Contract, Measurement, Sla
    from contracts.services import credits_recompute
    from vendors.models import Vendor

    this_month = month_start(timezone.localdate())
    contract = Contract.objects.create(
        organisation=user.memberships.get().organisation,
        title=f"Page with {months} months",
        vendor=Vendor.objects.get(),
        model="ITO",
        location="offshore",
        start_date=add_months(this_month, -months),
        end_date=add_months(this_month, 12),
        annual_value=Decimal("1200000"),
        currency="GBP",
        owner=user,
        status="active",
    )
    slas = Sla.objects.bulk_create(
        [
            Sla(
                contract=contract,
                position=i,
                name=f"SLA {i}",
                category="availability",
                target=Decimal("99.5"),
                unit="%",
                direction="higher",
                minimum=Decimal("99"),
                allocation_pct=Decimal("25"),
                earn_back=bool(i % 2),
            )
            for i in range(10)
        ]
    )
    Measurement.objects.bulk_create(
        [
            Measurement(
                sla=sla,
                period=add_months(this_month, -months + m),
                actual=Decimal("99.6") if (m + sla.position) % 7 else Decimal("98.9"),
            )
            for sla in slas
            for m in range(months)
        ]
    )
    credits_recompute(contract=contract)
    client = Client()
    client.force_login(user)
    url = f"/contracts/{contract.pk}/"
    assert client.get(url).status_code == 200  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=200)
    parser.add_argument("--slas", type=int, default=10)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    with tempfile.TemporaryDirectory(prefix="sla-credits-bench-") as scratch:
        if postgres:
            create_database(database_url)
        else:
            database_url = f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        try:
            setup(database_url, str(Path(scratch) / "media"))
            from django.db import connection

            contracts, user, measurements = build_portfolio(args.contracts, args.slas, args.months)
            timings, cpu = time_recompute(contracts, args.repeat)
            from contracts.models import ServiceCredit

            written = ServiceCredit.objects.count()
            at_12, at_36 = page_queries(user, 12), page_queries(user, 36)
        finally:
            if postgres:
                drop_database(database_url)
    best, median = min(timings), statistics.median(timings)
    if postgres:
        met = "met" if best < TARGET_SECONDS else "NOT met"
        verdict = f"target under {TARGET_SECONDS:.1f} s: {met}"
    else:
        verdict = "the target applies to PostgreSQL (set DATABASE_URL)"
    print(
        f"Database: {connection.vendor}; load average {os.getloadavg()[0]:.2f} on "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"Credits for {args.contracts} contracts x {args.slas} SLAs x {args.months} months "
        f"({measurements:,} measurements read, {written:,} contract-months written), "
        "computed and stored:"
    )
    print(
        f"  best {best:.3f} s, median {median:.3f} s over {args.repeat} runs "
        f"({', '.join(f'{t:.3f}' for t in timings)}); this process's CPU "
        f"{min(cpu):.3f} s at best; {verdict}"
    )
    print(
        f"Contract page queries: {at_12} with 12 months, {at_36} with 36 months: "
        f"{'equal' if at_12 == at_36 else 'NOT equal'}"
    )
    return 0 if at_12 == at_36 else 1


if __name__ == "__main__":
    sys.exit(main())
