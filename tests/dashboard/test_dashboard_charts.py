"""The dashboard's charts keep their labels readable (issue 14): asserted on the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from assessments import charts as results_charts
from outsourcing.dashboard import charts


def vendors() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "vendor": ["Vantara Technologies", "Northbridge Digital Services", "Keystone Cloud"],
            "annual_spend": [Decimal("780000"), Decimal("1450000"), Decimal("1850000")],
            "score": [66.0, 65.0, 66.0],
            "contracts": [1, 1, 1],
        }
    )


def test_vendor_names_point_toward_the_middle_and_alternate_above_and_below():
    figure = charts.vendor_quadrant(vendors(), currency="GBP")
    scatter = figure.data[0]
    assert list(scatter.textposition) == ["top right", "bottom center", "top left"]
    assert scatter.cliponaxis is False
    low, high = figure.layout.xaxis.range
    assert low < 780000 and high > 1850000  # room either side of the outermost markers


def test_the_score_70_note_sits_in_the_right_margin_not_on_a_label():
    figure = charts.vendor_quadrant(vendors(), currency="GBP")
    (note,) = [a for a in figure.layout.annotations if a.text == "score 70"]
    assert (note.xref, note.x, note.xanchor, note.y) == ("paper", 1, "left", 70)
    assert figure.layout.margin.r >= 60


def sla_rows(names, months=12) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "contract": name,
                "period": dt.date(2026, 1 + m, 1),
                "measured": 3,
                "attainment": 1.0 if (m + i) % 4 else 0.5,
            }
            for i, name in enumerate(names)
            for m in range(months)
        ]
    )


def test_the_sla_heatmap_labels_months_sparingly_and_wraps_long_contract_names():
    long = "Service desk and end-user support for every site in the group"
    figure = charts.sla_heatmap(sla_rows([long, "Payroll"]))
    heatmap = figure.data[0]
    assert figure.layout.xaxis.type == "date" and figure.layout.xaxis.nticks <= 6
    assert figure.layout.xaxis.tickformat == "%b<br>%Y"
    wrapped = [label for label in heatmap.y if "<br>" in label]
    assert len(wrapped) == 1 and wrapped[0].endswith("…")
    assert all(len(line) <= charts.HEATMAP_LABEL_WIDTH for line in wrapped[0].split("<br>"))
    assert heatmap.customdata[list(heatmap.y).index(wrapped[0])][0] == long  # whole on hover
    assert figure.layout.height >= 340


def test_a_contract_name_with_markup_is_escaped_after_wrapping():
    figure = charts.sla_heatmap(sla_rows(["<b>Bold</b> & a very long contract name here"]))
    label = figure.data[0].y[0]
    assert "<b>" not in label and "&lt;b&gt;" in label


def test_the_process_count_axis_has_whole_numbers_only():
    small = pd.DataFrame({"model": ["retain", "ITO"], "count": [1, 2], "spend": [1.0, 2.0]})
    assert results_charts.mix_chart(small, currency="GBP").layout.yaxis.dtick == 1
    large = small.assign(count=[30, 45])
    axis = results_charts.mix_chart(large, currency="GBP").layout.yaxis
    assert axis.dtick is None and axis.tickformat == ",d"


def test_the_roadmap_bars_count_processes_in_words():
    waves = pd.DataFrame(
        [
            {
                "wave": 1,
                "model": "ITO",
                "start_month": 0,
                "end_month": 6,
                "processes": 7,
                "annual_cost": 700.0,
            },
            {
                "wave": 2,
                "model": "BPO",
                "start_month": 6,
                "end_month": 12,
                "processes": 1,
                "annual_cost": 100.0,
            },
        ]
    )
    figure = charts.wave_timeline(waves, horizon=60, currency="GBP")
    assert [trace.text[0] for trace in figure.data] == ["7 processes", "1 process"]
    assert "<br>1 process, GBP 100 a year in-house" in figure.data[1].hovertext[0]
