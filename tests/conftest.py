"""The shared cast and the real parts (Celery worker, Chromium) the suite runs against.

The cast: a manager, a CIO and an admin of organisation A, and a manager of
organisation B (the outsider).
"""

import os
from dataclasses import dataclass

import pytest
from auditlog.context import disable_auditlog
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytest_plugins = ["tests.realparts"]

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
