import pytest
from django.urls import reverse

from accounts.middleware import SESSION_KEY
from tests.factories import PASSWORD, MembershipFactory, UserFactory


@pytest.mark.parametrize("url", ["/", "/accounts/password/"])
def test_anonymous_people_are_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_login_page_is_open_and_styled(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"bootstrap/css/bootstrap.min.css" in response.content
    assert b'for="id_username"' in response.content


def test_a_member_logs_in_and_sees_their_organisation(cast):
    client = cast.client_for(None)
    response = client.post(
        "/accounts/login/", {"username": "a-manager", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert b"Organisation A" in response.content
    assert b"Sourcewise 0.1.0" in response.content


def test_a_person_without_membership_gets_a_friendly_403(db, client):
    UserFactory(username="loner")
    client.login(username="loner", password=PASSWORD)
    response = client.get("/")
    assert response.status_code == 403
    assert b"not a member of any organisation" in response.content


def test_logout_needs_post_and_ends_the_session(cast):
    client = cast.client_for("manager")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_a_person_in_two_organisations_switches_between_them(cast):
    MembershipFactory(user=cast.manager.user, organisation=cast.other_org)
    client = cast.client_for("manager")
    assert b"Organisation A" in client.get("/").content
    response = client.post(
        reverse("switch-organisation"), {"organisation": cast.other_org.pk, "next": "/"}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == cast.other_org.pk
    page = client.get("/").content.decode()
    assert "Organisation B</h1>" in page


def test_nobody_switches_into_an_organisation_they_do_not_belong_to(cast):
    client = cast.client_for("outsider")
    response = client.post(reverse("switch-organisation"), {"organisation": cast.org.pk})
    assert response.status_code == 404
    assert client.session[SESSION_KEY] == cast.other_org.pk


@pytest.mark.parametrize("value", ["abc", "", "1.5", "99999999999999999999999", "１"])
def test_switching_to_something_that_is_not_an_organisation_is_a_clear_400(cast, value):
    client = cast.client_for("manager")
    response = client.post(reverse("switch-organisation"), {"organisation": value})
    assert response.status_code == 400
    assert "Choose an organisation" in response.content.decode()
    assert client.session[SESSION_KEY] == cast.org.pk


def test_switching_needs_post(cast):
    assert cast.client_for("manager").get(reverse("switch-organisation")).status_code == 405


def test_switching_ignores_an_offsite_next_url(cast):
    MembershipFactory(user=cast.manager.user, organisation=cast.other_org)
    response = cast.client_for("manager").post(
        reverse("switch-organisation"),
        {"organisation": cast.other_org.pk, "next": "https://evil.example.com/"},
    )
    assert response.url == "/"


def test_unknown_pages_get_the_friendly_404(cast, settings):
    settings.DEBUG = False
    response = cast.client_for("manager").get("/no-such-page/")
    assert response.status_code == 404
    assert b"couldn't find that page" in response.content


def test_the_admin_site_lists_organisations_and_memberships(cast, client):
    cast.admin.user.is_superuser = True
    cast.admin.user.save()
    client = cast.client_for("admin")
    assert client.get("/admin/accounts/organisation/").status_code == 200
    assert client.get("/admin/accounts/membership/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 200
