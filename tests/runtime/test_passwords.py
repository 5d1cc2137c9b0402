"""Passwords are stored with Argon2; older hashes still work and are upgraded at log-in."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import check_password, make_password

from outsourcing import settings as project_settings
from tests.factories import PASSWORD
from tests.runtime.processes import ROOT, development_env

LOGIN = "/accounts/login/"


def test_outside_the_test_suite_argon2_hashes_new_passwords_and_older_ones_still_verify():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; django.setup(); "
            "from django.conf import settings; print(json.dumps(settings.PASSWORD_HASHERS))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=development_env(),
    )
    assert done.returncode == 0, done.stderr
    hashers = json.loads(done.stdout.strip().splitlines()[-1])
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]
    assert hashers == project_settings.SECURE_PASSWORD_HASHERS


@pytest.fixture
def production_hashers(settings):
    """The hashers production uses (the suite itself uses a fast one)."""
    settings.PASSWORD_HASHERS = project_settings.SECURE_PASSWORD_HASHERS


def test_a_pbkdf2_password_is_rehashed_with_argon2_when_its_owner_logs_in(
    cast, client, production_hashers
):
    user = cast.manager.user
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    old = user.password
    assert old.startswith("pbkdf2_sha256$")

    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.password != old
    assert check_password(PASSWORD, user.password)
    # And the new hash is what the next log-in checks.
    client.logout()
    assert client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302


def test_a_wrong_password_leaves_the_old_hash_alone(cast, client, production_hashers):
    user = cast.manager.user
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    old = user.password

    response = client.post(LOGIN, {"username": user.username, "password": "not it"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old


def test_a_new_password_is_an_argon2_hash(cast, production_hashers):
    user = cast.manager.user
    user.set_password("a fresh password for the test")
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
