"""Every vendor URL walks the ladder: anonymous, outsider, wrong role, wrong method, right person.

The outsider is a manager of organisation B: organisation A's criteria sets, events,
candidates, proposals and awards are missing for them (404), never forbidden. Vendor
records are shared, so they read those; only registry curators change them (an
organisation's admin proposes), and the curators' pages refuse everyone else.
"""

import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory
from vendors import services
from vendors.models import Vendor
from vendors.models.curation import CURATORS_GROUP

from .factories import make_assessment, make_event, proposal_of, scored_event
from .test_portal import RFP_CASES

pytestmark = pytest.mark.django_db

READ, EDITORS, ADMINS, CURATORS = "read", "editors", "admins", "curators"


@dataclass
class World:
    vendor: Vendor
    criteria_set: object
    event: object
    candidate: object
    proposal: object
    award: object
    change: object


@pytest.fixture
def world(cast) -> World:
    event = scored_event(cast)
    awarded = scored_event(
        cast,
        name="Awarded RFP",
        assessment=make_assessment(cast.org, cast.manager.user, name="Old"),
    )
    award = services.award_create(
        event=awarded,
        proposal=proposal_of(awarded, "Beta Cloud"),
        rationale="Cheapest",
        user=cast.manager.user,
    )
    return World(
        vendor=Vendor.objects.get(name="Alpha Services"),
        criteria_set=event.criteria_set,
        event=event,
        candidate=event.candidates.get(vendor__name="Alpha Services"),
        proposal=proposal_of(event, "Alpha Services"),
        award=award,
        change=services.change_proposal_submit(
            organisation=cast.org,
            user=cast.admin.user,
            vendor=None,
            proposed={"name": "Proposed Co"},
            reason="New supplier",
        ),
    )


# name, kwargs from the world, the right method, who may use it, scoped to organisation A
CASES = {
    "directory": (lambda w: {}, "get", READ, False),
    "vendor-create": (lambda w: {}, "get", ADMINS, False),
    "vendor-detail": (lambda w: {"pk": w.vendor.pk}, "get", READ, False),
    "vendor-edit": (lambda w: {"pk": w.vendor.pk}, "get", ADMINS, False),
    "note-add": (lambda w: {"pk": w.vendor.pk}, "post", EDITORS, False),
    "private-save": (lambda w: {"pk": w.vendor.pk}, "post", EDITORS, False),
    "change-list": (lambda w: {}, "get", READ, False),
    "change-detail": (lambda w: {"pk": w.change.pk}, "get", READ, True),
    "curation-queue": (lambda w: {}, "get", CURATORS, False),
    "curation-review": (lambda w: {"pk": w.change.pk}, "get", CURATORS, False),
    "vendor-curate": (lambda w: {"pk": w.vendor.pk}, "get", CURATORS, False),
    "vendor-deactivate": (lambda w: {"pk": w.vendor.pk}, "post", CURATORS, False),
    "vendor-merge": (lambda w: {"pk": w.vendor.pk}, "post", CURATORS, False),
    "vendor-delete": (lambda w: {"pk": w.vendor.pk}, "post", CURATORS, False),
    "criteria-list": (lambda w: {}, "get", READ, False),
    "criteria-create": (lambda w: {}, "post", EDITORS, False),
    "criteria-detail": (lambda w: {"pk": w.criteria_set.pk}, "get", READ, True),
    "criteria-weights": (lambda w: {"pk": w.criteria_set.pk}, "post", EDITORS, True),
    "criteria-judgement": (lambda w: {"pk": w.criteria_set.pk}, "post", EDITORS, True),
    "ahp-preview": (lambda w: {"pk": w.criteria_set.pk}, "post", EDITORS, True),
    "event-list": (lambda w: {}, "get", READ, False),
    "event-create": (lambda w: {}, "get", EDITORS, False),
    "event-detail": (lambda w: {"pk": w.event.pk}, "get", READ, True),
    "event-scope": (lambda w: {"pk": w.event.pk}, "post", EDITORS, True),
    "shortlist-accept": (lambda w: {"pk": w.event.pk}, "post", EDITORS, True),
    "candidate-decide": (
        lambda w: {"pk": w.event.pk, "candidate_pk": w.candidate.pk},
        "post",
        EDITORS,
        True,
    ),
    "event-cancel": (lambda w: {"pk": w.event.pk}, "post", EDITORS, True),
    "proposal-edit": (
        lambda w: {"pk": w.event.pk, "candidate_pk": w.candidate.pk},
        "get",
        EDITORS,
        True,
    ),
    "proposal-detail": (
        lambda w: {"pk": w.event.pk, "proposal_pk": w.proposal.pk},
        "get",
        READ,
        True,
    ),
    "proposal-score": (
        lambda w: {"pk": w.event.pk, "proposal_pk": w.proposal.pk},
        "get",
        EDITORS,
        True,
    ),
    "event-ranking": (lambda w: {"pk": w.event.pk}, "get", READ, True),
    "event-award": (lambda w: {"pk": w.event.pk}, "get", EDITORS, True),
    "award-detail": (lambda w: {"pk": w.award.pk}, "get", READ, True),
}


