"""Two-factor authentication: an authenticator app (TOTP) and one-time recovery codes.

People log in here through the real login page, so the second step is the real one
(the test client's own ``login`` skips it, see tests/conftest.py).
"""

import base64
import time
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit.models import Action, AuditEntry
from accounts.services.mfa import (
    RECOVERY_CODE_COUNT,
    REGISTRY_CURATORS_GROUP,
    mfa_setup_confirm,
    pending_authenticator,
)
from tests.factories import PASSWORD, UserFactory

HOME = "/"
VERIFY = reverse("mfa-verify")
SETUP = reverse("mfa-setup")


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's phone shows now (or ``steps_ahead`` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code the device accepts at no moment near now."""
    near = {code_for(device, steps_ahead=step) for step in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def log_in(user, client: Client | None = None, *, path: str = "/accounts/login/") -> Client:
    client = client or Client()
    response = client.post(path, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step should succeed"
    return client


def with_authenticator(user) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator and recovery codes the way the setup page does."""
    device = pending_authenticator(user=user)
    codes = mfa_setup_confirm(device=device, code=code_for(device))
    return TOTPDevice.objects.get(user=user, confirmed=True), codes


def scanned(page) -> TOTPDevice:
    """The authenticator a phone holds after scanning the setup page's secret."""
    secret = page.context["enrolment"].secret.replace(" ", "")
    return TOTPDevice(key=base64.b32decode(secret + "=" * (-len(secret) % 8)).hex())


def redirect_path(response) -> str:
    assert response.status_code == 302
    return urlparse(response["Location"]).path


# ---------------------------------------------------------------- who must use it


def test_an_admin_is_sent_to_set_up_two_factor_authentication_before_any_page(cast):
    client = log_in(cast.admin.user)
    response = client.get("/assessments/")
    assert redirect_path(response) == SETUP
    assert "next=%2Fassessments%2F" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"<svg" in page.content
    secret = page.context["enrolment"].secret.replace(" ", "")
    assert secret in page.content.decode().replace(" ", "")
    assert page.context["enrolment"].url.startswith("otpauth://totp/Sourcewise")
    # Reading the page saved nothing: the authenticator is saved when it is confirmed.
    assert not TOTPDevice.objects.filter(user=cast.admin.user).exists()


def test_a_plain_manager_is_not_asked_for_a_second_factor(cast):
    client = log_in(cast.manager.user)
    assert client.get(HOME).status_code == 200


def test_an_organisation_that_requires_it_sends_every_member_to_set_it_up(cast):
    cast.org.require_mfa = True
    cast.org.save()
    assert redirect_path(log_in(cast.manager.user).get(HOME)) == SETUP
    assert redirect_path(log_in(cast.cio.user).get(HOME)) == SETUP
    # Organisation B does not require it of its manager.
    assert log_in(cast.outsider.user).get(HOME).status_code == 200


def test_superusers_are_sent_to_set_it_up_even_for_django_admin(db):
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    client = log_in(operator, path="/admin/login/")
    assert redirect_path(client.get("/admin/")) == SETUP


def test_registry_curators_are_sent_to_set_it_up(cast):
    curator = UserFactory(username="registry-curator")
    curator.groups.add(Group.objects.get_or_create(name=REGISTRY_CURATORS_GROUP)[0])
    assert redirect_path(log_in(curator).get("/vendors/")) == SETUP


def test_the_curators_group_is_the_one_the_vendor_registry_uses():
    from vendors.models.curation import CURATORS_GROUP

    assert REGISTRY_CURATORS_GROUP == CURATORS_GROUP


# ---------------------------------------------------------------- setting it up


def test_setting_up_with_a_real_code_turns_it_on_and_shows_ten_recovery_codes_once(cast):
    client = log_in(cast.admin.user)
    phone = scanned(client.get(SETUP))
    response = client.post(SETUP + "?next=/contracts/", {"code": code_for(phone)})
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=cast.admin.user)
    assert device.confirmed and device.key == phone.key
    shown = response.context["codes"]
    stored = set(
        StaticToken.objects.filter(device__user=cast.admin.user).values_list("token", flat=True)
    )
    assert len(shown) == RECOVERY_CODE_COUNT == len(set(shown))
    assert set(shown) == stored
    assert b'href="/contracts/"' in response.content
    # The session is verified: pages open without another code.
    assert client.get(HOME).status_code == 200
    # The setup page does not show the codes, nor a new secret, again.
    assert redirect_path(client.get(SETUP)) == reverse("mfa")


def test_a_wrong_setup_code_turns_nothing_on(cast):
    client = log_in(cast.admin.user)
    phone = scanned(client.get(SETUP))
    response = client.post(SETUP, {"code": wrong_code(phone)})
    assert response.status_code == 400
    assert "does not match" in response.content.decode()
    # Kept unconfirmed, with its secret and the wrong code counted towards its throttle.
    device = TOTPDevice.objects.get(user=cast.admin.user)
    assert not device.confirmed and device.key == phone.key
    assert device.throttling_failure_count == 1
    assert scanned(response).key == phone.key
    assert not StaticDevice.objects.filter(user=cast.admin.user).exists()
    assert redirect_path(client.get(HOME)) == SETUP


def test_reloading_the_setup_page_keeps_the_secret_already_scanned(cast):
    client = log_in(cast.admin.user)
    first = client.get(SETUP)
    again = client.get(SETUP)
    assert again.context["enrolment"].secret == first.context["enrolment"].secret
    assert not TOTPDevice.objects.filter(user=cast.admin.user).exists()
    # The secret the phone scanned first is the one confirmed.
    response = client.post(SETUP, {"code": code_for(scanned(first))})
    assert response.status_code == 200 and "codes" in response.context
    assert TOTPDevice.objects.get(user=cast.admin.user, confirmed=True).key == (scanned(first).key)


# ---------------------------------------------------------------- verifying a log-in


def test_a_person_with_an_authenticator_verifies_before_any_page(cast):
    device, _ = with_authenticator(cast.manager.user)
    client = log_in(cast.manager.user)
    response = client.get("/contracts/")
    assert redirect_path(response) == VERIFY
    assert redirect_path(client.get("/admin/")) == VERIFY
    response = client.post(VERIFY + "?next=/contracts/", {"code": code_for(device, steps_ahead=1)})
    assert response["Location"] == "/contracts/"
    assert client.get("/contracts/").status_code == 200


def test_a_wrong_code_is_refused_and_recorded_as_a_failed_log_in(cast):
    device, _ = with_authenticator(cast.manager.user)
    client = log_in(cast.manager.user)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert redirect_path(client.get(HOME)) == VERIFY
    assert AuditEntry.objects.filter(
        action=Action.LOGIN_FAILED, object_pk=str(cast.manager.user.pk)
    ).exists()


def test_wrong_codes_in_a_row_pause_the_authenticator(cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # so that the pause outlasts a slow test run
    device, _ = with_authenticator(cast.manager.user)
    client = log_in(cast.manager.user)
    assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 400
    paused = client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    assert paused.status_code == 429
    assert "Too many wrong codes" in paused.content.decode()
    assert redirect_path(client.get(HOME)) == VERIFY


def test_an_empty_code_is_a_clear_400(cast):
    with_authenticator(cast.manager.user)
    client = log_in(cast.manager.user)
    response = client.post(VERIFY, {"code": ""})
    assert response.status_code == 400
    assert "required" in response.content.decode()


def test_a_recovery_code_works_once(cast):
    _, codes = with_authenticator(cast.manager.user)
    client = log_in(cast.manager.user)
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert redirect_path(response) == HOME
    assert client.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=cast.manager.user).count() == 9
    client.post(reverse("logout"))
    again = log_in(cast.manager.user)
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert redirect_path(again.get(HOME)) == VERIFY


def test_verifying_never_redirects_to_another_site(cast):
    device, _ = with_authenticator(cast.manager.user)
    client = log_in(cast.manager.user)
    response = client.post(
        VERIFY, {"code": code_for(device, steps_ahead=1), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_django_admin_is_closed_until_the_operator_verifies(db):
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    device, _ = with_authenticator(operator)
    client = log_in(operator, path="/admin/login/")
    assert redirect_path(client.get("/admin/vendors/vendor/")) == VERIFY
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    assert client.get("/admin/vendors/vendor/").status_code == 200


def test_logging_out_ends_the_verification(cast):
    device, _ = with_authenticator(cast.manager.user)
    client = log_in(cast.manager.user)
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    assert client.get(HOME).status_code == 200
    client.post(reverse("logout"))
    log_in(cast.manager.user, client)
    assert redirect_path(client.get(HOME)) == VERIFY


def test_a_session_api_call_before_verifying_gets_a_403(cast):
    with_authenticator(cast.manager.user)
    client = log_in(cast.manager.user)
    response = client.get(reverse("contracts:api-measurements"))
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


# ---------------------------------------------------------------- managing it


def test_a_password_alone_cannot_remove_the_second_factor(cast):
    with_authenticator(cast.manager.user)
    client = log_in(cast.manager.user)
    for name in ("mfa-disable", "mfa-replace", "mfa-recovery-codes"):
        assert redirect_path(client.post(reverse(name))) == VERIFY
    assert TOTPDevice.objects.filter(user=cast.manager.user, confirmed=True).exists()
    assert StaticToken.objects.filter(device__user=cast.manager.user).count() == 10


def test_someone_who_must_use_it_cannot_turn_it_off(cast):
    client = cast.client_for("admin")
    response = client.post(reverse("mfa-disable"))
    assert response.status_code == 409
    assert "admin of Organisation A" in response.content.decode()
    assert TOTPDevice.objects.filter(user=cast.admin.user, confirmed=True).exists()


def test_a_manager_may_turn_it_off(cast):
    client = cast.client_for("manager")
    assert client.get(reverse("mfa")).status_code == 200
    assert redirect_path(client.post(reverse("mfa-disable"))) == reverse("mfa")
    assert not TOTPDevice.objects.filter(user=cast.manager.user).exists()
    assert client.get(HOME).status_code == 200


def test_replacing_the_authenticator_leads_to_setting_up_a_new_one(cast):
    client = cast.client_for("admin")
    old = TOTPDevice.objects.get(user=cast.admin.user)
    assert redirect_path(client.post(reverse("mfa-replace"))) == SETUP
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert redirect_path(client.get(HOME)) == SETUP


def test_new_recovery_codes_replace_the_old_ones(cast):
    _, old_codes = with_authenticator(cast.manager.user)
    client = cast.client_for("manager")
    response = client.post(reverse("mfa-recovery-codes"))
    new_codes = response.context["codes"]
    stored = set(
        StaticToken.objects.filter(device__user=cast.manager.user).values_list("token", flat=True)
    )
    assert stored == set(new_codes)
    assert not stored & set(old_codes)


def test_setting_it_up_and_removing_it_are_in_the_audit_trail(cast):
    device, _ = with_authenticator(cast.manager.user)
    totp = ContentType.objects.get_for_model(TOTPDevice)
    entries = AuditEntry.objects.filter(content_type=totp, object_pk=str(device.pk))
    assert entries.filter(action=Action.CREATE).exists()
    assert entries.filter(action=Action.UPDATE).exists()  # confirmed
    assert not any("key" in (entry.changes_dict or {}) for entry in entries)
    cast.client_for("manager").post(reverse("mfa-disable"))
    assert entries.filter(action=Action.DELETE).exists()


# ---------------------------------------------------------------- the organisation's rule


def test_an_admin_requires_it_of_every_member_of_their_organisation(cast):
    client = cast.client_for("admin")
    assert b'id="require-mfa"' in client.get(reverse("members")).content
    response = client.post(reverse("require-mfa"), {"require_mfa": "on"})
    assert redirect_path(response) == reverse("members")
    cast.org.refresh_from_db()
    assert cast.org.require_mfa
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, object_pk=str(cast.org.pk), changes_text__contains="require_mfa"
    ).exists()
    client.post(reverse("require-mfa"), {})
    cast.org.refresh_from_db()
    assert not cast.org.require_mfa


@pytest.mark.parametrize("who", [None, "outsider", "manager", "cio"])
def test_only_the_organisations_admins_change_its_rule(cast, who):
    response = cast.client_for(who).post(reverse("require-mfa"), {"require_mfa": "on"})
    assert response.status_code in (302, 403)
    if who is None:
        assert redirect_path(response) == reverse("login")
    else:
        assert response.status_code == 403
    cast.org.refresh_from_db()
    cast.other_org.refresh_from_db()
    assert not cast.org.require_mfa and not cast.other_org.require_mfa


def test_changing_the_rule_takes_only_a_post(cast):
    assert cast.client_for("admin").get(reverse("require-mfa")).status_code == 405
