"""In a real browser: a manager fills in a contract's exit plan, a mistake is refused with
what was typed kept, and the score and its reasons change once it is saved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from tests.contracts.builders import make_contract
from tests.factories import PASSWORD
from tests.realparts import log_in

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_manager_fills_in_the_exit_plan_and_the_score_rises(page, cast, transactional_db):
    today = timezone.localdate()
    contract = make_contract(
        cast.manager,
        title="Accounts payable processing",
        model="BPO",
        start=today - dt.timedelta(days=700),
        end=today + dt.timedelta(days=150),
        notice_days=90,
    )
    log_in(page, "a-manager", PASSWORD)
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_role("link", name="See the exit plan and every reason").click()
    page.wait_for_url(f"**/contracts/{contract.pk}/exit/")
    assert page.locator('[data-figure="exit-score"]').inner_text() == "0/100"
    reasons = page.locator("[data-reasons]").inner_text()
    assert "The contract's termination terms are empty" in reasons
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "exit-plan-default.png"), full_page=True)

    page.get_by_role("link", name="Edit the exit plan").click()
    for label in ("Knowledge transfer", "Data return format", "Parallel run"):
        page.get_by_label(f"{label}: Status").select_option("done")
    page.get_by_label("Termination assistance clause: Status").select_option("partial")
    page.get_by_label("People and re-badging: Status").select_option("not_applicable")
    page.get_by_label("Data return format: Notes").fill("CSV extracts, monthly")
    page.get_by_label("Parallel run: Due date").fill("1899-01-01")
    page.get_by_role("button", name="Save the exit plan").click()
    assert "Nothing was saved" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Data return format: Notes").input_value() == "CSV extracts, monthly"
    assert page.get_by_label("Knowledge transfer: Status").input_value() == "done"
    page.screenshot(path=str(ARTIFACTS / "exit-plan-form-error.png"), full_page=True)

    page.get_by_label("Parallel run: Due date").fill(f"{today + dt.timedelta(days=60):%Y-%m-%d}")
    page.get_by_role("button", name="Save the exit plan").click()
    page.wait_for_url(f"**/contracts/{contract.pk}/exit/")
    # Of 6 applicable items: 4 done (notice period was already), 1 partly done, tooling
    # missing: 100 x 4.5 / 6 = 75, less 15 for the empty termination terms and 10 for a
    # 90-day notice against a 6-month BPO exit: 50.
    assert page.locator('[data-figure="exit-score"]').inner_text() == "50/100"
    assert "Exit plan saved." in page.get_by_role("alert").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "exit-plan-saved.png"), full_page=True)
    # The refused form answered 400, which the browser logs; nothing else went wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
