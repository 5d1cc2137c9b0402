"""Quotas on board packs: one unfinished pack per person, two per organisation."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from outsourcing.dashboard.boardpacks.services import (
    BOARD_PACKS_PER_ORGANISATION,
    BOARD_PACKS_PER_PERSON,
    BoardPackQuotaError,
    board_pack_request,
)
from outsourcing.dashboard.selectors import DashboardFilters
from outsourcing.models import BoardPack, PackStatus
from tests.factories import PASSWORD, MembershipFactory, UserFactory


def ask(cast, who, query: str = ""):
    """A pack asked for on the dashboard. Nothing commits in these tests, so it stays queued."""
    return cast.client_for(who).post(f"{reverse('board-pack-start')}{query}", {"format": "xlsx"})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def second_cio(cast) -> Client:
    """A client logged in as a second CIO of organisation A."""
    membership = MembershipFactory(
        user=UserFactory(username="a-cio-2"), organisation=cast.org, role=Role.CIO
    )
    client = Client()
    client.login(username=membership.user.username, password=PASSWORD)
    return client


def test_the_documented_limits_are_one_per_person_and_two_per_organisation():
    assert (BOARD_PACKS_PER_PERSON, BOARD_PACKS_PER_ORGANISATION) == (1, 2)


def test_a_second_pack_while_the_first_is_prepared_is_refused_with_a_message(cast):
    assert ask(cast, "cio").status_code == 302
    response = ask(cast, "cio", "?business_function=HR")
    assert response.status_code == 302
    assert response.url == f"{reverse('dashboard')}?business_function=HR"
    assert messages_of(response) == [
        "You already have 1 board pack being prepared, the most one person may have at once. "
        "Wait for it to finish (the list below shows its progress), then start the next one."
    ]
    assert BoardPack.objects.count() == 1


def test_the_refusal_shows_on_the_dashboard(cast):
    ask(cast, "cio")
    client = cast.client_for("cio")
    client.post(reverse("board-pack-start"), {"format": "pdf"})
    page = client.get(reverse("dashboard")).content.decode()
    assert "You already have 1 board pack being prepared" in page


def test_the_organisation_limit_counts_every_member(cast, second_cio):
    ask(cast, "cio")
    ask(cast, "admin")
    response = second_cio.post(reverse("board-pack-start"), {"format": "pdf"})
    assert messages_of(response) == [
        "Your organisation already has 2 board packs being prepared, the most it may have "
        "at once. Wait for one to finish, then start yours."
    ]
    assert BoardPack.objects.count() == 2


@pytest.mark.parametrize("status", [PackStatus.DONE, PackStatus.FAILED])
def test_a_finished_pack_frees_its_place(cast, status):
    ask(cast, "cio")
    BoardPack.objects.update(status=status)
    response = ask(cast, "cio")
    assert response.url == reverse("board-pack", args=[BoardPack.objects.latest("pk").pk])
    assert BoardPack.objects.count() == 2


def test_a_running_pack_counts(cast):
    ask(cast, "cio")
    BoardPack.objects.update(status=PackStatus.RUNNING)
    ask(cast, "cio")
    assert BoardPack.objects.count() == 1


def test_a_pack_the_workers_lost_an_hour_ago_no_longer_counts(cast):
    ask(cast, "cio")
    BoardPack.objects.update(
        status=PackStatus.RUNNING, created_at=timezone.now() - dt.timedelta(hours=1, minutes=1)
    )
    ask(cast, "cio")
    assert BoardPack.objects.count() == 2


def test_another_organisations_packs_do_not_count(cast):
    other_admin = MembershipFactory(organisation=cast.other_org, role=Role.ADMIN)
    for _ in range(2):
        BoardPack.objects.create(
            organisation=cast.other_org, requested_by=other_admin.user, format="pdf"
        )
    ask(cast, "cio")
    assert BoardPack.objects.filter(organisation=cast.org).count() == 1


def test_the_service_refuses_with_a_quota_error_and_saves_nothing(cast):
    board_pack_request(
        organisation=cast.org, user=cast.cio.user, pack_format="xlsx", filters=DashboardFilters()
    )
    with pytest.raises(BoardPackQuotaError):
        board_pack_request(
            organisation=cast.org, user=cast.cio.user, pack_format="pdf", filters=DashboardFilters()
        )
    assert BoardPack.objects.count() == 1


def test_settings_change_the_limits(cast, settings):
    settings.SOURCEWISE_BOARD_PACKS_PER_PERSON = 2
    ask(cast, "cio")
    ask(cast, "cio")
    assert BoardPack.objects.count() == 2
