"""In a real browser: the demo CIO reads the calibration report over the demo contracts with
realised savings; a manager starts new projections from the calibrated assumptions."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from assessments.models import Projection
from tests.realparts import ROOT, log_in

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts"


def test_the_cio_reads_the_calibration_report_and_a_manager_uses_it(page, transactional_db):
    call_command("seed_demo", verbosity=0)
    log_in(page, "cio", "sourcewise-demo")
    page.goto("/contracts/")
    page.get_by_role("link", name="Forecast calibration").click()
    page.wait_for_url("**/contracts/calibration/")
    assert page.get_by_role("heading", name="Were our savings forecasts any good?").is_visible()
    assert int(page.locator("[data-contracts]").inner_text()) >= 3
    assert page.locator("[data-coverage]").inner_text().endswith("%")
    page.locator("#calibration-chart .main-svg").first.wait_for()
    bands = page.get_by_role("table", name="Where outcomes fell within their forecasts")
    assert [r.inner_text().split("\t")[0] for r in bands.get_by_role("row").all()[1:]] == [
        "Below P10",
        "P10 to P50",
        "P50 to P90",
        "Above P90",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "calibration.png"), full_page=True)
    assert page.console_errors == []

    first = page.locator("[data-contract-table] tbody a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/contracts/*/#savings")
    assert page.get_by_role("heading", name=title).is_visible()

    page.context.clear_cookies()
    log_in(page, "manager", "sourcewise-demo")
    page.goto("/contracts/calibration/")
    page.get_by_role("button", name="Start new projections from the calibrated assumptions").click()
    page.wait_for_url("**/contracts/calibration/")
    assert (
        "New projections start from the calibrated assumptions"
        in page.locator("[data-assumption-state]").inner_text()
    )
    page.screenshot(path=str(ARTIFACTS / "calibration-chosen.png"), full_page=True)

    # The demo's projection was made before the choice: its page says it used the defaults.
    projection = Projection.objects.filter(assessment__organisation__name="Acme Holdings").first()
    assert projection is not None
    page.goto(f"/assessments/{projection.assessment_id}/projections/{projection.pk}/")
    assert "Published default assumptions" in page.locator("[data-assumption-set]").inner_text()
    assert page.console_errors == []
