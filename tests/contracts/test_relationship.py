"""Relationship management: reviews, issues, actions, realised savings against the projection,
the ITO flag and the vendor scorecard on the contract and vendor pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments.models import Projection, ProjectionStatus
from contracts.engine.periods import add_months
from contracts.models import GovernanceReview, ImprovementAction, Issue, RealisedSaving
from contracts.selectors.savings import covered_processes, savings_summary
from tests.contracts.builders import (
    add_worked_slas,
    make_assessment,
    make_contract,
    make_review,
    measure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(cast):
    return make_contract(cast.manager)


def post(client, name: str, contract, data: dict, *args):
    return client.post(reverse(f"contracts:{name}", args=[contract.pk, *args]), data)


REVIEW = {
    "held_on": "2025-03-10",
    "level": "operational",
    "attendees": "Maya, Tom (vendor)",
    "rating_delivery": "4",
    "rating_communication": "3",
    "rating_responsiveness": "5",
    "rating_innovation": "2",
    "notes": "",
    "decisions": "Recovery plan by April.",
    "next_review_on": "2025-04-10",
}


def test_a_manager_records_a_governance_review(cast, contract):
    response = post(cast.client_for("manager"), "review-create", contract, REVIEW)
    assert response.status_code == 302
    review = GovernanceReview.objects.get()
    assert review.ratings == (4, 3, 5, 2) and review.mean_rating == 3.5
    assert review.recorded_by == cast.manager.user


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"next_review_on": "2025-03-01"}, "The next review must come after this one"),
        ({"next_review_on": ""}, "This field is required."),
        ({"rating_delivery": "6"}, "Select a valid choice"),
        ({"rating_innovation": ""}, "This field is required."),
    ],
)
def test_bad_reviews_are_refused_in_words_and_keep_what_was_typed(cast, contract, changes, message):
    response = post(cast.client_for("manager"), "review-create", contract, {**REVIEW, **changes})
    page = response.content.decode()
    assert message in page and "Recovery plan by April." in page
    assert not GovernanceReview.objects.exists()


def issue_data(cast, **changes) -> dict:
    return {
        "title": "Root-cause report late",
        "description": "",
        "severity": "critical",
        "status": "open",
        "owner": cast.manager.user.pk,
        "raised_on": "2025-02-01",
        "due_on": "2025-02-15",
        "escalation_level": "2",
        "resolution": "",
        "resolved_on": "",
        **changes,
    }


def test_an_overdue_issue_stands_out_on_the_contract_page(cast, contract):
    post(cast.client_for("manager"), "issue-create", contract, issue_data(cast))
    issue = Issue.objects.get()
    assert issue.is_overdue(timezone.localdate()) and issue.escalation_level == 2
    page = (
        cast.client_for("cio").get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    )
    assert 'class="table-danger" data-overdue' in page and "Overdue" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": "2025-01-15"}, "The due date is before the day it was raised"),
        ({"status": "resolved"}, "Say how it was resolved before closing it."),
        ({"owner": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_issues_are_refused_in_words(cast, contract, changes, message):
    response = post(
        cast.client_for("manager"), "issue-create", contract, issue_data(cast, **changes)
    )
    assert message in response.content.decode()
    assert not Issue.objects.exists()


def test_an_issue_of_another_organisation_cannot_be_given_to_its_people(cast, contract):
    data = issue_data(cast, owner=cast.outsider.user.pk)
    response = post(cast.client_for("manager"), "issue-create", contract, data)
    assert "Select a valid choice" in response.content.decode()


def test_resolving_an_issue_stamps_the_day(cast, contract):
    client = cast.client_for("manager")
    post(client, "issue-create", contract, issue_data(cast))
    issue = Issue.objects.get()
    post(
        client,
        "issue-edit",
        contract,
        issue_data(cast, status="resolved", resolution="Report delivered."),
        issue.pk,
    )
    issue.refresh_from_db()
    assert issue.resolved_on == timezone.localdate() and not issue.is_open


def test_a_manager_adds_and_completes_an_improvement_action(cast, contract):
    client = cast.client_for("manager")
    data = {
        "description": "Self-service password reset",
        "owner": cast.cio.user.pk,
        "due_on": "2025-06-30",
        "status": "proposed",
        "expected_benefit": "15 % fewer tickets",
    }
    post(client, "action-create", contract, data)
    action = ImprovementAction.objects.get()
    post(client, "action-edit", contract, {**data, "status": "done"}, action.pk)
    action.refresh_from_db()
    assert action.status == "done" and action.owner == cast.cio.user


def saving(client, contract, period="2025-02", vendor="90000", governance="5000"):
    return post(
        client,
        "record-saving",
        contract,
        {"period": period, "vendor_cost": vendor, "governance_cost": governance, "notes": ""},
    )


def test_recording_a_months_cost_again_corrects_it(cast, contract):
    client = cast.client_for("manager")
    saving(client, contract)
    saving(client, contract, vendor="95000")
    assert RealisedSaving.objects.get().vendor_cost == Decimal("95000")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"vendor": "-1"}, "greater than or equal to 0"),
        ({"period": "2024-06"}, "Jun 2024 is before the contract started"),
        ({"period": ""}, "This field is required."),
    ],
)
def test_bad_costs_are_refused_in_words(cast, contract, changes, message):
    response = saving(cast.client_for("manager"), contract, **changes)
    assert message in response.content.decode()
    assert not RealisedSaving.objects.exists()


def test_without_a_projection_the_page_says_so(cast):
    assessment = make_assessment(cast.manager)
    contract = make_contract(cast.manager)
    contract.processes.set(assessment.processes.all())
    saving(cast.client_for("manager"), contract, period="2025-01")
    page = (
        cast.client_for("cio").get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    )
    assert "No finished savings projection for “Review 2027” yet" in page
    # Baseline: the covered processes' 2,150,000 a year, 179,166.67 in the first month.
    assert "179,167" in page and "GBP 84,167" in page


def finished_projection(assessment) -> Projection:
    processes = [
        {
            "name": p.name,
            "model": "ITO",
            "location": "offshore",
            "annual_cost": float(p.annual_cost),
            "start_month": 0,
            "wave": 1,
        }
        for p in assessment.processes.all()
    ]
    return Projection.objects.create(
        assessment=assessment,
        status=ProjectionStatus.DONE,
        trials=1000,
        seed=7,
        horizon_months=60,
        discount_rate=0.08,
        inputs={"processes": processes},
        result={"nothing_to_project": False, "monte_carlo": {}},
        finished_at=timezone.now(),
    )


def test_realised_savings_are_compared_with_the_projection_for_the_same_processes(
    cast, django_capture_on_commit_callbacks
):
    cache.clear()
    assessment = make_assessment(cast.manager)
    finished_projection(assessment)
    contract = make_contract(cast.manager)
    # The forecast is computed on commit of the change, as after a real request.
    with django_capture_on_commit_callbacks(execute=True):
        contract.processes.set(assessment.processes.filter(name="Service desk"))
    client = cast.client_for("manager")
    for index in range(6):
        saving(client, contract, period=f"2025-{index + 1:02d}", vendor="80000")
    summary = savings_summary(contract, covered_processes(contract), timezone.localdate())
    assert summary.band.available and "Projected from “Review 2027”" in summary.band.note
    first = summary.rows[0]
    assert first["p10"] is not None and first["p10"] <= first["p50"]
    assert summary.realised_compared == pytest.approx(summary.realised_total)
    assert summary.plan_status in ("below plan", "on plan", "above plan")
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Projected, median (P50)" in page and f"<strong>{summary.plan_status}</strong>" in page


def test_an_ito_contract_past_its_ramp_without_savings_is_flagged(cast):
    assessment = make_assessment(cast.manager)
    contract = make_contract(cast.manager, model="ITO", ramp_months=3)
    contract.processes.set(assessment.processes.all())
    client = cast.client_for("manager")
    for index in range(6):
        saving(client, contract, period=f"2025-{index + 1:02d}", vendor="190000")
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "No financial difference made." in page


def test_a_bpo_contract_is_not_flagged_but_judged_with_its_operations(cast):
    assessment = make_assessment(cast.manager)
    contract = make_contract(cast.manager, model="BPO", ramp_months=3)
    contract.processes.set(assessment.processes.all())
    saving(cast.client_for("manager"), contract, period="2025-01", vendor="190000")
    page = (
        cast.client_for("manager")
        .get(reverse("contracts:detail", args=[contract.pk]))
        .content.decode()
    )
    assert "No financial difference made." not in page
    assert "judged by its operational metrics and its cost together" in page


def test_the_scorecard_shows_its_parts_on_the_contract_and_vendor_pages(cast):
    this_month = timezone.localdate().replace(day=1)
    contract = make_contract(
        cast.manager, start=add_months(this_month, -24), end=add_months(this_month, 24)
    )
    add_worked_slas(contract)
    measure(
        contract,
        add_months(this_month, -2),
        {"Availability": 99.6, "Response hours": 5, "CSAT": 90},
    )
    measure(
        contract,
        add_months(this_month, -1),
        {"Availability": 99.6, "Response hours": 3, "CSAT": 90},
    )
    # Older than 12 months: outside the scorecard's window.
    measure(contract, add_months(this_month, -14), {"Availability": 90, "Response hours": 30})
    make_review(contract, cast.manager.user, dt.date(2025, 2, 1), (5, 5, 5, 5), attendees="x")
    Issue.objects.create(
        contract=contract,
        title="Old",
        severity="low",
        owner=cast.manager.user,
        raised_on=dt.date(2025, 1, 1),
        due_on=dt.date(2025, 1, 2),
    )
    client = cast.client_for("cio")
    for address in (
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:vendor-record", args=[contract.vendor_id]),
    ):
        page = client.get(address).content.decode()
        # SLA 5 of 6 met (0.833 x 40/80) + reviews 1 x 20/80 + issues 0 x 20/80 = 66.7.
        assert "data-scorecard-total>67<" in page, address
        assert "5 of 6 SLA-periods met" in page and "1 of 1 issue open past due" in page


def test_the_vendor_record_lists_only_this_organisations_contracts(cast, contract):
    theirs = make_contract(cast.outsider, title="Their deal", vendor=contract.vendor)
    page = (
        cast.client_for("manager")
        .get(reverse("contracts:vendor-record", args=[contract.vendor_id]))
        .content.decode()
    )
    assert contract.title in page and theirs.title not in page
