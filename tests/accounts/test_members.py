"""People and roles: an organisation's admins invite, change roles and remove members, on
the app's pages and only in their own organisation; Django admin is for platform operators."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_KEY
from accounts.models import Invitation, Membership, Role
from accounts.services.members import invitation_token
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

MEMBERS = reverse("members")
INVITE = reverse("member-invite")


@pytest.fixture
def other_admin(cast) -> Membership:
    """An admin of organisation B: an outsider to everything in organisation A."""
    return MembershipFactory(
        user=UserFactory(username="b-admin"), organisation=cast.other_org, role=Role.ADMIN
    )


def client_of(cast, membership: Membership):
    client = cast.client_for(None)
    client.login(username=membership.user.username, password=PASSWORD)
    return client


def invite(cast, email: str = "newcomer@example.com", role: str = Role.MANAGER, who="admin"):
    return cast.client_for(who).post(INVITE, {"email": email, "role": role})


def link_in(message) -> str:
    """The path of the invitation link in an e-mail."""
    url = re.search(r"https?://\S+/accounts/invitations/\S+/", message.body).group(0)
    return urlparse(url).path


# ---------------------------------------------------------------- the members page


def test_anonymous_people_are_sent_to_log_in_from_the_members_page(db, client):
    response = client.get(MEMBERS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["manager", "cio", "outsider"])
def test_members_who_are_not_admins_cannot_open_the_members_page(cast, who):
    assert cast.client_for(who).get(MEMBERS).status_code == 403


def test_an_admin_sees_the_people_of_their_organisation_only(cast, other_admin):
    page = cast.client_for("admin").get(MEMBERS).content.decode()
    assert 'data-member="a-manager"' in page and 'data-member="a-cio"' in page
    assert "b-manager" not in page and "b-admin" not in page
    other_page = client_of(cast, other_admin).get(MEMBERS).content.decode()
    assert 'data-member="b-manager"' in other_page
    assert "a-manager" not in other_page


def test_the_administration_link_leads_admins_to_the_members_page(cast):
    response = cast.client_for("admin").get("/")
    links = {link["label"]: link["url"] for link in response.context["nav_links"]}
    assert links["Administration"] == MEMBERS


# ---------------------------------------------------------------- inviting


def test_an_admin_invites_someone_by_email_with_a_link_that_expires(cast):
    before = timezone.now()
    response = invite(cast, email="Newcomer@Example.com", role=Role.CIO)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.organisation == cast.org
    assert invitation.email == "newcomer@example.com"
    assert invitation.role == Role.CIO
    assert invitation.invited_by == cast.admin.user
    assert before + timedelta(days=7) <= invitation.expires_at <= timezone.now() + timedelta(days=7)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.com"]
    assert message.subject == "Join Organisation A on Sourcewise"
    assert "as CIO" in message.body
    assert cast.client_for(None).get(link_in(message)).status_code == 200


@pytest.mark.parametrize("who", ["manager", "cio", "outsider"])
def test_only_admins_can_invite(cast, who):
    assert invite(cast, who=who).status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_anonymous_people_cannot_invite(cast):
    response = invite(cast, who=None)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Invitation.objects.exists()


def test_inviting_needs_post(cast):
    assert cast.client_for("admin").get(INVITE).status_code == 405


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("not-an-address", Role.MANAGER, "Enter a valid email address"),
        ("someone@example.com", "owner", "Select a valid choice"),
        ("x@example.com\nBcc: victim@example.com", Role.MANAGER, "Enter a valid email address"),
    ],
)
def test_a_bad_invitation_is_refused_in_words_and_nothing_is_sent(cast, email, role, message):
    response = invite(cast, email=email, role=role)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_someone_who_is_already_a_member_is_refused(cast):
    response = invite(cast, email="A-CIO@example.com")
    assert response.status_code == 400
    assert "already a member of Organisation A" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_the_same_address_again_replaces_the_earlier_link(cast):
    invite(cast)
    first = link_in(mail.outbox[0])
    invite(cast, role=Role.ADMIN)
    second = link_in(mail.outbox[1])
    assert cast.client_for(None).get(first).status_code == 410
    assert cast.client_for(None).get(second).status_code == 200
    assert Invitation.objects.open().get().role == Role.ADMIN


def test_an_invitation_that_cannot_be_emailed_is_not_kept(cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    response = invite(cast)
    assert response.status_code == 503
    assert "could not be sent" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_organisation_name_with_a_line_break_still_gives_a_one_line_subject(cast):
    cast.org.name = "Organisation A\nBcc: someone@example.com"
    cast.org.save()
    assert invite(cast).status_code == 302
    assert mail.outbox[0].subject == "Join Organisation A Bcc: someone@example.com on Sourcewise"


# ---------------------------------------------------------------- accepting


@pytest.fixture
def link(cast) -> str:
    invite(cast, role=Role.CIO)
    return link_in(mail.outbox[0])


def new_account(client, link: str, username: str = "newcomer", password: str = "Tulip-Orbit-42"):
    return client.post(
        link,
        {
            "username": username,
            "first_name": "Nia",
            "last_name": "Cole",
            "password1": password,
            "password2": password,
        },
    )


def test_a_new_person_creates_their_account_from_the_link_and_joins(cast, link):
    client = cast.client_for(None)
    assert "Create your account" in client.get(link).content.decode()
    response = new_account(client, link)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "newcomer@example.com"
    assert not user.is_staff and not user.is_superuser
    assert Membership.objects.get(user=user).role == Role.CIO
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    home = client.get("/")
    assert home.status_code == 200 and home.context["membership"].organisation == cast.org


def test_an_invitation_link_works_only_once(cast, link):
    new_account(cast.client_for(None), link)
    again = new_account(cast.client_for(None), link, username="second-try")
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert not get_user_model().objects.filter(username="second-try").exists()


def test_an_expired_invitation_is_refused(cast, link):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = new_account(cast.client_for(None), link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_a_tampered_link_is_not_an_invitation(cast, link):
    response = cast.client_for(None).get(link.replace("/invitations/", "/invitations/x"))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_a_weak_password_is_refused_and_the_invitation_stays_usable(cast, link):
    response = new_account(cast.client_for(None), link, password="newcomer")
    assert response.status_code == 400
    assert "too similar" in response.content.decode() or "too short" in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_taken_username_is_refused(cast, link):
    response = new_account(cast.client_for(None), link, username="a-manager")
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_accepting_needs_get_or_post(cast, link):
    assert cast.client_for(None).put(link).status_code == 405


def test_someone_with_an_account_logs_in_then_joins_a_second_organisation(cast):
    invite(cast, email="b-manager@example.com", role=Role.MANAGER)
    link = link_in(mail.outbox[0])
    anonymous = cast.client_for(None)
    page = anonymous.get(link).content.decode()
    assert "Log in to accept" in page and "Create your account" not in page
    assert new_account(anonymous, link).status_code == 400  # no second account for the address
    client = cast.client_for("outsider")
    assert "Join as b-manager" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert (
        Membership.objects.get(user=cast.outsider.user, organisation=cast.org).role == Role.MANAGER
    )
    assert client.session[SESSION_KEY] == cast.org.pk
    assert Membership.objects.filter(user=cast.outsider.user).count() == 2


def test_a_link_cannot_be_accepted_by_an_account_with_another_address(cast, link):
    client = cast.client_for("outsider")
    assert "Log out and continue" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 403
    assert "was sent to newcomer@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=cast.outsider.user, organisation=cast.org).exists()
    assert Invitation.objects.get().accepted_at is None
    switched = client.post(reverse("logout"), {"next": link})
    assert switched.status_code == 302 and switched.url == link
    assert "Create your account" in client.get(link).content.decode()


def test_an_invitation_never_changes_the_role_of_someone_already_a_member(cast):
    Invitation.objects.create(
        organisation=cast.org,
        email="a-cio@example.com",
        role=Role.ADMIN,
        invited_by=cast.admin.user,
        expires_at=timezone.now() + timedelta(days=1),
    )
    link = reverse("invitation-accept", args=[invitation_token(Invitation.objects.get())])
    response = cast.client_for("cio").post(link)
    assert response.status_code == 302
    cast.cio.refresh_from_db()
    assert cast.cio.role == Role.CIO
    assert Invitation.objects.get().accepted_at is not None


# ---------------------------------------------------------------- withdrawing


def test_an_admin_withdraws_an_invitation_and_its_link_stops_working(cast, link):
    invitation = Invitation.objects.get()
    url = reverse("invitation-withdraw", args=[invitation.pk])
    assert cast.client_for("admin").get(url).status_code == 405
    assert cast.client_for("manager").post(url).status_code == 403
    assert cast.client_for("admin").post(url).status_code == 302
    response = cast.client_for(None).get(link)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_an_admin_cannot_withdraw_another_organisations_invitation(cast, link, other_admin):
    invitation = Invitation.objects.get()
    url = reverse("invitation-withdraw", args=[invitation.pk])
    assert client_of(cast, other_admin).post(url).status_code == 404
    assert Invitation.objects.get().revoked_at is None


# ---------------------------------------------------------------- roles


def role_url(membership: Membership) -> str:
    return reverse("member-role", args=[membership.pk])


def change_role(client, membership: Membership, role: str):
    return client.post(role_url(membership), {f"m{membership.pk}-role": role})


def test_an_admin_changes_a_members_role(cast):
    response = change_role(cast.client_for("admin"), cast.manager, Role.CIO)
    assert response.status_code == 302
    cast.manager.refresh_from_db()
    assert cast.manager.role == Role.CIO


@pytest.mark.parametrize("who", ["manager", "cio"])
def test_members_who_are_not_admins_cannot_change_roles(cast, who):
    assert change_role(cast.client_for(who), cast.manager, Role.ADMIN).status_code == 403
    cast.manager.refresh_from_db()
    assert cast.manager.role == Role.MANAGER


def test_changing_a_role_needs_post(cast):
    assert cast.client_for("admin").get(role_url(cast.manager)).status_code == 405


def test_anonymous_people_cannot_change_roles(cast):
    response = change_role(cast.client_for(None), cast.manager, Role.ADMIN)
    assert response.status_code == 302
    cast.manager.refresh_from_db()
    assert cast.manager.role == Role.MANAGER


def test_an_admin_cannot_change_roles_in_another_organisation(cast, other_admin):
    response = change_role(client_of(cast, other_admin), cast.manager, Role.ADMIN)
    assert response.status_code == 404
    cast.manager.refresh_from_db()
    assert cast.manager.role == Role.MANAGER


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_a_member_id_that_no_one_has_is_a_404(cast, pk):
    url = f"/accounts/members/{pk}/role/"
    assert cast.client_for("admin").post(url, {"role": Role.CIO}).status_code == 404


def test_an_unknown_role_is_refused_in_words(cast):
    response = change_role(cast.client_for("admin"), cast.manager, "owner")
    assert response.status_code == 400
    assert "Choose a role from the list" in response.content.decode()
    cast.manager.refresh_from_db()
    assert cast.manager.role == Role.MANAGER


def test_the_last_admin_cannot_be_demoted(cast):
    response = change_role(cast.client_for("admin"), cast.admin, Role.MANAGER)
    assert response.status_code == 409
    assert "last admin of Organisation A" in response.content.decode()
    cast.admin.refresh_from_db()
    assert cast.admin.role == Role.ADMIN


def test_an_admin_steps_down_once_there_is_another_admin(cast):
    client = cast.client_for("admin")
    assert change_role(client, cast.manager, Role.ADMIN).status_code == 302
    response = change_role(client, cast.admin, Role.MANAGER)
    assert response.status_code == 302 and response.url == reverse("home")
    cast.admin.refresh_from_db()
    assert cast.admin.role == Role.MANAGER
    assert client.get(MEMBERS).status_code == 403


def test_an_admin_elsewhere_does_not_count_as_another_admin_here(cast, other_admin):
    MembershipFactory(user=other_admin.user, organisation=cast.org, role=Role.CIO)
    assert change_role(cast.client_for("admin"), cast.admin, Role.CIO).status_code == 409


# ---------------------------------------------------------------- removing


def remove_url(membership: Membership) -> str:
    return reverse("member-remove", args=[membership.pk])


def test_an_admin_confirms_then_removes_a_member_who_loses_access_at_once(cast):
    leaver = cast.client_for("manager")
    admin = cast.client_for("admin")
    confirm = admin.get(remove_url(cast.manager))
    assert confirm.status_code == 200
    assert "from Organisation A?" in confirm.content.decode()
    assert Membership.objects.filter(pk=cast.manager.pk).exists()  # GET only asks
    assert admin.post(remove_url(cast.manager)).status_code == 302
    assert not Membership.objects.filter(pk=cast.manager.pk).exists()
    assert get_user_model().objects.filter(username="a-manager").exists()
    assert leaver.get("/").status_code == 403  # signed in, but a member of nothing now


@pytest.mark.parametrize("who", ["manager", "cio"])
def test_members_who_are_not_admins_cannot_remove_anyone(cast, who):
    client = cast.client_for(who)
    assert client.get(remove_url(cast.cio)).status_code == 403
    assert client.post(remove_url(cast.cio)).status_code == 403
    assert Membership.objects.filter(pk=cast.cio.pk).exists()


def test_removing_needs_get_or_post(cast):
    assert cast.client_for("admin").put(remove_url(cast.cio)).status_code == 405
    assert Membership.objects.filter(pk=cast.cio.pk).exists()


def test_an_admin_cannot_remove_members_of_another_organisation(cast, other_admin):
    client = client_of(cast, other_admin)
    assert client.get(remove_url(cast.manager)).status_code == 404
    assert client.post(remove_url(cast.manager)).status_code == 404
    assert Membership.objects.filter(pk=cast.manager.pk).exists()


def test_the_last_admin_cannot_be_removed(cast):
    response = cast.client_for("admin").post(remove_url(cast.admin))
    assert response.status_code == 409
    assert "cannot be removed" in response.content.decode()
    assert Membership.objects.filter(pk=cast.admin.pk).exists()


def test_removing_someone_keeps_their_other_organisations(cast, other_admin):
    MembershipFactory(user=cast.outsider.user, organisation=cast.org, role=Role.CIO)
    cast.client_for("admin").post(
        remove_url(Membership.objects.get(user=cast.outsider.user, organisation=cast.org))
    )
    assert list(Membership.objects.filter(user=cast.outsider.user)) == [cast.outsider]


# ---------------------------------------------------------------- Django admin


def test_an_organisation_admin_cannot_open_django_admin_even_with_staff_status(cast):
    assert cast.admin.user.is_staff and not cast.admin.user.is_superuser
    response = cast.client_for("admin").get("/admin/accounts/membership/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_a_platform_superuser_opens_django_admin(db, client):
    operator = get_user_model().objects.create_superuser("op", "op@example.com", PASSWORD)
    client.force_login(operator)
    assert client.get("/admin/accounts/invitation/").status_code == 200
    operator.is_active = False
    operator.save()
    assert client.get("/admin/").status_code == 302


def test_a_superuser_without_staff_status_is_kept_out_of_django_admin(db, client):
    user = UserFactory(username="odd", is_superuser=True, is_staff=False)
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_the_same_person_is_admin_in_one_organisation_and_manager_in_another(db):
    org_c = OrganisationFactory(name="Organisation C")
    org_d = OrganisationFactory(name="Organisation D")
    person = UserFactory(username="dual")
    MembershipFactory(user=person, organisation=org_c, role=Role.ADMIN)
    MembershipFactory(user=person, organisation=org_d, role=Role.MANAGER)
    client = Client()
    client.login(username="dual", password=PASSWORD)
    client.post(reverse("switch-organisation"), {"organisation": org_c.pk})
    assert client.get(MEMBERS).status_code == 200
    client.post(reverse("switch-organisation"), {"organisation": org_d.pk})
    assert client.get(MEMBERS).status_code == 403
