"""A manager sets a scenario's scoring weights in the browser: an off-grid weight is
refused in words with everything typed kept, and once corrected the scenario is saved,
described in words and rescored."""

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


def test_a_manager_changes_a_scoring_weight(page, demo):
    log_in(page, "manager", "sourcewise-demo")
    page.goto(f"/assessments/{demo.pk}/scenarios/new/")
    page.get_by_label("Name").fill("IT as a service")
    weight = page.get_by_label("Weight of Technology intensity for BPO")
    assert weight.get_attribute("placeholder") == "-0.20"
    weight.fill("0.33")
    page.get_by_role("button", name="Save and project").click()
    assert "weights go in steps of 0.05" in page.content()
    assert weight.input_value() == "0.33"
    assert page.get_by_label("Name").input_value() == "IT as a service"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#weight-grid").screenshot(path=str(ARTIFACTS / "scenario-weights-refused.png"))
    page.console_errors.clear()  # the refusal is a 400, which the console reports

    weight.fill("0.40")
    page.get_by_role("button", name="Save and project").click()
    page.wait_for_url(f"**/assessments/{demo.pk}/scenarios/*")
    scenario = Scenario.objects.get(assessment=demo, name="IT as a service")
    assert scenario.changes == {"weights": {"technology_intensity": {"BPO": 0.4}}}
    page.goto(f"/assessments/{demo.pk}/scenarios/")
    assert "Scoring weight of technology intensity for BPO: +0.40" in page.content()
    page.screenshot(path=str(ARTIFACTS / "scenario-weights-list.png"), full_page=True)

    base = demo.scenarios.get(is_base=True)
    page.goto(
        f"/assessments/{demo.pk}/scenarios/compare/?scenarios={base.pk}&scenarios={scenario.pk}"
    )
    # The rescored recommendations show as changes: some IT work goes to a BPO provider.
    changes = page.locator("#recommendation-differences").inner_text()
    assert "BPO" in changes
    page.screenshot(path=str(ARTIFACTS / "scenario-weights-comparison.png"), full_page=True)
    assert page.console_errors == []
