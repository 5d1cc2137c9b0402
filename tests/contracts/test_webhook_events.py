"""Contract events reach the organisation's webhooks once, each with what happened."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.webhooks.models import Delivery, Subscription
from contracts import services
from tests.contracts.builders import add_worked_slas, make_contract, measure, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(cast):
    """Every contract event, to an address nothing listens on: the log is what we read."""
    return Subscription.objects.create(
        organisation=cast.org,
        url="http://127.0.0.1:9/hooks",
        secret="whsec_t",
        events=["sla.breached", "credit.computed", "renewal.notice_due"],
    )


def announced(event: str) -> list[dict]:
    return [d.payload["data"] for d in Delivery.objects.filter(event=event).order_by("pk")]


def test_computed_credits_and_last_months_breaches_are_announced_once(cast, subscribed):
    contract = make_contract(cast.manager, title="Service desk")
    add_worked_slas(contract)
    measure(contract, month(2), {"Availability": 99.6, "Response hours": 5})
    computed = announced("credit.computed")
    assert [c["contract"] for c in computed] == [contract.pk] and computed[0]["months"] == 1
    services.sla_breaches_check(today=dt.date(2025, 4, 10))
    services.sla_breaches_check(today=dt.date(2025, 4, 10))
    breaches = announced("sla.breached")
    assert len(breaches) == 1 and breaches[0]["contract"] == contract.pk
    assert breaches[0]["date"] == month(2).isoformat()


def test_a_notice_deadline_is_announced_once_per_threshold(cast, subscribed):
    contract = make_contract(
        cast.manager,
        title="Network services",
        start=dt.date(2025, 7, 1),
        end=dt.date(2026, 6, 30),
        notice_days=90,
    )
    for today in (dt.date(2026, 1, 11), dt.date(2026, 1, 12)):
        services.renewal_notices_send(today=today)
    due = announced("renewal.notice_due")
    assert [(d["contract"], d["kind"]) for d in due] == [(contract.pk, "notice_90")]


def test_other_organisations_hear_nothing_of_it(cast, subscribed):
    theirs = make_contract(
        cast.outsider,
        title="Theirs",
        start=dt.date(2025, 7, 1),
        end=dt.date(2026, 6, 30),
        notice_days=90,
    )
    services.renewal_notices_send(today=dt.date(2026, 1, 11))
    assert announced("renewal.notice_due") == []
    assert theirs.organisation_id != subscribed.organisation_id
