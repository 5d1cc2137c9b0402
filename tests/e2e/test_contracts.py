"""In a real browser: a manager records a month with a breach and sees the credit; a CIO
opens the renewals page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.contracts.builders import add_worked_slas, make_contract
from tests.factories import PASSWORD
from tests.realparts import log_in

pytestmark = pytest.mark.e2e


def test_a_manager_records_a_month_with_one_breach_and_sees_the_credit(
    page, cast, transactional_db
):
    contract = make_contract(cast.manager, title="Service desk and end-user support")
    add_worked_slas(contract)
    log_in(page, "a-manager", PASSWORD)
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_role("link", name="Record measurements").click()
    page.get_by_label("Month").fill("2025-03")
    page.get_by_label("Availability").fill("99.7")
    page.get_by_label("Response hours").fill("5.5")  # target 4 hours: a breach
    page.get_by_label("CSAT").fill("91")
    page.get_by_role("button", name="Save measurements").click()
    page.wait_for_url(f"**/contracts/{contract.pk}/#credits")
    alert = page.get_by_role("alert").first
    assert "Mar 2025: 1 breach, service credit GBP 4,800.00." in alert.inner_text()
    assert page.locator("#credit-total").inner_text() == "GBP 4,800.00"
    credits = page.get_by_role("table", name="Credits per month")
    row = credits.get_by_role("row").filter(has_text="Mar 2025")
    assert "4,800.00" in row.inner_text()
    page.locator("#credits-chart .main-svg").first.wait_for()
    assert page.console_errors == []


def test_a_cio_opens_the_renewals_page(page, cast, transactional_db):
    today = timezone.localdate()
    make_contract(
        cast.manager,
        title="Network infrastructure management",
        start=today - dt.timedelta(days=700),
        end=today + dt.timedelta(days=100),
        notice_days=60,
    )
    log_in(page, "a-cio", PASSWORD)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Renewals"
    ).click()
    page.wait_for_url("**/contracts/renewals/")
    assert page.get_by_role("heading", name="Renewals and notice deadlines").is_visible()
    row = page.get_by_role("row").filter(has_text="Network infrastructure management")
    text = row.inner_text()
    assert "Notice deadline in 40 days" in text
    assert "renegotiate, re-tender or give notice" in text
    assert page.console_errors == []
