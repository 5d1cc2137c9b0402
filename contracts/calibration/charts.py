"""The calibration chart: a pure function of a DataFrame, as every chart (STYLE habit 10).

A PIT histogram on the forecast's own percentiles: the share of outcomes that fell below
P10, between P10 and P50, between P50 and P90 and above P90, beside the 10, 40, 40 and
10 % a calibrated forecast gives. The page shows the same numbers in a table.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from assessments.engine.chart_style import BLUE, GREY, LEGEND_BELOW, style

BAND_COLUMNS = ("band", "expected", "observed", "months")


def band_frame(bands) -> pd.DataFrame:
    """The report's ``band_shares`` as a frame (shares as floats for the chart only)."""
    return pd.DataFrame.from_records(
        [
            {
                "band": b.label,
                "expected": float(b.expected),
                "observed": None if b.observed is None else float(b.observed),
                "months": b.months,
            }
            for b in bands
        ],
        columns=list(BAND_COLUMNS),
    )


def calibration_chart(frame: pd.DataFrame) -> go.Figure:
    """Observed share of outcomes per band against the share a calibrated forecast gives."""
    figure = go.Figure()
    x = list(frame["band"])
    figure.add_trace(
        go.Bar(
            x=x,
            y=[None if pd.isna(v) else float(v) for v in frame["observed"]],
            name="Realised outcomes",
            marker={"color": BLUE},
            hovertemplate="%{x}: %{y:.0%} of outcomes<extra></extra>",
        )
    )
    figure.add_trace(
        go.Bar(
            x=x,
            y=[float(v) for v in frame["expected"]],
            name="A calibrated forecast",
            marker={"color": GREY},
            hovertemplate="%{x}: %{y:.0%} expected<extra></extra>",
        )
    )
    figure.update_layout(barmode="group")
    return style(
        figure,
        title="Where realised savings fell within their forecasts",
        height=360,
        legend=LEGEND_BELOW,
        yaxis={"title": {"text": "Share of outcomes"}, "tickformat": ".0%", "rangemode": "tozero"},
    )
