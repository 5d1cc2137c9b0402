"""The demo reads like a real organisation's: each vendor's lines of business cover its
contract, each contract has issues of its own, actions stay inside their organisation, and
realised savings follow a plausible course."""

import pytest
from django.utils import timezone

from accounts.models import Membership
from contracts.models import Contract, ImprovementAction, Issue
from contracts.selectors.savings import covered_processes, savings_summary
from vendors.engine.shortlist import SERVICE_LINES

pytestmark = pytest.mark.django_db
MODEL_OF_LINE = {line.code: line.model for line in SERVICE_LINES}


@pytest.fixture
def demo(module_demo):
    """The demo, seeded once for the module (tests/conftest.py)."""


def test_each_contracts_vendor_has_a_line_of_business_for_its_model(demo):
    for contract in Contract.objects.select_related("vendor"):
        lines = set(contract.vendor.service_lines.values_list("code", flat=True))
        models = {MODEL_OF_LINE[code] for code in lines}
        assert contract.model in models, (contract.title, contract.vendor.name, lines)


def test_the_market_research_panel_goes_to_a_market_research_firm(demo):
    contract = Contract.objects.get(title="Market research panel")
    assert "market_research" in set(contract.vendor.service_lines.values_list("code", flat=True))


def test_no_two_contracts_share_an_issue(demo):
    titles = list(Issue.objects.values_list("title", flat=True))
    assert titles and len(titles) == len(set(titles))
    live = Contract.objects.live()
    assert all(Issue.objects.filter(contract=c).exists() for c in live)


def test_every_action_is_owned_by_someone_of_the_contracts_organisation(demo):
    for action in ImprovementAction.objects.select_related("contract"):
        assert Membership.objects.filter(
            user=action.owner, organisation=action.contract.organisation
        ).exists(), (action.description, action.owner.username)


def test_savings_start_low_through_the_transition_then_settle(demo):
    today = timezone.localdate()
    desk = Contract.objects.get(title="Service desk and end-user support")
    rows = savings_summary(desk, covered_processes(desk), today).rows
    first, settled = rows[0]["realised"], rows[12]["realised"]
    assert first is not None and settled is not None and first < settled
    assert sum(r["realised"] for r in rows) > 0
    network = Contract.objects.get(title="Network infrastructure management")
    summary = savings_summary(network, covered_processes(network), today)
    # Change requests eat the saving: the page flags it.
    assert summary.no_financial_difference
