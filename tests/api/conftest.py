"""API test helpers: a token per role of the test cast, and a client that sends it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.services.tokens import token_create


def token_for(membership, *, read_only: bool = False, days: int | None = 30) -> str:
    _, secret = token_create(
        user=membership.user,
        organisation=membership.organisation,
        name=f"{membership.user.username} test",
        read_only=read_only,
        expires_in_days=days,
    )
    return secret


def api_client(secret: str | None) -> APIClient:
    client = APIClient()
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def tokens(cast):
    """A writable token for each member of the cast, and a read-only one for the manager."""
    return {
        "manager": token_for(cast.manager),
        "cio": token_for(cast.cio),
        "admin": token_for(cast.admin),
        "outsider": token_for(cast.outsider),
        "read_only": token_for(cast.manager, read_only=True),
    }
