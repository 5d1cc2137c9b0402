"""Charts are pure functions of data: assert on the figures, not on HTML."""

import pandas as pd
import pytest

from assessments import charts

NAME = '<img src=x onerror="alert(1)"> & "Payroll"'


def titles(figure):
    layout = figure.layout
    return layout.title.text, layout.xaxis.title.text, layout.yaxis.title.text


def test_text_escapes_tags_but_keeps_quotes_plotly_would_show_literally():
    assert charts.text('<b>"A" & B</b>') == '&lt;b&gt;"A" &amp; B&lt;/b&gt;'


def test_the_scores_bar_has_one_bar_per_model_and_marks_the_recommended_one():
    figure = charts.scores_bar(
        {"retain": -0.625, "ITO": 0.075, "BPO": 0.975, "KPO": -0.375},
        chosen="BPO",
        process_name="Payroll",
    )
    bar = figure.data[0]
    assert list(bar.x) == ["Retain", "ITO", "BPO", "KPO"]
    assert list(bar.y) == [-0.625, 0.075, 0.975, -0.375]
    assert bar.marker.color[2] == charts.MODEL_COLOURS["BPO"]
    assert len(set(bar.marker.color)) == 2
    assert "(recommended)" in bar.hovertext[2]
    title, x_title, y_title = titles(figure)
    assert "Payroll" in title
    assert x_title == "Sourcing model"
    assert "Suitability score" in y_title and "no unit" in y_title


def test_a_process_name_is_escaped_in_the_scores_title_and_hover_text():
    figure = charts.scores_bar(
        {"retain": 0, "ITO": 0, "BPO": 0, "KPO": 0},
        chosen="insufficient_evidence",
        process_name=NAME,
    )
    assert "<img" not in figure.layout.title.text
    assert "&lt;img" in figure.layout.title.text
    assert all("<img" not in text and "&lt;img" in text for text in figure.data[0].hovertext)


def mix_frame():
    return pd.DataFrame(
        {
            "model": ["retain", "ITO", "BPO", "KPO", "insufficient_evidence"],
            "count": [1, 2, 3, 0, 1],
            "spend": [100.0, 2000.0, 3500.5, 0.0, 50.0],
        }
    )


def test_the_mix_chart_shows_counts_and_spend_side_by_side_with_units():
    figure = charts.mix_chart(mix_frame(), currency="EUR")
    counts, spend = figure.data
    assert list(counts.y) == [1, 2, 3, 0, 1]
    assert list(spend.y) == [100.0, 2000.0, 3500.5, 0.0, 50.0]
    assert list(counts.x) == ["Retain", "ITO", "BPO", "KPO", "Insufficient evidence"]
    assert figure.layout.title.text == "Recommended sourcing mix"
    assert figure.layout.yaxis.title.text == "Processes (count)"
    assert figure.layout.yaxis2.title.text == "Annual in-house cost (EUR)"
    assert figure.layout.xaxis.title.text == "Sourcing model"
    assert "EUR 3,500 a year" in spend.hovertext[2] or "EUR 3,501 a year" in spend.hovertext[2]


def roadmap_frame(names=("Service desk", "Payroll", "Research")):
    return pd.DataFrame(
        {
            "name": list(names),
            "wave": [1, 2, 3],
            "location_label": ["Offshore", "Nearshore", "Offshore"],
            "start_month": [0, 12, 18],
            "go_live_month": [5, 18, 24],
        }
    )


def test_the_roadmap_draws_one_bar_per_process_from_start_to_go_live_coloured_by_wave():
    figure = charts.roadmap_timeline(roadmap_frame(), horizon=60)
    assert [trace.name for trace in figure.data] == ["Wave 1: ITO", "Wave 2: BPO", "Wave 3: KPO"]
    ito, bpo, kpo = figure.data
    assert (list(ito.base), list(ito.x), list(ito.y)) == ([0], [5], ["Service desk"])
    assert (list(bpo.base), list(bpo.x)) == ([12], [6])
    assert (list(kpo.base), list(kpo.x)) == ([18], [6])
    assert ito.marker.color == charts.MODEL_COLOURS["ITO"]
    assert ito.orientation == "h"
    title, x_title, y_title = titles(figure)
    assert "Roadmap" in title
    assert x_title == "Months from the start of the programme"
    assert y_title == "Process"
    assert figure.layout.shapes[0].x0 == 60  # the horizon line


def test_a_process_name_is_escaped_on_the_roadmap_axis_and_in_its_hover_text():
    figure = charts.roadmap_timeline(roadmap_frame(names=(NAME, "Payroll", "Research")), horizon=60)
    ito = figure.data[0]
    assert ito.y[0] == charts.text(NAME)
    assert "<img" not in ito.hovertext[0] and "&lt;img" in ito.hovertext[0]
    assert "<img" not in " ".join(figure.layout.yaxis.categoryarray)


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.scores_bar({"retain": 0.1}, chosen="retain", process_name="P"),
        lambda: charts.mix_chart(mix_frame(), currency="GBP"),
        lambda: charts.roadmap_timeline(roadmap_frame(), horizon=24),
    ],
)
def test_every_figure_becomes_plain_json_data_for_the_template(build):
    data = charts.figure_data(build())
    assert set(data) >= {"data", "layout"}
    assert data["layout"]["title"]["text"]
