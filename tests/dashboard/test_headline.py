"""The dashboard's headline: the NPV that headlines, and filters that reach every card.

One portfolio (Payroll in HR, Network in IT, Core R&D, Hotline in customer service) and
one contract covering Network, with worked figures: two months of realised savings, SLA
credits this quarter and last, a notice deadline and an overdue critical issue.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from assessments.models import Process, Recommendation
from contracts.engine.periods import add_months, month_start
from contracts.models import CreditComputation, Issue, RealisedSaving, ServiceCredit
from outsourcing.dashboard.selectors import DashboardFilters, dashboard_data
from tests.dashboard.test_dashboard import add_contract, page_text, submitted

NPV_KEYS = [
    "npv_p50",
    "npv_p10",
    "npv_p90",
    "npv_mean",
    "npv_at_modes",
    "payback_month",
    "prob_npv_negative",
]


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


@pytest.fixture
def world(cast):
    assessment = submitted(cast.manager)
    today = timezone.localdate()
    contract = add_contract(
        cast.manager, title="Network deal", baseline_annual_cost=Decimal("1200000.00")
    )
    # The forecast is computed on commit of the change, as after a real request.
    with TestCase.captureOnCommitCallbacks(execute=True):
        contract.processes.add(Process.objects.get(assessment=assessment, name="Network"))
    first = month_start(contract.start_date)
    # Month 0: 1,200,000 / 12 = 100,000 in-house; month 12: escalated by 3.5 % = 103,500.
    for period in (first, add_months(first, 12)):
        RealisedSaving.objects.create(
            contract=contract,
            period=period,
            vendor_cost=Decimal("60000.00"),
            governance_cost=Decimal("5000.00"),
            recorded_by=cast.manager.user,
        )
    computation = CreditComputation.objects.create(
        contract=contract, inputs={}, rules_version="2026.1"
    )
    this_quarter = quarter_start(today)
    for period, measured, breaches, total, back in (
        (this_quarter, 3, 1, "4800.10", "1200.05"),
        (add_months(this_quarter, -1), 3, 3, "9000.00", "0.00"),
    ):
        ServiceCredit.objects.create(
            contract=contract,
            computation=computation,
            period=period,
            measured=measured,
            breaches=breaches,
            total=Decimal(total),
            earned_back=Decimal(back),
            net_total=Decimal(total) - Decimal(back),
            result={},
        )
    Issue.objects.create(
        contract=contract,
        title="Outage backlog",
        severity="critical",
        owner=cast.manager.user,
        raised_on=today - dt.timedelta(days=20),
        due_on=today - dt.timedelta(days=1),
    )
    return assessment


def headline(cast, **filters):
    return dashboard_data(
        cast.org, DashboardFilters(period_months=0, **filters), timezone.localdate()
    ).headline


def test_the_headline_npv_is_the_monte_carlo_median_with_its_range(cast, world):
    result = world.projections.get().result
    h = headline(cast)
    assert h["npv_p50"] == result["monte_carlo"]["npv_p50"]
    assert (h["npv_p10"], h["npv_p90"]) == (
        result["monte_carlo"]["npv_p10"],
        result["monte_carlo"]["npv_p90"],
    )
    assert h["npv_at_modes"] == result["deterministic"]["npv"]
    assert h["npv_at_modes"] != h["npv_p50"]
    assert h["payback_month"] == result["deterministic"]["payback_month"]
    assert "npv" not in h and "credits_earned" not in h


def test_the_dashboard_shows_the_median_as_the_big_number_and_labels_the_modes(cast, world):
    result = world.projections.get().result
    page = cast.client_for("cio").get(reverse("dashboard")).content.decode()
    p50 = f"GBP {result['monte_carlo']['npv_p50']:,.0f}"
    assert f'<div class="fs-4" data-figure="npv_p50">{p50}</div>' in page
    text = " ".join(page.split())
    modes = f"GBP {result['deterministic']['npv']:,.0f}"
    assert (
        "NPV at the modes (every driver at its most likely value): "
        f'<span data-figure="npv_at_modes">{modes}</span>'
    ) in text
    assert "Payback at the modes:" in text


def test_unfiltered_every_contract_figure_counts(cast, world):
    h = headline(cast)
    assert h["realised_to_date"] == pytest.approx(35_000 + 38_500)
    assert h["sla_attainment_quarter"] == pytest.approx(2 / 3)
    assert (h["credits_gross"], h["credits_earned_back"], h["credits_net"]) == (
        Decimal("13800.10"),
        Decimal("1200.05"),
        Decimal("12600.05"),
    )
    assert (h["notices_due_90"], h["open_critical_issues"], h["overdue_issues"]) == (1, 1, 1)
    assert h["unfiltered"] == [] and h["empty_selection"] is False


def test_a_function_with_no_processes_shows_an_empty_selection_on_every_card(cast, world):
    h = headline(cast, business_function="legal")
    assert h["processes"] == 0 and h["empty_selection"] is True
    assert all(h[key] is None for key in NPV_KEYS)
    assert h["realised_to_date"] is None and h["plan_to_date"] is None
    assert h["sla_attainment_quarter"] is None
    assert h["credits_gross"] == h["credits_net"] == Decimal("0.00")
    assert (h["notices_due_90"], h["open_critical_issues"], h["overdue_issues"]) == (0, 0, 0)


def test_the_legal_page_says_no_processes_in_this_selection_never_no_assessment(cast, world):
    client = cast.client_for("cio")
    page = page_text(client.get(reverse("dashboard"), {"business_function": "legal"}))
    assert "No processes in this selection" in page
    assert "no submitted assessment" not in page.lower()
    assert "Outage backlog" not in page
    for name in ("mix", "savings", "vendors", "sla", "renewals"):
        figure = json.loads(
            client.get(
                reverse("dashboard-figure", args=[name]), {"business_function": "legal"}
            ).content
        )
        assert [a["text"] for a in figure["layout"]["annotations"]] == [
            "No processes in this selection."
        ], name


def test_a_function_the_contract_does_not_cover_leaves_its_figures_out(cast, world):
    h = headline(cast, business_function="HR")
    assert h["processes"] == 1 and h["empty_selection"] is False
    assert h["realised_to_date"] is None and h["sla_attainment_quarter"] is None
    assert h["credits_gross"] == Decimal("0.00")
    assert (h["notices_due_90"], h["open_critical_issues"]) == (0, 0)


def test_the_npv_cannot_be_split_by_function_and_the_card_says_so(cast, world):
    result = world.projections.get().result
    h = headline(cast, business_function="HR")
    assert h["npv_p50"] == result["monte_carlo"]["npv_p50"]
    assert set(h["unfiltered"]) == set(NPV_KEYS) - {k for k in NPV_KEYS if h[k] is None}
    assert "npv_p50" in h["unfiltered"]
    page = page_text(cast.client_for("cio").get(reverse("dashboard"), {"business_function": "HR"}))
    assert "Whole portfolio: this figure cannot be split by business function." in page


def test_a_function_the_contract_covers_keeps_its_figures(cast, world):
    h = headline(cast, business_function="IT")
    assert h["processes"] == 1
    assert h["realised_to_date"] == pytest.approx(73_500)
    assert h["sla_attainment_quarter"] == pytest.approx(2 / 3)
    assert h["credits_net"] == Decimal("12600.05")
    assert (h["notices_due_90"], h["open_critical_issues"]) == (1, 1)


def test_a_wave_filter_gives_that_waves_npv(cast, world):
    result = world.projections.get().result
    wave = Recommendation.objects.get(process__name="Network").wave
    h = headline(cast, wave=wave)
    monte = next(w for w in result["monte_carlo"]["waves"] if w["wave"] == wave)
    modes = next(w for w in result["deterministic"]["waves"] if w["wave"] == wave)
    assert (h["npv_p10"], h["npv_p50"], h["npv_p90"]) == (
        monte["npv_p10"],
        monte["npv_p50"],
        monte["npv_p90"],
    )
    assert h["npv_at_modes"] == modes["npv"]
    assert h["payback_month"] == modes["payback_month"]
    assert h["npv_p50"] != result["monte_carlo"]["npv_p50"]
    assert h["unfiltered"] == []
    assert h["realised_to_date"] == pytest.approx(73_500)


def test_a_wave_the_contract_is_not_in_leaves_its_figures_out(cast, world):
    network = Recommendation.objects.get(process__name="Network").wave
    other = Recommendation.objects.exclude(wave=network).exclude(wave=None).first().wave
    h = headline(cast, wave=other)
    assert h["processes"] >= 1
    assert h["realised_to_date"] is None and h["open_critical_issues"] == 0


def test_the_period_filter_limits_the_credits_but_not_this_quarters_attainment(cast, world):
    today = timezone.localdate()
    months = (
        (today.year - quarter_start(today).year) * 12 + today.month - quarter_start(today).month + 1
    )
    data = dashboard_data(cast.org, DashboardFilters(period_months=months), today)
    assert data.headline["credits_gross"] == Decimal("4800.10")
    assert data.headline["sla_attainment_quarter"] == pytest.approx(2 / 3)


def test_realised_savings_sit_on_the_fan_where_the_contract_page_puts_them(cast, world):
    # The contract's first month stands for the go-live month of the process it covers.
    go_live = Recommendation.objects.get(process__name="Network").go_live_month
    fan = dashboard_data(cast.org, DashboardFilters(), timezone.localdate()).fan
    realised = fan.set_index("month")["realised"].dropna()
    assert list(realised.index) == list(range(go_live, go_live + 13))
    assert realised[go_live] == pytest.approx(35_000)
    assert realised[go_live + 11] == pytest.approx(35_000)
    assert realised[go_live + 12] == pytest.approx(73_500)
