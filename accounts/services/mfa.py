"""Two-factor authentication (django-otp): who must use it, and setting it up or removing it.

A person's second factor is one authenticator app (a TOTP device) plus a set of one-time
recovery codes (a static device), for when the phone is lost. A session counts as
verified once a code from either has been accepted (django-otp stores the device in the
session). ``accounts.middleware.TwoFactorMiddleware`` sends a signed-in person who has a
second factor to the verification page, and one who must have it to the setup page,
before any other page.

Wrong codes are throttled per device by django-otp: after the n-th failure in a row the
device refuses every code for 2^(n-1) seconds, so guessing a six-digit code is hopeless.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import datetime

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import connection, transaction
from django.db.models import Q
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.models import Membership, Organisation, Role

# The platform-level group whose members curate the shared vendor registry (vendors app).
REGISTRY_CURATORS_GROUP = "Registry curators"
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
SETUP_KEY_BYTES = 20  # django-otp's default secret length
SETUP_KEY_PATTERN = re.compile(rf"[0-9a-f]{{{2 * SETUP_KEY_BYTES}}}")

AnyUser = User | AnonymousUser


def is_registry_curator(user: AnyUser) -> bool:
    """May this person change shared vendor records? Active, and a curator or superuser."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=REGISTRY_CURATORS_GROUP).exists()


def mfa_required_reason(user: AnyUser) -> str:
    """Why this person must use a second factor, in words; empty when they need not.

    Required for platform superusers, registry curators, every organisation admin, and
    every member of an organisation that requires it.
    """
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return "Platform operators must use two-factor authentication."
    if is_registry_curator(user):
        return "Registry curators must use two-factor authentication."
    memberships = (
        Membership.objects.filter(user=user)
        .filter(Q(role=Role.ADMIN) | Q(organisation__require_mfa=True))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for membership in memberships:
        if membership.role == Role.ADMIN:
            return (
                f"As an admin of {membership.organisation} you must use two-factor authentication."
            )
    for membership in memberships:
        return f"{membership.organisation} requires two-factor authentication of its members."
    return ""


@dataclass(frozen=True)
class SecondFactorState:
    has_authenticator: bool
    must_use: bool


def second_factor_state(
    user: User, memberships: list[Membership] | None = None
) -> SecondFactorState:
    """Whether the person has an authenticator and whether they must use one (the
    middleware asks on every request; ``mfa_required_reason`` says why, when needed).
    The rule is ``mfa_required_reason``'s: superusers, curators, admins and members of an
    organisation that requires it.

    ``memberships``: all of the person's memberships (organisation loaded), when already
    read (the middleware has them); else they are read here. The device and the curator
    group are one small query, written in SQL: the ORM spends ten times longer building
    it than the database answering it, on every request.
    """
    if memberships is None:
        memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    device_table = TOTPDevice._meta.db_table
    through = get_user_model().groups.through._meta.db_table
    group_table = Group._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {device_table} WHERE user_id = %s AND confirmed), "
            f"EXISTS (SELECT 1 FROM {through} ug JOIN {group_table} g ON g.id = ug.group_id "
            "WHERE ug.user_id = %s AND g.name = %s)",
            [user.pk, user.pk, REGISTRY_CURATORS_GROUP],
        )
        has_device, curator = cursor.fetchone() or (False, False)
    required = any(m.role == Role.ADMIN or m.organisation.require_mfa for m in memberships)
    return SecondFactorState(bool(has_device), bool(user.is_superuser or curator or required))


def authenticator_of(user: AnyUser) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device_of(user: AnyUser) -> StaticDevice | None:
    if not user.is_authenticated:
        return None
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: AnyUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# ---------------------------------------------------------------- setting up


@dataclass(frozen=True)
class Enrolment:
    """What the setup page shows: the secret as text, as an otpauth URL and as a QR code."""

    secret: str  # base32, grouped in fours for typing into an app by hand
    url: str
    qr_svg: str


def pending_authenticator(*, user: User, key: str | None = None) -> TOTPDevice:
    """The authenticator being set up. Reading the setup page writes nothing: this is the
    person's unconfirmed authenticator if one was saved (by a wrong code's throttle),
    else an unsaved one with ``key``, the secret already shown to the person (the view
    keeps it in their session, so a reload shows the same secret as the phone scanned),
    or a new random secret. The POST that confirms it saves it
    (``mfa_setup_confirm``).
    """
    saved = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if saved is not None:
        return saved
    if key is None or not SETUP_KEY_PATTERN.fullmatch(key):
        key = random_hex(SETUP_KEY_BYTES)
    return TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False, key=key)


def enrolment_for(device: TOTPDevice) -> Enrolment:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    url = device.config_url
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return Enrolment(
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        url=url,
        qr_svg=image.to_string(encoding="unicode"),
    )


def mfa_setup_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; return fresh recovery codes.

    None (and nothing saved but the throttle) when the code is wrong. Any earlier
    authenticator and recovery codes of the person are replaced.
    """
    with transaction.atomic():
        if device.pk is not None:
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        # An unsaved device is saved by django-otp here: confirmed below, or kept
        # unconfirmed with the wrong code counted towards its throttle.
        if device.confirmed or not device.verify_token(normalise_code(code)):
            return None
        for old in TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk):
            old.delete()  # one delete each, so the audit trail records it
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return _new_recovery_codes(user_id=device.user_id)


def mfa_recovery_codes_renew(*, user: User) -> list[str]:
    """Replace the person's recovery codes: the old ones stop working."""
    with transaction.atomic():
        return _new_recovery_codes(user_id=user.pk)


def _new_recovery_codes(*, user_id: int) -> list[str]:
    device = StaticDevice.objects.filter(user_id=user_id, confirmed=True).first()
    if device is None:
        device = StaticDevice.objects.create(user_id=user_id, name=RECOVERY_NAME)
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def mfa_remove(*, user: User) -> None:
    """Remove the person's authenticator and recovery codes (the caller checks it is allowed)."""
    with transaction.atomic():
        for device in [
            *TOTPDevice.objects.filter(user=user),
            *StaticDevice.objects.filter(user=user),
        ]:
            device.delete()


def organisation_set_require_mfa(*, organisation: Organisation, required: bool) -> Organisation:
    organisation.require_mfa = required
    organisation.save(update_fields=["require_mfa"])
    return organisation


# ---------------------------------------------------------------- verifying


def normalise_code(code: str) -> str:
    """Codes are typed with spaces or dashes and in any case; compare without them."""
    return "".join(code.split()).replace("-", "").lower()[:32]


@dataclass(frozen=True)
class Verification:
    device: Device | None
    retry_after: datetime | None = None  # set when wrong codes have paused the device


def mfa_verify(*, user: User, code: str) -> Verification:
    """Check a code from the authenticator app (six digits) or a recovery code (used up).

    ``retry_after`` is set when the device the code is meant for refuses every code for
    now, after too many wrong ones; the code was not even checked.
    """
    code = normalise_code(code)
    if len(code) == 6 and code.isdigit():  # recovery codes are eight letters and digits
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    with transaction.atomic():
        for device in devices.select_for_update():
            allowed, details = device.verify_is_allowed()
            if not allowed:
                return Verification(None, retry_after=(details or {}).get("locked_until"))
            if device.verify_token(code):
                return Verification(device)
    return Verification(None)
