"""How fast are the wizard's questionnaire step and the results pages?

Run: .venv/bin/python benchmarks/wizard.py

Builds a 500-process assessment (and a 50-process one, to show that the query count
does not grow with the number of processes), signs a manager in with Django's test
client, and prints the median server time and the query count of the questionnaire
step and the results pages. Target: under 150 ms at 500 processes.

It uses DATABASE_URL when set (and removes what it created there afterwards), otherwise
a temporary SQLite file that it migrates first; it never touches db.sqlite3.
"""

from __future__ import annotations

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

REQUESTS = 15
WARM_UP = 2
SIZES = (500, 50)
TARGET_MS = 150.0


def setup_django(tmp: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "outsourcing.settings"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/benchmark.sqlite3")
    import django

    django.setup()
    from django.conf import settings

    name = str(settings.DATABASES["default"]["NAME"])
    if Path(name).resolve() == (ROOT / "db.sqlite3").resolve():
        sys.exit("Refusing to run against db.sqlite3: unset DATABASE_URL or point it elsewhere.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(size: int, manager, organisation):
    """A draft assessment at the questionnaire step, every process answered and scored."""
    from assessments.engine.questions import BUSINESS_FUNCTIONS, QUESTION_KEYS
    from assessments.models import Assessment, Process, WizardStep
    from assessments.services import assessments as services

    rng = random.Random(size)
    assessment = Assessment.objects.create(
        organisation=organisation,
        owner=manager,
        name=f"Benchmark {size}",
        objectives=["cost_reduction", "operational_efficiency", "access_to_skills"],
        home_country="United Kingdom",
        currency="GBP",
        wizard_step=WizardStep.QUESTIONNAIRE,
    )
    Process.objects.bulk_create(
        [
            Process(
                assessment=assessment,
                position=i,
                name=f"Process {i:04d}",
                business_function=rng.choice(BUSINESS_FUNCTIONS),
                description="A process of the benchmark portfolio",
                annual_cost=Decimal(rng.randrange(100_000, 5_000_000)),
                fte=Decimal(rng.randrange(1, 50)),
                **{key: rng.randint(1, 5) for key in QUESTION_KEYS},
            )
            for i in range(size)
        ]
    )
    services.assessment_score(assessment=assessment)
    return assessment


def measure(client, url: str) -> tuple[float, int, float, float]:
    """(median ms, queries of one request, fastest ms, median CPU ms of this thread).

    The CPU time leaves out waiting for a CPU, so it stays meaningful on a loaded
    machine; the wall-clock median is the figure the target is about.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    times, cpu = [], []
    for _ in range(REQUESTS):
        start, start_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries), min(times), statistics.median(cpu)


def main() -> None:
    external = bool(os.environ.get("DATABASE_URL"))
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        from accounts.models import Membership, Organisation, Role

        organisation = Organisation.objects.create(name=f"Benchmark org {os.getpid()}")
        manager = get_user_model().objects.create_user(f"benchmark-{os.getpid()}")
        Membership.objects.create(user=manager, organisation=organisation, role=Role.MANAGER)
        try:
            started = time.perf_counter()
            assessments = {size: build(size, manager, organisation) for size in SIZES}
            print(
                f"Built assessments of {', '.join(map(str, SIZES))} processes in "
                f"{time.perf_counter() - started:.1f} s (scored and sequenced)."
            )
            client = Client()
            client.force_login(manager)
            pages = {
                "Questionnaire step": lambda a: reverse("assessments:questionnaire", args=[a.pk]),
                "Results page": lambda a: reverse("assessments:results", args=[a.pk]),
                "Results page, filtered and sorted": lambda a: (
                    reverse("assessments:results", args=[a.pk]) + "?model=BPO&sort=-cost"
                ),
                "Roadmap page": lambda a: reverse("assessments:roadmap", args=[a.pk]),
                "Process page": lambda a: reverse(
                    "assessments:process-detail", args=[a.pk, a.processes.first().pk]
                ),
            }
            print(
                f"Median of {REQUESTS} requests after {WARM_UP} warm-up, target under "
                f"{TARGET_MS:.0f} ms at {SIZES[0]} processes (on {os.cpu_count()} CPUs, "
                f"load average {os.getloadavg()[0]:.1f}):"
            )
            for label, url_of in pages.items():
                results = {size: measure(client, url_of(a)) for size, a in assessments.items()}
                big, small = results[SIZES[0]], results[SIZES[1]]
                verdict = "ok" if big[0] < TARGET_MS else "SLOW"
                growth = "constant" if big[1] == small[1] else "GROWS"
                print(
                    f"  {label:34s} {big[0]:6.1f} ms ({verdict}, fastest {big[2]:.1f}, "
                    f"CPU {big[3]:.1f}); "
                    f"queries: {big[1]} at {SIZES[0]} processes, {small[1]} at {SIZES[1]} "
                    f"({growth}); {small[0]:.1f} ms at {SIZES[1]}"
                )
        finally:
            if external:  # a temporary SQLite file goes away by itself
                organisation.delete()
                manager.delete()


if __name__ == "__main__":
    main()
