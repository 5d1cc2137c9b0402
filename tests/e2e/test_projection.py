"""The demo CIO starts a savings projection from the results page, watches it run on a real
worker, and sees the fan chart."""

import re
import time

import pytest
from django.core.management import call_command

from assessments.demo import DEMO_ASSESSMENT
from assessments.models import Assessment, Projection
from tests.realparts import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.worker]


def test_the_cio_starts_a_projection_and_sees_the_fan_chart(page, live_server, start_worker):
    worker = start_worker()
    call_command("seed_demo", verbosity=0)
    assessment = Assessment.objects.get(name=DEMO_ASSESSMENT, organisation__name="Acme Holdings")
    seeded = Projection.objects.filter(assessment=assessment).latest("created_at")
    deadline = time.monotonic() + 60  # the worker computes the projection seeding asked for
    while not seeded.is_finished and time.monotonic() < deadline:
        time.sleep(0.1)
        seeded.refresh_from_db()
    assert seeded.status == "done", worker.log.read_text()[-2000:]

    log_in(page, "cio", "sourcewise-demo")
    page.goto(f"/assessments/{assessment.pk}/results/")
    panel = page.locator("#projection-panel")
    panel.get_by_text("Start a new projection").click()
    panel.get_by_label("Trials").fill("20000")
    panel.get_by_label("Seed").fill("7")
    panel.get_by_role("button", name="Start projection").click()

    page.wait_for_url(re.compile(r"/projections/\d+/$"))
    started = Projection.objects.filter(assessment=assessment).latest("created_at")
    assert started.pk != seeded.pk
    assert (started.trials, started.seed, started.requested_by.username) == (20000, 7, "cio")
    assert page.url.endswith(f"/assessments/{assessment.pk}/projections/{started.pk}/")

    progress = page.get_by_role("progressbar", name="Projection progress")
    progress.wait_for()
    page.wait_for_selector('[role=progressbar][aria-valuenow="100"]', timeout=60_000)
    page.wait_for_function(
        "() => { const el = document.getElementById('fan-chart');"
        " return el && Array.isArray(el.data) && el.data.length > 0; }",
        timeout=60_000,
    )
    traces = page.evaluate("document.getElementById('fan-chart').data.map(t => t.name)")
    assert "P50 (median)" in traces
    assert page.get_by_text("NPV P10 / P50 / P90").first.is_visible()
    started.refresh_from_db()
    assert started.status == "done", worker.log.read_text()[-2000:]
    assert page.console_errors == []
