import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import Membership, Organisation

# The vendor portal's demo link is issued afresh by every run (its token is stored only as
# a hash, so it cannot be printed twice) and the one before is revoked: one invitation and
# two lines of the RFP's record more per run, by design (issue 16).
FRESH_EACH_RUN = {apps.get_model("vendors", "Invitation"), apps.get_model("vendors", "RfpLogEntry")}


def snapshot() -> tuple:
    users = tuple(get_user_model().objects.order_by("username").values_list("username", "password"))
    memberships = tuple(
        Membership.objects.order_by("pk").values_list(
            "user__username", "organisation__name", "role"
        )
    )
    counts = tuple(
        model.objects.count() for model in apps.get_models() if model not in FRESH_EACH_RUN
    )
    return users, memberships, counts


def test_seed_demo_creates_the_demo_accounts_and_globex(db):
    call_command("seed_demo", verbosity=0)
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"manager": "manager", "cio": "cio", "admin": "admin", "globex": "manager"}
    globex = Membership.objects.get(user__username="globex").organisation
    assert globex.name == "Globex"
    assert get_user_model().objects.get(username="cio").check_password("sourcewise-demo")


def test_seed_demo_makes_admin_an_organisation_admin_and_operator_the_only_superuser(db):
    get_user_model().objects.create_superuser("admin", "admin@example.com", "old-password")
    call_command("seed_demo", verbosity=0)
    users = get_user_model().objects
    assert list(users.filter(is_superuser=True).values_list("username", flat=True)) == ["operator"]
    assert list(users.filter(is_staff=True).values_list("username", flat=True)) == ["operator"]
    assert not Membership.objects.filter(user__username="operator").exists()
    assert users.get(username="operator").check_password("sourcewise-demo")
    assert users.get(username="admin").check_password("old-password")  # kept, only demoted


def test_seed_demo_loads_an_assessment_vendors_and_contracts_for_each_organisation(db):
    from assessments.models import Assessment, Recommendation
    from contracts.models import Contract, Measurement
    from vendors.models import Vendor

    call_command("seed_demo", verbosity=0)
    acme = Organisation.objects.get(name="Acme Holdings")
    demo = Assessment.objects.get(organisation=acme)
    assert demo.status == "submitted" and demo.processes.count() >= 30
    assert Recommendation.objects.filter(process__assessment=demo).count() == demo.processes.count()
    assert Vendor.objects.count() >= 40
    assert Contract.objects.filter(organisation=acme).count() >= 3
    assert Measurement.objects.filter(sla__contract__organisation=acme).exists()
    assert Assessment.objects.filter(organisation__name="Globex").exists()
    assert Contract.objects.filter(organisation__name="Globex").exists()


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_seed_demo_refuses_in_production_without_force(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo", verbosity=0)
    assert not Organisation.objects.exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert Organisation.objects.filter(name="Globex").exists()
