"""API tokens: a person creates, names, limits and revokes their own.

The secret is returned once, by ``token_create``, and only its SHA-512 digest is stored
(django-rest-knox). A token belongs to one organisation the person is a member of and
acts there with the person's current role (``accounts.api.authentication``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from accounts.models import ApiToken, Membership, Organisation

# Lifetimes a person may choose, in days; None: until revoked.
EXPIRY_CHOICES: tuple[tuple[int | None, str], ...] = (
    (30, "30 days"),
    (90, "90 days"),
    (365, "1 year"),
    (None, "No expiry"),
)
TOKENS_PER_PERSON = 20


class TokenError(ValueError):
    """A token cannot be created; the message says why, in words."""


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        ApiToken.objects.filter(user=user).select_related("organisation").order_by("-created")
    )


def token_create(
    *,
    user: User,
    organisation: Organisation,
    name: str,
    read_only: bool,
    expires_in_days: int | None,
) -> tuple[ApiToken, str]:
    """Create a token; (the stored token, the secret to show once)."""
    name = name.strip()
    if not name:
        raise TokenError("Give the token a name, so you know later what uses it.")
    if expires_in_days not in {days for days, _ in EXPIRY_CHOICES}:
        raise TokenError("Choose one of the offered lifetimes.")
    with transaction.atomic():
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            raise TokenError("You can create tokens only for an organisation you belong to.")
        if ApiToken.objects.select_for_update().filter(user=user).count() >= TOKENS_PER_PERSON:
            raise TokenError(
                f"You already have {TOKENS_PER_PERSON} tokens, the most one "
                "person may have. Revoke one you no longer use first."
            )
        expiry = None if expires_in_days is None else dt.timedelta(days=expires_in_days)
        token, secret = ApiToken.objects.create(
            user=user, expiry=expiry, name=name, organisation=organisation, read_only=read_only
        )
    return token, secret


def token_revoke(*, user: User, token_key: str) -> bool:
    """Delete the person's token with this public key; False when there is none."""
    deleted, _ = ApiToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)
