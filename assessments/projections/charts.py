"""Plotly figures of a savings projection: pure functions of DataFrames.

No queries, no Django. The frames come from ``assessments.projections.results`` (``fan_frame``,
``wave_frame``, ``tornado_frame``). Every figure has a title and axes that name the
currency; the pages show a table of the same numbers beside each chart. Currency codes are
escaped like any other text before they reach Plotly's HTML-like labels.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from accounts.engine.formatting import money0
from assessments.engine.chart_style import (
    BAND,
    BLUE,
    GREEN,
    LEGEND_BELOW,
    LINE,
    MODEL_COLOURS,
    MUTED,
    VERMILLION,
    style,
    text,
)
from assessments.engine.vocabulary import BPO, ITO

BAND_COLOUR = BAND
P50_COLOUR = BLUE
MODES_COLOUR = "#444444"
LOW_COLOUR = VERMILLION
HIGH_COLOUR = GREEN


def _layout(figure: go.Figure, *, title: str, height: int) -> go.Figure:
    return style(figure, title=title, height=height, legend=LEGEND_BELOW)


def _money(currency: str, value: float) -> str:
    return money0(value, text(currency))


def fan_chart(frame: pd.DataFrame, *, currency: str) -> go.Figure:
    """Cumulative net savings by month: the P10 to P90 band, the P50 line, and the
    deterministic path at the modes (dotted).

    ``frame``: columns ``month``, ``p10``, ``p50``, ``p90``, ``deterministic``.
    """
    months = [int(m) for m in frame["month"]]
    p10, p50, p90 = (list(map(float, frame[c])) for c in ("p10", "p50", "p90"))
    hover = [
        f"Month {m}<br>P90: {_money(currency, hi)}<br>P50: {_money(currency, mid)}"
        f"<br>P10: {_money(currency, lo)}"
        for m, lo, mid, hi in zip(months, p10, p50, p90, strict=True)
    ]
    figure = go.Figure(
        [
            go.Scatter(
                x=months,
                y=p10,
                mode="lines",
                line={"width": 0},
                name="P10",
                showlegend=False,
                hoverinfo="skip",
            ),
            go.Scatter(
                x=months,
                y=p90,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=BAND_COLOUR,
                name="P10 to P90 (8 in 10 trials)",
                hoverinfo="skip",
            ),
            go.Scatter(
                x=months,
                y=p50,
                mode="lines",
                line={"color": P50_COLOUR, "width": 2.5},
                name="P50 (median)",
                hovertext=hover,
                hoverinfo="text",
            ),
            go.Scatter(
                x=months,
                y=[float(v) for v in frame["deterministic"]],
                mode="lines",
                line={"color": MODES_COLOUR, "width": 1.5, "dash": "dot"},
                name="At the modes",
                hoverinfo="skip",
            ),
        ]
    )
    figure.add_hline(y=0, line={"color": MUTED, "width": 1})
    figure.update_xaxes(title_text="Month (0 = first month of the programme)", rangemode="tozero")
    figure.update_yaxes(title_text=f"Cumulative net savings ({text(currency)})", tickformat=",.0f")
    return _layout(figure, title="Cumulative net savings: the range of outcomes", height=420)


def npv_waterfall(frame: pd.DataFrame, *, total: float, currency: str) -> go.Figure:
    """NPV at the modes, wave by wave, adding up to the portfolio's NPV (``total``).

    ``frame``: columns ``wave``, ``model``, ``npv`` and the Monte Carlo ``npv_p10``,
    ``npv_p50`` and ``npv_p90`` (shown on hover: percentiles of waves do not add up, so
    the bars use the modes).
    """
    labels = [
        f"Wave {int(w)}: {text(m)}" for w, m in zip(frame["wave"], frame["model"], strict=True)
    ]
    values = [float(v) for v in frame["npv"]]
    hover = [
        f"{label}<br>NPV at the modes: {_money(currency, value)}"
        + (
            f"<br>Median (P50): {_money(currency, mid)}<br>P10 to P90: "
            f"{_money(currency, lo)} to {_money(currency, hi)}"
            if lo is not None and mid is not None and hi is not None
            else ""
        )
        for label, value, lo, mid, hi in zip(
            labels, values, frame["npv_p10"], frame["npv_p50"], frame["npv_p90"], strict=True
        )
    ]
    figure = go.Figure(
        go.Waterfall(
            x=[*labels, "Portfolio"],
            y=[*values, float(total)],
            measure=["relative"] * len(values) + ["total"],
            text=[_money(currency, v) for v in [*values, float(total)]],
            textposition="outside",
            hovertext=[*hover, f"Portfolio NPV at the modes: {_money(currency, total)}"],
            hoverinfo="text",
            name="NPV",
            increasing={"marker": {"color": MODEL_COLOURS[BPO]}},
            decreasing={"marker": {"color": LOW_COLOUR}},
            totals={"marker": {"color": MODEL_COLOURS[ITO]}},
            connector={"line": {"color": LINE}},
        )
    )
    figure.update_xaxes(title_text="Wave")
    figure.update_yaxes(title_text=f"NPV ({text(currency)})", tickformat=",.0f")
    return _layout(figure, title="NPV by wave (at the modes)", height=380)


def tornado_chart(frame: pd.DataFrame, *, base_npv: float, currency: str) -> go.Figure:
    """NPV when one driver moves to its low and to its high value for every process (the
    others at their modes), as bars from the NPV at the modes; largest swing on top.

    ``frame``: columns ``label``, ``npv_at_low``, ``npv_at_high``, ``swing``, in the order
    to show (largest swing first).
    """
    labels = [text(label) for label in frame["label"]]
    base = float(base_npv)
    figure = go.Figure()
    for column, name, colour in (
        ("npv_at_low", "Driver at its low value", LOW_COLOUR),
        ("npv_at_high", "Driver at its high value", HIGH_COLOUR),
    ):
        values = [float(v) for v in frame[column]]
        figure.add_trace(
            go.Bar(
                y=labels,
                x=[v - base for v in values],
                base=base,
                orientation="h",
                name=name,
                marker={"color": colour},
                hovertext=[
                    f"{label}<br>{name}: NPV {_money(currency, v)}"
                    for label, v in zip(labels, values, strict=True)
                ],
                hoverinfo="text",
            )
        )
    figure.add_vline(
        x=base,
        line={"color": MODES_COLOUR, "dash": "dot"},
        annotation_text="NPV at the modes",
        annotation_position="top",
    )
    figure.update_xaxes(title_text=f"NPV ({text(currency)})", tickformat=",.0f")
    figure.update_yaxes(
        title_text="Driver", categoryorder="array", categoryarray=labels, autorange="reversed"
    )
    figure.update_layout(barmode="overlay")
    return _layout(
        figure, title="What moves the NPV most (tornado)", height=max(320, 140 + 48 * len(labels))
    )
