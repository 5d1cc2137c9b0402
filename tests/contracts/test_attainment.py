"""Met, breach and critical breach are judged by one rule, so every page that shows them
agrees with the credits that were billed, on the boundaries too.

The months below sit exactly on the target and exactly on the minimum service level in
both directions, where a second formula (a strict instead of an inclusive comparison, a
critical level that includes the minimum) would disagree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from contracts.models import Measurement, ServiceCredit
from contracts.selectors.slas import (
    credit_explanation,
    latest_computation,
    sla_summaries,
    sla_trend_frame,
)
from tests.contracts.builders import add_sla, make_contract, measure, month

pytestmark = pytest.mark.django_db

# (availability: higher is better, target 99.5, minimum 99.0;
#  response: lower is better, target 4, minimum 8)
MONTHS = [
    {"Availability": "99.5", "Response": "8"},  # met on target; breach at the minimum
    {"Availability": "99.0", "Response": "8.0001"},  # breach at the minimum; critical
    {"Availability": "98.9999", "Response": "4"},  # critical; met on target
    {"Availability": "99.6", "Response": "3.9"},  # both met
]
# What METHODOLOGY 7 says of each month, worked by hand: "met", "breach" or "critical".
EXPECTED = {
    "Availability": ["met", "breach", "critical", "met"],
    "Response": ["breach", "critical", "met", "met"],
}


def contract_with_slas(cast, title: str):
    contract = make_contract(cast.manager, title=title)
    add_sla(
        contract, "Availability", target="99.5", minimum="99.0", allocation="50", earn_back=True
    )
    add_sla(
        contract,
        "Response",
        category="response_time",
        target="4",
        unit="hours",
        direction="lower",
        minimum="8",
        allocation="40",
        earn_back=True,
    )
    return contract


def verdict(met: bool, breach: bool, critical: bool) -> str:
    assert met != breach
    return "critical" if critical else "breach" if breach else "met"


@pytest.fixture
def measured(cast):
    contract = contract_with_slas(cast, "Measured")
    for index, actuals in enumerate(MONTHS):
        measure(contract, month(index), actuals)
    return contract


def test_the_billed_credits_judge_the_boundaries_as_the_methodology_says(measured):
    rows = list(ServiceCredit.objects.for_contract(measured))
    for name, expected in EXPECTED.items():
        judged = [
            verdict(
                name not in r.result["breach"],
                name in r.result["breach"],
                name in r.result["critical"],
            )
            for r in rows
        ]
        assert judged == expected, name


def test_the_sla_page_shows_the_same_verdicts_as_the_billed_credits(measured):
    for sla in measured.slas.all():
        frame = sla_trend_frame(sla)
        assert [verdict(r.met, r.breach, r.critical) for r in frame.itertuples()] == EXPECTED[
            sla.name
        ]


def test_a_month_not_yet_computed_is_judged_by_the_same_rule(cast):
    contract = contract_with_slas(cast, "Not computed")
    slas = {sla.name: sla for sla in contract.slas.all()}
    Measurement.objects.bulk_create(
        [
            Measurement(sla=slas[name], period=month(index), actual=Decimal(value))
            for index, actuals in enumerate(MONTHS)
            for name, value in actuals.items()
        ]
    )
    assert not ServiceCredit.objects.filter(contract=contract).exists()
    for name, sla in slas.items():
        frame = sla_trend_frame(sla)
        assert [verdict(r.met, r.breach, r.critical) for r in frame.itertuples()] == EXPECTED[name]


def test_the_sla_summary_counts_the_months_met_as_the_credits_do(measured):
    today = dt.date(2025, 6, 15)
    summaries = {
        s.sla.name: s
        for s in sla_summaries(list(measured.slas.all()), latest_computation(measured), today)
    }
    for name, expected in EXPECTED.items():
        summary = summaries[name]
        assert (summary.met, summary.measured) == (expected.count("met"), len(expected))
        assert summary.last_met is (expected[-1] == "met")
        assert summary.last_critical is (expected[-1] == "critical")
        assert summary.attainment == pytest.approx(expected.count("met") / len(expected))


def test_the_credit_page_judges_the_following_months_by_the_same_rule(measured):
    first = ServiceCredit.objects.select_related("computation").get(
        contract=measured, period=month(0)
    )
    lines = {line.name: line for line in credit_explanation(first)["lines"]}
    for name, expected in EXPECTED.items():
        later = [ok for _, ok in lines[name].later]
        assert later == [verdict == "met" for verdict in expected[1:]], name
