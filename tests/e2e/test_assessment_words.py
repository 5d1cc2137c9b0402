"""Issue 14 in the browser, for the assessment and vendor-selection pages: drafts keep
partial answers, Remove asks first, a submitted assessment offers Reopen, glossary popovers
open from the keyboard, the what-if axis holds its bars, and vendor-form lists grow in
the page. Screenshots go to test-artifacts/ux-assess/."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation
from assessments.demo import DEMO_ASSESSMENT
from assessments.models import Assessment, Process, Status
from tests.realparts import ROOT, log_in

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts" / "ux-assess"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)
    return Organisation.objects.get(name="Acme Holdings")


def draft_with_two_processes(organisation) -> Assessment:
    submitted = Assessment.objects.get(organisation=organisation, name=DEMO_ASSESSMENT)
    draft = Assessment.objects.create(
        organisation=organisation,
        owner=submitted.owner,
        name="Browser draft",
        objectives=["cost_reduction", "access_to_skills"],
        home_country=submitted.home_country,
        currency=submitted.currency,
    )
    for position, name in enumerate(("Visitor reception", "Mail room"), start=1):
        Process.objects.create(
            assessment=draft, position=position, name=name, annual_cost=150_000, fte=2
        )
    return draft


def test_a_manager_saves_a_partial_questionnaire_and_removes_a_process_after_asking(page, demo):
    draft = draft_with_two_processes(demo)
    log_in(page, "manager", "sourcewise-demo")
    page.goto(reverse("assessments:questionnaire", args=[draft.pk]))
    groups = page.get_by_role("radiogroup").all()
    assert len(groups) == 11
    for group in groups[:6]:
        group.locator("label", has_text="4").first.click()
    page.get_by_role("button", name="Save and next").click()
    page.wait_for_url(re.compile(r".*\?process=\d+$"))
    alert = page.locator(".alert-warning").first.inner_text()
    assert "Saved 6 of 11 answers for \u201cVisitor reception\u201d as a draft" in alert
    assert "Still to answer: Customer contact, On-site need" in alert
    page.get_by_role("link", name=re.compile("Visitor reception")).click()
    assert page.locator("input[type=radio]:checked").count() == 6
    assert page.locator("#still-to-answer").is_visible()
    shot(page, "questionnaire-draft")
    page.goto(reverse("assessments:review", args=[draft.pk]))
    assert "Cost reduction, Access to skills" in page.locator("dl").first.inner_text()
    assert page.get_by_role("button", name="Submit assessment").is_disabled()
    shot(page, "review")

    page.goto(reverse("assessments:inventory", args=[draft.pk]))
    page.get_by_role("link", name="Remove Mail room").click()
    question = page.locator("#remove-heading").inner_text()
    assert question == "Remove \u201cMail room\u201d from this assessment?"
    shot(page, "remove-confirm")
    page.get_by_role("link", name="Keep it").click()
    assert draft.processes.filter(name="Mail room").exists()
    page.get_by_role("link", name="Remove Mail room").click()
    page.get_by_role("button", name="Remove \u201cMail room\u201d").click()
    page.wait_for_url(re.compile(r".*/inventory/$"))
    assert not draft.processes.filter(name="Mail room").exists()
    assert page.console_errors == []


def test_a_submitted_assessment_offers_reopen_where_it_refuses_changes(page, demo):
    assessment = Assessment.objects.get(organisation=demo, name=DEMO_ASSESSMENT)
    log_in(page, "manager", "sourcewise-demo")
    response = page.goto(reverse("assessments:review", args=[assessment.pk]))
    assert response.status == 403
    assert "Reopen it to change it" in page.locator("main").inner_text()
    assert "ask your" not in page.locator("main").inner_text().lower()
    shot(page, "submitted-403")
    page.get_by_role("button", name="Reopen to change it").click()
    page.wait_for_url(re.compile(r".*/inventory/$"))
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_the_results_explain_low_confidence_and_terms_from_the_keyboard(page, demo):
    assessment = Assessment.objects.get(organisation=demo, name=DEMO_ASSESSMENT)
    log_in(page, "cio", "sourcewise-demo")
    page.goto(reverse("assessments:results", args=[assessment.pk]))
    table = page.locator("#recommendations-table").inner_text()
    assert "Low confidence" in table and "leads" in table
    term = page.locator("#recommendations-table summary").first
    popover = page.locator("#recommendations-table .glossary-popover").first
    assert not popover.is_visible()
    term.focus()
    page.keyboard.press("Enter")
    popover.wait_for(state="visible")
    assert "lead of the best model over the second best" in popover.inner_text()
    shot(page, "results-glossary")
    popover.get_by_role("link", name="The glossary").click()
    page.wait_for_url(re.compile(r".*/glossary/#confidence$"))
    assert "Consistency ratio (CR)" in page.locator("main").inner_text()
    shot(page, "glossary")
    assert page.console_errors == []


def test_the_what_if_bars_stay_inside_their_axis(page, demo):
    assessment = Assessment.objects.get(organisation=demo, name=DEMO_ASSESSMENT)
    process = assessment.processes.order_by("position").first()
    log_in(page, "manager", "sourcewise-demo")
    page.goto(reverse("assessments:process-detail", args=[assessment.pk, process.pk]))
    # Push every answer to the end that favours BPO, as far as the scale goes.
    favour_bpo = {
        "strategic_importance": "1", "standardisation": "5", "volume": "5",
        "knowledge_intensity": "1", "technology_intensity": "1", "data_sensitivity": "1",
        "onsite_need": "1", "capability_gap": "5", "demand_variability": "5",
        "interdependence": "1",
    }  # fmt: skip
    for key, value in favour_bpo.items():
        with page.expect_response(re.compile(r".*/what-if\.json$")):
            page.locator(f"#what-if-{key}").select_option(value)
    page.locator("[data-what-if=scores]").filter(has_text="BPO").wait_for()
    scores = page.locator("[data-what-if=scores]").inner_text()
    bpo = float(re.search(r"BPO[^:]*: ([-\d.]+)", scores).group(1))
    assert bpo > 1  # beyond the old, wrong "-1 to +1"
    low, high = page.evaluate("document.getElementById('what-if-chart').layout.yaxis.range")
    assert low <= -1.6 and high >= 1.6 and bpo <= high
    shot(page, "process-what-if")
    assert page.console_errors == []


def log_in_admin(page) -> None:
    """The admin passes a second factor: give them an authenticator app to read."""
    admin = get_user_model().objects.get(username="admin")
    device = TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)
    log_in(page, "admin", "sourcewise-demo")
    page.wait_for_url("**/accounts/mfa/verify/**")
    page.get_by_label("Code").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/mfa" not in url)


def test_the_vendor_form_adds_rows_without_saving(page, demo):
    log_in_admin(page)
    page.goto(reverse("vendors:vendor-create"))
    languages = page.locator('[data-formset="languages"] [data-formset-row]')
    assert languages.count() == 2
    page.get_by_role("button", name="Add a language").click()
    page.get_by_role("button", name="Add a language").click()
    assert languages.count() == 4
    assert page.locator("#id_languages-TOTAL_FORMS").input_value() == "4"
    assert page.evaluate("document.activeElement.name") == "languages-3-language"
    page.get_by_role("button", name="Add a delivery centre").click()
    assert page.locator('[data-formset="centres"] [data-formset-row]').count() == 3
    shot(page, "vendor-form-rows")
    assert page.console_errors == []
