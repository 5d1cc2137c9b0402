"""Issue 7's browser flow: the demo CIO reads the dashboard, filters it, exports it."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.realparts import ROOT, log_in

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts"


def test_the_cio_sees_every_chart_filters_and_downloads_the_board_pack(
    page, transactional_db, tmp_path
):
    call_command("seed_demo", verbosity=0)
    log_in(page, "cio", "sourcewise-demo")
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url("**/dashboard/")

    charts = page.locator(".plotly-chart")
    assert charts.count() == 6
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plotly-chart')].every(c => c.data)"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    page.get_by_label("Business function").select_option("IT")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**business_function=IT**")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plotly-chart')].every(c => c.data)"
    )
    mix = page.evaluate("() => document.getElementById('chart-mix').data[0].ids")
    assert all(node.startswith("f:IT") for node in mix)

    exports = (("Export board pack (XLSX)", ".xlsx"), ("Export board pack (PDF)", ".pdf"))
    for label, suffix in exports:
        page.goto("/dashboard/")
        # Without a broker the export runs inside the request: give the PDF time to draw.
        page.get_by_role("button", name=label).click(timeout=120_000)
        page.wait_for_url("**/board-pack/*/", timeout=120_000)
        link = page.get_by_role("link", name="Download")
        link.wait_for(state="visible", timeout=90_000)
        with page.expect_download() as download:
            link.click()
        saved = Path(tmp_path) / f"pack{suffix}"
        download.value.save_as(saved)
        assert saved.stat().st_size > 1000
        assert download.value.suggested_filename.endswith(suffix)
    assert page.console_errors == []
