"""The scenario comparison's chart: the NPV distributions overlaid (a plain figure dict).

No queries, no Django. Each scenario's distribution is drawn from the NPV percentiles 0 to
100 its projection keeps (``projection_mc.NPV_QUANTILES``), as the share of trials with an
NPV at or below each amount: curves to the right are better, and where a curve crosses
NPV 0 reads as the probability of a negative NPV.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accounts.engine.formatting import money0
from assessments.engine.chart_style import (
    BLUE,
    GREEN,
    LEGEND_BELOW,
    LINE,
    ORANGE,
    VERMILLION,
    layout,
    text,
)

COLOURS = (BLUE, VERMILLION, GREEN, ORANGE)
DASHES = ("solid", "dash", "dot", "dashdot")  # not by colour alone


def npv_overlay(
    distributions: Sequence[tuple[str, Sequence[float]]], *, currency: str
) -> dict[str, Any]:
    """One line per scenario with a distribution; scenarios without one are left out."""
    traces: list[dict[str, Any]] = []
    for i, (name, quantiles) in enumerate(distributions):
        if not quantiles:
            continue
        shares = [k / (len(quantiles) - 1) for k in range(len(quantiles))]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": text(name),
                "x": list(quantiles),
                "y": shares,
                "line": {"color": COLOURS[i % 4], "dash": DASHES[i % 4], "width": 2.5},
                "hovertext": [
                    f"{text(name)}<br>{share:.0%} of trials at or below "
                    f"{money0(value, text(currency))}"
                    for share, value in zip(shares, quantiles, strict=True)
                ],
                "hoverinfo": "text",
            }
        )
    return {
        "data": traces,
        "layout": layout(
            title="NPV distributions: share of trials at or below each NPV",
            height=420,
            legend=LEGEND_BELOW,
            xaxis={
                "title": {"text": f"NPV ({text(currency)})"},
                "zeroline": True,
                "zerolinecolor": LINE,
                "zerolinewidth": 2,
            },
            yaxis={"title": {"text": "Share of trials"}, "tickformat": ".0%", "range": [0, 1]},
        ),
    }
