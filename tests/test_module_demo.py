"""The demo seeded once per module (``module_demo``): each test starts from the seeded
demo, and what one test changes is gone before the next."""

import pytest

from accounts.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
DEMO = {"Acme Holdings", "Globex"}


def names() -> set[str]:
    return set(Organisation.objects.values_list("name", flat=True))


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_starts_from_the_demo_and_its_changes_are_undone(module_demo, run):
    assert names() == DEMO
    OrganisationFactory(name=f"Added by run {run}")
    Organisation.objects.filter(name="Globex").update(name="Renamed")
    assert names() == {"Acme Holdings", "Renamed", f"Added by run {run}"}
