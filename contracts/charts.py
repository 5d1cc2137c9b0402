"""Plotly figures for the contract and SLA pages: pure functions of DataFrames.

No queries, no Django. The look and the escaping of typed text (``text``) come from
``assessments.engine.chart_style``, as for every chart. Each page shows a table of the
same numbers beside the chart.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from assessments.engine.chart_style import (
    BLUE,
    GREEN,
    GREY,
    LEGEND_BELOW,
    ORANGE,
    VERMILLION,
    figure_data,
    style,
    text,
)

__all__ = ["credits_chart", "figure_data", "savings_chart", "sla_trend_chart", "text"]


def _layout(figure: go.Figure, *, title: str, y_title: str, height: int = 360) -> go.Figure:
    return style(
        figure, title=title, height=height, legend=LEGEND_BELOW, yaxis={"title": {"text": y_title}}
    )


def _floats(series: pd.Series) -> list[float | None]:
    return [None if v is None or pd.isna(v) else float(v) for v in series]


def sla_trend_chart(
    frame: pd.DataFrame, *, name: str, unit: str, target: Any, minimum: Any | None, direction: str
) -> go.Figure:
    """Actuals month by month against the target (and minimum), breaches highlighted.

    ``frame``: rows of ``selectors.slas.sla_trend_frame``. Breaches are drawn as
    vermillion markers, critical ones as larger crosses, on top of the actuals line.
    """
    label, safe_unit = text(name), text(unit)
    figure = go.Figure()
    x = list(frame["label"])
    actual = _floats(frame["actual"])
    figure.add_trace(
        go.Scatter(
            x=x,
            y=actual,
            mode="lines+markers",
            name="Actual",
            line={"color": BLUE},
            hovertemplate=f"{label}<br>%{{x}}: %{{y}} {safe_unit}<extra></extra>",
        )
    )
    for kind, mask, marker in (
        (
            "Breach",
            frame["breach"].astype(bool) & ~frame["critical"].astype(bool),
            {"color": VERMILLION, "size": 11, "symbol": "circle"},
        ),
        (
            "Critical breach",
            frame["critical"].astype(bool),
            {"color": VERMILLION, "size": 14, "symbol": "x"},
        ),
    ):
        chosen = frame[mask]
        if len(chosen):
            figure.add_trace(
                go.Scatter(
                    x=list(chosen["label"]),
                    y=_floats(chosen["actual"]),
                    mode="markers",
                    name=kind,
                    marker=marker,
                    hovertemplate=f"{label}: {kind.lower()}<br>%{{x}}: %{{y}} {safe_unit}"
                    "<extra></extra>",
                )
            )
    better = "higher" if direction == "higher" else "lower"
    figure.add_trace(
        go.Scatter(
            x=x,
            y=[float(target)] * len(x),
            mode="lines",
            name=f"Target ({better} is better)",
            line={"color": GREEN, "dash": "dash"},
            hovertemplate=f"Target %{{y}} {safe_unit}<extra></extra>",
        )
    )
    if minimum is not None:
        figure.add_trace(
            go.Scatter(
                x=x,
                y=[float(minimum)] * len(x),
                mode="lines",
                name="Minimum service level",
                line={"color": ORANGE, "dash": "dot"},
                hovertemplate=f"Minimum %{{y}} {safe_unit}<extra></extra>",
            )
        )
    return _layout(figure, title=f"{label}: actual against target", y_title=safe_unit)


def credits_chart(frame: pd.DataFrame, *, currency: str) -> go.Figure:
    """Service credit per month, and the part of it earned back."""
    code = text(currency)
    figure = go.Figure()
    x = list(frame["label"])
    figure.add_trace(
        go.Bar(
            x=x,
            y=_floats(frame["total"]),
            name="Credit",
            marker={"color": VERMILLION},
            hovertemplate=f"%{{x}}: credit {code} %{{y:,.2f}}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Bar(
            x=x,
            y=_floats(frame["earned_back"]),
            name="Earned back",
            marker={"color": GREY},
            hovertemplate=f"%{{x}}: earned back {code} %{{y:,.2f}}<extra></extra>",
        )
    )
    figure.update_layout(barmode="group")
    return _layout(figure, title="Service credits per month", y_title=code)


def savings_chart(frame: pd.DataFrame, *, currency: str) -> go.Figure:
    """Realised saving per month against the projected P50 (and P10) when known."""
    code = text(currency)
    figure = go.Figure()
    x = list(frame["label"])
    figure.add_trace(
        go.Bar(
            x=x,
            y=_floats(frame["realised"]),
            name="Realised",
            marker={"color": BLUE},
            hovertemplate=f"%{{x}}: realised {code} %{{y:,.0f}}<extra></extra>",
        )
    )
    if frame["p50"].notna().any():
        figure.add_trace(
            go.Scatter(
                x=x,
                y=_floats(frame["p50"]),
                mode="lines+markers",
                name="Projected P50",
                line={"color": GREEN},
                hovertemplate=f"%{{x}}: P50 {code} %{{y:,.0f}}<extra></extra>",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=x,
                y=_floats(frame["p10"]),
                mode="lines",
                name="Projected P10",
                line={"color": ORANGE, "dash": "dot"},
                hovertemplate=f"%{{x}}: P10 {code} %{{y:,.0f}}<extra></extra>",
            )
        )
    return _layout(figure, title="Realised savings against the projection", y_title=code)
