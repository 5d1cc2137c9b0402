"""The dashboard's figures by name, built from DashboardData, cached per organisation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from django.core.cache import cache

from accounts.models import Organisation
from assessments.charts import roadmap_timeline

from . import charts
from .selectors import DashboardData, DashboardFilters, dashboard_data, organisation_fingerprint

CACHE_SECONDS = 60 * 60


def _roadmap(data: DashboardData) -> go.Figure:
    if data.roadmap.empty:
        return charts._empty("Roadmap: transitions by wave", "No outsourced processes.")
    return roadmap_timeline(data.roadmap, horizon=data.horizon)


FIGURES: dict[str, tuple[str, Callable[[DashboardData], go.Figure]]] = {
    "mix": ("Sourcing mix", lambda d: charts.sourcing_mix(d.mix_by_function,
                                                          currency=d.currency)),
    "roadmap": ("Roadmap", _roadmap),
    "savings": ("Cumulative savings", lambda d: charts.savings_fan(d.fan, currency=d.currency)),
    "vendors": ("Vendor performance", lambda d: charts.vendor_quadrant(d.vendors,
                                                                       currency=d.currency)),
    "sla": ("SLA attainment", lambda d: charts.sla_heatmap(d.sla)),
    "renewals": ("Renewals", lambda d: charts.renewal_timeline(d.renewals)),
}


def cached_dashboard(organisation: Organisation, filters: DashboardFilters,
                     today: dt.date) -> dict[str, Any]:
    """The data and every figure's JSON, rebuilt only when the organisation's records change.

    The key carries a fingerprint of the records the dashboard reads (one query), so any
    change to an assessment, projection, contract, credit, issue, saving or review makes
    a new key: nothing needs to remember to invalidate it.
    """
    version = hashlib.sha256(organisation_fingerprint(organisation).encode()).hexdigest()[:24]
    key = f"dashboard:{organisation.pk}:{today.isoformat()}:{filters.cache_key()}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    data = dashboard_data(organisation, filters, today)
    payload = {"data": data,
               "figures": {name: json.loads(build(data).to_json())
                           for name, (_, build) in FIGURES.items()}}
    cache.set(key, payload, CACHE_SECONDS)
    return payload
