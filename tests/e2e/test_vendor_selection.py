"""Issue 5's browser flow: a manager runs vendor selection for a roadmap wave, end to end.

Create an event from a wave, accept the proposed shortlist, record two proposals, enter
two evaluators' scores for each, read the ranking and award.
"""

import re

import numpy as np
import pytest
from django.core.management import call_command

from tests.realparts import ROOT, log_in
from vendors.engine.criteria import (
    consistency_message,
    default_criteria_rows,
    inconsistent_pair_labels,
)
from vendors.engine.ranking import ahp
from vendors.models import Award, EventStatus, SourcingEvent
from vendors.selectors.events import wave_choices

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts"
EVENT = "Browser RFP for wave 1"


def _demo_has_a_wave() -> bool:
    from accounts.models import Organisation

    acme = Organisation.objects.get(name="Acme Holdings")
    return any(wave.number == 1 for wave in wave_choices(acme))


def _score(page, evaluator: str, base: int) -> None:
    page.get_by_role("link", name="Enter an evaluator's scores").click()
    page.get_by_label("Evaluator", exact=True).fill(evaluator)
    for number, field in enumerate(page.locator("#score-form input[type=number]").all()):
        field.fill(str(min(10, base + number % 3)))
    page.get_by_role("button", name="Save scores").click()
    page.wait_for_url(re.compile(r".*/proposals/\d+/$"))
    assert f"Scores of {evaluator}" in page.locator("[role=alert]").first.inner_text()


def test_a_manager_runs_vendor_selection_from_a_wave_to_an_award(
    page, live_server, transactional_db
):
    call_command("seed_demo", verbosity=0)
    if not _demo_has_a_wave():
        pytest.fail("The demo assessment has no wave 1: seed_demo did not score it.")
    log_in(page, "manager", "sourcewise-demo")

    page.get_by_role("link", name="Sourcing events").first.click()
    page.get_by_role("link", name="New sourcing event").click()
    page.get_by_label(re.compile(r"wave 1 \(ITO\)")).check()
    page.locator("#id_wave-name").fill(EVENT)
    page.get_by_role("button", name="Create event from the wave").click()
    page.wait_for_url(re.compile(r".*/vendors/events/\d+/$"))
    assert "Event created" in page.locator("[role=alert]").first.inner_text()

    shortlist = page.locator("#shortlist tbody tr[data-vendor]")
    assert shortlist.count() >= 2
    assert "Offers ITO." in page.locator("#shortlist").inner_text()
    page.get_by_role("button", name="Accept the shortlist and open the event").click()
    assert "Shortlist accepted" in page.locator("[role=alert]").first.inner_text()

    vendors = [shortlist.nth(i).get_attribute("data-vendor") for i in range(2)]
    for n, vendor in enumerate(vendors):
        row = page.locator(f'#shortlist tr[data-vendor="{vendor}"]')
        row.get_by_role("link", name="Record proposal").click()
        page.get_by_label("Annual price").fill(str(4_000_000 + 500_000 * n))
        page.get_by_label("One-time transition cost").fill("300000")
        page.get_by_label("Term (months)").fill("48")
        page.get_by_label("Proposed SLAs").fill("P1 resolved within 4 hours, 95 %")
        page.get_by_role("button", name="Save proposal").click()
        page.wait_for_url(re.compile(r".*/proposals/\d+/$"))
        _score(page, "Maya Patel", 7 - n)
        _score(page, "Tom Reyes", 6 - n)
        assert "Tom Reyes" in page.locator("#spreads").inner_text()
        page.get_by_role("link", name="Scope, shortlist and proposals").click()

    page.get_by_role("link", name="Ranking", exact=True).click()
    ranking = page.locator("#ranking tbody tr")
    assert ranking.count() == 2
    assert ranking.first.get_attribute("data-vendor") == vendors[0]
    assert ranking.first.locator(".weighted-rank").inner_text() == "1"
    assert page.locator("#sensitivity tbody tr").count() == 9
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "vendor-ranking.png"), full_page=True)

    page.get_by_role("link", name="Award the event").click()
    page.get_by_label(re.compile(rf"^{re.escape(vendors[0])}")).check()
    page.get_by_label("Rationale").fill("Best weighted score, and both methods agree.")
    # The event's deadline is weeks away: the page warns and asks why award now.
    warning = page.locator("#early-award-warning").inner_text()
    assert "deadline for proposals has not passed" in warning
    page.get_by_label("Why award before the deadline").fill("Both shortlisted vendors answered.")
    page.get_by_role("button", name="Award", exact=True).click()
    page.wait_for_load_state()

    event = SourcingEvent.objects.get(name=EVENT)
    assert event.status == EventStatus.AWARDED
    award = Award.objects.get(event=event)
    assert award.vendor.name == vendors[0]
    assert [p["vendor_name"] for p in award.snapshot["proposals"]] == vendors
    assert award.early_reason == "Both shortlisted vendors answered."
    assert page.console_errors == []


# Three pairwise judgements that contradict each other: (row, column, how much more).
JUDGEMENTS = (
    ("Cost", "Capability and expertise", 9.0),
    ("Capability and expertise", "Quality and certifications", 9.0),
    ("Cost", "Quality and certifications", 1 / 9),
)


def expected_consistency(judgements) -> str:
    """What the AHP engine says of the default criteria with ``judgements`` (every other
    pair equal): the text the live panel must show."""
    labels = [row.label for row in default_criteria_rows()]
    matrix = np.ones((len(labels), len(labels)))
    for row, column, value in judgements:
        i, j = labels.index(row), labels.index(column)
        matrix[i, j], matrix[j, i] = value, 1 / value
    result = ahp(matrix, labels=labels)
    return consistency_message(
        result.cr, inconsistent_pair_labels(result, labels), consistent=result.consistent
    )


def test_the_ahp_page_shows_weights_and_consistency_live(page, live_server, transactional_db):
    call_command("seed_demo", verbosity=0)
    log_in(page, "manager", "sourcewise-demo")
    page.goto("/vendors/criteria/")
    page.get_by_role("link", name="Default criteria").click()
    cr = page.locator("#ahp-cr")
    cr.filter(has_text="Consistency ratio 0.00").wait_for()
    assert "These are your saved judgements" not in page.locator("#ahp-status").inner_text()
    page.get_by_label("Cost compared with Capability and expertise").select_option("9")
    page.get_by_label(
        "Capability and expertise compared with Quality and certifications"
    ).select_option("9")
    page.get_by_label("Cost compared with Quality and certifications").select_option("1/9")
    # Wait for the panel to follow all three judgements: the engine's own words for them
    # (after the first one alone the panel already says "contradict each other").
    cr.filter(has_text=expected_consistency(JUDGEMENTS)).wait_for()
    live = cr.inner_text()
    assert "Revisit the comparison of" in live
    assert "Not saved yet" in page.locator("#ahp-status").inner_text()
    page.get_by_role("button", name="Save my judgements").click()
    page.wait_for_load_state()
    # The saved message names the same pair as the panel did, and the panel, reloaded
    # on the saved judgements, no longer says "Not saved yet".
    assert live in page.locator(".alert").first.inner_text()
    page.locator("#ahp-status").filter(has_text="These are your saved judgements").wait_for()
    assert cr.inner_text() == live
    assert "%" in page.locator("#ahp-weights").inner_text()
    assert page.console_errors == []
