"""What the board pack says first: headline figures in words when missing, the selection,
the top risks and the decisions needed, derived from the data; pending awards."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook

from contracts.models import Issue
from outsourcing.dashboard.boardpacks.documents import build_xlsx
from outsourcing.dashboard.boardpacks.summary import (
    HIGH,
    MEDIUM,
    PackInputs,
    decisions_needed,
    headline_figures,
    selection_text,
    top_risks,
)
from outsourcing.dashboard.selectors import DashboardFilters, dashboard_data, pending_awards
from tests.dashboard.test_dashboard import add_contract, submitted
from tests.vendors.factories import make_event
from vendors.models.events import EventStatus


def figures_by_key(data, filters: DashboardFilters | None = None):
    filters = filters or DashboardFilters()
    return {f.key: f for _, group in headline_figures(data, filters) for f in group}


def test_an_organisation_without_an_assessment_reads_in_words_not_blanks(cast):
    data = dashboard_data(cast.org, DashboardFilters(), timezone.localdate())
    figures = figures_by_key(data)
    assert figures["npv_p50"].text == "no finished projection yet"
    assert figures["payback_month"].text == "no finished projection yet"
    assert figures["sla_attainment_quarter"].text == "not measured this quarter"
    assert figures["realised_to_date"].text == "none recorded yet"
    assert figures["processes"].text == "0 processes"
    assert all(f.text and f.text != "None" for f in figures.values())
    book = load_workbook(io.BytesIO(build_xlsx(data)))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Assessment"] == "no submitted assessment"
    assert summary["Projected NPV, median of the trials (P50)"] == "no finished projection yet"
    assert book["Contracts"]["A2"].value == "No live contract in this selection."
    assert book["Contracts"].max_column == 1  # an empty table keeps one column, for words


def test_money_prints_with_its_currency_and_shares_as_percentages(cast):
    submitted(cast.manager)
    data = dashboard_data(cast.org, DashboardFilters(), timezone.localdate())
    figures = figures_by_key(data)
    h = data.headline
    assert figures["total_spend"].text == f"GBP {h['total_spend']:,.0f}"
    assert figures["npv_p50"].text.startswith("GBP ")
    assert figures["prob_npv_negative"].text == f"{100 * h['prob_npv_negative']:.1f} %"
    assert figures["credits_net"].text == f"GBP {h['credits_net']:,.2f}"
    assert figures["npv_p50"].column.header(currency="GBP") == (
        "Projected NPV, median of the trials (P50) (GBP)"
    )


def test_an_empty_selection_says_so_in_every_figure_it_empties(cast):
    submitted(cast.manager)
    filters = DashboardFilters(business_function="Legal")
    data = dashboard_data(cast.org, filters, timezone.localdate())
    figures = figures_by_key(data, filters)
    assert figures["npv_p50"].text == "no processes in this selection"
    assert figures["credits_gross"].text in ("no processes in this selection", "GBP 0.00")
    assert "business function Legal" in selection_text(data, filters)
    assert "Run a savings projection" not in [d.title for d in decisions_needed(data)]


def test_a_notice_deadline_and_a_critical_issue_are_risks_and_a_renewal_is_a_decision(cast):
    submitted(cast.manager)
    today = timezone.localdate()
    contract = add_contract(cast.manager, title="Service desk deal")  # notice due in ~60 days
    Issue.objects.create(
        contract=contract,
        title="Outage backlog",
        severity="critical",
        owner=cast.manager.user,
        raised_on=today - dt.timedelta(days=20),
        due_on=today - dt.timedelta(days=1),
    )
    data = dashboard_data(cast.org, DashboardFilters(), today)
    deadline = data.renewals.iloc[0]
    risks = {r.title: r for r in top_risks(data)}
    notice = risks[f"Notice deadline in {deadline.days_to_deadline} days: Service desk deal"]
    assert notice.severity == (HIGH if deadline.days_to_deadline <= 30 else MEDIUM)
    assert risks["1 critical issue open, 1 past due"].severity == HIGH
    severities = [r.severity for r in top_risks(data)]
    assert severities == sorted(severities, key=[HIGH, MEDIUM, "Low"].index)
    decisions = decisions_needed(data)
    renewal = next(d for d in decisions if d.title.startswith("Renew or exit"))
    assert renewal.title == "Renew or exit: Service desk deal (Vendor for Service desk deal)"
    assert renewal.by == deadline.notice_deadline
    assert "GBP 1,200,000 a year" in renewal.detail


def test_a_contract_already_in_notice_asks_for_no_decision(cast):
    submitted(cast.manager)
    add_contract(cast.manager, title="Leaving deal").__class__.objects.filter(
        title="Leaving deal"
    ).update(status="in_notice")
    data = dashboard_data(cast.org, DashboardFilters(), timezone.localdate())
    assert not [d for d in decisions_needed(data) if "Leaving deal" in d.title]


def test_events_being_evaluated_or_past_their_deadline_wait_for_an_award(cast):
    today = timezone.localdate()
    first = make_event(cast, name="Evaluating RFP")
    assessment = first.assessment
    late = make_event(cast, assessment=assessment, name="Late RFP")
    make_event(cast, assessment=assessment, name="Open RFP")
    make_event(cast, assessment=assessment, name="Draft RFP")
    events = type(first).objects
    events.filter(name="Evaluating RFP").update(status=EventStatus.EVALUATING)
    events.filter(name="Late RFP").update(
        status=EventStatus.OPEN, deadline=today - dt.timedelta(days=1)
    )
    events.filter(name="Open RFP").update(status=EventStatus.OPEN)
    make_event(cast, name="Outsider RFP", organisation=cast.other_org, user=cast.outsider.user)
    events.filter(name="Outsider RFP").update(status=EventStatus.EVALUATING)
    awards = pending_awards(cast.org, today)
    assert [a.event for a in awards] == ["Late RFP", "Evaluating RFP"]  # by deadline
    assert awards[0].status == "Open for proposals" and awards[1].status == "Evaluating"
    assert awards[1].processes == late.scope.count()
    submitted(cast.manager)  # the dashboard reads the latest submitted assessment
    data = dashboard_data(cast.org, DashboardFilters(), today)
    titles = [d.title for d in decisions_needed(data, awards)]
    assert "Award: Late RFP (ITO)" in titles and "Award: Evaluating RFP (ITO)" in titles
    book = load_workbook(io.BytesIO(build_xlsx(data, PackInputs(awards=awards))))
    decisions = [row[0] for row in book["Decisions"].iter_rows(min_row=2, values_only=True)]
    assert "Award: Late RFP (ITO)" in decisions
