"""Sourcing events over /api/v1/: create, shortlist, proposals, scores and the ranking,
with the pages' rules (managers and admins write, the CIO reads, other organisations see
nothing)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests.vendors.factories import (
    ito_vendors,
    make_assessment,
    make_event,
    proposal_of,
    scored_event,
)
from vendors import services
from vendors.models import (
    CandidateChange,
    Evaluation,
    EventStatus,
    Proposal,
    SourcingEvent,
)
from vendors.selectors.scoreboard import event_scoreboard

from .conftest import api_client

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/events/"


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def open_event(cast):
    ito_vendors()
    event = make_event(cast)
    services.shortlist_accept(event=event, user=cast.manager.user)
    return event


def gbp(amount: str) -> dict:
    return {"amount": amount, "currency": "GBP"}


def scored_criteria(event: SourcingEvent) -> list:
    return list(event.criteria_set.criteria.exclude(code="cost"))


# ---------------------------------------------------------------- creating events


def test_a_manager_creates_an_event_from_a_roadmap_wave(cast, tokens):
    ito_vendors()
    assessment = make_assessment(cast.org, cast.manager.user)
    response = api_client(tokens["manager"]).post(
        EVENTS,
        {
            "name": "  ITO   wave 1 RFP ",
            "assessment": assessment.pk,
            "wave": 1,
            "deadline": days(30),
            "planned_start": days(120),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    event = SourcingEvent.objects.get()
    assert (body["id"], body["name"], body["status"], body["model"], body["wave"]) == (
        event.pk,
        "ITO wave 1 RFP",
        "draft",
        "ITO",
        1,
    )
    assert body["currency"] == "GBP" and body["created_by"] == "a-manager"
    assert [item["process_name"] for item in body["scope"]] == [
        "Service desk",
        "Network infrastructure",
        "Data centre hosting",
    ]
    # The shortlist is proposed at once, as on the page.
    assert event.candidates.filter(proposed=True).count() == 3


def test_a_manager_creates_an_event_from_hand_picked_processes(cast, tokens):
    assessment = make_assessment(cast.org, cast.manager.user)
    payroll = assessment.processes.get(name="Payroll processing")
    response = api_client(tokens["admin"]).post(
        EVENTS,
        {
            "name": "Payroll RFP",
            "processes": [payroll.pk],
            "model": "BPO",
            "deadline": days(30),
            "planned_start": days(120),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["wave"] is None and response.json()["model"] == "BPO"


@pytest.mark.parametrize(
    ("change", "attr"),
    [
        ({"wave": 9}, "wave"),
        ({"deadline": days(-1)}, "deadline"),
        ({"planned_start": days(10)}, "planned_start"),
        ({"wave": None}, "wave"),
        ({"wave": 10**30}, "wave"),
        ({"processes": [1], "model": "ITO"}, "non_field_errors"),
        ({"criteria_set": 999999}, "criteria_set"),
        ({"colour": "red"}, "colour"),
        ({"deadline": "31/12/2099"}, "deadline"),
    ],
)
def test_a_bad_event_is_refused_in_words_and_nothing_is_saved(cast, tokens, change, attr):
    assessment = make_assessment(cast.org, cast.manager.user)
    body = {
        "name": "RFP",
        "assessment": assessment.pk,
        "wave": 1,
        "deadline": days(30),
        "planned_start": days(120),
        **change,
    }
    response = api_client(tokens["manager"]).post(EVENTS, body, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["errors"][0]
    assert error["attr"] == attr and error["detail"]
    assert not SourcingEvent.objects.exists()


def test_another_organisations_assessment_or_processes_cannot_be_used(cast, tokens):
    theirs = make_assessment(cast.other_org, cast.outsider.user)
    client = api_client(tokens["manager"])
    by_wave = client.post(
        EVENTS,
        {
            "name": "RFP",
            "assessment": theirs.pk,
            "wave": 1,
            "deadline": days(30),
            "planned_start": days(120),
        },
        format="json",
    )
    process = theirs.processes.first()
    by_pick = client.post(
        EVENTS,
        {
            "name": "RFP",
            "processes": [process.pk],
            "model": "ITO",
            "deadline": days(30),
            "planned_start": days(120),
        },
        format="json",
    )
    assert by_wave.status_code == by_pick.status_code == 400
    assert by_pick.json()["errors"][0]["attr"] == "processes"
    assert not SourcingEvent.objects.exists()


@pytest.mark.parametrize("who", ["cio", "read_only"])
def test_a_cio_or_a_read_only_token_cannot_create_an_event(cast, tokens, who):
    assessment = make_assessment(cast.org, cast.manager.user)
    response = api_client(tokens[who]).post(
        EVENTS,
        {
            "name": "RFP",
            "assessment": assessment.pk,
            "wave": 1,
            "deadline": days(30),
            "planned_start": days(120),
        },
        format="json",
    )
    assert response.status_code == 403
    assert not SourcingEvent.objects.exists()


def test_the_event_list_shows_the_organisations_events_only_and_filters(cast, tokens):
    ours = make_event(cast)
    make_event(cast, organisation=cast.other_org, user=cast.outsider.user, name="B's RFP")
    client = api_client(tokens["cio"])
    listed = client.get(EVENTS).json()["results"]
    assert [event["id"] for event in listed] == [ours.pk]
    assert listed[0]["process_count"] == 3
    assert client.get(EVENTS, {"status": "open"}).json()["results"] == []
    assert len(client.get(EVENTS, {"status": "draft"}).json()["results"]) == 1
    assert client.get(EVENTS, {"status": "nonsense"}).status_code == 400
    assert client.get(EVENTS, {"assessment": 10**30}).status_code == 400


def test_another_organisations_event_is_a_404_everywhere(cast, tokens):
    # Organisation B buys from the United Kingdom too, so the same vendors qualify.
    cast.other_org.home_country = "United Kingdom"
    cast.other_org.save()
    theirs = scored_event(cast, organisation=cast.other_org, user=cast.outsider.user)
    proposal = theirs.proposals.first()
    candidate = theirs.candidates.first()
    client = api_client(tokens["manager"])
    for url in (
        f"{EVENTS}{theirs.pk}/",
        f"{EVENTS}{theirs.pk}/ranking/",
        f"{EVENTS}{theirs.pk}/candidates/",
        f"{EVENTS}{theirs.pk}/proposals/",
        f"{EVENTS}{theirs.pk}/proposals/{proposal.pk}/",
        f"{EVENTS}{theirs.pk}/proposals/{proposal.pk}/scores/",
        f"{EVENTS}{theirs.pk}/candidates/{candidate.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    writes = [
        client.post(f"{EVENTS}{theirs.pk}/cancel/", {"reason": "x"}, format="json"),
        client.post(
            f"{EVENTS}{theirs.pk}/candidates/{candidate.pk}/remove/", {"reason": "x"}, format="json"
        ),
        client.patch(
            f"{EVENTS}{theirs.pk}/proposals/{proposal.pk}/", {"term_months": 12}, format="json"
        ),
        client.put(
            f"{EVENTS}{theirs.pk}/proposals/{proposal.pk}/scores/", {"scores": []}, format="json"
        ),
    ]
    assert [response.status_code for response in writes] == [404] * 4
    theirs.refresh_from_db()
    assert theirs.status == EventStatus.EVALUATING
    assert Proposal.objects.get(pk=proposal.pk).term_months == 60


def test_ours_under_another_events_id_is_a_404(cast, tokens, open_event):
    other = make_event(cast, name="Second RFP")
    candidate = open_event.candidates.first()
    response = api_client(tokens["manager"]).get(f"{EVENTS}{other.pk}/candidates/{candidate.pk}/")
    assert response.status_code == 404


def test_events_are_for_signed_in_members_only(cast):
    event = make_event(cast)
    assert APIClient().get(EVENTS).status_code == 401
    assert APIClient().get(f"{EVENTS}{event.pk}/ranking/").status_code == 401


# ---------------------------------------------------------------- the shortlist


def test_candidates_say_why_and_a_manager_adds_or_removes_one_with_a_reason(cast, tokens):
    ito_vendors()
    event = make_event(cast)
    client = api_client(tokens["manager"])
    listed = client.get(f"{EVENTS}{event.pk}/candidates/").json()["results"]
    by_name = {row["vendor"]["name"]: row for row in listed}
    assert by_name["Alpha Services"]["on_shortlist"] is True
    assert by_name["Delta Payroll"]["on_shortlist"] is False
    assert by_name["Delta Payroll"]["reasons"]

    delta = by_name["Delta Payroll"]["id"]
    refused = client.post(
        f"{EVENTS}{event.pk}/candidates/{delta}/add/", {"reason": "  "}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["attr"] == "reason"
    assert not CandidateChange.objects.exists()
    added = client.post(
        f"{EVENTS}{event.pk}/candidates/{delta}/add/", {"reason": "Our incumbent"}, format="json"
    )
    assert added.status_code == 200, added.json()
    assert added.json()["on_shortlist"] is True and added.json()["invited"] is True
    assert added.json()["changes"][0]["reason"] == "Our incumbent"
    alpha = by_name["Alpha Services"]["id"]
    removed = client.post(
        f"{EVENTS}{event.pk}/candidates/{alpha}/remove/",
        {"reason": "Failed security review"},
        format="json",
    )
    assert removed.json()["on_shortlist"] is False
    assert list(CandidateChange.objects.values_list("action", flat=True)) == ["add", "remove"]


def test_the_shortlist_is_accepted_and_the_event_cancelled_with_a_reason(cast, tokens):
    ito_vendors()
    event = make_event(cast)
    client = api_client(tokens["manager"])
    accepted = client.post(f"{EVENTS}{event.pk}/shortlist/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "open"
    again = client.post(f"{EVENTS}{event.pk}/shortlist/accept/")
    assert again.status_code == 400 and "open for proposals" in again.json()["errors"][0]["detail"]
    assert client.post(f"{EVENTS}{event.pk}/cancel/", {}, format="json").status_code == 400
    cancelled = client.post(f"{EVENTS}{event.pk}/cancel/", {"reason": "Postponed"}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "Postponed"


@pytest.mark.parametrize("who", ["cio", "read_only"])
def test_a_cio_or_read_only_token_cannot_change_the_shortlist(cast, tokens, who, open_event):
    candidate = open_event.candidates.get(vendor__name="Alpha Services")
    client = api_client(tokens[who])
    assert (
        client.post(
            f"{EVENTS}{open_event.pk}/candidates/{candidate.pk}/remove/",
            {"reason": "x"},
            format="json",
        ).status_code
        == 403
    )
    assert (
        client.post(f"{EVENTS}{open_event.pk}/cancel/", {"reason": "x"}, format="json").status_code
        == 403
    )
    candidate.refresh_from_db()
    open_event.refresh_from_db()
    assert candidate.invited and open_event.status == EventStatus.OPEN


# ---------------------------------------------------------------- proposals


def test_a_manager_records_and_corrects_a_proposal_in_the_events_currency(cast, tokens, open_event):
    alpha = open_event.candidates.get(vendor__name="Alpha Services").vendor
    client = api_client(tokens["manager"])
    url = f"{EVENTS}{open_event.pk}/proposals/"
    created = client.post(
        url,
        {
            "vendor": alpha.pk,
            "annual_price": gbp("4500000.10"),
            "transition_cost": gbp("240000"),
            "term_months": 48,
            "proposed_slas": "P1 in 4 h",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["annual_price"] == gbp("4500000.10")
    assert body["transition_cost"] == gbp("240000.00")
    # 4,500,000.10 + 240,000 x 12 / 48
    assert body["annual_equivalent"] == gbp("4560000.10")
    proposal = Proposal.objects.get()
    assert (proposal.annual_price, proposal.term_months, proposal.entered_by) == (
        Decimal("4500000.10"),
        48,
        cast.manager.user,
    )

    corrected = client.patch(
        f"{url}{proposal.pk}/", {"annual_price": gbp("4400000")}, format="json"
    )
    assert corrected.status_code == 200, corrected.json()
    proposal.refresh_from_db()
    assert (proposal.annual_price, proposal.transition_cost, proposal.proposed_slas) == (
        Decimal("4400000"),
        Decimal("240000"),
        "P1 in 4 h",
    )
    listed = client.get(url).json()["results"]
    assert [(row["vendor"]["name"], row["annual_price"]) for row in listed] == [
        ("Alpha Services", gbp("4400000.00"))
    ]


@pytest.mark.parametrize(
    ("change", "attr"),
    [
        ({"annual_price": {"amount": "100", "currency": "EUR"}}, "annual_price"),
        ({"annual_price": {"amount": 4500000.5, "currency": "GBP"}}, "annual_price.amount"),
        ({"annual_price": "4500000"}, "annual_price"),
        ({"annual_price": gbp("1.005")}, "annual_price.amount"),
        ({"annual_price": gbp("1" * 30)}, "annual_price.amount"),
        ({"annual_price": gbp("NaN")}, "annual_price.amount"),
        ({"annual_price": gbp("-5")}, "annual_price"),
        ({"annual_price": {"amount": "5", "currency": "gbp"}}, "annual_price.currency"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 10**30}, "term_months"),
        ({"transition_cost": gbp("-1")}, "transition_cost"),
        ({"proposed_slas": "x" * 10001}, "proposed_slas"),
        ({"vendor": 999999}, "vendor"),
        ({"price": gbp("1")}, "price"),
    ],
)
def test_a_bad_proposal_is_refused_in_words_and_nothing_is_saved(
    cast, tokens, open_event, change, attr
):
    alpha = open_event.candidates.get(vendor__name="Alpha Services").vendor
    body = {"vendor": alpha.pk, "annual_price": gbp("4500000"), "term_months": 48, **change}
    response = api_client(tokens["manager"]).post(
        f"{EVENTS}{open_event.pk}/proposals/", body, format="json"
    )
    assert response.status_code == 400, response.json()
    error = response.json()["errors"][0]
    assert error["attr"] == attr and error["detail"]
    assert not Proposal.objects.exists()


def test_a_vendor_off_the_shortlist_or_with_a_proposal_cannot_send_another(
    cast, tokens, open_event
):
    client = api_client(tokens["manager"])
    url = f"{EVENTS}{open_event.pk}/proposals/"
    delta = open_event.candidates.get(vendor__name="Delta Payroll").vendor
    refused = client.post(
        url, {"vendor": delta.pk, "annual_price": gbp("1"), "term_months": 12}, format="json"
    )
    assert refused.status_code == 400
    assert "not on the shortlist" in refused.json()["errors"][0]["detail"]
    alpha = open_event.candidates.get(vendor__name="Alpha Services").vendor
    body = {"vendor": alpha.pk, "annual_price": gbp("1"), "term_months": 12}
    assert client.post(url, body, format="json").status_code == 201
    twice = client.post(url, body, format="json")
    assert twice.status_code == 400 and "PATCH" in twice.json()["errors"][0]["detail"]
    assert Proposal.objects.count() == 1


def test_listing_proposals_and_candidates_costs_the_same_queries_for_one_or_three(cast, tokens):
    client = api_client(tokens["manager"])
    counts = []
    for vendors in (1, 3):
        event = scored_event(cast, name=f"RFP {vendors}")
        event.proposals.exclude(pk__in=event.proposals.order_by("pk")[:vendors]).delete()
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(f"{EVENTS}{event.pk}/proposals/").json()["results"]) == (vendors)
            assert client.get(f"{EVENTS}{event.pk}/candidates/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_proposals_wait_for_the_shortlist(cast, tokens):
    ito_vendors()
    event = make_event(cast)  # a draft
    alpha = event.candidates.get(vendor__name="Alpha Services").vendor
    response = api_client(tokens["manager"]).post(
        f"{EVENTS}{event.pk}/proposals/",
        {"vendor": alpha.pk, "annual_price": gbp("1"), "term_months": 12},
        format="json",
    )
    assert response.status_code == 400
    assert "draft" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize("who", ["cio", "read_only"])
def test_a_cio_or_read_only_token_cannot_record_a_proposal(cast, tokens, who, open_event):
    alpha = open_event.candidates.get(vendor__name="Alpha Services").vendor
    response = api_client(tokens[who]).post(
        f"{EVENTS}{open_event.pk}/proposals/",
        {"vendor": alpha.pk, "annual_price": gbp("1"), "term_months": 12},
        format="json",
    )
    assert response.status_code == 403
    assert not Proposal.objects.exists()


# ---------------------------------------------------------------- scores


def test_the_caller_scores_a_proposal_and_corrects_the_scores(cast, tokens):
    event = scored_event(cast)
    proposal = proposal_of(event, "Alpha Services")
    criteria = scored_criteria(event)
    client = api_client(tokens["admin"])
    url = f"{EVENTS}{event.pk}/proposals/{proposal.pk}/scores/"
    assert client.get(url).json() == {"evaluator": "a-admin", "scores": []}
    scores = [{"criterion": c.pk, "score": 9, "comment": "Good"} for c in criteria]
    saved = client.put(url, {"scores": scores}, format="json")
    assert saved.status_code == 200, saved.json()
    assert [row["score"] for row in saved.json()["scores"]] == [9] * len(criteria)
    scores[0]["score"] = 3
    client.put(url, {"scores": scores}, format="json")
    mine = Evaluation.objects.filter(proposal=proposal, evaluator="a-admin")
    assert mine.count() == len(criteria)  # replaced, not duplicated
    assert sorted(mine.values_list("score", flat=True)) == [3] + [9] * (len(criteria) - 1)
    # Another evaluator's scores are untouched, and the spreads show all three.
    assert Evaluation.objects.filter(proposal=proposal, evaluator="Ann Evaluator").count() == (
        len(criteria)
    )
    detail = client.get(f"{EVENTS}{event.pk}/proposals/{proposal.pk}/").json()
    assert [s["evaluator"] for s in detail["spreads"][0]["scores"]] == [
        "Ann Evaluator",
        "Bob Evaluator",
        "a-admin",
    ]


def test_scoring_moves_an_open_event_to_evaluating(cast, tokens, open_event):
    alpha = open_event.candidates.get(vendor__name="Alpha Services").vendor
    proposal = services.proposal_save(
        event=open_event,
        vendor=alpha,
        user=cast.manager.user,
        data={"annual_price": Decimal("5"), "term_months": 12},
    )
    scores = [{"criterion": c.pk, "score": 7} for c in scored_criteria(open_event)]
    response = api_client(tokens["manager"]).put(
        f"{EVENTS}{open_event.pk}/proposals/{proposal.pk}/scores/",
        {"scores": scores},
        format="json",
    )
    assert response.status_code == 200, response.json()
    open_event.refresh_from_db()
    assert open_event.status == EventStatus.EVALUATING


@pytest.mark.parametrize(
    "problem", ["missing", "cost", "twice", "range", "unknown", "type", "extra"]
)
def test_bad_scores_are_refused_in_words_and_nothing_is_saved(cast, tokens, problem):
    event = scored_event(cast)
    proposal = proposal_of(event, "Beta Cloud")
    criteria = scored_criteria(event)
    scores = [{"criterion": c.pk, "score": 7, "comment": ""} for c in criteria]
    if problem == "missing":
        scores.pop()
    elif problem == "cost":
        scores.append({"criterion": event.criteria_set.criteria.get(code="cost").pk, "score": 7})
    elif problem == "twice":
        scores.append(dict(scores[0]))
    elif problem == "range":
        scores[0]["score"] = 11
    elif problem == "unknown":
        scores[0]["criterion"] = 10**30
    elif problem == "type":
        scores[0]["score"] = "high"
    else:
        scores[0]["weight"] = 3
    before = Evaluation.objects.count()
    response = api_client(tokens["manager"]).put(
        f"{EVENTS}{event.pk}/proposals/{proposal.pk}/scores/", {"scores": scores}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert response.json()["errors"][0]["attr"].startswith("scores")
    assert response.json()["errors"][0]["detail"]
    assert Evaluation.objects.count() == before
    assert not Evaluation.objects.filter(evaluator="a-manager").exists()


@pytest.mark.parametrize("who", ["cio", "read_only"])
def test_a_cio_or_read_only_token_reads_but_cannot_score(cast, tokens, who):
    event = scored_event(cast)
    proposal = proposal_of(event, "Beta Cloud")
    client = api_client(tokens[who])
    url = f"{EVENTS}{event.pk}/proposals/{proposal.pk}/scores/"
    assert client.get(url).status_code == 200
    scores = [{"criterion": c.pk, "score": 7} for c in scored_criteria(event)]
    assert client.put(url, {"scores": scores}, format="json").status_code == 403
    assert Evaluation.objects.filter(proposal=proposal).count() == 2 * len(scores)


# ---------------------------------------------------------------- the ranking


def test_the_ranking_is_the_scoreboard_the_page_shows(cast, tokens):
    event = scored_event(cast)
    response = api_client(tokens["cio"]).get(f"{EVENTS}{event.pk}/ranking/")
    assert response.status_code == 200
    body = response.json()
    board = event_scoreboard(event)
    assert [
        (row["vendor"]["name"], row["weighted_rank"], row["topsis_rank"]) for row in body["rows"]
    ] == [(row.vendor_name, row.weighted_rank, row.topsis_rank) for row in board.rows]
    assert [row["weighted_sum"] for row in body["rows"]] == [r.weighted_sum for r in board.rows]
    assert [row["topsis"] for row in body["rows"]] == [r.topsis for r in board.rows]
    assert [row["scores"][0]["score"] for row in body["rows"]] == [r.scores[0] for r in board.rows]
    assert body["rows"][0]["annual_equivalent"]["currency"] == "GBP"
    assert Decimal(body["rows"][0]["annual_equivalent"]["amount"]) == (
        board.rows[0].annual_equivalent.quantize(Decimal("0.01"))
    )
    assert sum(c["weight"] for c in body["criteria"]) == pytest.approx(1.0)
    assert [s["delta_points"] for s in body["sensitivity"]] == [
        s.delta_points for s in board.sensitivity
    ]
    assert body["methods_agree"] == board.methods_agree and body["waiting"] == []
    flagged = {row["vendor"]["name"]: [f["code"] for f in row["flags"]] for row in body["rows"]}
    assert flagged == {row.vendor_name: [f.code for f in row.flags] for row in board.rows}


def test_proposals_not_fully_scored_wait_with_what_is_missing(cast, tokens, open_event):
    alpha = open_event.candidates.get(vendor__name="Alpha Services").vendor
    services.proposal_save(
        event=open_event,
        vendor=alpha,
        user=cast.manager.user,
        data={"annual_price": Decimal("5"), "term_months": 12},
    )
    body = api_client(tokens["manager"]).get(f"{EVENTS}{open_event.pk}/ranking/").json()
    assert body["rows"] == [] and body["sensitivity"] == []
    assert body["waiting"][0]["vendor"]["name"] == "Alpha Services"
    assert body["waiting"][0]["missing"]
