"""The demo contracts: Acme's with a year and more of data, Globex's small one; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from contracts.demo import seed_contracts
from contracts.models import (
    Contract,
    GovernanceReview,
    ImprovementAction,
    Issue,
    Measurement,
    RealisedSaving,
    ServiceCredit,
)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Contract,
            Measurement,
            ServiceCredit,
            GovernanceReview,
            Issue,
            ImprovementAction,
            RealisedSaving,
        )
    )


@pytest.mark.django_db
def test_the_demo_seeds_contracts_with_history_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    acme = Contract.objects.filter(organisation__name="Acme Holdings")
    assert 3 <= acme.count() <= 5
    assert Contract.objects.filter(organisation__name="Globex").count() == 1
    live = acme.live()
    for contract in live:
        months = ServiceCredit.objects.filter(contract=contract).count()
        assert months >= 12, contract
        assert contract.slas.exists() and contract.processes.exists()
    assert ServiceCredit.objects.filter(contract__in=live, breaches__gt=0).count() >= 5
    assert ServiceCredit.objects.filter(contract__in=live, critical__gt=0).exists()
    assert any(today <= c.notice_deadline <= today + dt.timedelta(days=90) for c in live)
    assert Issue.objects.overdue(today).filter(contract__in=live).exists()
    assert RealisedSaving.objects.filter(contract__in=live).count() >= 36
    before = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == before


@pytest.mark.django_db
def test_without_organisations_or_vendors_the_demo_creates_nothing():
    assert seed_contracts({}) == []
    assert not Contract.objects.exists()
