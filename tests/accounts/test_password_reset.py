"""Password reset by e-mail: a link that works once, for the account it was sent to only,
and that says nothing about which addresses have accounts."""

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import PASSWORD, UserFactory

RESET = reverse("password_reset")
NEW_PASSWORD = "Lantern-Quartz-83"


def link_in(message) -> str:
    url = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", message.body).group(0)
    return urlparse(url).path


def ask_for_a_link(client: Client, email: str):
    return client.post(RESET, {"email": email})


def set_password(client: Client, link: str, first: str = NEW_PASSWORD, second: str = NEW_PASSWORD):
    """Open the e-mailed link (a good one hides its token behind a redirect), then post."""
    opened = client.get(link, follow=True)
    form_url = opened.redirect_chain[-1][0] if opened.redirect_chain else link
    return opened, client.post(form_url, {"new_password1": first, "new_password2": second})


def can_log_in(username: str, password: str) -> bool:
    return Client().login(username=username, password=password)


def test_the_login_page_offers_a_password_reset(db, client):
    page = client.get(reverse("login")).content.decode()
    assert "Forgot your password?" in page
    assert f'href="{RESET}"' in page


def test_the_reset_page_is_open_to_anyone(db, client):
    response = client.get(RESET)
    assert response.status_code == 200
    assert "Reset your password" in response.content.decode()


def test_a_person_resets_their_password_from_the_emailed_link(cast):
    client = Client()
    response = ask_for_a_link(client, "a-manager@example.com")
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a-manager@example.com"]
    assert message.subject == "Reset your Sourcewise password"
    assert "a-manager" in message.body
    opened, done = set_password(client, link_in(message))
    assert "Choose a new password" in opened.content.decode()
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert can_log_in("a-manager", NEW_PASSWORD)
    assert not can_log_in("a-manager", PASSWORD)


def test_the_reset_link_works_only_once(cast):
    client = Client()
    ask_for_a_link(client, "a-manager@example.com")
    link = link_in(mail.outbox[0])
    set_password(client, link)
    again = Client().get(link, follow=True)
    assert "This link cannot be used" in again.content.decode()
    _opened, second = set_password(Client(), link, "Another-Pass-99", "Another-Pass-99")
    assert second.status_code == 200
    assert can_log_in("a-manager", NEW_PASSWORD)


def test_a_link_past_its_lifetime_is_refused(cast, settings):
    ask_for_a_link(Client(), "a-manager@example.com")
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link issued so far is now too old
    opened, _done = set_password(Client(), link_in(mail.outbox[0]))
    assert "This link cannot be used" in opened.content.decode()
    assert can_log_in("a-manager", PASSWORD)


def test_an_unknown_address_looks_the_same_and_sends_nothing(db):
    response = ask_for_a_link(Client(), "nobody@example.com")
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_address_is_matched_whatever_its_case(cast):
    ask_for_a_link(Client(), "A-Manager@EXAMPLE.com")
    assert mail.outbox[0].to == ["a-manager@example.com"]


def test_a_deactivated_account_gets_no_link(db):
    UserFactory(username="gone", is_active=False)
    ask_for_a_link(Client(), "gone@example.com")
    assert mail.outbox == []


def test_a_link_for_one_account_cannot_reset_another(cast):
    ask_for_a_link(Client(), "b-manager@example.com")
    token = link_in(mail.outbox[0]).rstrip("/").split("/")[-1]
    admin_uid = urlsafe_base64_encode(force_bytes(cast.admin.user.pk))
    opened, _done = set_password(Client(), f"/accounts/password/reset/{admin_uid}/{token}/")
    assert "This link cannot be used" in opened.content.decode()
    assert can_log_in("a-admin", PASSWORD)


def test_a_tampered_link_is_refused(cast):
    ask_for_a_link(Client(), "a-cio@example.com")
    link = link_in(mail.outbox[0])
    opened, _ = set_password(Client(), link[:-3] + "xx/")
    assert "This link cannot be used" in opened.content.decode()
    assert can_log_in("a-cio", PASSWORD)


@pytest.mark.parametrize(
    ("first", "second", "error"),
    [
        (NEW_PASSWORD, "Something-Else-11", "didn’t match"),
        ("12345678", "12345678", "entirely numeric"),
    ],
)
def test_a_bad_new_password_is_refused_and_the_old_one_still_works(cast, first, second, error):
    client = Client()
    ask_for_a_link(client, "a-cio@example.com")
    _opened, response = set_password(client, link_in(mail.outbox[0]), first, second)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert can_log_in("a-cio", PASSWORD)


def test_asking_for_a_link_with_an_unsupported_method_is_refused(db):
    assert Client().delete(RESET).status_code == 405
    assert mail.outbox == []


def test_a_reset_does_not_touch_other_accounts(cast):
    before = dict(get_user_model().objects.values_list("username", "password"))
    client = Client()
    ask_for_a_link(client, "a-cio@example.com")
    set_password(client, link_in(mail.outbox[0]))
    after = dict(get_user_model().objects.values_list("username", "password"))
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"a-cio"}


def test_one_address_gets_at_most_three_reset_e_mails_an_hour(cast):
    from accounts.views.session import RESETS_PER_EMAIL

    email = cast.manager.user.email
    for _ in range(RESETS_PER_EMAIL + 2):
        response = ask_for_a_link(Client(), email)
        assert response.status_code == 302  # the same answer every time: nothing revealed
    assert len(mail.outbox) == RESETS_PER_EMAIL


def test_one_client_asking_for_many_addresses_is_told_to_wait(db):
    from accounts.views.session import RESETS_PER_CLIENT

    client = Client()
    for number in range(RESETS_PER_CLIENT):
        assert ask_for_a_link(client, f"someone{number}@example.com").status_code == 302
    response = ask_for_a_link(client, "one-more@example.com")
    assert response.status_code == 429
    assert "Too many password-reset requests" in response.content.decode()


def test_a_platform_operator_without_an_organisation_is_shown_where_to_go(db):
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 403
    assert reverse("admin:index") in page and reverse("vendors:curation-queue") in page
