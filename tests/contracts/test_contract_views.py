"""Creating and editing contracts, the draft made from an award, history, the contract page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract, ContractStatus, ServiceCredit
from tests.contracts.builders import (
    add_worked_slas,
    make_assessment,
    make_award,
    make_contract,
    make_vendor,
    measure,
    month,
)

pytestmark = pytest.mark.django_db


def form_data(cast, **changes) -> dict:
    vendor = make_vendor()
    data = {
        "title": "Payroll BPO",
        "reference": "C-2025-7",
        "vendor": vendor.pk,
        "model": "BPO",
        "location": "nearshore",
        "start_date": "2025-04-01",
        "end_date": "2028-03-31",
        "annual_value": "480000",
        "currency": "gbp",
        "payment_terms": "30 days net",
        "renewal_type": "auto_renew",
        "renewal_term_months": "12",
        "notice_days": "90",
        "termination_terms": "",
        "owner": cast.manager.user.pk,
        "status": "active",
        "at_risk_pct": "12",
        "baseline_annual_cost": "",
        "ramp_months": "6",
    }
    data.update(changes)
    return data


def test_a_manager_creates_a_contract_and_lands_on_its_page(cast):
    response = cast.client_for("manager").post(reverse("contracts:create"), form_data(cast))
    contract = Contract.objects.get(title="Payroll BPO")
    assert response.url == reverse("contracts:detail", args=[contract.pk])
    assert contract.organisation == cast.org and contract.currency == "GBP"
    assert contract.annual_value == Decimal("480000") and contract.notice_days == 90
    assert contract.monthly_fee == Decimal("40000.00")
    assert contract.at_risk_amount == Decimal("4800.00")
    record = contract.history.get()
    assert record.history_type == "+" and record.history_user == cast.manager.user


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": "2025-03-01"}, "is before the start date"),
        ({"end_date": "2025-05-31", "notice_days": "90"}, "longer than the term itself"),
        ({"annual_value": "-5"}, "greater than or equal to 0.01"),
        ({"at_risk_pct": "0"}, "greater than or equal to 0.01"),
        ({"baseline_annual_cost": "-1"}, "greater than or equal to 0"),
        ({"currency": "gb1"}, "is not an ISO 4217 currency code"),
        ({"currency": "pounds"}, "For pound sterling, enter GBP"),
        ({"start_date": "31/02/2025"}, "Enter a valid date"),
    ],
)
def test_bad_terms_are_refused_in_words_keep_what_was_typed_and_save_nothing(
    cast, changes, message
):
    response = cast.client_for("manager").post(
        reverse("contracts:create"), form_data(cast, **changes)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Payroll BPO"' in page and 'value="C-2025-7"' in page
    assert not Contract.objects.exists()


def test_processes_must_come_from_one_assessment(cast):
    first = make_assessment(cast.manager)
    second = make_assessment(cast.manager)
    picked = [first.processes.first().pk, second.processes.first().pk]
    response = cast.client_for("manager").post(
        reverse("contracts:create"), form_data(cast, processes=picked)
    )
    assert "Pick processes from one assessment." in response.content.decode()
    assert not Contract.objects.exists()


def test_another_organisations_processes_cannot_be_picked(cast):
    theirs = make_assessment(cast.outsider).processes.first()
    response = cast.client_for("manager").post(
        reverse("contracts:create"), form_data(cast, processes=[theirs.pk])
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Contract.objects.exists()


def test_editing_keeps_who_changed_what_and_when_and_shows_it(cast):
    contract = make_contract(cast.manager, title="Service desk")
    client = cast.client_for("admin")
    data = form_data(
        cast,
        title="Service desk (renegotiated)",
        vendor=contract.vendor_id,
        annual_value="1100000",
        notice_days="60",
    )
    response = client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "Service desk (renegotiated)" and contract.notice_days == 60
    latest = contract.history.first()
    assert latest.history_type == "~" and latest.history_user == cast.admin.user
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert {"title", "annual_value", "notice_days"} <= changed
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Service desk → Service desk (renegotiated)" in page
    assert "90 → 60" in page


def test_a_rejected_edit_changes_nothing(cast):
    contract = make_contract(cast.manager, title="Service desk")
    response = cast.client_for("manager").post(
        reverse("contracts:edit", args=[contract.pk]),
        form_data(cast, title="Renamed", end_date="2024-01-01"),
    )
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.title == "Service desk" and contract.history.count() == 1


def test_changing_the_fee_recomputes_the_credits(cast):
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    measure(contract, month(0), {"Availability": 99.6, "Response hours": 5, "CSAT": 80})
    assert ServiceCredit.objects.get(contract=contract).total == Decimal("12000.00")
    data = form_data(
        cast,
        title=contract.title,
        vendor=contract.vendor_id,
        start_date="2025-01-01",
        end_date="2027-12-31",
        annual_value="600000",
    )
    cast.client_for("manager").post(reverse("contracts:edit", args=[contract.pk]), data)
    assert ServiceCredit.objects.get(contract=contract).total == Decimal("6000.00")


def test_the_award_page_asks_before_drafting_a_contract(cast):
    award = make_award(cast.manager)
    response = cast.client_for("manager").get(reverse("contracts:new-from-award", args=[award.pk]))
    assert response.status_code == 200
    assert "Create the draft contract" in response.content.decode()
    assert not Contract.objects.exists()


def test_an_award_becomes_one_draft_contract_prefilled_from_the_winning_proposal(cast):
    award = make_award(cast.manager, term_months=36, planned_start=dt.date(2026, 3, 1))
    client = cast.client_for("manager")
    address = reverse("contracts:new-from-award", args=[award.pk])
    response = client.post(address)
    contract = Contract.objects.get()
    assert response.url == reverse("contracts:edit", args=[contract.pk])
    assert contract.status == ContractStatus.DRAFT and contract.award == award
    assert contract.vendor == award.vendor and contract.sourcing_event == award.event
    assert contract.model == "ITO" and contract.location == "nearshore"
    assert contract.annual_value == Decimal("1450000.00") and contract.currency == "GBP"
    assert (contract.start_date, contract.end_date) == (dt.date(2026, 3, 1), dt.date(2029, 2, 28))
    assert {p.name for p in contract.processes.all()} == {"Service desk", "Desktop support"}
    assert contract.owner == cast.manager.user
    again = client.post(address)
    assert again.url == reverse("contracts:detail", args=[contract.pk])
    assert Contract.objects.count() == 1
    assert client.get(address).url == reverse("contracts:detail", args=[contract.pk])


def test_a_short_awarded_term_gets_a_notice_period_that_fits(cast):
    award = make_award(cast.manager, term_months=1, planned_start=dt.date(2026, 2, 1))
    cast.client_for("manager").post(reverse("contracts:new-from-award", args=[award.pk]))
    contract = Contract.objects.get()
    assert contract.end_date == dt.date(2026, 2, 28) and contract.notice_days == 28


def test_the_contract_page_shows_credits_per_month_and_in_total(cast):
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    measure(contract, month(0), {"Availability": 99.6, "Response hours": 5, "CSAT": 80})
    measure(contract, month(1), {"Availability": 98.5, "Response hours": 3, "CSAT": 70})
    page = (
        cast.client_for("cio").get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    )
    assert "Jan 2025" in page and "Feb 2025" in page
    assert 'id="credit-total">GBP 24,000.00' in page
    assert "capped" in page


def test_the_contract_page_query_count_does_not_grow_with_measurements(cast):
    def count(months: int) -> int:
        contract = make_contract(cast.manager, title=f"Contract {months}")
        add_worked_slas(contract)
        for index in range(months):
            measure(
                contract,
                month(index),
                {"Availability": 99.6 if index % 5 else 98.0, "Response hours": 3, "CSAT": 88},
            )
        client = cast.client_for("manager")
        address = reverse("contracts:detail", args=[contract.pk])
        client.get(address)  # warm caches that are not per request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    assert count(12) == count(24)


def test_awarding_an_event_leads_to_the_draft_contract(cast):
    from tests.vendors.factories import proposal_of, scored_event

    event = scored_event(cast)
    client = cast.client_for("manager")
    response = client.post(
        reverse("vendors:event-award", kwargs={"pk": event.pk}),
        {"proposal": str(proposal_of(event, "Gamma Digital").pk), "rationale": "Local team"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "contracts:new-from-award", args=[event.award.pk]
    )
    assert "Create the draft contract" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0])
    contract = Contract.objects.get(award=event.award)
    assert response.url == reverse("contracts:edit", args=[contract.pk])
    assert contract.vendor.name == "Gamma Digital"
    assert contract.annual_value == Decimal("6000000") and contract.model == "ITO"
    assert contract.processes.count() == event.scope.count()


def test_the_list_and_the_contract_page_show_the_same_labelled_credits(cast):
    # The worked example: 12,000 in each of January and February; February's credits
    # are earned back by three met months, January's CSAT credit is not.
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    for index, (availability, response, csat) in enumerate(
        [(99.6, 5, 80), (98.5, 3, 70), (99.7, 3, 90), (99.7, 3, 90), (99.7, 3, 90)]
    ):
        measure(
            contract,
            month(index),
            {"Availability": availability, "Response hours": response, "CSAT": csat},
        )
    client = cast.client_for("cio")
    listing = client.get(reverse("contracts:list")).content.decode()
    assert "Service credits (gross)" in listing and "Credits net of earn-back" in listing
    row = listing[listing.index(contract.title) :]
    row = row[: row.index("</tr>")]
    assert row.index("GBP 24,000.00") < row.index("GBP 12,000.00")  # gross, then net
    assert "12,000.00 earned back" in row
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Service credits (gross)" in page and "net of earn-back" in page
    assert 'id="credit-total">GBP 24,000.00' in page
    assert 'id="credit-earned-back">GBP 12,000.00' in page
    assert 'id="credit-net">GBP 12,000.00' in page


def test_a_contract_without_credits_lists_no_credit_figures(cast):
    make_contract(cast.manager, title="Not measured yet")
    listing = cast.client_for("cio").get(reverse("contracts:list")).content.decode()
    row = listing[listing.index("Not measured yet") :]
    row = row[: row.index("</tr>")]
    assert "GBP 0.00" not in row and row.count("–") >= 2
