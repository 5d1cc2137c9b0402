"""The home page guides each role: where the organisation stands, and the next steps."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.services.portfolio import portfolio_mark_current
from tests.contracts.builders import make_assessment, make_contract
from tests.dashboard.test_dashboard import page_text

pytestmark = pytest.mark.django_db


def test_anonymous_people_are_sent_to_login(cast):
    response = cast.client_for(None).get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_organisations_manager_is_told_to_start_an_assessment(cast):
    response = cast.client_for("manager").get("/")
    text = page_text(response)
    assert response.status_code == 200
    assert "Where Organisation A stands" in text
    assert "Needs assessment Not started To do" in text
    assert f'href="{reverse("assessments:create")}"' in response.content.decode()
    assert "Start an assessment" in text


def test_the_home_page_shows_each_stage_and_links_the_next_step(cast):
    assessment = make_assessment(cast.manager)
    today = dt.date.today()
    # Live, with its notice deadline (end less 90 days) within the next 90 days.
    contract = make_contract(
        cast.manager,
        start=today - dt.timedelta(days=400),
        end=today + dt.timedelta(days=120),
    )
    contract.processes.set(assessment.processes.all())
    response = cast.client_for("cio").get("/")
    text = page_text(response)
    html = response.content.decode()
    assert "1 assessment submitted" in text
    assert "Not run yet for “Review 2027”" in text
    assert "1 contract live" in text
    assert "1 notice deadline in the next 90 days" in text
    # The most pressing step first, as a link.
    assert f'<a href="{reverse("contracts:renewals")}" class="fw-semibold">' in html
    assert f'href="{reverse("dashboard")}"' in html
    assert "Newest submitted assessment (no current portfolio chosen)" in text


def test_the_home_page_names_the_current_portfolio(cast):
    chosen = make_assessment(cast.manager)
    make_assessment(cast.manager)  # submitted later
    portfolio_mark_current(organisation=cast.org, assessment=chosen, user=cast.cio.user)
    text = page_text(cast.client_for("admin").get("/"))
    assert "Current portfolio: “Review 2027”" in text
    assert "Invite people and set roles" in text


def test_the_home_page_shows_only_the_members_own_organisation(cast):
    make_assessment(cast.manager)
    text = page_text(cast.client_for("outsider").get("/"))
    assert "Organisation B" in text and "Not started" in text


def test_the_home_page_reads_a_fixed_number_of_queries(cast):
    client = cast.client_for("cio")
    make_contract(cast.manager).processes.set(make_assessment(cast.manager).processes.all())
    client.get("/")  # session and membership warm
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _ in range(5):
        assessment = make_assessment(cast.manager)
        make_contract(cast.manager, title=f"Deal {assessment.pk}").processes.set(
            assessment.processes.all()
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)
    assert len(few) <= 15


def test_only_get_is_allowed(cast):
    assert cast.client_for("manager").post("/").status_code == 405


def test_the_favicon_is_served_to_anyone(cast):
    response = cast.client_for(None).get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
