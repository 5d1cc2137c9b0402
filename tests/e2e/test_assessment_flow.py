"""Issue 3's browser flow: create, import the template, answer one process, submit, read."""

import pytest
from django.core.management import call_command

from tests.realparts import log_in

pytestmark = pytest.mark.e2e


def test_a_manager_assesses_processes_from_the_template_to_the_roadmap(
    page, transactional_db, tmp_path
):
    call_command("seed_demo", verbosity=0)
    log_in(page, "manager", "sourcewise-demo")

    page.get_by_role("link", name="Assessments").first.click()
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Name").fill("Browser review")
    page.get_by_label("Cost reduction").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/inventory/")

    with page.expect_download() as download:
        page.get_by_role("link", name="template file").click()
    template = tmp_path / "template.csv"
    download.value.save_as(template)
    page.get_by_label("Inventory file (CSV or XLSX)").set_input_files(str(template))
    page.get_by_role("button", name="Import file").click()
    assert "Imported" in page.locator("[role=alert]").first.inner_text()

    page.get_by_label("Name").fill("Visitor reception")
    page.get_by_label("Annual in-house cost").fill("180000")
    page.get_by_role("button", name="Add process").click()
    page.get_by_role("link", name="Continue to the questionnaire").click()

    page.get_by_role("link", name="Visitor reception").click()
    for group in page.get_by_role("radiogroup").all():
        group.locator("label", has_text="4").first.click()
    page.get_by_role("button", name="Save and review").click()
    page.wait_for_url("**/review/")

    page.get_by_role("button", name="Submit assessment").click()
    page.wait_for_url("**/results/")
    table = page.get_by_role("table").first
    assert "Visitor reception" in table.inner_text()
    assert "Payroll processing" in table.inner_text()

    page.get_by_role("link", name="Roadmap").first.click()
    page.wait_for_url("**/roadmap/")
    page.locator(".js-plotly-plot").first.wait_for()
    assert page.console_errors == []