def url_of(world: World, name: str) -> str:
    kwargs, *_ = CASES[name]
    return reverse(f"vendors:{name}", kwargs=kwargs(world))


def call(client, method: str, url: str):
    if method == "post":
        return client.post(url, {})
    return client.get(url)


def test_the_ladder_covers_every_vendor_url():
    from vendors.urls import urlpatterns

    # The RFP's URLs have a ladder of their own, over an RFP with responses.
    assert {pattern.name for pattern in urlpatterns} == set(CASES) | set(RFP_CASES)


@pytest.mark.parametrize("name", CASES)
def test_anonymous_people_are_sent_to_log_in(cast, world, name):
    _, method, _, _ = CASES[name]
    response = call(cast.client_for(None), method, url_of(world, name))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("name", [n for n, case in CASES.items() if case[3]])
def test_another_organisations_ids_are_missing_for_the_outsider(cast, world, name):
    _, method, _, _ = CASES[name]
    response = call(cast.client_for("outsider"), method, url_of(world, name))
    assert response.status_code == 404


@pytest.mark.parametrize("name", [n for n, case in CASES.items() if case[2] != READ])
def test_the_wrong_role_is_forbidden(cast, world, name):
    _, method, who, _ = CASES[name]
    wrong = {ADMINS: "manager", CURATORS: "admin"}.get(who, "cio")
    response = call(cast.client_for(wrong), method, url_of(world, name))
    assert response.status_code == 403


@pytest.mark.parametrize("name", CASES)
def test_the_wrong_method_is_not_allowed(cast, world, name):
    _, method, who, _ = CASES[name]
    person = "admin" if who == ADMINS else "manager"
    client = cast.client_for(person)
    if who == CURATORS:
        curator = UserFactory(username="registry-curator")
        curator.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
        client.force_login(curator)
    url = url_of(world, name)
    response = client.get(url) if method == "post" else client.put(url)
    assert response.status_code == 405


@pytest.mark.parametrize("name", [n for n, case in CASES.items() if case[2] == READ])
def test_every_role_reads_the_pages_that_only_show(cast, world, name):
    for who in ("manager", "cio", "admin"):
        response = cast.client_for(who).get(url_of(world, name))
        assert response.status_code == 200, who


def test_the_outsider_reads_the_shared_registry_but_not_organisation_a_s_notes(cast, world):
    services.vendor_note_add(
        organisation=cast.org,
        vendor=world.vendor,
        author=cast.manager.user,
        text="Slow to answer e-mails",
    )
    inside = cast.client_for("cio").get(url_of(world, "vendor-detail")).content.decode()
    outside = cast.client_for("outsider").get(url_of(world, "vendor-detail")).content.decode()
    assert "Slow to answer e-mails" in inside
    assert "Slow to answer e-mails" not in outside
    assert "ITO wave 1 RFP" in inside and "ITO wave 1 RFP" not in outside
    assert (
        "Alpha Services"
        in cast.client_for("outsider").get(url_of(world, "directory")).content.decode()
    )


def test_the_outsider_cannot_reach_organisation_a_s_event_through_its_own_event(cast, world):
    other = make_event(cast, organisation=cast.other_org, user=cast.outsider.user, name="B's event")
    client = cast.client_for("outsider")
    url = reverse(
        "vendors:candidate-decide", kwargs={"pk": other.pk, "candidate_pk": world.candidate.pk}
    )
    assert client.post(url, {"reason": "x", "invite": "0"}).status_code == 404
    url = reverse(
        "vendors:proposal-detail", kwargs={"pk": other.pk, "proposal_pk": world.proposal.pk}
    )
    assert client.get(url).status_code == 404


def test_the_ahp_preview_answers_the_right_person_in_json(cast, world):
    n = world.criteria_set.criteria.count()
    matrix = [[1] * n for _ in range(n)]
    response = cast.client_for("manager").post(
        url_of(world, "ahp-preview"),
        json.dumps({"matrix": matrix}),
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["cr"] == 0 and body["consistent"] is True
    assert sum(w["percent"] for w in body["weights"]) == pytest.approx(100, abs=0.5)
