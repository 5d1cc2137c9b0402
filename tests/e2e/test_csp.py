"""The Content-Security-Policy in a real browser: injected inline code is refused (and the
suite's violation check sees it), while every chart page draws under the policy.

Every browser test fails on a violation (the `page` fixture in tests/realparts.py); these
tests visit what the others do not: each chart page, Plotly's own styles and PNG download,
and the admin's export page."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.demo import DEMO_ASSESSMENT
from assessments.models import Assessment, Projection
from contracts.models import Contract
from tests.realparts import log_in

pytestmark = pytest.mark.e2e

CHARTS = ".plotly-chart, .projection-chart"
EVERY_CHART_DRAWN = (
    "(selector) => [...document.querySelectorAll(selector)].every(c => c.data && c.layout)"
)


def test_the_browser_refuses_injected_inline_code_and_the_suite_notices(page, db):
    page.goto("/accounts/login/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injectedScriptRan = true";
        document.body.append(script);
        const button = document.createElement("button");
        button.id = "injected-button";
        button.setAttribute("onclick", "window.injectedHandlerRan = true");
        document.body.append(button);
        const style = document.createElement("style");
        style.textContent = "body { display: none }";
        document.head.append(style);
    }""")
    page.locator("#injected-button").click()
    page.wait_for_function("() => true")  # let the browser deliver its reports
    page.locator("body").wait_for(state="visible")

    assert page.evaluate("() => [window.injectedScriptRan, window.injectedHandlerRan]") == [
        None,
        None,
    ]
    refused = " ".join(page.csp_violations)
    for directive in ("script-src-elem", "script-src-attr", "style-src-elem"):
        assert f"{directive} refused inline in" in refused, directive
    page.csp_violations.clear()  # seen and expected: not a failure of this test
    page.console_errors.clear()


def test_every_chart_page_draws_under_the_policy(page, transactional_db, tmp_path):
    call_command("seed_demo", verbosity=0)  # its projection runs in-process, to the end
    assessment = Assessment.objects.get(name=DEMO_ASSESSMENT, organisation__name="Acme Holdings")
    projection = Projection.objects.filter(assessment=assessment, status="done").latest(
        "created_at"
    )
    contract = Contract.objects.filter(organisation=assessment.organisation).order_by("pk")[0]
    process = assessment.processes.order_by("pk")[0]
    sla = contract.slas.order_by("pk")[0]
    pages = {
        "/dashboard/": 6,
        f"/assessments/{assessment.pk}/results/": 1,
        f"/assessments/{assessment.pk}/roadmap/": 1,
        f"/assessments/{assessment.pk}/processes/{process.pk}/": 1,
        f"/assessments/{assessment.pk}/projections/{projection.pk}/": 3,
        f"/contracts/{contract.pk}/": 1,
        f"/contracts/{contract.pk}/slas/{sla.pk}/": 1,
    }
    log_in(page, "cio", "sourcewise-demo")
    for path, at_least in pages.items():
        page.goto(path)
        assert page.locator(CHARTS).count() >= at_least, path
        page.wait_for_function(EVERY_CHART_DRAWN, arg=CHARTS)
        # Plotly's stylesheet, added through the CSS object model, took effect.
        modebar = page.locator(".modebar").first
        assert modebar.evaluate("(bar) => getComputedStyle(bar).position") == "absolute", path

    # "Download plot as a PNG" draws the chart through a blob: image.
    page.goto("/dashboard/")
    page.wait_for_function(EVERY_CHART_DRAWN, arg=CHARTS)
    chart = page.locator(".plotly-chart").first
    chart.hover()
    with page.expect_download() as download:
        chart.locator('[data-title="Download plot as a PNG"]').click()
    saved = Path(tmp_path) / "chart.png"
    download.value.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.console_errors == []


def test_the_admin_export_page_works_under_the_policy(page, transactional_db):
    call_command("seed_demo", verbosity=0)
    # The operator must pass a second factor: give them an authenticator app to read.
    operator = get_user_model().objects.get(username="operator")
    device = TOTPDevice.objects.create(user=operator, name="Phone", confirmed=True)
    page.goto("/admin/login/?next=/admin/vendors/vendor/export/")
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill("sourcewise-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/mfa/verify/**")
    page.get_by_label("Code").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/admin/vendors/vendor/export/")
    fields = page.locator("input[type=checkbox]:not(.select-toggle)")
    assert fields.count() > 3
    # Its "Select all" box has the one inline handler the policy allows by hash.
    page.locator("input.select-toggle").uncheck()
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[type=checkbox]:not(.select-toggle)')]"
        ".filter(box => box.offsetParent !== null).every(box => !box.checked)"
    )
