"""The one look of every chart: layout defaults, fonts, axes, colours, safe text, JSON.

Pure: Plotly only, no Django. The chart modules (``assessments.charts``,
``assessments.projections.charts``, ``contracts.charts``, ``outsourcing.dashboard.charts``)
build their traces and hand them, or a figure, to ``figure`` or ``style``.

Plotly's named templates (``plotly_white``) cost ~15 ms a figure to apply and ~6 KB of
JSON; this light explicit style on the empty ``none`` template looks the same on a white
page. Colours are Okabe-Ito, distinguishable with the common colour-vision deficiencies.

Plotly renders titles, tick labels and hover text as a small subset of HTML, so every
name a person typed goes through ``text`` before it enters a figure: a process called
``<b>Payroll</b>`` shows those characters, never bold text or a script.
"""

from __future__ import annotations

import html
import json
from typing import Any

import plotly.graph_objects as go

from assessments.engine.vocabulary import BPO, INSUFFICIENT_EVIDENCE, ITO, KPO, RETAIN

# Okabe-Ito.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
GREEN = "#009E73"
PINK = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#777777"
# Greys of the page (Bootstrap's): muted text and reference lines, light fills.
MUTED = "#6c757d"
LINE = "#adb5bd"
LIGHT = "#dee2e6"
UNCHOSEN = "#cfd4da"  # a bar that is not the one being pointed out
BAND = "rgba(0, 114, 178, 0.18)"  # a P10 to P90 band, BLUE see-through

# One colour per sourcing model, on every chart of the app.
MODEL_COLOURS: dict[str, str] = {
    RETAIN: "#999999",
    ITO: BLUE,
    BPO: GREEN,
    KPO: PINK,
    INSUFFICIENT_EVIDENCE: ORANGE,
}
OTHER_MODEL = MUTED  # a model code the vocabulary does not know

FONT: dict[str, Any] = {
    "family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "size": 13,
}
AXIS: dict[str, Any] = {
    "gridcolor": "#e9ecef",
    "linecolor": LINE,
    "zerolinecolor": LINE,
    "showline": True,
    "automargin": True,
}
MARGIN: dict[str, int] = {"l": 10, "r": 10, "t": 60, "b": 50}
# A horizontal legend under the plot, for figures whose traces need naming: anchored to
# the bottom of the figure (not a fraction below the plot), so Plotly makes room for it
# under the axis title however tall the tick labels grow on a narrow screen.
LEGEND_BELOW: dict[str, Any] = {
    "orientation": "h",
    "yref": "container",
    "yanchor": "bottom",
    "y": 0,
    "x": 0,
}


def text(value: object) -> str:
    """A person's text made safe for Plotly's HTML-like labels.

    Plotly decodes only a few entities (``&lt;``, ``&gt;``, ``&amp;``, numeric ones),
    not ``&quot;``, so quotes stay as they are: with ``<`` and ``>`` escaped no tag can
    form.
    """
    return html.escape(str(value), quote=False)


def model_colour(model: str) -> str:
    return MODEL_COLOURS.get(model, OTHER_MODEL)


def layout(*, title: str, height: int, **overrides: Any) -> dict[str, Any]:
    """The layout of every figure, with ``overrides`` on top: a dictionary setting (an
    axis, the margin...) is merged key by key, anything else replaces the default."""
    base: dict[str, Any] = {
        "template": "none",
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "font": FONT,
        "height": height,
        "margin": dict(MARGIN),
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"align": "left"},
        "xaxis": dict(AXIS),
        "yaxis": dict(AXIS),
    }
    for key, value in overrides.items():
        base[key] = {**base[key], **value} if isinstance(base.get(key), dict) else value
    return base


def figure(traces: list, *, title: str, height: int, **overrides: Any) -> go.Figure:
    """A new figure of ``traces`` in the house style."""
    return go.Figure(data=traces, layout=layout(title=title, height=height, **overrides))


def style(fig: go.Figure, *, title: str, height: int, **overrides: Any) -> go.Figure:
    """``fig`` (built trace by trace) put in the house style; every axis it has, second
    axes included, takes the house axis style; ``overrides`` win over both."""
    fig.update_xaxes(**AXIS)
    fig.update_yaxes(**AXIS)
    fig.update_layout(layout(title=title, height=height, **overrides))
    return fig


def figure_data(fig: go.Figure) -> dict[str, Any]:
    """The figure as plain JSON-ready data, for the ``json_script`` template filter."""
    return json.loads(fig.to_json())
