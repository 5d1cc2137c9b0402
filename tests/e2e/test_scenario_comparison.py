"""Issue 17's comparison page in a real browser: the demo CIO compares the base with the
two demo scenarios, sees the overlaid NPV distributions and the differences, and a manager
creates a scenario through the form."""

import pytest
from django.core.management import call_command

from assessments.demo import DEMO_ASSESSMENT
from assessments.models import Assessment, Scenario
from tests.realparts import ROOT, log_in

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def demo(transactional_db) -> Assessment:
    call_command("seed_demo", verbosity=0)
    return Assessment.objects.get(name=DEMO_ASSESSMENT, organisation__name="Acme Holdings")


def test_the_cio_compares_three_scenarios_side_by_side(page, demo):
    log_in(page, "cio", "sourcewise-demo")
    page.goto(f"/assessments/{demo.pk}/results/")
    page.get_by_role("link", name="Scenarios").click()
    page.wait_for_url(f"**/assessments/{demo.pk}/scenarios/")
    for name in ("Base", "Cautious savings", "No offshore"):
        page.get_by_label(f"Compare {name}").check()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scenario-list.png"), full_page=True)
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url("**/scenarios/compare/?*")

    page.wait_for_function(
        "() => { const el = document.getElementById('npv-overlay');"
        " return el && Array.isArray(el.data) && el.data.length === 3; }"
    )
    traces = page.evaluate("document.getElementById('npv-overlay').data.map(t => t.name)")
    assert traces == ["Base", "Cautious savings", "No offshore"]
    figures = page.locator("#figures-table")
    assert figures.get_by_role("columnheader", name="Cautious savings").is_visible()
    assert figures.get_by_role("rowheader", name="Probability NPV < 0").is_visible()
    # No offshore moves the offshore recommendations nearshore: they show as changes.
    assert "nearshore" in page.locator("#recommendation-differences").inner_text()
    assert page.locator("#roadmap-differences").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scenario-comparison.png"), full_page=True)
    assert page.console_errors == []

    with page.expect_download() as download:
        page.get_by_role("link", name="all as XLSX").click()
    assert download.value.suggested_filename.endswith("-scenarios.xlsx")


def test_one_scenario_is_refused_with_words_and_the_choice_kept(page, demo):
    log_in(page, "cio", "sourcewise-demo")
    page.goto(f"/assessments/{demo.pk}/scenarios/")
    for box in page.locator("input[name=scenarios]").all():
        box.uncheck()
    page.get_by_label("Compare No offshore").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    assert page.get_by_role("alert").inner_text().startswith("Choose 2 to 4 scenarios")
    assert page.get_by_label("Compare No offshore").is_checked()


def test_a_manager_creates_a_scenario_and_it_is_projected(page, demo):
    log_in(page, "manager", "sourcewise-demo")
    page.goto(f"/assessments/{demo.pk}/scenarios/")
    page.get_by_role("link", name="New scenario").click()
    page.get_by_label("Name").fill("Slow transitions")
    page.get_by_label("Transitions at once (at most)").fill("1")
    page.get_by_label("Gross saving (share of in-house cost), BPO, low").fill("40")
    page.get_by_label("Gross saving (share of in-house cost), BPO, mode").fill("10")
    page.get_by_label("Gross saving (share of in-house cost), BPO, high").fill("45")
    page.get_by_role("button", name="Save and project").click()
    assert "low must not be above the most likely value" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scenario-form-refused.png"), full_page=True)
    assert page.get_by_label("Name").input_value() == "Slow transitions"
    page.console_errors.clear()  # the refusal is a 400, which the console reports

    page.get_by_label("Gross saving (share of in-house cost), BPO, low").fill("5")
    page.get_by_role("button", name="Save and project").click()
    page.wait_for_url(f"**/assessments/{demo.pk}/scenarios/")
    scenario = Scenario.objects.get(assessment=demo, name="Slow transitions")
    assert scenario.changes == {
        "waves": {"max_concurrent": 1},
        "drivers": {"gross_saving": {"BPO": [0.05, 0.1, 0.45]}},
    }
    assert scenario.projections.get().status == "done"  # tasks run in-process here
    assert page.get_by_role("row", name="Slow transitions").is_visible()
    assert page.console_errors == []
