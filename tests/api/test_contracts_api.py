"""The contracts API (/api/v1/contracts/...): the pages' figures, rules and role ladder."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.models import (
    GovernanceReview,
    ImprovementAction,
    Issue,
    Measurement,
    MeasurementSource,
    RealisedSaving,
    ServiceCredit,
)
from contracts.selectors.savings import covered_processes, savings_summary
from contracts.selectors.slas import credit_explanation, credit_totals
from tests.contracts.builders import (
    add_worked_slas,
    make_contract,
    make_review,
    make_vendor,
    measure,
    month,
)
from tests.factories import PASSWORD

from .conftest import api_client

pytestmark = pytest.mark.django_db

API = "/api/v1/contracts"
DEEP = "[" * 3000 + "]" * 3000


def money(amount: str, currency: str = "GBP") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


@pytest.fixture
def contract(cast):
    """Organisation A's contract with METHODOLOGY 7's SLAs (fee 100,000 a month, 12 % at
    risk) and two measured months: January met but for response hours, February breaching
    response hours and CSAT (the cap binds)."""
    contract = make_contract(cast.manager, reference="C-7")
    add_worked_slas(contract)
    measure(contract, month(0), {"Availability": 99.6, "Response hours": 5, "CSAT": 88})
    measure(contract, month(1), {"Availability": 99.6, "Response hours": 9, "CSAT": 70})
    return contract


@pytest.fixture
def relationship(cast, contract):
    user = cast.manager.user
    review = make_review(contract, user, dt.date(2025, 2, 10), (4, 3, 4, 2))
    issue = Issue.objects.create(
        contract=contract,
        title="Late report",
        severity="high",
        owner=user,
        raised_on=dt.date(2025, 2, 1),
        due_on=dt.date(2025, 2, 28),
    )
    action = ImprovementAction.objects.create(
        contract=contract, description="Self-service", owner=user, due_on=dt.date(2025, 6, 30)
    )
    saving = RealisedSaving.objects.create(
        contract=contract, period=month(0), vendor_cost=Decimal("80000"), recorded_by=user
    )
    return {"review": review, "issue": issue, "action": action, "saving": saving}


def read_urls(contract, relationship) -> list[str]:
    c, sla = contract.pk, contract.slas.first().pk
    return [
        f"{API}/{c}/",
        f"{API}/{c}/slas/",
        f"{API}/{c}/slas/{sla}/",
        f"{API}/{c}/measurements/",
        f"{API}/{c}/credits/",
        f"{API}/{c}/credits/2025-01/",
        f"{API}/{c}/reviews/",
        f"{API}/{c}/reviews/{relationship['review'].pk}/",
        f"{API}/{c}/issues/",
        f"{API}/{c}/issues/{relationship['issue'].pk}/",
        f"{API}/{c}/actions/",
        f"{API}/{c}/actions/{relationship['action'].pk}/",
        f"{API}/{c}/savings/",
        f"{API}/{c}/savings/comparison/",
    ]


def writes(cast, contract, relationship) -> list[tuple[str, str, dict]]:
    """One acceptable body for every change the API offers."""
    c = contract.pk
    return [
        (
            "post",
            f"{API}/{c}/measurements/",
            {"period": "2025-03", "measurements": [{"sla": "CSAT", "actual": "90"}]},
        ),
        ("post", f"{API}/{c}/reviews/", review_body()),
        ("patch", f"{API}/{c}/reviews/{relationship['review'].pk}/", {"rating_innovation": 5}),
        ("post", f"{API}/{c}/issues/", issue_body()),
        ("patch", f"{API}/{c}/issues/{relationship['issue'].pk}/", {"severity": "low"}),
        ("post", f"{API}/{c}/actions/", {"description": "Chatbot", "due_on": "2025-09-30"}),
        ("patch", f"{API}/{c}/actions/{relationship['action'].pk}/", {"status": "done"}),
        ("post", f"{API}/{c}/savings/", {"period": "2025-02", "vendor_cost": "81000.00"}),
    ]


def state(contract) -> tuple:
    return (
        Measurement.objects.count(),
        GovernanceReview.objects.count(),
        Issue.objects.count(),
        ImprovementAction.objects.count(),
        RealisedSaving.objects.count(),
        sorted(GovernanceReview.objects.values_list("rating_innovation", flat=True)),
        sorted(Issue.objects.values_list("severity", flat=True)),
        sorted(ImprovementAction.objects.values_list("status", flat=True)),
        ServiceCredit.objects.filter(contract=contract).count(),
    )


def review_body(**changes) -> dict:
    return {
        "held_on": "2025-03-12",
        "level": "tactical",
        "attendees": "Maya, Dev, vendor",
        "rating_delivery": 5,
        "rating_communication": 4,
        "rating_responsiveness": 3,
        "rating_innovation": 2,
        "decisions": "Quarterly roadmap review.",
        "next_review_on": "2025-06-12",
        **changes,
    }


def issue_body(**changes) -> dict:
    return {
        "title": "Tickets reopened",
        "severity": "medium",
        "due_on": "2027-01-31",
        "raised_on": "2025-03-01",
        **changes,
    }


# ---------------------------------------------------------------- the ladder


def test_anonymous_callers_get_401_everywhere(contract, relationship):
    client = api_client(None)
    for url in [f"{API}/", *read_urls(contract, relationship)]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_another_organisation_gets_404_for_every_id_of_ours_and_changes_nothing(
    cast, tokens, contract, relationship
):
    before = state(contract)
    client = api_client(tokens["outsider"])
    for url in read_urls(contract, relationship):
        assert client.get(url).status_code == 404, url
    for method, url, body in writes(cast, contract, relationship):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, url
    assert client.get(f"{API}/").json()["results"] == []
    assert state(contract) == before


@pytest.mark.parametrize("who", ["cio", "read_only"])
def test_cios_and_read_only_tokens_read_everything_but_get_403_on_every_change(
    cast, tokens, contract, relationship, who
):
    before = state(contract)
    client = api_client(tokens[who])
    for url in read_urls(contract, relationship):
        assert client.get(url).status_code == 200, url
    for method, url, body in writes(cast, contract, relationship):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, url
        assert response.json()["errors"][0]["code"] == "permission_denied"
    assert state(contract) == before


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_and_admins_make_every_change(cast, tokens, contract, relationship, who):
    client = api_client(tokens[who])
    for method, url, body in writes(cast, contract, relationship):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code in (200, 201), (url, response.json())


def test_reads_do_not_accept_changes_and_unknown_ids_are_404(tokens, contract):
    client = api_client(tokens["manager"])
    assert client.delete(f"{API}/{contract.pk}/").status_code == 405
    assert client.post(f"{API}/", {}, format="json").status_code == 405
    assert client.put(f"{API}/{contract.pk}/credits/2025-01/", {}, format="json").status_code == 405
    for url in [
        f"{API}/99999999999999999999/",
        f"{API}/abc/",
        f"{API}/-1/slas/",
        f"{API}/{contract.pk}/issues/1e3/",
        f"{API}/9223372036854775807/slas/",
        f"{API}/{contract.pk}/slas/99999999999999999999/",
        f"{API}/{contract.pk}/credits/2024-12/",
        f"{API}/{contract.pk}/credits/2025-13/",
        f"{API}/{contract.pk}/credits/abc/",
        f"{API}/{contract.pk}/issues/99999999999999999999/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["type"] == "client_error"


# ---------------------------------------------------------------- contracts


def test_the_list_shows_each_contract_with_its_terms_and_credits(cast, tokens, contract):
    body = api_client(tokens["cio"]).get(f"{API}/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == contract.pk and row["reference"] == "C-7"
    assert row["vendor_name"] == "Northwind Services" and row["status"] == "active"
    assert row["annual_value"] == money("1200000.00")
    # The same three figures the contracts list and page add up (credit_totals).
    totals = credit_totals(ServiceCredit.objects.filter(contract=contract).order_by("period"))
    assert row["credits"] == {
        "gross": money(f"{totals.total:.2f}"),
        "earned_back": money(f"{totals.earned_back:.2f}"),
        "net": money(f"{totals.net_total:.2f}"),
        "months": 2,
        "months_with_credit": 2,
    }
    assert row["credits"]["gross"] == money("16800.00")  # 4,800 + the cap of 12,000


def test_the_list_filters_by_status_vendor_model_and_end(cast, tokens, contract):
    other = make_contract(
        cast.manager,
        title="Payroll",
        vendor=make_vendor("Payroll Co"),
        model="BPO",
        status="draft",
        end=dt.date(2026, 6, 30),
    )
    client = api_client(tokens["manager"])

    def ids(**query) -> list[int]:
        response = client.get(f"{API}/", query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [contract.pk, other.pk]  # by status, as the list page
    assert ids(status="draft") == [other.pk]
    assert ids(vendor=contract.vendor_id) == [contract.pk]
    assert ids(model="BPO") == [other.pk]
    assert ids(ending_before="2027-01-01") == [other.pk]
    assert ids(ending_before="2026-06-30") == []
    assert client.get(f"{API}/", {"page_size": 1}).json()["count"] == 2
    other_row = client.get(f"{API}/", {"status": "draft"}).json()["results"][0]
    assert other_row["credits"] is None and other_row["renewal"] is None


@pytest.mark.parametrize(
    "query",
    [
        {"status": "open"},
        {"model": "retain"},
        {"ending_before": "next week"},
        {"vendor": "99999999999999999999"},
        {"vendor": "abc"},
    ],
)
def test_a_filter_value_that_cannot_be_is_a_400_naming_it(tokens, contract, query):
    response = api_client(tokens["manager"]).get(f"{API}/", query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == next(iter(query))


def test_a_contract_shows_its_terms_as_money_with_the_currency(tokens, contract):
    body = api_client(tokens["cio"]).get(f"{API}/{contract.pk}/").json()
    assert body["monthly_fee"] == money("100000.00")
    assert body["at_risk_pct"] == "12.00" and body["at_risk_amount"] == money("12000.00")
    assert body["baseline_annual_cost"] is None
    assert body["start_date"] == "2025-01-01" and body["end_date"] == "2027-12-31"
    assert body["notice_deadline"] == "2027-10-02"
    assert body["credits"]["net"] == money("16800.00")
    assert body["renewal"]["notice_deadline"] == "2027-10-02"
    assert body["owner"] == contract.owner_id and body["processes"] == []


# ---------------------------------------------------------------- SLAs and measurements


def test_slas_show_their_latest_month_and_trend(tokens, contract):
    client = api_client(tokens["cio"])
    slas = client.get(f"{API}/{contract.pk}/slas/").json()["results"]
    assert [s["name"] for s in slas] == ["Availability", "Response hours", "CSAT"]
    csat = slas[2]
    assert csat["target"] == "85.0000" and csat["minimum"] == "75.0000"
    assert csat["last_period"] == "2025-02" and csat["last_actual"] == "70.0000"
    assert csat["last_met"] is False and csat["last_critical"] is True
    detail = client.get(f"{API}/{contract.pk}/slas/{csat['id']}/").json()
    assert [(m["period"], m["met"], m["critical"]) for m in detail["trend"]] == [
        ("2025-01", True, False),
        ("2025-02", False, True),
    ]
    # February: response hours 40 % and CSAT 60 % x2 of 12,000, scaled to the cap.
    assert detail["trend"][1]["credit"]["currency"] == "GBP"


def test_a_month_posted_is_recorded_through_the_service_with_its_credit(cast, tokens, contract):
    response = api_client(tokens["manager"]).post(
        f"{API}/{contract.pk}/measurements/",
        {
            "period": "2025-03",
            "measurements": [
                {"sla": "availability", "actual": "99.7"},
                {"sla": " Response hours ", "actual": 5},
                {"sla": "CSAT", "actual": 88},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["recorded"] == 3
    credit = body["credit"]
    assert credit["period"] == "2025-03" and credit["breaches"] == 1
    assert credit["gross"] == money("4800.00")
    stored = ServiceCredit.objects.get(contract=contract, period=month(2))
    assert stored.total == Decimal("4800.00")
    assert stored.computation.computed_by == cast.manager.user
    assert Measurement.objects.filter(source=MeasurementSource.API).count() == 3
    listed = (
        api_client(tokens["cio"])
        .get(f"{API}/{contract.pk}/measurements/", {"period": "2025-03"})
        .json()
    )
    assert listed["count"] == 3
    assert {m["source"] for m in listed["results"]} == {"api"}
    assert listed["results"][0]["recorded_by_name"] == cast.manager.user.username


@pytest.mark.parametrize(
    ("body", "attr", "words"),
    [
        ({"period": "2030-01"}, "period", "Jan 2030 is after"),
        ({"period": "2024-12"}, "period", "before the contract started"),
        ({"period": "Jan"}, "period", "write it as YYYY-MM"),
        ({"period": 202501}, "period", "YYYY-MM"),
        (
            {"measurements": [{"sla": "Uptime", "actual": 99}]},
            "measurements.0.sla",
            "Unknown SLA 'Uptime'",
        ),
        (
            {"measurements": [{"sla": "CSAT", "actual": 88}, {"sla": "csat", "actual": 1}]},
            "measurements.1.sla",
            "given twice",
        ),
        (
            {"measurements": [{"sla": "CSAT", "actual": -3}]},
            "measurements.0.actual",
            "greater than or equal to 0",
        ),
        (
            {"measurements": [{"sla": "CSAT", "actual": "lots"}]},
            "measurements.0.actual",
            "valid number",
        ),
        (
            {"measurements": [{"sla": "CSAT", "actual": "1" * 30}]},
            "measurements.0.actual",
            "digits",
        ),
        ({"measurements": []}, "measurements.non_field_errors", "empty"),
        ({"contract": 7}, "contract", "Unknown field"),
        (
            {"measurements": [{"sla": "CSAT", "actual": 88, "unit": "%"}]},
            "measurements.0.unit",
            "Unknown field",
        ),
    ],
)
def test_bad_measurements_are_refused_in_words_and_nothing_is_saved(
    tokens, contract, body, attr, words
):
    before = (Measurement.objects.count(), ServiceCredit.objects.count())
    data = {"period": "2025-03", "measurements": [{"sla": "CSAT", "actual": 88}], **body}
    response = api_client(tokens["manager"]).post(
        f"{API}/{contract.pk}/measurements/", data, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["attr"] == attr and words in e["detail"] for e in errors), errors
    assert (Measurement.objects.count(), ServiceCredit.objects.count()) == before


@pytest.mark.parametrize(
    "raw",
    [
        f'{{"period": "2025-03", "measurements": {DEEP}}}',
        '{"period": "2025-03", "measurements": NaN}',
        "{",
        "[]",
    ],
)
def test_a_hostile_body_is_a_400_never_a_server_error(tokens, contract, raw):
    response = api_client(tokens["manager"]).post(
        f"{API}/{contract.pk}/measurements/", raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["type"] in ("client_error", "validation_error")
    assert Measurement.objects.count() == 6


# ---------------------------------------------------------------- credits


def test_credits_list_each_month_gross_earned_back_and_net(tokens, contract):
    rows = api_client(tokens["cio"]).get(f"{API}/{contract.pk}/credits/").json()["results"]
    stored = list(ServiceCredit.objects.filter(contract=contract).order_by("period"))
    assert [
        (
            r["period"],
            r["gross"]["amount"],
            r["earned_back"]["amount"],
            r["net"]["amount"],
            r["breaches"],
            r["critical"],
            r["cap_applied"],
        )
        for r in rows
    ] == [
        (
            f"{c.period:%Y-%m}",
            f"{c.total:.2f}",
            f"{c.earned_back:.2f}",
            f"{c.net_total:.2f}",
            c.breaches,
            c.critical,
            c.cap_applied,
        )
        for c in stored
    ]
    assert rows[1]["cap_applied"] is True and rows[1]["gross"] == money("12000.00")


def test_a_months_credit_carries_the_working_the_credit_page_shows(tokens, contract):
    body = api_client(tokens["cio"]).get(f"{API}/{contract.pk}/credits/2025-02/").json()
    credit = ServiceCredit.objects.select_related("computation").get(
        contract=contract, period=month(1)
    )
    explanation = credit_explanation(credit)
    working = body["working"]
    assert working["monthly_fee"] == money("100000.00") and working["at_risk_share"] == "0.12"
    assert working["at_risk_amount"] == money("12000.00")
    assert working["total_before_cap"]["amount"] == f"{explanation['result']['raw_total']:.2f}"
    assert working["cap_applied"] is True and working["total"] == money("12000.00")
    lines = {line["sla"]: line for line in body["lines"]}
    for line in explanation["lines"]:
        mine = lines[line.name]
        assert mine["credit"]["amount"] == f"{line.credit:.2f}"
        assert mine["credit_before_cap"]["amount"] == f"{line.raw_credit:.2f}"
        assert (mine["met"], mine["breach"], mine["critical"]) == (
            line.met,
            line.breach,
            line.critical,
        )
    assert lines["CSAT"]["critical"] and lines["CSAT"]["actual"] == "70.0000"
    assert lines["CSAT"]["allocation"] == "0.6" and lines["CSAT"]["earn_back_allowed"]
    assert sum(Decimal(line["credit"]["amount"]) for line in body["lines"]) == Decimal("12000")
    january = api_client(tokens["cio"]).get(f"{API}/{contract.pk}/credits/2025-01/").json()
    hours = next(line for line in january["lines"] if line["sla"] == "Response hours")
    assert hours["next_months"] == [{"period": "2025-02", "met": False}]
    assert body["rules_version"] == credit.computation.rules_version


# ---------------------------------------------------------------- relationship


def test_a_review_is_recorded_and_changed_through_the_page_rules(cast, tokens, contract):
    client = api_client(tokens["manager"])
    response = client.post(f"{API}/{contract.pk}/reviews/", review_body(), format="json")
    assert response.status_code == 201, response.json()
    review = GovernanceReview.objects.get(pk=response.json()["id"])
    assert review.recorded_by == cast.manager.user and review.level == "tactical"
    assert response.json()["mean_rating"] == 3.5
    changed = client.patch(
        f"{API}/{contract.pk}/reviews/{review.pk}/", {"rating_delivery": 1}, format="json"
    )
    assert changed.status_code == 200
    review.refresh_from_db()
    assert review.rating_delivery == 1 and review.attendees == "Maya, Dev, vendor"


@pytest.mark.parametrize(
    ("changes", "attr", "words"),
    [
        ({"next_review_on": "2025-03-01"}, "next_review_on", "must come after this one"),
        ({"rating_delivery": 6}, "rating_delivery", "less than or equal to 5"),
        ({"rating_delivery": 10**40}, "rating_delivery", "less than or equal to 5"),
        ({"held_on": 20250312}, "held_on", "Date has wrong format"),
        ({"level": "weekly"}, "level", "not a valid choice"),
        ({"recorded_by": 1}, "recorded_by", "read-only"),
        ({"colour": "red"}, "colour", "Unknown field"),
    ],
)
def test_a_bad_review_is_refused_in_words_and_nothing_is_saved(
    tokens, contract, changes, attr, words
):
    response = api_client(tokens["manager"]).post(
        f"{API}/{contract.pk}/reviews/", review_body(**changes), format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["attr"] == attr and words in e["detail"] for e in errors), errors
    assert not GovernanceReview.objects.exists()


def test_an_issue_defaults_to_the_caller_and_today_as_the_page_does(cast, tokens, contract):
    response = api_client(tokens["admin"]).post(
        f"{API}/{contract.pk}/issues/",
        {"title": "Backlog", "severity": "critical", "due_on": "2027-01-31"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    issue = Issue.objects.get()
    assert issue.owner == cast.admin.user and issue.raised_on == timezone.localdate()
    assert issue.status == "open" and issue.escalation_level == 1
    assert response.json()["owner_name"] == cast.admin.user.username


def test_closing_an_issue_needs_a_resolution_and_stamps_the_day(tokens, contract, relationship):
    issue = relationship["issue"]
    client = api_client(tokens["manager"])
    url = f"{API}/{contract.pk}/issues/{issue.pk}/"
    refused = client.patch(url, {"status": "closed"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0] == {
        "code": "invalid",
        "detail": "Say how it was resolved before closing it.",
        "attr": "resolution",
    }
    assert Issue.objects.get().status == "open"
    closed = client.patch(
        url, {"status": "closed", "resolution": "Report automated."}, format="json"
    )
    assert closed.status_code == 200
    issue.refresh_from_db()
    assert issue.status == "closed" and issue.resolved_on == timezone.localdate()
    assert closed.json()["overdue"] is False
    listed = client.get(f"{API}/{contract.pk}/issues/", {"status": "open"}).json()
    assert listed["count"] == 0


@pytest.mark.parametrize(
    ("changes", "attr", "words"),
    [
        ({"due_on": "2025-02-01"}, "due_on", "before the day it was raised"),
        ({"owner": "outsider"}, "owner", "valid choice"),
        ({"owner": 99999999999999999999}, "owner", "less than or equal to"),
        ({"title": "Line\nbreak"}, "title", "control character"),
        ({"title": "x" * 201}, "title", "no more than 200"),
        ({"severity": None}, "severity", "may not be null"),
    ],
)
def test_a_bad_issue_is_refused_in_words_and_nothing_is_saved(
    cast, tokens, contract, changes, attr, words
):
    if changes.get("owner") == "outsider":
        changes["owner"] = cast.outsider.user.pk
    response = api_client(tokens["manager"]).post(
        f"{API}/{contract.pk}/issues/", issue_body(**changes), format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["attr"] == attr and words in e["detail"] for e in errors), errors
    assert not Issue.objects.exists()


def test_an_action_is_added_and_moved_along(cast, tokens, contract):
    client = api_client(tokens["manager"])
    response = client.post(
        f"{API}/{contract.pk}/actions/",
        {
            "description": "Chatbot",
            "due_on": "2025-04-30",
            "owner": cast.admin.user.pk,
            "expected_benefit": "10 % fewer calls",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == cast.admin.user.pk and body["status"] == "proposed"
    assert body["overdue"] is True  # proposed, and due in the past
    done = client.patch(
        f"{API}/{contract.pk}/actions/{body['id']}/", {"status": "done"}, format="json"
    )
    assert done.json()["overdue"] is False
    assert ImprovementAction.objects.get().status == "done"
    assert client.get(f"{API}/{contract.pk}/actions/", {"status": "done"}).json()["count"] == 1


# ---------------------------------------------------------------- realised savings


def test_a_months_cost_is_recorded_then_corrected(cast, tokens, contract):
    client = api_client(tokens["manager"])
    url = f"{API}/{contract.pk}/savings/"
    first = client.post(url, {"period": "2025-02", "vendor_cost": "81000.00"}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["vendor_cost"] == money("81000.00")
    assert first.json()["governance_cost"] == money("0.00")
    again = client.post(
        url,
        {
            "period": "2025-02",
            "vendor_cost": "80500.5",
            "governance_cost": "900",
            "notes": "Credit note",
        },
        format="json",
    )
    assert again.status_code == 200
    saving = RealisedSaving.objects.get()
    assert saving.vendor_cost == Decimal("80500.50") and saving.notes == "Credit note"
    assert saving.recorded_by == cast.manager.user
    assert client.get(url).json()["count"] == 1


@pytest.mark.parametrize(
    ("changes", "attr", "words"),
    [
        ({"period": "2031-01"}, "period", "Jan 2031 is"),
        ({"vendor_cost": "-1"}, "vendor_cost", "greater than or equal to 0"),
        ({"vendor_cost": "1e30"}, "vendor_cost", "digits"),
        ({"vendor_cost": [1]}, "vendor_cost", "valid number"),
        ({"notes": "a\nb"}, "notes", "control character"),
        ({"realised": "5"}, "realised", "Unknown field"),
    ],
)
def test_a_bad_cost_is_refused_in_words_and_nothing_is_saved(
    tokens, contract, changes, attr, words
):
    body = {"period": "2025-02", "vendor_cost": "81000", **changes}
    response = api_client(tokens["manager"]).post(
        f"{API}/{contract.pk}/savings/", body, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["attr"] == attr and words in e["detail"] for e in errors), errors
    assert not RealisedSaving.objects.exists()


def test_the_comparison_is_the_contract_pages(tokens, contract):
    contract.baseline_annual_cost = Decimal("1500000")
    contract.save()
    client = api_client(tokens["manager"])
    client.post(
        f"{API}/{contract.pk}/savings/",
        {"period": "2025-08", "vendor_cost": "95000"},
        format="json",
    )
    body = client.get(f"{API}/{contract.pk}/savings/comparison/").json()
    summary = savings_summary(contract, covered_processes(contract), timezone.localdate())
    assert body["baseline_annual_cost"] == money("1500000.00")
    assert body["realised_total"]["amount"] == f"{Decimal(str(summary.realised_total)):.2f}"
    assert body["projection"]["available"] is False
    assert body["projection"]["note"] == summary.band.note
    assert body["variance"] is None and body["plan_status"] is None
    [row] = body["months"]
    assert row["period"] == "2025-08" and row["vendor_cost"] == money("95000.00")
    assert row["realised"]["amount"] == f"{Decimal(str(summary.rows[0]['realised'])):.2f}"
    assert row["projected_p50"] is None


# ---------------------------------------------------------------- the older endpoint


def test_the_older_endpoint_still_works_and_names_its_successor(cast, contract):
    client = cast.client_for("manager")
    response = client.post(
        "/contracts/api/measurements/",
        json.dumps(
            {
                "contract": contract.pk,
                "period": "2025-03",
                "measurements": [{"sla": "CSAT", "actual": 88}],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["credit_total"] == "0.00"
    assert response["Deprecation"] == "true"
    assert response["Link"] == (
        f'</api/v1/contracts/{contract.pk}/measurements/>; rel="successor-version"'
    )
    refused = api_client(None).post("/contracts/api/measurements/", {}, format="json")
    assert refused.status_code == 401
    assert refused["Deprecation"] == "true"
    assert refused["Link"] == '</api/v1/contracts/>; rel="successor-version"'


def _legacy_body(contract, period: str = "2025-04") -> dict:
    return {
        "contract": contract.pk,
        "period": period,
        "measurements": [{"sla": "CSAT", "actual": 91}],
    }


def test_the_older_endpoint_takes_a_token_of_the_contracts_organisation(tokens, contract):
    response = api_client(tokens["manager"]).post(
        "/contracts/api/measurements/", _legacy_body(contract), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["recorded"] == 1
    assert response["Deprecation"] == "true"


def test_the_older_endpoint_no_longer_accepts_a_password(cast, contract):
    client = api_client(None)
    client.credentials(
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"a-manager:" + PASSWORD.encode()).decode()
    )
    response = client.post("/contracts/api/measurements/", _legacy_body(contract), format="json")
    assert response.status_code == 401
    assert not contract.slas.filter(measurements__period=dt.date(2025, 4, 1)).exists()


def test_the_older_endpoint_refuses_read_only_and_other_organisations_tokens(tokens, contract):
    read_only = api_client(tokens["read_only"]).post(
        "/contracts/api/measurements/", _legacy_body(contract), format="json"
    )
    assert read_only.status_code == 403
    assert "read-only" in read_only.json()["detail"]
    outsider = api_client(tokens["outsider"]).post(
        "/contracts/api/measurements/", _legacy_body(contract), format="json"
    )
    assert outsider.status_code == 404
    assert not contract.slas.filter(measurements__period=dt.date(2025, 4, 1)).exists()


def test_every_endpoint_describes_itself_to_options(tokens, contract, relationship):
    client = api_client(tokens["manager"])
    for url in [f"{API}/", *read_urls(contract, relationship)]:
        assert client.options(url).status_code == 200, url


def test_the_list_reads_a_fixed_number_of_queries(cast, tokens, contract):
    client = api_client(tokens["cio"])
    client.get(f"{API}/")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{API}/").json()["count"] == 1
    for number in range(4):
        other = make_contract(cast.manager, title=f"Deal {number}")
        add_worked_slas(other)
        measure(other, month(0), {"Availability": 99.0, "CSAT": 80})
    with CaptureQueriesContext(connection) as five:
        assert client.get(f"{API}/").json()["count"] == 5
    assert len(five) == len(one)
