"""The current portfolio: a CIO or admin marks one submitted assessment; the dashboard
opens on it and can still switch. Dashboard items link to what they are about."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import CurrentPortfolio
from assessments.services.assessments import assessment_reopen
from contracts.models import Issue
from tests.contracts.builders import make_assessment, make_contract
from tests.dashboard.test_dashboard import page_text

pytestmark = pytest.mark.django_db


def mark_url(assessment) -> str:
    return reverse("assessments:mark-current-portfolio", args=[assessment.pk])


@pytest.fixture
def two(cast):
    """The big portfolio, then a small test submitted after it."""
    portfolio = make_assessment(cast.manager)
    portfolio.name = "Whole portfolio"
    portfolio.save()
    test = make_assessment(cast.manager, processes=(("Payroll", 300_000, "BPO", 0, 3),))
    test.name = "Five-process test"
    test.save()
    return portfolio, test


def test_anonymous_people_are_sent_to_login(cast, two):
    response = cast.client_for(None).post(mark_url(two[0]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CurrentPortfolio.objects.exists()


def test_another_organisations_assessment_is_missing(cast, two):
    outsider_cio = cast.outsider
    outsider_cio.role = "cio"
    outsider_cio.save()
    assert cast.client_for("outsider").post(mark_url(two[0])).status_code == 404
    assert not CurrentPortfolio.objects.exists()


def test_a_manager_may_not_choose_the_current_portfolio(cast, two):
    assert cast.client_for("manager").post(mark_url(two[0])).status_code == 403
    assert not CurrentPortfolio.objects.exists()


def test_marking_needs_post(cast, two):
    assert cast.client_for("cio").get(mark_url(two[0])).status_code == 405


@pytest.mark.parametrize("who", ["cio", "admin"])
def test_a_cio_or_admin_marks_the_current_portfolio(cast, two, who):
    response = cast.client_for(who).post(mark_url(two[0]), {"next": "/dashboard/"}, follow=True)
    mark = CurrentPortfolio.objects.get()
    assert mark.assessment == two[0] and mark.chosen_by == getattr(cast, who).user
    assert "“Whole portfolio” is now the current portfolio" in page_text(response)


def test_a_draft_cannot_be_the_current_portfolio(cast, two):
    assessment_reopen(assessment=two[0])
    response = cast.client_for("cio").post(mark_url(two[0]), follow=True)
    assert "is a draft: submit it before making it the current portfolio" in page_text(response)
    assert not CurrentPortfolio.objects.exists()


def test_a_next_url_elsewhere_is_not_followed(cast, two):
    response = cast.client_for("cio").post(mark_url(two[0]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard")


def test_without_a_mark_the_dashboard_opens_on_the_newest_submitted(cast, two):
    text = page_text(cast.client_for("cio").get(reverse("dashboard")))
    assert "Organisation A · Five-process test" in text
    assert "Five-process test (newest submitted)" in text
    assert "Make “Five-process test” the current portfolio" in text


def test_the_dashboard_opens_on_the_current_portfolio_and_can_still_switch(cast, two):
    portfolio, test = two
    client = cast.client_for("cio")
    client.post(mark_url(portfolio))
    response = client.get(reverse("dashboard"))
    text = page_text(response)
    assert "Organisation A · Whole portfolio" in text and "Current portfolio" in text
    assert "Whole portfolio (current portfolio)" in text
    switched = page_text(client.get(reverse("dashboard"), {"assessment": test.pk}))
    assert "Organisation A · Five-process test" in switched
    assert "The current portfolio is “Whole portfolio”." in switched
    # Other filters alone keep the current portfolio.
    narrowed = page_text(client.get(reverse("dashboard"), {"business_function": "other"}))
    assert "Organisation A · Whole portfolio" in narrowed


def test_a_reopened_current_portfolio_gives_way_to_the_newest_submitted(cast, two):
    portfolio, _ = two
    cast.client_for("cio").post(mark_url(portfolio))
    assessment_reopen(assessment=portfolio)
    text = page_text(cast.client_for("cio").get(reverse("dashboard")))
    assert "Organisation A · Five-process test" in text


def test_a_manager_sees_the_mark_but_no_button(cast, two):
    text = page_text(cast.client_for("manager").get(reverse("dashboard")))
    assert "No current portfolio chosen" in text and "Make “" not in text


def test_needs_attention_and_open_issues_link_to_what_they_are_about(cast, two):
    today = dt.date.today()
    contract = make_contract(
        cast.manager, start=today - dt.timedelta(days=400), end=today + dt.timedelta(days=120)
    )
    issue = Issue.objects.create(
        contract=contract,
        title="Backlog over target",
        severity="critical",
        owner=cast.manager.user,
        raised_on=today - dt.timedelta(days=20),
        due_on=today - dt.timedelta(days=1),
    )
    html = cast.client_for("cio").get(reverse("dashboard")).content.decode()
    detail = reverse("contracts:detail", args=[contract.pk])
    assert f'<a href="{detail}#issue-{issue.pk}">Backlog over target</a>' in html
    assert f'<a href="{detail}">{contract.title}</a>' in html
    assert (
        f'<a href="{reverse("contracts:renewals")}"><span data-figure="notices_due_90">1</span>'
        in html
    )
    assert (
        '<a href="#open-issues" class="link-danger"><span data-figure="open_critical_issues">1'
        in html
    )
    assert 'id="open-issues"' in html
    page = cast.client_for("cio").get(detail).content.decode()
    assert f'id="issue-{issue.pk}"' in page
