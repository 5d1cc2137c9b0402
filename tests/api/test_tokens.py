"""API tokens: made on the account page, shown once, stored hashed, scoped and revocable."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import ApiToken, Membership
from accounts.services.tokens import TOKENS_PER_PERSON, TokenError, token_create

from .conftest import api_client, token_for

pytestmark = pytest.mark.django_db


def test_a_person_creates_a_token_on_the_account_page_and_sees_it_once(cast):
    client = cast.client_for("manager")
    page = client.post("/accounts/tokens/", {"name": "ERP import", "expires_in_days": "90"})
    assert page.status_code == 200
    secret = page.context["created"]["secret"]
    assert secret.startswith("sw_") and secret in page.content.decode()
    token = ApiToken.objects.get(user=cast.manager.user)
    assert token.name == "ERP import" and not token.read_only
    assert token.organisation == cast.org
    assert secret not in token.digest and token.digest != secret  # only a digest is kept
    assert dt.timedelta(days=89) < token.expiry - timezone.now() <= dt.timedelta(days=90)
    # Shown once: the list afterwards names the token but never shows the secret again.
    listing = client.get("/accounts/tokens/").content.decode()
    assert "ERP import" in listing and secret not in listing


def test_a_nameless_token_is_refused_in_words_and_nothing_is_saved(cast):
    page = cast.client_for("cio").post("/accounts/tokens/", {"name": "  ", "expires_in_days": ""})
    assert page.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_token_acts_with_its_owners_role_in_its_organisation(cast, tokens):
    me = api_client(tokens["cio"]).get("/api/v1/me/").json()
    assert me["role"] == "cio" and me["organisation_id"] == cast.org.pk
    assert me["can_write"] is False
    manager = api_client(tokens["manager"]).get("/api/v1/me/").json()
    assert manager["can_write"] is True and manager["token_read_only"] is False


def test_a_role_change_is_followed_by_the_token(cast, tokens):
    Membership.objects.filter(pk=cast.manager.pk).update(role="cio")
    assert api_client(tokens["manager"]).get("/api/v1/me/").json()["role"] == "cio"


@pytest.mark.parametrize(
    ("who", "code"), [("read_only", "permission_denied"), ("cio", "permission_denied")]
)
def test_a_token_that_may_not_write_gets_403_on_any_change(tokens, who, code):
    response = api_client(tokens[who]).post("/api/v1/me/", {}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert body["type"] == "client_error" and body["errors"][0]["code"] == code
    assert body["errors"][0]["detail"]


def test_a_writable_token_passes_the_permission_check(tokens):
    # /me/ only reads: a change reaches the method check, not the permission check.
    assert api_client(tokens["manager"]).post("/api/v1/me/", {}, format="json").status_code == 405


def test_passwords_are_not_accepted_by_the_api(cast):
    basic = base64.b64encode(f"{cast.manager.user.username}:sourcewise-demo".encode()).decode()
    client = api_client(None)
    client.credentials(HTTP_AUTHORIZATION=f"Basic {basic}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


@pytest.mark.parametrize("header", ["Token sw_not-a-real-token", "Token", "Token a b"])
def test_a_wrong_token_is_refused_and_reveals_nothing(header):
    client = api_client(None)
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["type"] == "client_error"


def test_an_expired_token_no_longer_works(cast):
    secret = token_for(cast.manager, days=30)
    ApiToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert api_client(secret).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.exists()  # knox removes it


def test_a_token_stops_working_when_its_owner_leaves_the_organisation(cast):
    secret = token_for(cast.cio)
    Membership.objects.filter(pk=cast.cio.pk).delete()
    response = api_client(secret).get("/api/v1/me/")
    assert response.status_code == 401
    assert "no longer a member" in response.json()["errors"][0]["detail"]


def test_a_person_revokes_their_own_token_but_not_anothers(cast):
    secret = token_for(cast.manager)
    mine = ApiToken.objects.get(user=cast.manager.user)
    other = cast.client_for("cio").post(f"/accounts/tokens/{mine.token_key}/revoke/")
    assert other.status_code == 302 and ApiToken.objects.filter(pk=mine.pk).exists()
    cast.client_for("manager").post(f"/accounts/tokens/{mine.token_key}/revoke/")
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    assert api_client(secret).get("/api/v1/me/").status_code == 401


def test_a_token_is_only_for_an_organisation_of_its_owner(cast):
    with pytest.raises(TokenError):
        token_create(
            user=cast.manager.user,
            organisation=cast.other_org,
            name="x",
            read_only=False,
            expires_in_days=30,
        )


def test_one_person_has_a_bounded_number_of_tokens(cast):
    for number in range(TOKENS_PER_PERSON):
        token_create(
            user=cast.cio.user,
            organisation=cast.org,
            name=f"t{number}",
            read_only=True,
            expires_in_days=None,
        )
    with pytest.raises(TokenError, match="Revoke one"):
        token_create(
            user=cast.cio.user,
            organisation=cast.org,
            name="one more",
            read_only=True,
            expires_in_days=None,
        )


def test_each_token_has_its_own_throttle_budget(cast, monkeypatch):
    from accounts.api.throttling import TokenRateThrottle

    # Two requests a minute for this test only (the rates are read when the class is made).
    monkeypatch.setattr(
        TokenRateThrottle,
        "THROTTLE_RATES",
        {**TokenRateThrottle.THROTTLE_RATES, "user": "2/minute"},
    )
    first, second = token_for(cast.manager), token_for(cast.cio)
    codes = [api_client(first).get("/api/v1/me/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert api_client(second).get("/api/v1/me/").status_code == 200
    throttled = api_client(first).get("/api/v1/me/")
    assert throttled.json()["errors"][0]["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
