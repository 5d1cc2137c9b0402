"""Issue 14 in a browser: the guiding home page of each role, the current portfolio on the
dashboard, searchable pickers used with the keyboard (and without JavaScript), the roadmap's
path to a sourcing event, and no favicon 404 on the admin pages."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.demo import DEMO_ASSESSMENT
from assessments.models import Assessment
from tests.realparts import ROOT, log_in

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)


def log_in_as(page, role: str) -> None:
    """Log in; the admin passes a second factor, read from an authenticator made here."""
    if role != "admin":
        log_in(page, role, "sourcewise-demo")
        return
    admin = get_user_model().objects.get(username="admin")
    device = TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)
    log_in(page, "admin", "sourcewise-demo")
    page.wait_for_url("**/accounts/mfa/verify/**")
    page.get_by_label("Code").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/mfa" not in url)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_each_role_sees_where_the_organisation_stands_and_what_to_do_next(
    page, demo, browser, live_server
):
    for role in ("manager", "cio", "admin"):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1366, "height": 768}
        )
        each = context.new_page()
        log_in_as(each, role)
        each.goto("/")
        stages = each.locator("[data-stage]")
        assert stages.count() == 5
        assert "Done" in each.locator('[data-stage="assessment"]').inner_text()
        steps = each.locator("[data-next-steps] a")
        assert steps.count() >= 1
        shot(each, f"home-{role}")
        # The first step is a link that leads somewhere real.
        href = steps.first.get_attribute("href")
        assert each.request.get(f"{live_server.url}{href}").status == 200
        context.close()
    assert page.console_errors == []


def test_the_dashboard_opens_on_the_current_portfolio(page, demo):
    log_in(page, "cio", "sourcewise-demo")
    page.goto("/dashboard/")
    assert page.locator("[data-portfolio]").get_by_text("Current portfolio").is_visible()
    shot(page, "dashboard-current-portfolio")
    attention = page.locator('[data-attention="notices"] a')
    attention.click()
    page.wait_for_url("**/contracts/renewals/")
    page.goto("/dashboard/")
    page.locator("#open-issues tbody a").first.click()
    page.wait_for_url("**/contracts/*/#issue-*")
    assert page.locator(":target").count() == 1
    shot(page, "contract-from-dashboard-issue")


def test_the_contract_pickers_work_with_the_keyboard(page, demo):
    log_in(page, "manager", "sourcewise-demo")
    page.goto("/contracts/new/")
    page.locator(".ts-wrapper").first.wait_for()
    vendor = page.locator("#id_vendor-ts-control")
    vendor.click()
    page.keyboard.type("Northbr")
    page.locator(".ts-dropdown .option.active", has_text="Northbridge").wait_for()
    page.keyboard.press("Enter")
    chosen = page.eval_on_selector("#id_vendor", "s => s.options[s.selectedIndex].text")
    assert chosen.startswith("Northbridge")
    processes = page.locator("#id_processes-ts-control")
    processes.focus()
    page.keyboard.type("Service desk")
    page.locator(".ts-dropdown .option.active", has_text="Service desk").wait_for()
    assert page.locator(".ts-dropdown .optgroup-header").first.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.type("Desktop")
    page.locator(".ts-dropdown .option.active", has_text="Desktop support").wait_for()
    page.keyboard.press("Enter")
    picked = page.eval_on_selector("#id_processes", "s => [...s.selectedOptions].map(o => o.text)")
    assert [p.split(" · ")[0] for p in picked] == ["Service desk", "Desktop support"]
    page.screenshot(path=str(ARTIFACTS / "contract-form-pickers-open.png"))
    page.keyboard.press("Backspace")  # removes the last choice
    picked = page.eval_on_selector("#id_processes", "s => s.selectedOptions.length")
    assert picked == 1
    shot(page, "contract-form-pickers")
    assert page.console_errors == []


def test_without_javascript_the_pickers_are_plain_selects(demo, browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "manager", "sourcewise-demo")
    page.goto("/contracts/new/")
    processes = page.locator("select#id_processes")
    assert processes.is_visible()
    assert page.locator("select#id_processes optgroup").count() >= 1
    processes.select_option(label="Service desk · recommended ITO")
    page.locator("select#id_vendor").select_option(label="Northbridge Digital Services")
    context.close()


def test_a_roadmap_wave_leads_to_a_sourcing_event_with_its_scope(page, demo):
    log_in(page, "manager", "sourcewise-demo")
    assessment = Assessment.objects.get(name=DEMO_ASSESSMENT)
    page.goto(f"/assessments/{assessment.pk}/roadmap/")
    page.locator("[data-start-event]").first.click()
    page.wait_for_url("**/vendors/events/new/?wave=*")
    checked = page.locator('input[name="wave-wave"]:checked')
    assert checked.count() == 1
    assert "wave 1" in page.locator("#id_wave-name").input_value()
    shot(page, "event-from-roadmap")


def test_admin_pages_ask_for_no_missing_favicon(page, live_server):
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status == 404 else None)
    page.goto("/admin/login/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in failed if "favicon" in url]
    assert page.request.get(f"{live_server.url}/favicon.ico").status == 200
