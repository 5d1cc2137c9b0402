"""The figures: breaches highlighted against the target, names escaped, credits per month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from contracts.charts import credits_chart, figure_data, savings_chart, sla_trend_chart
from contracts.selectors.slas import CREDIT_COLUMNS, TREND_COLUMNS


def trend() -> pd.DataFrame:
    rows = [
        (dt.date(2025, 1, 1), "Jan 2025", Decimal("99.7"), False, False),
        (dt.date(2025, 2, 1), "Feb 2025", Decimal("99.2"), True, False),
        (dt.date(2025, 3, 1), "Mar 2025", Decimal("98.1"), True, True),
    ]
    return pd.DataFrame.from_records(
        [
            {
                "period": p,
                "label": label,
                "actual": actual,
                "target": Decimal("99.5"),
                "minimum": Decimal("99"),
                "met": not breach,
                "breach": breach,
                "critical": critical,
                "credit": Decimal("0"),
            }
            for p, label, actual, breach, critical in rows
        ],
        columns=list(TREND_COLUMNS),
    )


def test_the_trend_draws_actuals_target_minimum_and_marks_each_breach():
    figure = figure_data(
        sla_trend_chart(
            trend(),
            name="Availability",
            unit="%",
            target=Decimal("99.5"),
            minimum=Decimal("99"),
            direction="higher",
        )
    )
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert traces["Actual"]["y"] == [99.7, 99.2, 98.1]
    assert traces["Breach"]["x"] == ["Feb 2025"]
    assert traces["Critical breach"]["x"] == ["Mar 2025"]
    assert traces["Target (higher is better)"]["y"] == [99.5, 99.5, 99.5]
    assert traces["Minimum service level"]["y"] == [99.0, 99.0, 99.0]


def test_names_people_typed_are_escaped_in_titles_and_hover_text():
    figure = figure_data(
        sla_trend_chart(
            trend(),
            name="<b>Up</b>time",
            unit="<i>%</i>",
            target=99.5,
            minimum=None,
            direction="higher",
        )
    )
    text = str(figure)
    assert "<b>" not in text and "&lt;b&gt;Up&lt;/b&gt;time" in figure["layout"]["title"]["text"]
    assert all("<i>" not in trace["hovertemplate"] for trace in figure["data"])


def test_the_credit_chart_has_credit_and_earned_back_per_month():
    frame = pd.DataFrame.from_records(
        [
            {
                "period": dt.date(2025, 1, 1),
                "label": "Jan 2025",
                "measured": 3,
                "breaches": 2,
                "critical": 0,
                "cap_applied": False,
                "total": Decimal("12000.00"),
                "earned_back": Decimal("0.00"),
                "net_total": Decimal("12000.00"),
            }
        ],
        columns=list(CREDIT_COLUMNS),
    )
    figure = figure_data(credits_chart(frame, currency="GBP"))
    assert [t["name"] for t in figure["data"]] == ["Credit", "Earned back"]
    assert figure["data"][0]["y"] == [12000.0]


def test_the_savings_chart_shows_the_projection_only_when_there_is_one():
    frame = pd.DataFrame(
        {"label": ["Jan 2025"], "realised": [5000.0], "p10": [None], "p50": [None]}
    )
    assert [t["name"] for t in figure_data(savings_chart(frame, currency="GBP"))["data"]] == [
        "Realised"
    ]
    frame["p10"], frame["p50"] = [1000.0], [4000.0]
    names = [t["name"] for t in figure_data(savings_chart(frame, currency="GBP"))["data"]]
    assert names == ["Realised", "Projected P50", "Projected P10"]
