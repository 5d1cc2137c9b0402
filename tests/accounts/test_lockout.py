"""Repeated wrong passwords lock the username at that address, on every log-in path.

These run with the lockout on, exactly as configured for production (django-axes with
the database handler): nothing here is switched off or mocked.
"""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.lockout import lockout_message
from tests.api.conftest import token_for
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
API = reverse("contracts:api-measurements")
LIMIT = settings.AXES_FAILURE_LIMIT


def log_in(client: Client, username: str, password: str, path: str = LOGIN):
    return client.post(path, {"username": username, "password": password, "next": "/"})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def api_post(client: Client, **headers):
    return client.post(API, "{}", content_type="application/json", **headers)


def test_wrong_passwords_below_the_limit_get_the_usual_error_and_the_right_one_works(cast):
    client = Client()
    for _ in range(LIMIT - 1):
        response = log_in(client, "a-manager", "wrong")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content
    assert log_in(client, "a-manager", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_fifth_wrong_password_locks_the_login_page_with_a_message(cast):
    client = Client()
    for _ in range(LIMIT - 1):
        log_in(client, "a-manager", "wrong")
    response = log_in(client, "a-manager", "wrong")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "Log in to Sourcewise" in page and 'name="password"' in page
    assert lockout_message() in page
    assert "locked for 15 minutes" in page


def test_once_locked_even_the_right_password_is_refused(cast):
    client = Client()
    for _ in range(LIMIT):
        log_in(client, "a-manager", "wrong")
    response = log_in(client, "a-manager", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert Client().get("/").status_code == 302


def test_fifty_wrong_passwords_then_the_right_one_does_not_get_in(cast):
    client = Client()
    for _ in range(50):
        log_in(client, "a-manager", "wrong")
    assert log_in(client, "a-manager", PASSWORD).status_code == 429
    assert not signed_in(client)


def test_the_same_person_from_another_address_is_not_locked_out(cast):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(LIMIT):
        log_in(attacker, "a-manager", "wrong")
    colleague = Client(REMOTE_ADDR="198.51.100.7")
    assert log_in(colleague, "a-manager", PASSWORD).status_code == 302
    assert signed_in(colleague)


def test_another_username_from_the_locked_address_still_logs_in(cast):
    client = Client()
    for _ in range(LIMIT):
        log_in(client, "a-manager", "wrong")
    assert log_in(client, "a-cio", PASSWORD).status_code == 302


def test_a_successful_log_in_clears_the_count(cast):
    client = Client()
    for _ in range(LIMIT - 1):
        log_in(client, "a-manager", "wrong")
    assert log_in(client, "a-manager", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(LIMIT - 1):
        assert log_in(client, "a-manager", "wrong").status_code == 200
    assert log_in(client, "a-manager", PASSWORD).status_code == 302


def test_the_lock_expires_after_the_cool_off(cast, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    client = Client()
    for _ in range(LIMIT):
        log_in(client, "a-manager", "wrong")
    assert log_in(client, "a-manager", PASSWORD).status_code == 429
    time.sleep(1.2)
    assert log_in(client, "a-manager", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_admin_login_locks_too(cast):
    client = Client()
    for _ in range(LIMIT):
        log_in(client, "a-admin", "wrong", ADMIN_LOGIN)
    response = log_in(client, "a-admin", PASSWORD, ADMIN_LOGIN)
    assert response.status_code == 429
    assert lockout_message() in response.content.decode()
    assert not signed_in(client)


def test_failures_on_the_admin_login_count_on_the_login_page(cast):
    client = Client()
    for _ in range(LIMIT):
        log_in(client, "a-manager", "wrong", ADMIN_LOGIN)
    assert log_in(client, "a-manager", PASSWORD).status_code == 429


def token(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def test_the_api_takes_no_password_so_none_can_be_guessed_there(cast):
    client = Client()
    for _ in range(LIMIT + 1):
        assert api_post(client, **basic("a-manager", "wrong")).status_code == 401
    # Nothing was tried against the password, so nothing is locked: not even the login.
    assert api_post(client, **basic("a-manager", PASSWORD)).status_code == 401
    assert log_in(client, "a-manager", PASSWORD).status_code == 302


def test_a_right_token_gets_through_to_the_endpoint(cast):
    response = api_post(Client(), **token(token_for(cast.manager)))
    assert response.status_code == 400
    assert "contract" in response.json()


def test_one_address_trying_many_tokens_on_the_api_is_throttled(cast):
    client = Client()
    for number in range(20):
        assert api_post(client, **token(f"sw_guess-{number}")).status_code == 401
    response = api_post(client, **token("sw_guess-20"))
    assert response.status_code == 429
    detail = response.json()["detail"]
    assert detail.startswith("Too many failed authentications from your address. Try again in")
    assert int(response["Retry-After"]) > 0
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert api_post(other, **token(token_for(cast.manager))).status_code == 400


def test_a_forwarded_for_header_does_not_reset_the_api_throttle(cast):
    client = Client()
    for number in range(20):
        api_post(client, **token(f"sw_guess-{number}"))
    response = api_post(client, HTTP_X_FORWARDED_FOR="192.0.2.20", **token("sw_guess-20"))
    assert response.status_code == 429


@pytest.mark.parametrize("authenticate", ["session", "token"])
def test_api_calls_beyond_the_per_person_rate_get_a_429_in_words(cast, authenticate):
    client = cast.client_for("manager") if authenticate == "session" else Client()
    headers = token(token_for(cast.manager)) if authenticate == "token" else {}
    for _ in range(120):
        assert api_post(client, **headers).status_code == 400
    response = api_post(client, **headers)
    assert response.status_code == 429
    body = json.loads(response.content)
    assert body["detail"].startswith("Too many requests. Try again in ")
    assert body["detail"].endswith("seconds.")
    assert 0 < int(response["Retry-After"]) <= 60


@pytest.mark.parametrize("secret", ["x" * 10_000, "sw_a\x00b", "ünïcødé ⚠"])
def test_odd_tokens_on_the_api_are_refused_and_counted_not_a_server_error(cast, secret):
    client = Client()
    for _ in range(20):
        assert api_post(client, **token(secret)).status_code == 401
    assert api_post(client, **token(secret)).status_code == 429


def test_an_overlong_username_on_the_login_page_is_refused_and_counted(cast):
    client = Client()
    for _ in range(LIMIT - 1):
        response = log_in(client, "x" * 10_000, "wrong")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content
    assert log_in(client, "x" * 10_000, "wrong").status_code == 429


def test_without_a_proxy_a_forged_forwarded_for_header_does_not_escape_the_lock(cast):
    client = Client()
    for number in range(LIMIT):
        client.post(
            LOGIN,
            {"username": "a-manager", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    response = client.post(
        LOGIN, {"username": "a-manager", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="192.0.2.200"
    )
    assert response.status_code == 429


def test_behind_a_proxy_the_lock_follows_the_address_the_proxy_saw(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy)
    for number in range(LIMIT):
        attacker.post(
            LOGIN,
            {"username": "a-manager", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.9",
        )
    locked = attacker.post(
        LOGIN, {"username": "a-manager", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert locked.status_code == 429
    colleague = Client(REMOTE_ADDR=proxy)
    response = colleague.post(
        LOGIN, {"username": "a-manager", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 302


def test_behind_a_proxy_a_forwarded_for_entry_that_is_no_address_counts_the_proxy(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(LIMIT):
        client.post(
            LOGIN,
            {"username": "a-manager", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="not-an-address",
        )
    response = client.post(LOGIN, {"username": "a-manager", "password": PASSWORD})
    assert response.status_code == 429
