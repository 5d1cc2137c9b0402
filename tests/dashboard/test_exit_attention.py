"""The dashboard's "needs attention" and the board pack list the live contracts near
renewal whose exit readiness is low, each linked to its exit plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.engine.exit_readiness import ITEM_KEYS
from contracts.models import Contract
from contracts.services.exit_plans import exit_plan_save
from outsourcing.dashboard.boardpacks.summary import headline_figures, top_risks
from outsourcing.dashboard.selectors import DashboardFilters, dashboard_data
from tests.dashboard.test_dashboard import add_contract, page_text, submitted

pytestmark = pytest.mark.django_db


def ready(contract, user) -> None:
    """Save a plan with every item done."""
    exit_plan_save(
        contract=contract,
        items=[{"key": key, "status": "done", "owner": user, "due_on": None} for key in ITEM_KEYS],
        notes="",
        user=user,
        today=timezone.localdate(),
    )


@pytest.fixture
def contracts(cast):
    """Three live contracts: two whose notice falls due within 180 days (one with a plan
    that is done), and one whose notice is far off."""
    submitted(cast.manager)
    today = dt.date.today()
    near = add_contract(cast.manager, title="Near and unready")  # notice in 60 days
    prepared = add_contract(cast.manager, title="Near and prepared")
    ready(prepared, cast.manager.user)
    far = add_contract(cast.manager, title="Far and unready")
    Contract.objects.filter(pk=far.pk).update(end_date=today + dt.timedelta(days=700))
    return near, prepared, far


def test_needs_attention_lists_unready_contracts_near_renewal_with_links(cast, contracts):
    near, _, _ = contracts
    response = cast.client_for("cio").get(reverse("dashboard"))
    text = page_text(response)
    assert "1 contract near renewal with low exit readiness" in text
    html = response.content.decode()
    link = reverse("contracts:exit-plan", args=[near.pk])
    assert f'<a href="{link}">Near and unready</a>: exit readiness 0/100' in html
    assert "Near and prepared</a>: exit readiness" not in html
    assert "Far and unready</a>: exit readiness" not in html


def test_saving_the_plan_clears_the_entry_at_once(cast, contracts):
    near, _, _ = contracts
    client = cast.client_for("cio")
    client.get(reverse("dashboard"))  # the summary is cached now
    ready(near, cast.manager.user)
    text = page_text(client.get(reverse("dashboard")))
    assert "0 contracts near renewal with low exit readiness" in text


def test_the_board_pack_shows_the_count_and_a_risk_per_contract(cast, contracts):
    data = dashboard_data(cast.org, DashboardFilters(), dt.date.today())
    assert data.headline["low_exit_readiness"] == 1
    figures = {f.key: f for _, group in headline_figures(data, DashboardFilters()) for f in group}
    assert figures["low_exit_readiness"].text == "1 contract"
    (risk,) = [r for r in top_risks(data) if r.title.startswith("Low exit readiness")]
    assert risk.title == "Low exit readiness near renewal: Near and unready"
    assert "Vendor for Near and unready: exit readiness" in risk.detail


def test_another_organisation_sees_none_of_it(cast, contracts):
    text = page_text(cast.client_for("outsider").get(reverse("dashboard")))
    assert "Near and unready" not in text
