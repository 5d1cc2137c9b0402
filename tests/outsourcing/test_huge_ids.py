"""Posted ids no record could have are an invalid choice with a message, never a 500.

SQLite cannot compare a 20-digit number with an integer column, so without a check the
database raised OverflowError in the middle of validation.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from tests.contracts.builders import make_contract, make_vendor
from tests.vendors.factories import make_assessment
from vendors.models import SourcingEvent

pytestmark = pytest.mark.django_db
IMPOSSIBLE = ["99999999999999999999", "9223372036854775808", "-1", "1e3", "abc"]


@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_an_impossible_process_id_on_a_new_event_is_refused_in_words(cast, value):
    assessment = make_assessment(cast.org, cast.manager.user)
    today = timezone.localdate()
    response = cast.client_for("manager").post(
        reverse("vendors:event-create"),
        {
            "source": "processes",
            "pick-processes": [assessment.processes.first().pk, value],
            "pick-model": "ITO",
            "pick-name": "Huge",
            "pick-criteria_set": "",
            "pick-deadline": (today + timedelta(days=30)).isoformat(),
            "pick-planned_start": (today + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code in (200, 400)
    assert "valid choice" in response.content.decode()
    assert not SourcingEvent.objects.exists()


def contract_data(cast, **changes) -> dict:
    data = {
        "title": "Payroll BPO",
        "reference": "C-1",
        "vendor": make_vendor().pk,
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


@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_an_impossible_process_id_on_a_new_contract_keeps_what_was_typed(cast, value):
    response = cast.client_for("manager").post(
        reverse("contracts:create"), contract_data(cast, processes=[value])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "valid choice" in page and 'value="Payroll BPO"' in page
    assert not Contract.objects.exists()


def test_an_impossible_process_id_on_a_contract_edit_changes_nothing(cast):
    contract = make_contract(cast.manager, title="Service desk")
    response = cast.client_for("manager").post(
        reverse("contracts:edit", args=[contract.pk]),
        contract_data(cast, title="Renamed", processes=["99999999999999999999"]),
    )
    assert response.status_code == 200
    assert "valid choice" in response.content.decode()
    contract.refresh_from_db()
    assert contract.title == "Service desk"
