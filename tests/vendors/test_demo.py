"""The demo registry and event that seed_demo loads."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.demo import seed_organisations
from vendors.demo import DEMO_EVENT, VENDORS, seed_vendors
from vendors.models import Evaluation, EventStatus, SourcingEvent, Vendor
from vendors.selectors.scoreboard import event_scoreboard

from .factories import make_assessment

pytestmark = pytest.mark.django_db


def test_the_demo_registry_holds_about_forty_varied_vendors():
    organisations = seed_organisations()
    seed_vendors(organisations)
    vendors = Vendor.objects.with_profile()
    assert 38 <= vendors.count() == len(VENDORS) <= 45
    continents = {c.continent for v in vendors for c in v.delivery_centres.all()}
    assert continents >= {"Europe", "Asia", "Africa", "North America", "South America", "Oceania"}
    for model in ("ITO", "BPO", "KPO"):
        assert Vendor.objects.offering(model).count() >= 8
    assert Vendor.objects.filter(active=False).exists()
    assert Vendor.objects.filter(financial_stability="weak").exists()


def test_seeding_twice_changes_nothing():
    organisations = seed_organisations()
    seed_vendors(organisations)
    before = list(Vendor.objects.values_list("name", "updated_at"))
    seed_vendors(organisations)
    assert list(Vendor.objects.values_list("name", "updated_at")) == before


def test_the_demo_event_is_scored_by_two_evaluators_once_the_roadmap_has_a_wave(cast):
    organisations = seed_organisations()
    acme = organisations["Acme Holdings"]
    make_assessment(acme, get_user_model().objects.get(username="manager"))
    seed_vendors(organisations)
    event = SourcingEvent.objects.get(name=DEMO_EVENT)
    assert event.status == EventStatus.EVALUATING
    evaluators = set(
        Evaluation.objects.filter(proposal__event=event).values_list("evaluator", flat=True)
    )
    assert evaluators == {"Maya Patel", "Tom Reyes"}
    board = event_scoreboard(event)
    assert len(board.rows) >= 3
    assert any(row.disagreements for row in board.rows)


def test_seed_demo_loads_the_vendors():
    call_command("seed_demo", verbosity=0)
    assert Vendor.objects.count() == len(VENDORS)
