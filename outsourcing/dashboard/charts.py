"""Dashboard figures: pure functions from DataFrames to Plotly figures (no queries).

The look and the escaping of typed text (``text``) come from
``assessments.engine.chart_style``, as for every chart: every name a person typed goes
through ``text`` before it enters a figure, because Plotly renders labels as HTML.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from accounts.engine.formatting import count_of, half_up, money0
from assessments.engine.chart_style import (
    BAND,
    BLUE,
    GREEN,
    LIGHT,
    LINE,
    MUTED,
    VERMILLION,
    YELLOW,
    model_colour,
    style,
    text,
)
from assessments.engine.vocabulary import MODEL_SHORT


def _layout(figure: go.Figure, *, title: str, height: int = 420) -> go.Figure:
    return style(figure, title=title, height=height)


def _empty(title: str, message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(
        text=message,
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 14, "color": MUTED},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _layout(figure, title=title, height=260)


def sourcing_mix(
    frame: pd.DataFrame, *, currency: str, empty: str = "No submitted assessment yet."
) -> go.Figure:
    """Sunburst of in-house spend: business function, then recommended model.

    ``frame``: business_function, model, annual_cost, processes (one row per pair).
    ``empty``: what the figure says when there is nothing to show.
    """
    title = f"Sourcing mix by function and model (annual in-house spend, {currency})"
    if frame.empty:
        return _empty(title, empty)
    ids, labels, parents, values, colours, hover = [], [], [], [], [], []
    for function, rows in frame.groupby("business_function", sort=True):
        total = float(rows["annual_cost"].sum())
        ids.append(f"f:{function}")
        labels.append(text(function))
        parents.append("")
        values.append(total)
        colours.append(LIGHT)
        hover.append(
            f"{text(function)}<br>{money0(total, currency)} a year<br>"
            f"{count_of(int(rows['processes'].sum()), 'process', 'processes')}"
        )
        for row in rows.to_dict("records"):
            ids.append(f"f:{function}/{row['model']}")
            labels.append(MODEL_SHORT.get(row["model"], row["model"]))
            parents.append(f"f:{function}")
            values.append(float(row["annual_cost"]))
            colours.append(model_colour(row["model"]))
            hover.append(
                f"{text(function)}: {MODEL_SHORT.get(row['model'], row['model'])}<br>"
                f"{money0(float(row['annual_cost']), currency)} a year<br>"
                f"{count_of(int(row['processes']), 'process', 'processes')}"
            )
    figure = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colours},
            hovertext=hover,
            hoverinfo="text",
        )
    )
    return _layout(figure, title=title, height=460)


def savings_fan(
    frame: pd.DataFrame,
    *,
    currency: str,
    scope: str = "",
    empty: str = "No finished projection yet.",
) -> go.Figure:
    """Cumulative net savings: P10 to P90 band, P50 line and realised savings on top.

    ``frame``: month (0-based), p10, p50, p90, and realised (NaN where not known).
    ``scope``: a sentence saying what the figure covers when that is not the filter.
    """
    title = f"Cumulative net savings ({currency}): projected range and realised"
    if scope:
        title += f"<br><sup>{text(scope)}</sup>"
    if frame.empty:
        return _empty(title, empty)
    months = [int(m) for m in frame["month"]]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=months,
            y=frame["p90"],
            mode="lines",
            line={"width": 0},
            name="P90",
            showlegend=False,
            hovertemplate="Month %{x}: P90 %{y:,.0f}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=months,
            y=frame["p10"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=BAND,
            name="P10 to P90",
            hovertemplate="Month %{x}: P10 %{y:,.0f}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=months,
            y=frame["p50"],
            mode="lines",
            name="P50 (median)",
            line={"color": BLUE, "width": 2},
            hovertemplate="Month %{x}: P50 %{y:,.0f}<extra></extra>",
        )
    )
    if "realised" in frame and frame["realised"].notna().any():
        known = frame[frame["realised"].notna()]
        figure.add_trace(
            go.Scatter(
                x=[int(m) for m in known["month"]],
                y=known["realised"],
                mode="lines+markers",
                name="Realised",
                line={"color": VERMILLION, "width": 2},
                hovertemplate="Month %{x}: realised %{y:,.0f}<extra></extra>",
            )
        )
    figure.add_hline(y=0, line={"color": MUTED, "width": 1})
    figure.update_xaxes(title_text="Months from the start of the programme")
    figure.update_yaxes(title_text=f"Cumulative net savings ({currency})", tickformat=",.0f")
    return _layout(figure, title=title)


def vendor_quadrant(
    frame: pd.DataFrame,
    *,
    currency: str,
    scope: str = "",
    empty: str = "No vendor has a scorecard yet.",
) -> go.Figure:
    """Vendor performance (scorecard 0 to 100) against annual contract spend.

    ``frame``: vendor, annual_spend (Decimal), score (None when no data yet), contracts.
    """
    title = f"Vendor performance against contract spend ({currency} a year)"
    if scope:
        title += f"<br><sup>{text(scope)}</sup>"
    scored = frame[frame["score"].notna()] if not frame.empty else frame
    if scored.empty:
        return _empty(title, empty)
    hover = [
        f"{text(row['vendor'])}<br>"
        f"{money0(float(row['annual_spend']), currency)} a year<br>"
        f"Score {half_up(row['score'], 0)}/100 · {count_of(int(row['contracts']), 'contract')}"
        for row in scored.to_dict("records")
    ]
    spend = [float(v) for v in scored["annual_spend"]]
    low, high = min(spend), max(spend)
    figure = go.Figure(
        go.Scatter(
            x=spend,
            y=[float(v) for v in scored["score"]],
            mode="markers+text",
            text=[text(v) for v in scored["vendor"]],
            textposition=_label_sides(spend, low, high),
            cliponaxis=False,  # a label near an edge is drawn whole, never cut off
            marker={"size": 14, "color": BLUE},
            hovertext=hover,
            hoverinfo="text",
            name="Vendors",
        )
    )
    spend_mid = float(pd.Series(spend).median())
    figure.add_vline(x=spend_mid, line={"dash": "dot", "color": LINE})
    figure.add_hline(y=QUADRANT_SCORE, line={"dash": "dot", "color": LINE})
    # The line's note sits in the right margin, level with it: never on a vendor's label.
    figure.add_annotation(
        text=f"score {QUADRANT_SCORE}",
        xref="paper",
        x=1,
        xanchor="left",
        y=QUADRANT_SCORE,
        yref="y",
        showarrow=False,
        font={"size": 12, "color": MUTED},
    )
    # A margin of spend either side, so a marker and its label never sit on the frame.
    pad = (high - low) * 0.08 or max(high * 0.1, 1.0)
    figure.update_xaxes(
        title_text=f"Annual contract spend ({currency})",
        tickformat=",.0f",
        range=[max(0.0, low - pad), high + pad],
    )
    figure.update_yaxes(title_text="Scorecard (0 to 100)", range=[0, 105])
    return style(figure, title=title, height=420, margin={"r": 80})


QUADRANT_SCORE = 70  # the reference line of the vendor quadrant


def _label_sides(spend: list[float], low: float, high: float) -> list[str]:
    """Where each vendor's name goes. Horizontally toward the middle of the chart, so a
    name at either end of the axis stays inside it (left quarter: to the right of the
    marker, right quarter: to the left, else centred); vertically above and below in
    turn, by spend, so the names of neighbours do not run into each other."""
    span = high - low
    order = sorted(range(len(spend)), key=lambda i: (spend[i], i))
    rank = {index: position for position, index in enumerate(order)}
    sides = []
    for index, value in enumerate(spend):
        where = (value - low) / span if span else 0.5
        across = "right" if where < 0.25 else "left" if where > 0.75 else "center"
        sides.append(f"{'top' if rank[index] % 2 == 0 else 'bottom'} {across}")
    return sides


SLA_HEATMAP_ROWS = 30


def sla_table(frame: pd.DataFrame, *, limit: int = SLA_HEATMAP_ROWS) -> pd.DataFrame:
    """Contract x month share of SLAs met, the ``limit`` lowest-attaining contracts first."""
    measured = frame[frame["measured"] > 0] if not frame.empty else frame
    if measured.empty:
        return pd.DataFrame()
    table = measured.pivot_table(
        index="contract", columns="period", values="attainment", aggfunc="mean"
    )
    order = table.mean(axis=1).sort_values(kind="stable").index[:limit]
    return table.loc[order]


def sla_heatmap(
    frame: pd.DataFrame, *, empty: str = "No SLA measurements in this period."
) -> go.Figure:
    """Share of SLAs met per contract and month. ``frame``: contract, period, measured,
    attainment. Large portfolios show the lowest-attaining contracts."""
    table = sla_table(frame)
    total = frame["contract"].nunique() if not frame.empty else 0
    title = "SLA attainment by contract and month (share of SLAs met)"
    if len(table) < total:
        title += f": the {len(table)} lowest of {total} contracts"
    if table.empty:
        return _empty(title, empty)
    periods = [str(p) for p in table.columns]
    names = [text(c) for c in table.index]
    labels = [_wrapped(str(c)) for c in table.index]
    if len(set(labels)) < len(labels):  # two names cut alike: each row keeps its own
        labels = names
    figure = go.Figure(
        go.Heatmap(
            z=(table.to_numpy() * 100).round(1),
            x=periods,
            y=labels,
            customdata=[[name] * len(periods) for name in names],
            zmin=0,
            zmax=100,
            xgap=1,
            ygap=1,
            colorscale=[[0, VERMILLION], [0.5, YELLOW], [1, GREEN]],
            colorbar={"title": {"text": "% met"}, "thickness": 12},
            hovertemplate="%{customdata}<br>%{x|%b %Y}: %{z:.0f} % of SLAs met<extra></extra>",
        )
    )
    # One label a month at most, as "Jan" over "2026", and never more than six: they
    # cannot run into each other however narrow the chart is.
    figure.update_xaxes(
        title_text="Month", type="date", tickformat="%b<br>%Y", nticks=min(6, len(periods))
    )
    figure.update_yaxes(title_text="Contract", automargin=True)
    return _layout(figure, title=title, height=max(340, 160 + 44 * len(names)))


HEATMAP_LABEL_WIDTH = 24  # characters of a contract's name per line on the heatmap's axis


def _wrapped(name: str) -> str:
    """A long contract name on two lines (cut with an ellipsis beyond that), so the
    names do not take the width the months need; the hover text shows it whole. Cut
    before escaping (``text``), so no escaped character is ever split."""
    lines = textwrap.wrap(name, HEATMAP_LABEL_WIDTH) or [name]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: HEATMAP_LABEL_WIDTH - 1] + "…"]
    return "<br>".join(text(line) for line in lines)


RENEWAL_ROWS = 25


def renewal_timeline(frame: pd.DataFrame, *, empty: str = "No active contracts.") -> go.Figure:
    """Notice deadlines and end dates, soonest deadline first (at most RENEWAL_ROWS).

    ``frame``: contract, vendor, notice_deadline, end_date, sorted by deadline.
    """
    title = "Renewals: notice deadlines and contract end dates"
    if len(frame) > RENEWAL_ROWS:
        title += f": the {RENEWAL_ROWS} soonest of {len(frame)}"
        frame = frame.head(RENEWAL_ROWS)
    if frame.empty:
        return _empty(title, empty)
    labels = [text(c) for c in frame["contract"]]
    vendors = [text(v) for v in frame["vendor"]]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=frame["notice_deadline"].astype(str),
            y=labels,
            mode="markers",
            name="Notice deadline",
            marker={"symbol": "diamond", "size": 12, "color": VERMILLION},
            customdata=vendors,
            hovertemplate="%{y} (%{customdata})<br>Notice deadline %{x}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=frame["end_date"].astype(str),
            y=labels,
            mode="markers",
            name="End date",
            marker={"symbol": "square", "size": 10, "color": BLUE},
            customdata=vendors,
            hovertemplate="%{y} (%{customdata})<br>Ends %{x}<extra></extra>",
        )
    )
    figure.update_xaxes(title_text="Date", type="date")
    figure.update_yaxes(title_text="Contract", autorange="reversed")
    figure.update_layout(legend={"orientation": "h", "y": -0.25})
    return _layout(figure, title=title, height=max(300, 140 + 30 * len(labels)))


def wave_frame(roadmap: pd.DataFrame) -> pd.DataFrame:
    """One row per wave: model, first start, last go-live, processes and spend."""
    columns = ["wave", "model", "start_month", "end_month", "processes", "annual_cost"]
    if roadmap.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for wave, members in roadmap.groupby("wave", sort=True):
        assert isinstance(wave, int)  # pandas gives an integer column's keys as ints
        rows.append(
            {
                "wave": wave,
                "model": str(members["chosen_model"].iloc[0]),
                "start_month": int(min(members["start_month"])),
                "end_month": int(max(members["go_live_month"])),
                "processes": len(members),
                "annual_cost": float(sum(members["annual_cost"])),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def wave_timeline(
    waves: pd.DataFrame, *, horizon: int, currency: str, empty: str = "No outsourced processes."
) -> go.Figure:
    """The roadmap as a timeline of waves: ITO, then BPO, then KPO."""
    title = "Roadmap: waves of transitions (ITO first, then BPO, then KPO)"
    if waves.empty:
        return _empty(title, empty)
    figure = go.Figure()
    for row in waves.to_dict("records"):
        label = f"Wave {row['wave']}: {row['model']}"
        figure.add_trace(
            go.Bar(
                y=[label],
                x=[max(1, row["end_month"] - row["start_month"])],
                base=[row["start_month"]],
                orientation="h",
                name=label,
                marker={"color": model_colour(row["model"])},
                text=[count_of(row["processes"], "process", "processes")],
                textposition="inside",
                hovertext=[
                    f"{label}<br>Months {row['start_month']} to {row['end_month']}<br>"
                    f"{count_of(row['processes'], 'process', 'processes')}, "
                    f"{money0(row['annual_cost'], currency)} a year in-house"
                ],
                hoverinfo="text",
            )
        )
    figure.add_vline(
        x=horizon,
        line={"dash": "dot", "color": MUTED},
        annotation_text=f"horizon ({horizon} months)",
        annotation_position="top left",
    )
    figure.update_xaxes(title_text="Months from the start of the programme", rangemode="tozero")
    figure.update_yaxes(title_text="Wave", autorange="reversed")
    figure.update_layout(barmode="overlay", showlegend=False)
    return _layout(figure, title=title, height=300)
