"""The shared cast and the real parts (Celery worker, Chromium) the suite runs against.

The cast: a manager, a CIO and an admin of organisation A, and a manager of
organisation B (the outsider).
"""

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from auditlog.context import disable_auditlog
from django.contrib.auth.signals import user_logged_in
from django.core.management import call_command
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.test import Client, TestCase, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytest_plugins = ["tests.realparts"]

# Tests that start real parts run in two xdist groups, each on one process at a time, as in
# a serial run: real Celery workers and redis-servers of their own in one, Chromium against
# a live server in the other. Each process has its own test database and Redis database
# (tests/realparts.py), so the two groups, on two processes, share nothing.
WORKERS_GROUP, BROWSER_GROUP = "real-workers", "real-browser"
WORKER_FIXTURES = frozenset(("celery_broker", "start_worker", "private_redis", "fault_redis"))
BROWSER_FIXTURES = frozenset(("browser", "page"))


def _uses_fixture(item: pytest.Item, names: frozenset[str]) -> bool:
    """Whether the test uses one of the fixtures ``names`` of tests/ (not merely a
    parametrized argument of the same name)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        getattr(definitions[-1].func, "__module__", "").startswith("tests.")
        for name in names.intersection(item.fixturenames)
        if (definitions := info.name2fixturedefs.get(name))
    )


def real_parts_group(item: pytest.Item) -> str | None:
    """The xdist group of a test that starts real parts; None for any other test."""
    if item.get_closest_marker("worker") or _uses_fixture(item, WORKER_FIXTURES):
        return WORKERS_GROUP
    if item.get_closest_marker("e2e") or _uses_fixture(item, BROWSER_FIXTURES):
        return BROWSER_GROUP
    return None


def shared_setup_group(item: pytest.Item) -> str | None:
    """The xdist group of a test that shares a module-scoped fixture of tests/ with the
    rest of its module (the board pack's demo, the collected static files): the module
    runs on one process, so the fixture is built once instead of once per process."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    shared = any(
        definitions[-1].scope in ("module", "package")
        and getattr(definitions[-1].func, "__module__", "").startswith("tests.")
        for name in item.fixturenames
        if (definitions := info.name2fixturedefs.get(name))
    )
    return "module-" + item.nodeid.split("::")[0] if shared else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the real-parts tests, and the tests that share a module's set-up, before
    xdist reads the marks to group them."""
    for item in items:
        if group := real_parts_group(item) or shared_setup_group(item):
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop an xdist process whose grouping did not take, before it reports its tests:
    with pytest 9.2 xdist ignores the marks without a word (pytest-dev/pytest-xdist#1386)."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    ungrouped = [
        item.nodeid
        for item in session.items
        if (group := real_parts_group(item)) and not item.nodeid.endswith(f"@{group}")
    ]
    if ungrouped:
        raise pytest.UsageError(
            f"--dist loadgroup did not group {len(ungrouped)} real-parts tests "
            f"(first: {ungrouped[0]}); see the pytest pin in requirements.txt."
        )


# The checkout's .env (written by make) chooses development mode; subprocesses the tests
# start (settings checks, workers) must see only the environment each test gives them.
os.environ.setdefault("SOURCEWISE_ENV_FILE", os.devnull)


@receiver(user_logged_in, dispatch_uid="tests.second_factor_for_test_client_logins")
def _test_client_logins_pass_the_second_factor(sender, request, user, **kwargs) -> None:
    """The test client's ``login`` and ``force_login`` skip the log-in page, so they skip
    its second step too: the session is verified by an authenticator made for the person.

    They log in through a bare HttpRequest; a real log-in (a page, the browser tests)
    arrives as a WSGIRequest and is left alone, so tests/accounts/test_mfa.py and the
    browser tests go through the real second step.
    """
    if type(request) is not HttpRequest:
        return
    with disable_auditlog():  # test scaffolding, not something a person did
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test client", confirmed=True)
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


@dataclass
class Cast:
    org: object
    other_org: object
    manager: Membership
    cio: Membership
    admin: Membership
    outsider: Membership

    def client_for(self, who: str | None) -> Client:
        client = Client()
        if who is not None:
            client.login(username=getattr(self, who).user.username, password=PASSWORD)
        return client


@pytest.fixture
def cast(db) -> Cast:
    org = OrganisationFactory(name="Organisation A")
    other = OrganisationFactory(name="Organisation B", home_country="Germany", currency="EUR")
    return Cast(
        org=org,
        other_org=other,
        manager=MembershipFactory(
            user=UserFactory(username="a-manager"), organisation=org, role=Role.MANAGER
        ),
        cio=MembershipFactory(user=UserFactory(username="a-cio"), organisation=org, role=Role.CIO),
        admin=MembershipFactory(
            user=UserFactory(username="a-admin", is_staff=True), organisation=org, role=Role.ADMIN
        ),
        outsider=MembershipFactory(
            user=UserFactory(username="b-manager"), organisation=other, role=Role.MANAGER
        ),
    )


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Both demo organisations, seeded once for a module's tests.

    The demo is written in a transaction left open until the module's last test, then
    rolled back. Each test (``django_db``, not transactional) runs in a savepoint inside
    it, so what one test changes is gone before the next. The module runs on one process
    (``shared_setup_group``). The demo's projections run when the seeding "commits", as
    they would for real.
    """
    from outsourcing.celery import app

    previous, app.conf.task_always_eager = app.conf.task_always_eager, True
    cache = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with django_db_blocker.unblock(), override_settings(CACHES=cache):
        seeded = transaction.atomic()
        seeded.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", verbosity=0)
        except BaseException:
            seeded.__exit__(*sys.exc_info())
            raise
        finally:
            app.conf.task_always_eager = previous
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        seeded.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _fresh_cache(request, settings):
    """Each test gets its own empty in-memory cache, so cached figures never leak."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request, settings):
    """Ordinary tests run Celery tasks in-process; tests marked `worker` use a real one."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    from outsourcing.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = previous
