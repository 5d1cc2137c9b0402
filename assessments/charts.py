"""Plotly figures for the results pages: pure functions of DataFrames and plain data.

No queries, no Django. The look (layout, fonts, axes, model colours) and the escaping of
typed text (``text``) come from ``assessments.engine.chart_style``, shared by every chart
module. Each page shows a table of the same numbers beside the chart.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from accounts.engine.formatting import money0
from assessments.engine.chart_style import (
    AXIS,
    MODEL_COLOURS,
    MUTED,
    UNCHOSEN,
    figure_data,
    model_colour,
    text,
)
from assessments.engine.chart_style import figure as _figure
from assessments.engine.rules import SCORE_LIMIT
from assessments.engine.vocabulary import MODEL_SHORT, MODELS, WAVE_MODELS

# Views and tests read these from here.
__all__ = ["MODEL_COLOURS", "figure_data", "mix_chart", "roadmap_timeline", "scores_bar", "text"]


def scores_bar(scores: Mapping[str, float], *, chosen: str | None, process_name: str) -> go.Figure:
    """One bar per sourcing model with its suitability score (METHODOLOGY 3.1).

    ``scores`` maps retain, ITO, BPO and KPO to a score (no unit) between -SCORE_LIMIT and
    +SCORE_LIMIT (1.6). The axis always spans that whole range, so a stored score and a
    what-if score are drawn on the same scale and no bar overshoots it. The ``chosen``
    model's bar is drawn in its colour, the others in light grey.
    """
    models = [m for m in MODELS if m in scores]
    values = [float(scores[m]) for m in models]
    colours = [MODEL_COLOURS[m] if m == chosen else UNCHOSEN for m in models]
    hover = [
        f"{text(process_name)}<br>{MODEL_SHORT[m]}: {v:+.3f}"
        + (" (recommended)" if m == chosen else "")
        for m, v in zip(models, values, strict=True)
    ]
    bar = go.Bar(
        x=[MODEL_SHORT[m] for m in models],
        y=values,
        marker={"color": colours},
        text=[f"{v:+.3f}" for v in values],
        textposition="outside",
        hovertext=hover,
        hoverinfo="text",
        name="Suitability score",
    )
    return _figure(
        [bar],
        title=f"Suitability scores: {text(process_name)}",
        height=360,
        xaxis={"title": {"text": "Sourcing model"}},
        yaxis={
            "title": {
                "text": f"Suitability score (−{SCORE_LIMIT:.1f} to +{SCORE_LIMIT:.1f}, no unit)"
            },
            # Room above and below the bounds for the value written outside each bar.
            "range": [-SCORE_LIMIT - 0.3, SCORE_LIMIT + 0.3],
            "tickvals": [-SCORE_LIMIT, -1, -0.5, 0, 0.5, 1, SCORE_LIMIT],
            "zeroline": True,
            "zerolinecolor": MUTED,
        },
    )


INTEGER_TICKS_UP_TO = 8  # counts up to this get a tick at every whole number


def mix_chart(mix: pd.DataFrame, *, currency: str) -> go.Figure:
    """The recommended sourcing mix by number of processes and by in-house spend.

    ``mix`` has one row per model with columns ``model``, ``count`` and ``spend``
    (annual in-house cost in ``currency``). Two panels side by side.
    """
    labels = [MODEL_SHORT.get(m, text(m)) for m in mix["model"]]
    colours = [model_colour(m) for m in mix["model"]]
    counts = [int(c) for c in mix["count"]]
    spend = [float(s) for s in mix["spend"]]
    money = text(currency)
    traces = [
        go.Bar(
            x=labels,
            y=counts,
            marker={"color": colours},
            name="Processes",
            hovertext=[
                f"{label}: {c} process{'es' if c != 1 else ''}"
                for label, c in zip(labels, counts, strict=True)
            ],
            hoverinfo="text",
            showlegend=False,
        ),
        go.Bar(
            x=labels,
            y=spend,
            marker={"color": colours},
            name="In-house spend",
            xaxis="x2",
            yaxis="y2",
            hovertext=[
                f"{label}: {money0(s, money)} a year"
                for label, s in zip(labels, spend, strict=True)
            ],
            hoverinfo="text",
            showlegend=False,
        ),
    ]
    panel_title = {
        "xref": "paper",
        "yref": "paper",
        "y": 1.0,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 13},
    }
    return _figure(
        traces,
        title="Recommended sourcing mix",
        height=380,
        margin={"t": 80},
        xaxis={"domain": [0, 0.43], "title": {"text": "Sourcing model"}},
        yaxis={
            "title": {"text": "Processes (count)"},
            "rangemode": "tozero",
            # Whole processes only: no tick at 0.5 when every count is small.
            "tickformat": ",d",
            **({"dtick": 1} if max(counts, default=0) <= INTEGER_TICKS_UP_TO else {}),
        },
        xaxis2={**AXIS, "domain": [0.57, 1], "anchor": "y2", "title": {"text": "Sourcing model"}},
        yaxis2={
            **AXIS,
            "anchor": "x2",
            "rangemode": "tozero",
            "title": {"text": f"Annual in-house cost ({money})"},
        },
        annotations=[
            {**panel_title, "text": "By number of processes", "x": 0.215, "xanchor": "center"},
            {
                **panel_title,
                "text": f"By in-house spend ({money} a year)",
                "x": 0.785,
                "xanchor": "center",
            },
        ],
    )


def roadmap_timeline(frame: pd.DataFrame, *, horizon: int) -> go.Figure:
    """Horizontal bars from each process's start month to its go-live month, by wave.

    ``frame`` has columns ``name``, ``wave`` (1 to 3), ``location_label``,
    ``start_month`` and ``go_live_month``, in display order (top first). A dotted line
    marks the end of the projection horizon (months).
    """
    traces = []
    names = [text(n) for n in frame["name"]]
    for wave, model in WAVE_MODELS.items():
        rows = frame[frame["wave"] == wave]
        if rows.empty:
            continue
        starts = [int(s) for s in rows["start_month"]]
        ends = [int(e) for e in rows["go_live_month"]]
        hover = [
            f"{text(name)}<br>Wave {wave} ({model}), {text(location)}<br>"
            f"Transition: month {start} to {end} (go-live month {end})"
            for name, location, start, end in zip(
                rows["name"], rows["location_label"], starts, ends, strict=True
            )
        ]
        traces.append(
            go.Bar(
                y=[text(n) for n in rows["name"]],
                x=[end - start for start, end in zip(starts, ends, strict=True)],
                base=starts,
                orientation="h",
                name=f"Wave {wave}: {model}",
                marker={"color": MODEL_COLOURS[model]},
                hovertext=hover,
                hoverinfo="text",
            )
        )
    return _figure(
        traces,
        title="Roadmap: transitions by wave (ITO, then BPO, then KPO)",
        height=max(320, 120 + 24 * len(names)),
        barmode="overlay",
        legend={"title": {"text": "Wave"}},
        xaxis={"title": {"text": "Months from the start of the programme"}, "rangemode": "tozero"},
        yaxis={
            "title": {"text": "Process"},
            "categoryorder": "array",
            "categoryarray": names,
            "autorange": "reversed",
        },
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": horizon,
                "x1": horizon,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "color": MUTED},
            }
        ],
        annotations=[
            {
                "xref": "x",
                "yref": "paper",
                "x": horizon,
                "y": 1,
                "yanchor": "bottom",
                "xanchor": "right",
                "showarrow": False,
                "text": f"horizon ({horizon} months)",
            }
        ],
    )
