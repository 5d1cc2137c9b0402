"""Dashboard figures: pure functions from DataFrames to Plotly figures (no queries).

Every name a person typed goes through ``assessments.charts.text`` before it enters a
figure, because Plotly renders labels and hover text as HTML.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from assessments.charts import AXIS, FONT, MODEL_COLOURS, MODEL_SHORT, text


def _layout(figure: go.Figure, *, title: str, height: int = 420) -> go.Figure:
    # The light explicit style of assessments.charts: Plotly's named templates are slow.
    figure.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, template="none",
                         font=FONT, height=height, hoverlabel={"align": "left"},
                         paper_bgcolor="white", plot_bgcolor="white",
                         margin={"l": 10, "r": 10, "t": 60, "b": 50})
    figure.update_xaxes(**AXIS)
    figure.update_yaxes(**AXIS)
    return figure


def _empty(title: str, message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper",
                          yref="paper", font={"size": 14, "color": "#6c757d"})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _layout(figure, title=title, height=260)


def money(value: float, currency: str) -> str:
    return f"{currency} {value:,.0f}"


def sourcing_mix(frame: pd.DataFrame, *, currency: str) -> go.Figure:
    """Sunburst of in-house spend: business function, then recommended model.

    ``frame``: business_function, model, annual_cost, processes (one row per pair).
    """
    title = f"Sourcing mix by function and model (annual in-house spend, {currency})"
    if frame.empty:
        return _empty(title, "No submitted assessment yet.")
    ids, labels, parents, values, colours, hover = [], [], [], [], [], []
    for function, rows in frame.groupby("business_function", sort=True):
        total = float(rows["annual_cost"].sum())
        ids.append(f"f:{function}")
        labels.append(text(function))
        parents.append("")
        values.append(total)
        colours.append("#dee2e6")
        hover.append(f"{text(function)}<br>{money(total, currency)} a year<br>"
                     f"{int(rows['processes'].sum())} process(es)")
        for row in rows.itertuples(index=False):
            ids.append(f"f:{function}/{row.model}")
            labels.append(MODEL_SHORT.get(row.model, row.model))
            parents.append(f"f:{function}")
            values.append(float(row.annual_cost))
            colours.append(MODEL_COLOURS.get(row.model, "#6c757d"))
            hover.append(f"{text(function)}: {MODEL_SHORT.get(row.model, row.model)}<br>"
                         f"{money(float(row.annual_cost), currency)} a year<br>"
                         f"{int(row.processes)} process(es)")
    figure = go.Figure(go.Sunburst(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker={"colors": colours}, hovertext=hover, hoverinfo="text",
    ))
    return _layout(figure, title=title, height=460)


def savings_fan(frame: pd.DataFrame, *, currency: str) -> go.Figure:
    """Cumulative net savings: P10 to P90 band, P50 line and realised savings on top.

    ``frame``: month (0-based), p10, p50, p90, and realised (NaN where not known).
    """
    title = f"Cumulative net savings ({currency}): projected range and realised"
    if frame.empty:
        return _empty(title, "No finished projection yet.")
    months = [int(m) for m in frame["month"]]
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=months, y=frame["p90"], mode="lines", line={"width": 0}, name="P90",
        hovertemplate="Month %{x}: P90 %{y:,.0f}<extra></extra>"))
    figure.add_trace(go.Scatter(x=months, y=frame["p10"], mode="lines", line={"width": 0},
                                fill="tonexty", fillcolor="rgba(0,114,178,0.18)",
                                name="P10 to P90",
                                hovertemplate="Month %{x}: P10 %{y:,.0f}<extra></extra>"))
    figure.add_trace(go.Scatter(x=months, y=frame["p50"], mode="lines", name="P50 (median)",
                                line={"color": "#0072B2", "width": 2},
                                hovertemplate="Month %{x}: P50 %{y:,.0f}<extra></extra>"))
    if "realised" in frame and frame["realised"].notna().any():
        known = frame[frame["realised"].notna()]
        figure.add_trace(go.Scatter(
            x=[int(m) for m in known["month"]], y=known["realised"], mode="lines+markers",
            name="Realised", line={"color": "#D55E00", "width": 2},
            hovertemplate="Month %{x}: realised %{y:,.0f}<extra></extra>"))
    figure.add_hline(y=0, line={"color": "#6c757d", "width": 1})
    figure.update_xaxes(title_text="Months from the start of the programme")
    figure.update_yaxes(title_text=f"Cumulative net savings ({currency})", tickformat=",.0f")
    return _layout(figure, title=title)


def vendor_quadrant(frame: pd.DataFrame, *, currency: str) -> go.Figure:
    """Vendor performance (scorecard 0 to 100) against annual contract spend.

    ``frame``: vendor, annual_spend, score (NaN when no data yet), contracts.
    """
    title = f"Vendor performance against contract spend ({currency} a year)"
    scored = frame[frame["score"].notna()] if not frame.empty else frame
    if scored.empty:
        return _empty(title, "No vendor has a scorecard yet.")
    hover = [f"{text(row.vendor)}<br>{money(float(row.annual_spend), currency)} a year<br>"
             f"Score {float(row.score):.0f}/100 · {int(row.contracts)} contract(s)"
             for row in scored.itertuples(index=False)]
    figure = go.Figure(go.Scatter(
        x=scored["annual_spend"], y=scored["score"], mode="markers+text",
        text=[text(v) for v in scored["vendor"]], textposition="top center",
        marker={"size": 14, "color": "#0072B2"}, hovertext=hover, hoverinfo="text",
        name="Vendors"))
    spend_mid = float(scored["annual_spend"].median())
    figure.add_vline(x=spend_mid, line={"dash": "dot", "color": "#adb5bd"})
    figure.add_hline(y=70, line={"dash": "dot", "color": "#adb5bd"},
                     annotation_text="score 70", annotation_position="bottom right")
    figure.update_xaxes(title_text=f"Annual contract spend ({currency})", tickformat=",.0f")
    figure.update_yaxes(title_text="Scorecard (0 to 100)", range=[0, 105])
    return _layout(figure, title=title)


def sla_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Share of SLAs met per contract and month. ``frame``: contract, period, attainment."""
    title = "SLA attainment by contract and month (share of SLAs met)"
    if frame.empty:
        return _empty(title, "No SLA measurements in this period.")
    table = frame.pivot_table(index="contract", columns="period", values="attainment",
                              aggfunc="mean").sort_index()
    periods = [str(p) for p in table.columns]
    contracts = [text(c) for c in table.index]
    figure = go.Figure(go.Heatmap(
        z=(table.to_numpy() * 100).round(1), x=periods, y=contracts, zmin=0, zmax=100,
        colorscale=[[0, "#D55E00"], [0.5, "#F0E442"], [1, "#009E73"]],
        colorbar={"title": {"text": "% met"}},
        hovertemplate="%{y}<br>%{x}: %{z:.0f} % of SLAs met<extra></extra>",
    ))
    figure.update_xaxes(title_text="Month")
    figure.update_yaxes(title_text="Contract")
    return _layout(figure, title=title, height=max(300, 140 + 28 * len(contracts)))


def renewal_timeline(frame: pd.DataFrame) -> go.Figure:
    """Notice deadlines and end dates. ``frame``: contract, vendor, notice_deadline, end_date."""
    title = "Renewals: notice deadlines and contract end dates"
    if frame.empty:
        return _empty(title, "No active contracts.")
    labels = [f"{text(c)} ({text(v)})" for c, v in zip(frame["contract"], frame["vendor"],
                                                       strict=True)]
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=frame["notice_deadline"].astype(str), y=labels, mode="markers", name="Notice deadline",
        marker={"symbol": "diamond", "size": 12, "color": "#D55E00"},
        hovertemplate="%{y}<br>Notice deadline %{x}<extra></extra>"))
    figure.add_trace(go.Scatter(
        x=frame["end_date"].astype(str), y=labels, mode="markers", name="End date",
        marker={"symbol": "square", "size": 10, "color": "#0072B2"},
        hovertemplate="%{y}<br>Ends %{x}<extra></extra>"))
    figure.update_xaxes(title_text="Date", type="date")
    figure.update_yaxes(title_text="Contract (vendor)", autorange="reversed")
    return _layout(figure, title=title, height=max(300, 140 + 30 * len(labels)))
