"""The dashboard's figures and tables by name, built from DashboardData, cached per org."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from django.core.cache import cache

from accounts.models import Organisation
from assessments.models import Assessment
from assessments.selectors import MODEL_SHORT
from outsourcing.dashboard import charts
from outsourcing.dashboard.selectors import (
    EMPTY_SELECTION,
    NO_CONTRACTS,
    DashboardData,
    DashboardFilters,
    dashboard_data,
    organisation_fingerprint,
)

CACHE_SECONDS = 60 * 60
TABLE_ROWS = 50


def _empty(data: DashboardData, *, contracts: bool = False) -> dict[str, str]:
    """What a figure says when it has nothing to show: an empty selection says so (never
    "no assessment"), and so does a selection no contract covers."""
    if data.headline["empty_selection"]:
        return {"empty": EMPTY_SELECTION}
    if contracts and NO_CONTRACTS in data.notes:
        return {"empty": NO_CONTRACTS}
    return {}


def _mix(data: DashboardData) -> go.Figure:
    return charts.sourcing_mix(data.mix_by_function, currency=data.currency,
                               **_empty(data))


def _waves(data: DashboardData) -> go.Figure:
    return charts.wave_timeline(charts.wave_frame(data.roadmap), horizon=data.horizon,
                                currency=data.currency, **_empty(data))


def _savings(data: DashboardData) -> go.Figure:
    return charts.savings_fan(data.fan, currency=data.currency,
                              scope=data.scope_notes.get("savings", ""), **_empty(data))


def _vendors(data: DashboardData) -> go.Figure:
    return charts.vendor_quadrant(data.vendors, currency=data.currency,
                                  scope=data.scope_notes.get("vendors", ""),
                                  **_empty(data, contracts=True))


FIGURES: dict[str, tuple[str, Callable[[DashboardData], go.Figure]]] = {
    "mix": ("Sourcing mix", _mix),
    "roadmap": ("Roadmap", _waves),
    "savings": ("Cumulative savings", _savings),
    "vendors": ("Vendor performance", _vendors),
    "sla": ("SLA attainment", lambda d: charts.sla_heatmap(
        d.sla, **_empty(d, contracts=True))),
    "renewals": ("Renewals", lambda d: charts.renewal_timeline(
        d.renewals, **_empty(d, contracts=True))),
}


def tables(data: DashboardData) -> dict[str, Any]:
    """The numbers behind each figure, as rows for the page's table views (bounded)."""
    sla = charts.sla_table(data.sla)
    return {
        "mix": data.mix_by_function.to_dict("records"),
        "waves": charts.wave_frame(data.roadmap).to_dict("records"),
        "waves_npv": data.waves_npv,
        "fan": data.fan.iloc[::6].to_dict("records"),
        "vendors": data.vendors.head(TABLE_ROWS).to_dict("records"),
        "vendor_count": len(data.vendors),
        "sla_months": [str(c) for c in sla.columns],
        "sla": [{"contract": contract, "values": [None if v != v else round(v * 100)
                                                  for v in row]}
                for contract, row in zip(sla.index, sla.to_numpy().tolist(), strict=True)],
        "renewals": data.renewals.head(charts.RENEWAL_ROWS).to_dict("records"),
        "issues": data.issues.head(TABLE_ROWS).to_dict("records"),
        "issue_count": len(data.issues),
    }


def cached_dashboard(organisation: Organisation, filters: DashboardFilters, today: dt.date,
                     assessments: list[Assessment] | None = None) -> dict[str, Any]:
    """Headline, tables and every figure's JSON, rebuilt only when the org's records change.

    The key carries a fingerprint of the records the dashboard reads (one query), so any
    change to an assessment, projection, contract, credit, issue, saving or review makes
    a new key: nothing needs to remember to invalidate it.
    """
    version = hashlib.sha256(organisation_fingerprint(organisation).encode()).hexdigest()[:24]
    key = f"dashboard:{organisation.pk}:{today.isoformat()}:{filters.cache_key()}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    data = dashboard_data(organisation, filters, today, assessments)
    payload = {
        "summary": {"organisation": data.organisation, "currency": data.currency,
                    "assessment": data.assessment, "headline": data.headline,
                    "notes": data.notes, "scope_notes": data.scope_notes,
                    "mix_labels": [(MODEL_SHORT.get(model, model), count)
                                   for model, count in data.headline["mix_count"].items()]},
        "tables": tables(data),
        "figures": {name: json.loads(build(data).to_json())
                    for name, (_, build) in FIGURES.items()},
    }
    cache.set(key, payload, CACHE_SECONDS)
    return payload
