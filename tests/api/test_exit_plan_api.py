"""The exit plan over the API (/api/v1/contracts/{id}/exit-plan/): the page's figures, its
form's rules and words, its service, and its role ladder."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.engine.exit_readiness import ITEM_KEYS
from contracts.models import ExitPlan, ExitPlanItem
from contracts.selectors.exit_plans import exit_plan_view, readiness_by_contract
from tests.contracts.builders import make_exit_contract

from .conftest import api_client

pytestmark = pytest.mark.django_db

API = "/api/v1/contracts"


@pytest.fixture
def contract(cast):
    return make_exit_contract(cast.manager)


def url(contract) -> str:
    return f"{API}/{contract.pk}/exit-plan/"


def money(amount: Decimal, currency: str = "GBP") -> dict[str, str]:
    return {"amount": f"{amount:.2f}", "currency": currency}


def in_a_month() -> str:
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def stored() -> list[tuple]:
    return sorted(
        ExitPlanItem.objects.values_list("item", "status", "owner", "due_on", "notes")
    ) + sorted(ExitPlan.objects.values_list("notes", flat=True))


# ---------------------------------------------------------------- reading


def test_the_default_plan_is_read_with_the_selectors_figures_and_nothing_is_written(
    cast, tokens, contract
):
    body = api_client(tokens["cio"]).get(url(contract)).json()
    view = exit_plan_view(contract, timezone.localdate())
    assert body["contract"] == contract.pk
    assert body["saved"] is False and body["updated_at"] is None and body["notes"] == ""
    readiness = body["readiness"]
    assert readiness["score"] == view.readiness.score
    assert readiness["level"] == view.readiness.level
    assert readiness["level_label"] == view.readiness.level_label
    assert readiness["checklist_score"] == f"{view.readiness.checklist_score:.2f}"
    assert (readiness["done"], readiness["applicable"]) == (
        view.readiness.done,
        view.readiness.applicable,
    )
    assert readiness["penalty_points"] == view.readiness.penalty_points
    assert readiness["penalties"] == [
        {"code": p.code, "points": p.points, "reason": p.reason} for p in view.readiness.penalties
    ]
    assert readiness["reasons"] == list(view.readiness.reasons)
    assert readiness["near_renewal"] is view.readiness.near_renewal
    # The dashboard's scores come from the same rules.
    assert (
        readiness["score"]
        == readiness_by_contract([contract], timezone.localdate())[contract.pk].score
    )
    # The default items: in the checklist's order, the contract's owner on each, the notice
    # period done and the written termination terms a start on the assistance clause.
    assert [item["item"] for item in body["items"]] == list(ITEM_KEYS)
    items = {item["item"]: item for item in body["items"]}
    assert items["notice_period"]["status"] == "done"
    assert items["termination_assistance"]["status"] == "partial"
    assert items["termination_assistance"]["status_label"] == "Partly done"
    assert items["knowledge_transfer"]["status"] == "missing"
    for row, item in zip(view.items, body["items"], strict=True):
        assert item["owner"] == cast.manager.user.pk
        assert item["owner_name"] == cast.manager.user.username
        assert item["due_on"] == row.due_on.isoformat()
        assert item["overdue"] is row.overdue and item["notes"] == ""
        assert item["label"] == row.spec.label and item["done_means"] == row.spec.done_means
    assert items["people"]["may_be_not_applicable"] is True
    assert items["parallel_run"]["may_be_not_applicable"] is False
    # BPO of 1,200,000 a year: 10 % one-time plus 6 months of parallel run, as on the page.
    cost = body["transition_out_cost"]
    assert cost["most_likely"] == money(view.cost.mode) == money(Decimal("720000"))
    assert cost["low"] == money(view.cost.low) and cost["high"] == money(view.cost.high)
    assert cost["annual_cost"] == money(Decimal("1200000"))
    assert cost["basis"] == view.cost_basis and "annual fee" in cost["basis"]
    assert cost["one_time"]["most_likely"] == money(view.cost.one_time[1])
    assert cost["parallel_run"]["low"] == money(view.cost.parallel_run[0])
    assert cost["months"] == dict(
        zip(("low", "most_likely", "high"), view.cost.months, strict=True)
    )
    assert body["exit_transition_months"] == view.exit_months
    assert not ExitPlan.objects.exists()


def test_a_plan_saved_on_the_page_reads_as_the_page_shows_it(cast, tokens, contract):
    due = in_a_month()
    data = {"notes": "Back in-house."}
    for key in ITEM_KEYS:
        row = {"status": "done", "owner": str(cast.admin.user.pk), "due_on": due, "notes": ""}
        if key == "people":
            row |= {"status": "not_applicable", "owner": ""}
        data |= {f"{key}-{name}": value for name, value in row.items()}
    edit = reverse("contracts:exit-plan-edit", args=[contract.pk])
    assert cast.client_for("manager").post(edit, data).status_code == 302
    body = api_client(tokens["cio"]).get(url(contract)).json()
    assert body["saved"] is True and body["notes"] == "Back in-house." and body["updated_at"]
    assert body["readiness"]["score"] == 100 and body["readiness"]["level"] == "ready"
    assert body["readiness"]["applicable"] == 6 and body["readiness"]["penalties"] == []
    people = next(item for item in body["items"] if item["item"] == "people")
    assert people["status"] == "not_applicable" and people["owner"] is None
    assert people["owner_name"] is None and people["due_on"] == due
    page = cast.client_for("cio").get(reverse("contracts:exit-plan", args=[contract.pk]))
    assert 'data-figure="exit-score">100<' in page.content.decode()


# ---------------------------------------------------------------- writing


def test_a_change_is_checked_by_the_form_saved_by_the_service_and_shown_on_the_pages(
    cast, tokens, contract
):
    due = in_a_month()
    response = api_client(tokens["manager"]).patch(
        url(contract),
        {
            "items": {
                "knowledge_transfer": {"status": "done", "owner": cast.admin.user.pk},
                "data_return": {"status": "partial", "due_on": due, "notes": "CSV monthly"},
                "people": {"status": "not_applicable", "owner": None},
            },
            "notes": "Back in-house with the shared-services team.",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    plan = ExitPlan.objects.get(contract=contract)
    assert plan.updated_by == cast.manager.user
    assert plan.notes == "Back in-house with the shared-services team."
    items = {item.item: item for item in plan.items.all()}
    assert set(items) == set(ITEM_KEYS)  # the service stores every item
    assert items["knowledge_transfer"].status == "done"
    assert items["knowledge_transfer"].owner == cast.admin.user
    assert (items["data_return"].status, items["data_return"].notes) == ("partial", "CSV monthly")
    assert items["data_return"].due_on.isoformat() == due
    assert items["people"].status == "not_applicable" and items["people"].owner is None
    # What was not given stays as the page showed it (the default plan's).
    default = {row.spec.key: row for row in exit_plan_view(contract, timezone.localdate()).items}
    assert items["parallel_run"].status == "missing"
    assert items["parallel_run"].owner == cast.manager.user
    assert items["parallel_run"].due_on == default["parallel_run"].due_on
    assert items["knowledge_transfer"].due_on == default["knowledge_transfer"].due_on
    # The reply is the plan as read afterwards, the same as a read and as the pages show.
    body = response.json()
    assert body["saved"] is True
    assert body == api_client(tokens["cio"]).get(url(contract)).json()
    view = exit_plan_view(contract, timezone.localdate())
    assert body["readiness"]["score"] == view.readiness.score
    assert body["readiness"]["done"] == 2 and body["readiness"]["applicable"] == 6
    page = cast.client_for("cio").get(reverse("contracts:exit-plan", args=[contract.pk]))
    assert f'data-figure="exit-score">{view.readiness.score}<' in page.content.decode()
    detail = cast.client_for("cio").get(reverse("contracts:detail", args=[contract.pk]))
    assert f"{view.readiness.score}/100 · {view.readiness.level_label}" in detail.content.decode()


def test_a_change_touches_only_the_fields_given(cast, tokens, contract):
    client = api_client(tokens["admin"])
    client.patch(
        url(contract),
        {
            "items": {"parallel_run": {"status": "partial", "notes": "Three months"}},
            "notes": "Plan",
        },
        format="json",
    )
    response = client.patch(
        url(contract), {"items": {"parallel_run": {"due_on": None}}}, format="json"
    )
    assert response.status_code == 200, response.json()
    item = ExitPlanItem.objects.get(item="parallel_run")
    assert (item.status, item.notes, item.due_on) == ("partial", "Three months", None)
    assert item.owner == cast.manager.user
    assert ExitPlan.objects.get().notes == "Plan"
    assert ExitPlanItem.objects.count() == len(ITEM_KEYS)


HOSTILE = [
    (
        {"items": {"knowledge_transfer": {"status": "not_applicable"}}},
        "items.knowledge_transfer.status",
        "not one of the available choices",
    ),
    ({"items": {"people": {"status": "finished"}}}, "items.people.status", "not a valid choice"),
    (
        {"items": {"data_return": {"due_on": "1999-12-31"}}},
        "items.data_return.due_on",
        "Choose a due date between 01 Jan 2000",
    ),
    (
        {"items": {"data_return": {"due_on": "31/12/2026"}}},
        "items.data_return.due_on",
        "Date has wrong format",
    ),
    (
        {"items": {"parallel_run": {"owner": "outsider"}}},
        "items.parallel_run.owner",
        "valid choice",
    ),
    (
        {"items": {"parallel_run": {"owner": 10**40}}},
        "items.parallel_run.owner",
        "less than or equal to",
    ),
    (
        {"items": {"notice_period": {"notes": "line one\nline two"}}},
        "items.notice_period.notes",
        "Use a single line of text",
    ),
    (
        {"items": {"notice_period": {"notes": "x" * 501}}},
        "items.notice_period.notes",
        "no more than 500",
    ),
    ({"notes": "y" * 5001}, "notes", "no more than 5000"),
    ({"notes": "nul \x00 byte"}, "notes", "Null characters are not allowed"),
    ({"items": {"exit_fee": {"status": "done"}}}, "items.exit_fee", "Unknown field"),
    ({"items": {"people": {"colour": "red"}}}, "items.people.colour", "Unknown field"),
    ({"items": ["people"]}, "items.non_field_errors", "Expected a dictionary"),
    ({"items": {"people": None}}, "items.people", "may not be null"),
]


@pytest.mark.parametrize(("changes", "attr", "words"), HOSTILE, ids=[a for _, a, _ in HOSTILE])
def test_a_bad_change_is_refused_in_words_and_nothing_is_saved(
    cast, tokens, contract, changes, attr, words
):
    client = api_client(tokens["manager"])
    saved = client.patch(
        url(contract), {"items": {"tooling_licences": {"status": "done"}}}, format="json"
    )
    assert saved.status_code == 200
    before = stored()
    body = copy.deepcopy(changes)
    if isinstance(body.get("items"), dict):
        if body["items"].get("parallel_run", {}).get("owner") == "outsider":
            body["items"]["parallel_run"]["owner"] = cast.outsider.user.pk
        # A good change alongside the bad one: all or nothing.
        body["items"].setdefault("tooling_licences", {"status": "partial"})
    response = client.patch(url(contract), body, format="json")
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    errors = response.json()["errors"]
    assert any(e["attr"] == attr and words in e["detail"] for e in errors), errors
    assert stored() == before


def test_the_form_speaks_for_every_item_at_once(tokens, contract):
    response = api_client(tokens["manager"]).patch(
        url(contract),
        {
            "items": {
                "parallel_run": {"status": "not_applicable"},
                "data_return": {"due_on": "2099-01-01"},
            }
        },
        format="json",
    )
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {
        "items.parallel_run.status",
        "items.data_return.due_on",
    }
    assert not ExitPlan.objects.exists()


# ---------------------------------------------------------------- the ladder


@pytest.mark.parametrize(
    ("who", "words"),
    [
        ("cio", "can read"),  # as on the pages: a CIO reads the plan, a manager changes it
        ("read_only", "read-only"),
    ],
)
def test_a_cio_or_a_read_only_token_reads_the_plan_but_gets_403_on_a_change(
    tokens, contract, who, words
):
    client = api_client(tokens[who])
    assert client.get(url(contract)).status_code == 200
    response = client.patch(url(contract), {"notes": "Mine"}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    assert words in response.json()["errors"][0]["detail"]
    assert not ExitPlan.objects.exists()


def test_another_organisation_gets_404_and_changes_nothing(tokens, contract):
    client = api_client(tokens["outsider"])
    for response in (
        client.get(url(contract)),
        client.patch(url(contract), {"notes": "Ours now"}, format="json"),
    ):
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"
    assert not ExitPlan.objects.exists()


def test_anonymous_callers_get_401(contract):
    client = api_client(None)
    assert client.get(url(contract)).status_code == 401
    assert client.patch(url(contract), {"notes": "x"}, format="json").status_code == 401
    assert not ExitPlan.objects.exists()


def test_other_methods_and_ids_that_cannot_be_are_refused(tokens, contract):
    client = api_client(tokens["manager"])
    for method in ("put", "post", "delete"):
        assert getattr(client, method)(url(contract), {}, format="json").status_code == 405
    for bad in ("abc", "99999999999999999999", "-1", "9223372036854775807"):
        response = client.get(f"{API}/{bad}/exit-plan/")
        assert response.status_code == 404, bad
        assert response.json()["type"] == "client_error"
    assert client.options(url(contract)).status_code == 200
    assert not ExitPlan.objects.exists()


def test_a_change_keeps_an_owner_who_left_and_refuses_them_elsewhere(cast, tokens, contract):
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    leaver = MembershipFactory(
        user=UserFactory(username="a-leaver"), organisation=cast.org, role=Role.MANAGER
    )
    client = api_client(tokens["admin"])
    response = client.patch(
        url(contract), {"items": {"parallel_run": {"owner": leaver.user.pk}}}, format="json"
    )
    assert response.status_code == 200, response.json()
    leaver.delete()
    response = client.patch(url(contract), {"notes": "Plan B"}, format="json")
    assert response.status_code == 200, response.json()
    assert ExitPlanItem.objects.get(item="parallel_run").owner_id == leaver.user.pk
    assert ExitPlan.objects.get().notes == "Plan B"
    before = stored()
    response = client.patch(
        url(contract), {"items": {"people": {"owner": leaver.user.pk}}}, format="json"
    )
    assert response.status_code == 400
    assert "valid choice" in str(response.json())
    assert stored() == before
