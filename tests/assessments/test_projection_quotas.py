"""Quotas on projections: a person and an organisation may have only so many unfinished."""

import threading

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from assessments.models import Projection, ProjectionStatus
from assessments.projections.services import (
    PROJECTIONS_PER_ORGANISATION,
    PROJECTIONS_PER_PERSON,
    ProjectionQuotaError,
    projection_request,
)
from tests.assessments.projection_fixtures import make_assessment
from tests.assessments.test_projection_service import unreachable_broker  # noqa: F401

TYPED = {"trials": "1234", "seed": "77", "horizon_months": "36", "discount_rate_pct": "6.25"}


@pytest.fixture
def assessment(cast):
    return make_assessment(cast.org, cast.manager.user)


def start(cast, who, assessment):
    return cast.client_for(who).post(
        reverse("assessments:projection-start", kwargs={"pk": assessment.pk}), TYPED
    )


def queued(assessment, user, count: int) -> None:
    """``count`` projections left queued: in these tests nothing commits, so none is sent."""
    for _ in range(count):
        projection_request(assessment=assessment, user=user, trials=500, quota=True)


def test_the_documented_limits_are_two_per_person_and_four_per_organisation():
    assert (PROJECTIONS_PER_PERSON, PROJECTIONS_PER_ORGANISATION) == (2, 4)


def test_a_person_below_the_limit_starts_a_projection(cast, assessment):
    queued(assessment, cast.manager.user, PROJECTIONS_PER_PERSON - 1)
    response = start(cast, "manager", assessment)
    assert response.status_code == 302
    assert Projection.objects.filter(requested_by=cast.manager.user).count() == 2


def test_a_person_at_the_limit_is_told_to_wait_and_nothing_is_saved(cast, assessment):
    queued(assessment, cast.manager.user, PROJECTIONS_PER_PERSON)
    response = start(cast, "manager", assessment)
    assert response.status_code == 429
    page = response.content.decode()
    assert "You already have 2 projections queued or running" in page
    assert "Wait for one of them to finish" in page
    assert Projection.objects.count() == PROJECTIONS_PER_PERSON


def test_the_refused_form_keeps_what_was_typed(cast, assessment):
    queued(assessment, cast.manager.user, PROJECTIONS_PER_PERSON)
    form = start(cast, "manager", assessment).context["form"]
    assert form.data["trials"] == "1234"
    assert {name: form[name].value() for name in TYPED} == TYPED


def test_the_organisation_limit_counts_every_member(cast, assessment):
    queued(assessment, cast.manager.user, 2)
    queued(assessment, cast.admin.user, 2)
    response = start(cast, "cio", assessment)
    assert response.status_code == 429
    assert "Your organisation already has 4 projections queued or running" in (
        response.content.decode()
    )
    assert not Projection.objects.filter(requested_by=cast.cio.user).exists()


def test_another_organisations_projections_do_not_count(cast, assessment):
    theirs = make_assessment(cast.other_org, cast.outsider.user)
    for _ in range(2):
        projection_request(assessment=theirs, user=cast.outsider.user, trials=500)
    queued(assessment, cast.manager.user, 1)
    queued(assessment, cast.admin.user, 2)
    assert start(cast, "cio", assessment).status_code == 302


@pytest.mark.parametrize("status", [ProjectionStatus.DONE, ProjectionStatus.FAILED])
def test_a_finished_projection_frees_its_place(cast, assessment, status):
    queued(assessment, cast.manager.user, PROJECTIONS_PER_PERSON)
    Projection.objects.filter(pk=Projection.objects.first().pk).update(status=status)
    assert start(cast, "manager", assessment).status_code == 302


def test_a_running_projection_counts_like_a_queued_one(cast, assessment):
    queued(assessment, cast.manager.user, PROJECTIONS_PER_PERSON)
    Projection.objects.update(status=ProjectionStatus.RUNNING)
    assert start(cast, "manager", assessment).status_code == 429


def test_the_service_refuses_with_a_quota_error_and_saves_nothing(cast, assessment):
    queued(assessment, cast.manager.user, PROJECTIONS_PER_PERSON)
    with pytest.raises(ProjectionQuotaError, match="the most one person may have at once"):
        projection_request(assessment=assessment, user=cast.manager.user, quota=True)
    assert Projection.objects.count() == PROJECTIONS_PER_PERSON


def test_settings_change_the_limits(cast, assessment, settings):
    settings.SOURCEWISE_PROJECTIONS_PER_PERSON = 1
    queued(assessment, cast.manager.user, 1)
    response = start(cast, "manager", assessment)
    assert response.status_code == 429
    assert "You already have 1 projection queued or running" in response.content.decode()


def test_a_projection_a_roadmap_change_starts_is_never_refused_but_counts(cast, assessment):
    for _ in range(3):  # as a submit or an override starts them, without the quota
        projection_request(assessment=assessment, user=cast.manager.user, trials=500)
    assert Projection.objects.unfinished().count() == 3
    assert start(cast, "manager", assessment).status_code == 429


def test_two_requests_sent_together_cannot_both_take_the_last_place(
    cast,
    assessment,
    transactional_db,
    unreachable_broker,  # noqa: F811
):
    # The broker is down, so a committed projection stays queued and keeps its place.
    queued(assessment, cast.manager.user, PROJECTIONS_PER_PERSON - 1)
    ready = threading.Barrier(2)
    outcomes: list[str] = []

    def request() -> None:
        try:
            ready.wait()
            projection_request(
                assessment=assessment, user=cast.manager.user, trials=500, quota=True
            )
            outcomes.append("started")
        except ProjectionQuotaError:
            outcomes.append("refused")
        except OperationalError:
            outcomes.append("locked")  # SQLite: the second writer of a race is turned away
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) in (["refused", "started"], ["locked", "started"])
    if connection.vendor == "postgresql":
        assert sorted(outcomes) == ["refused", "started"]
    assert (
        Projection.objects.unfinished().filter(requested_by=cast.manager.user).count()
        == PROJECTIONS_PER_PERSON
    )
