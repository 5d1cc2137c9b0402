"""Contract pages in plain words: a credit names its own month, counts read in the right
number, a future month is "still to come", and the savings against plan read as a table."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.contracts.builders import add_worked_slas, make_contract, measure, month
from tests.contracts.test_measurements import record
from tests.dashboard.test_dashboard import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(cast):
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    return contract


def test_a_credit_names_its_own_month_apart_from_the_change_that_recomputed_it(cast, contract):
    client = cast.client_for("manager")
    measure(contract, month(7), {"Availability": 99.0, "Response hours": 5, "CSAT": 80})
    record(client, contract, "2025-11", availability="99.6", csat="88")
    text = page_text(client.get(reverse("contracts:credit-detail", args=[contract.pk, 2025, 8])))
    assert "Service credit for August 2025" in text
    assert "The credit for August 2025 was last worked out on" in text
    assert "Every change to the contract recomputes all its months" in text
    assert "that recomputation followed: 2 measurements recorded for Nov 2025 (form)" in text
    assert "measurement(s)" not in text


def test_one_measurement_reads_in_the_singular(cast, contract):
    client = cast.client_for("manager")
    record(client, contract, "2025-03", csat="88")
    text = page_text(client.get(reverse("contracts:credit-detail", args=[contract.pk, 2025, 3])))
    assert "1 measurement recorded for Mar 2025 (form)" in text


def test_a_month_to_come_is_refused_in_plain_words(cast):
    contract = make_contract(cast.manager, start=dt.date(2025, 1, 1), end=dt.date(2099, 12, 31))
    add_worked_slas(contract)
    text = page_text(record(cast.client_for("manager"), contract, "2099-01", availability="99"))
    assert "Jan 2099 is still to come: record a month once it has begun." in text
    assert "Unknown period" not in text and "has not happened yet" not in text
