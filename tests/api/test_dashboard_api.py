"""The dashboard over the API: the page's own figures and headline, its filter rules."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import TestCase

from assessments.services import assessments as assessment_services
from contracts.models import Contract, CreditComputation, Issue, ServiceCredit
from outsourcing.dashboard.figures import FIGURES
from tests.assessments.builders import HOTLINE, NETWORK, PAYROLL, add_process, make_assessment
from vendors.models import Vendor

from .conftest import api_client

pytestmark = pytest.mark.django_db

API = "/api/v1/dashboard"


def submitted(member, name="Portfolio", processes=None):
    assessment = make_assessment(member, name=name)
    for i, (pname, answers, function) in enumerate(
        processes
        or [
            ("Payroll", PAYROLL, "HR"),
            ("Network", NETWORK, "IT"),
            ("Hotline", HOTLINE, "customer service"),
        ]
    ):
        add_process(assessment, pname, answers, cost=1_000_000 + i * 100_000, function=function)
    # Run the projection queued on commit, as a real request would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assessment_services.assessment_submit(assessment=assessment, user=member.user)
    return assessment


@pytest.fixture
def portfolio(cast):
    """A submitted assessment, and a live contract with a month of credits and an overdue
    critical issue."""
    assessment = submitted(cast.manager)
    today = dt.date.today()
    vendor = Vendor.objects.create(
        name="Deal vendor", headquarters_country="India", offers_ito=True
    )
    contract = Contract.objects.create(
        organisation=cast.org,
        title="Service desk deal",
        vendor=vendor,
        model="ITO",
        location="offshore",
        start_date=today - dt.timedelta(days=400),
        end_date=today + dt.timedelta(days=120),
        annual_value=Decimal("1200000"),
        currency="GBP",
        owner=cast.manager.user,
        status="active",
        notice_days=60,
    )
    computation = CreditComputation.objects.create(
        contract=contract, inputs={}, rules_version="2026.1"
    )
    ServiceCredit.objects.create(
        contract=contract,
        computation=computation,
        period=today.replace(day=1),
        measured=3,
        breaches=1,
        total=Decimal("4800.10"),
        earned_back=Decimal("1200.05"),
        net_total=Decimal("3600.05"),
        result={},
    )
    Issue.objects.create(
        contract=contract,
        title="Backlog",
        severity="critical",
        owner=cast.manager.user,
        raised_on=today - dt.timedelta(days=20),
        due_on=today - dt.timedelta(days=1),
    )
    return assessment


def test_anonymous_callers_get_401(portfolio):
    client = api_client(None)
    for url in [f"{API}/headline/", f"{API}/figures/", f"{API}/figures/mix/"]:
        assert client.get(url).status_code == 401, url


def test_the_figures_are_listed_by_name_and_title(tokens):
    body = api_client(tokens["cio"]).get(f"{API}/figures/").json()
    assert body == [{"name": name, "title": title} for name, (title, _) in FIGURES.items()]


@pytest.mark.parametrize("name", list(FIGURES))
def test_each_figure_is_the_same_json_as_the_dashboards(cast, tokens, portfolio, name):
    query = {"business_function": "IT", "period": "24"}
    response = api_client(tokens["cio"]).get(f"{API}/figures/{name}/", query)
    assert response.status_code == 200
    body = response.json()
    page = cast.client_for("cio").get(f"/dashboard/{name}.json", query)
    assert body["figure"] == json.loads(page.content)
    assert body["name"] == name and body["title"] == FIGURES[name][0]
    # No assessment named: the filters say which one the figures follow.
    assert body["filters"] == {
        "assessment": portfolio.pk,
        "business_function": "IT",
        "wave": None,
        "period": 24,
    }


def test_an_unknown_figure_is_404(tokens):
    response = api_client(tokens["cio"]).get(f"{API}/figures/nonsense/")
    assert response.status_code == 404
    assert "mix" in response.json()["errors"][0]["detail"]


def test_the_headline_is_the_dashboards_with_money_as_decimal_strings(cast, tokens, portfolio):
    body = api_client(tokens["manager"]).get(f"{API}/headline/").json()
    page = cast.client_for("manager").get("/dashboard/").context["data"]
    assert body["organisation"] == "Organisation A" and body["currency"] == "GBP"
    assert body["assessment"]["id"] == portfolio.pk
    headline, theirs = body["headline"], page["headline"]
    assert headline["credits_gross"] == {"amount": "4800.10", "currency": "GBP"}
    assert headline["credits_earned_back"] == {"amount": "1200.05", "currency": "GBP"}
    assert headline["credits_net"] == {"amount": "3600.05", "currency": "GBP"}
    assert headline["total_spend"]["amount"] == f"{Decimal(str(theirs['total_spend'])):.2f}"
    assert headline["npv_p50"]["amount"] == f"{Decimal(str(theirs['npv_p50'])):.2f}"
    assert headline["prob_npv_negative"] == theirs["prob_npv_negative"]
    for key in (
        "processes",
        "notices_due_90",
        "open_critical_issues",
        "overdue_issues",
        "payback_month",
        "empty_selection",
        "unfiltered",
        "mix_count",
    ):
        assert headline[key] == theirs[key], key
    assert headline["processes"] == 3 and headline["open_critical_issues"] == 1
    assert body["notes"] == page["notes"]


def test_a_narrowing_filter_says_which_figures_ignore_it(tokens, portfolio):
    body = api_client(tokens["cio"]).get(f"{API}/headline/", {"business_function": "HR"}).json()
    assert body["headline"]["processes"] == 1
    assert "npv_p50" in body["headline"]["unfiltered"]
    assert body["scope_notes"]["npv_p50"].endswith("cannot be split by business function.")


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ({"period": "5"}, "period"),
        ({"period": "soon"}, "period"),
        ({"wave": "9"}, "wave"),
        ({"business_function": "Astrology"}, "business_function"),
        ({"assessment": "99999999999999999999"}, "assessment"),
        ({"assessment": "x"}, "assessment"),
    ],
)
def test_a_filter_the_dashboard_would_not_offer_is_a_400_naming_it(tokens, portfolio, query, attr):
    for url in [f"{API}/headline/", f"{API}/figures/mix/"]:
        response = api_client(tokens["cio"]).get(url, query)
        assert response.status_code == 400, url
        assert response.json()["errors"][0]["attr"] == attr


def test_another_organisations_assessment_is_refused_and_nothing_of_it_shows(
    cast, tokens, portfolio
):
    theirs = submitted(cast.outsider, name="Their plan", processes=[("Secret", PAYROLL, "HR")])
    refused = api_client(tokens["cio"]).get(f"{API}/headline/", {"assessment": theirs.pk})
    assert refused.status_code == 400
    own = api_client(tokens["outsider"]).get(f"{API}/headline/").json()
    assert own["assessment"]["name"] == "Their plan" and own["headline"]["processes"] == 1
    assert own["headline"]["open_critical_issues"] == 0
    mix = api_client(tokens["outsider"]).get(f"{API}/figures/mix/").json()
    assert "Payroll" not in json.dumps(mix) and "Network" not in json.dumps(mix)


def test_the_dashboard_is_read_only(tokens, portfolio):
    assert api_client(tokens["manager"]).post(f"{API}/headline/", {}).status_code == 405
    assert api_client(tokens["manager"]).post(f"{API}/figures/", {}).status_code == 405
    assert api_client(tokens["read_only"]).post(f"{API}/headline/", {}).status_code == 403
