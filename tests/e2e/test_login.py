import pytest
from django.core.management import call_command

from tests.realparts import log_in

pytestmark = pytest.mark.e2e


def test_the_demo_manager_logs_in_and_sees_the_navigation_bar(page, transactional_db):
    call_command("seed_demo", verbosity=0)
    log_in(page, "manager", "sourcewise-demo")
    nav = page.get_by_role("navigation", name="Main navigation")
    assert nav.is_visible()
    assert "Acme Holdings" in nav.inner_text()
    assert page.console_errors == []
