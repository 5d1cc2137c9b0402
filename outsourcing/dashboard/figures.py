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

from . import charts
from .selectors import DashboardData, DashboardFilters, dashboard_data, organisation_fingerprint

CACHE_SECONDS = 60 * 60
TABLE_ROWS = 50


def _waves(data: DashboardData) -> go.Figure:
    return charts.wave_timeline(charts.wave_frame(data.roadmap), horizon=data.horizon,
                                currency=data.currency)


FIGURES: dict[str, tuple[str, Callable[[DashboardData], go.Figure]]] = {
    "mix": ("Sourcing mix", lambda d: charts.sourcing_mix(d.mix_by_function,
                                                          currency=d.currency)),
    "roadmap": ("Roadmap", _waves),
    "savings": ("Cumulative savings", lambda d: charts.savings_fan(d.fan, currency=d.currency)),
    "vendors": ("Vendor performance", lambda d: charts.vendor_quadrant(d.vendors,
                                                                       currency=d.currency)),
    "sla": ("SLA attainment", lambda d: charts.sla_heatmap(d.sla)),
    "renewals": ("Renewals", lambda d: charts.renewal_timeline(d.renewals)),
}


def tables(data: DashboardData) -> dict[str, Any]:
    """The numbers behind each figure, as rows for the page's table views (bounded)."""
    sla = charts.sla_table(data.sla)
    return {
        "mix": data.mix_by_function.to_dict("records"),
        "waves": charts.wave_frame(data.roadmap).to_dict("records"),
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
                    "assessment": data.assessment, "headline": data.headline},
        "tables": tables(data),
        "figures": {name: json.loads(build(data).to_json())
                    for name, (_, build) in FIGURES.items()},
    }
    cache.set(key, payload, CACHE_SECONDS)
    return payload
