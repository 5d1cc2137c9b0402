"""The dashboard's headline maths (outsourcing/engine/headline.py) on hand-made inputs."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from types import SimpleNamespace

import pandas as pd
import pytest

from outsourcing.engine.headline import (
    cents,
    cumulative_band,
    headline_figures,
    mix_by_function,
    quarter_start,
    vendor_frame,
)


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 3, 31), dt.date(2026, 1, 1)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
        (dt.date(2026, 12, 2), dt.date(2026, 10, 1)),
    ],
)
def test_a_quarter_starts_on_the_first_of_january_april_july_or_october(day, start):
    assert quarter_start(day) == start


def test_credit_sums_are_exact_and_round_half_up_to_the_cent():
    assert cents([Decimal("0.005"), Decimal("0.000")]) == Decimal("0.01")
    assert cents([Decimal("10.10"), Decimal("20.20")]) == Decimal("30.30")
    assert cents([]) == Decimal("0.00")


def test_the_band_draws_realised_savings_cumulatively_from_their_first_month():
    monte = {
        "cumulative_p10": [0, 1, 2, 3],
        "cumulative_p50": [0, 2, 4, 6],
        "cumulative_p90": [0, 3, 6, 9],
    }
    frame = cumulative_band(monte, {1: 5.0, 3: 2.0, 7: 100.0})
    assert list(frame.columns) == ["month", "p10", "p50", "p90", "realised"]
    assert math.isnan(frame.loc[0, "realised"])
    # Month 2 has no figure of its own: the cumulative line carries month 1's total.
    assert frame["realised"].tolist()[1:] == [5.0, 5.0, 7.0]  # month 7 is past the horizon


def test_a_band_without_realised_savings_has_no_realised_line():
    monte = {"cumulative_p10": [0, 1], "cumulative_p50": [0, 2], "cumulative_p90": [0, 3]}
    assert cumulative_band(monte, {}).realised.isna().all()


def _rows():
    return pd.DataFrame(
        {
            "chosen_model": ["ITO", "retain", "BPO", "ITO"],
            "annual_cost": [100.0, 50.0, 30.0, 20.0],
            "function_label": ["IT", "IT", "Finance", "Finance"],
        }
    )


def test_the_headline_adds_up_the_selection():
    sla = pd.DataFrame(
        {
            "credits": [Decimal("10.005"), Decimal("1.00")],
            "earned_back": [Decimal("0"), Decimal("1.00")],
            "net_credits": [Decimal("10.005"), Decimal("0")],
        }
    )
    renewals = pd.DataFrame({"days_to_deadline": [-3, 0, 90, 91]})
    issues = pd.DataFrame(
        {"severity": ["critical", "minor", "critical"], "overdue": [True, False, False]}
    )
    figures = headline_figures(
        rows=_rows(),
        npv={"npv_p50": 12.0},
        quarter_met=3,
        quarter_measured=4,
        realised=[10.0, 5.5],
        planned=[],
        sla=sla,
        renewals=renewals,
        issues=issues,
        empty_selection=False,
        unfiltered=["npv_p50"],
    )
    assert figures["processes"] == 4
    assert figures["total_spend"] == 200.0 and figures["addressable_spend"] == 150.0
    assert figures["mix_count"] == {"ITO": 2, "retain": 1, "BPO": 1}
    assert figures["npv_p50"] == 12.0
    assert figures["realised_to_date"] == 15.5 and figures["plan_to_date"] is None
    assert figures["sla_attainment_quarter"] == pytest.approx(0.75)
    assert figures["credits_gross"] == Decimal("11.01")
    assert figures["credits_earned_back"] == Decimal("1.00")
    assert figures["credits_net"] == Decimal("10.01")
    assert figures["notices_due_90"] == 2  # today and in 90 days; not past, not 91 days
    assert figures["open_critical_issues"] == 2 and figures["overdue_issues"] == 1
    assert figures["unfiltered"] == ["npv_p50"]


def test_vendors_are_listed_by_spend_with_their_scorecard_parts():
    contracts = pd.DataFrame(
        {
            "vendor_id": [7, 9, 7],
            "vendor": ["Beta", "Alpha", "Beta"],
            "annual_value": [Decimal("10.00"), Decimal("30.00"), Decimal("5.50")],
        }
    )

    def card(total):
        parts = [
            SimpleNamespace(key=k, value=v)
            for k, v in (
                ("sla_attainment", 1.0),
                ("review_rating", 0.5),
                ("savings_realisation", None),
                ("issue_health", 0.9),
            )
        ]
        return SimpleNamespace(total=total, parts=parts)

    frame = vendor_frame(contracts, {7: card(61.0), 9: card(72.5)})
    assert frame["vendor"].tolist() == ["Alpha", "Beta"]
    assert frame["annual_spend"].tolist() == [Decimal("30.00"), Decimal("15.50")]
    assert frame["contracts"].tolist() == [1, 2]
    assert frame["score"].tolist() == [72.5, 61.0]


def test_the_mix_by_function_counts_and_sums_per_function_and_model():
    mix = mix_by_function(_rows())
    assert mix.to_dict("records") == [
        {"business_function": "Finance", "model": "BPO", "annual_cost": 30.0, "processes": 1},
        {"business_function": "Finance", "model": "ITO", "annual_cost": 20.0, "processes": 1},
        {"business_function": "IT", "model": "ITO", "annual_cost": 100.0, "processes": 1},
        {"business_function": "IT", "model": "retain", "annual_cost": 50.0, "processes": 1},
    ]
