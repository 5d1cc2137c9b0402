"""The contract page and the vendor record read a contract's scorecard rows from the cache
until one of the kinds of record they read changes (``stamped_contract_rows``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract, Issue
from contracts.selectors.scorecards import ROWS_READ, stamped_contract_rows
from contracts.selectors.stamps import STAMP_KINDS, data_stamps
from tests.contracts.builders import (
    add_worked_slas,
    make_assessment,
    make_contract,
    make_review,
)
from tests.contracts.test_relationship import issue_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(cast):
    return make_contract(cast.manager)


def page(client, name: str, pk: int) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_every_kind_the_rows_read_has_a_stamp():
    assert set(ROWS_READ) <= set(STAMP_KINDS)


def test_a_second_view_reads_the_rows_from_the_cache(cast, contract):
    client = cast.client_for("cio")
    _, first = page(client, "contracts:detail", contract.pk)
    _, second = page(client, "contracts:detail", contract.pk)
    # The seven reads of the rows (processes, credits, reviews, issues, savings, the
    # projection and forecasts) are one stamps query now.
    assert second <= first - 5


@pytest.mark.parametrize("name", ["contracts:detail", "contracts:vendor-record"])
def test_a_new_changed_or_removed_issue_shows_at_once(cast, contract, name):
    pk = contract.pk if name == "contracts:detail" else contract.vendor_id
    reader, writer = cast.client_for("cio"), cast.client_for("manager")
    assert "Root-cause report late" not in page(reader, name, pk)[0]

    response = writer.post(reverse("contracts:issue-create", args=[contract.pk]), issue_data(cast))
    assert response.status_code == 302, response.context["form"].errors
    assert "Root-cause report late" in page(reader, name, pk)[0]

    issue = Issue.objects.get()
    issue.title = "Root-cause report overdue"
    issue.save()
    shown = page(reader, name, pk)[0]
    assert "Root-cause report overdue" in shown and "Root-cause report late" not in shown

    issue.delete()
    assert "Root-cause report overdue" not in page(reader, name, pk)[0]


def test_a_registry_rename_changes_the_vendor_stamp(cast, contract):
    before = data_stamps(cast.org)
    vendor = contract.vendor
    vendor.name = "Renamed Services Ltd"
    vendor.save()
    after = data_stamps(cast.org)
    assert after["vendors"] != before["vendors"]
    assert {k: v for k, v in after.items() if k != "vendors"} == {
        k: v for k, v in before.items() if k != "vendors"
    }
    rows = stamped_contract_rows(
        cast.org,
        f"vendor:{vendor.pk}",
        Contract.objects.filter(vendor=vendor),
        timezone.localdate(),
    )
    assert [c.vendor.name for c in rows.contracts] == ["Renamed Services Ltd"]


def test_each_organisation_has_its_own_rows(cast, contract):
    """Two organisations never share a cached read, even for the same scope text."""
    other = make_contract(cast.outsider, title="Their desk")
    today = timezone.localdate()
    mine = stamped_contract_rows(cast.org, "scope", Contract.objects.filter(pk=contract.pk), today)
    theirs = stamped_contract_rows(
        cast.other_org, "scope", Contract.objects.filter(pk=other.pk), today
    )
    assert [c.title for c in mine.contracts] == ["Service desk"]
    assert [c.title for c in theirs.contracts] == ["Their desk"]


def test_a_process_added_to_the_contract_shows_at_once(cast, contract):
    """The covered processes change through the many-to-many table alone (no save of the
    contract): the contract's stamp still moves."""
    process = make_assessment(cast.manager).processes.get(name="Desktop support")
    reader = cast.client_for("cio")
    assert "Desktop support" not in page(reader, "contracts:detail", contract.pk)[0]
    contract.processes.add(process)
    assert "Desktop support" in page(reader, "contracts:detail", contract.pk)[0]
    contract.processes.remove(process)
    assert "Desktop support" not in page(reader, "contracts:detail", contract.pk)[0]


def test_an_edited_review_changes_the_reviews_stamp(cast, contract):
    """A review's ratings feed the scorecard: editing one must reach cached reads."""
    import datetime as dt

    review = make_review(contract, cast.manager.user, dt.date(2025, 3, 10))
    before = data_stamps(cast.org)["reviews"]
    review.rating_delivery = 1
    review.save()
    assert data_stamps(cast.org)["reviews"] != before


def test_the_history_follows_every_change_to_the_contract_and_its_slas(cast, contract):
    """The history is read from the cache until the contract's or an SLA's history moves:
    an edit of either, and a removed SLA, show on the next view."""
    reader = cast.client_for("cio")
    first, cold = page(reader, "contracts:detail", contract.pk)
    _, warm = page(reader, "contracts:detail", contract.pk)
    assert warm < cold  # the history's reads are one stamp now (with the rows')

    title = contract.title
    contract.title = "Service desk (renegotiated)"
    contract.save()
    assert (
        f"{title} → Service desk (renegotiated)" in page(reader, "contracts:detail", contract.pk)[0]
    )

    sla = add_worked_slas(contract)["Availability"]
    assert "SLA “Availability” created" in page(reader, "contracts:detail", contract.pk)[0]
    sla.name = "Availability (24x7)"
    sla.save()
    shown = page(reader, "contracts:detail", contract.pk)[0]
    assert "Availability → Availability (24x7)" in shown
    assert "SLA “Availability (24x7)” deleted" not in shown
    sla.delete()
    assert "SLA “Availability (24x7)” deleted" in page(reader, "contracts:detail", contract.pk)[0]
