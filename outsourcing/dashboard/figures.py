"""The dashboard's figures and tables by name, built from DashboardData, cached per part.

The dashboard is cached in parts: the summary (headline, notes and the tables beside it)
and each figure with its table. A part's cache key carries the stamps of only the kinds of
record that part reads (``PART_READS``), so a finished projection rebuilds the savings fan,
the vendor quadrant and the summary, and leaves the sourcing mix, the roadmap, the SLA
heatmap and the renewals as they were.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from django.core.cache import cache

from accounts.models import Organisation
from assessments.engine.vocabulary import MODEL_SHORT
from assessments.models import Assessment
from contracts.selectors.scorecards import ROWS_READ
from contracts.selectors.stamps import STAMP_KINDS, data_stamps, stamps_digest
from outsourcing.dashboard import charts
from outsourcing.dashboard.selectors import (
    EMPTY_SELECTION,
    NO_CONTRACTS,
    DashboardData,
    DashboardFilters,
    dashboard_data,
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
    return charts.sourcing_mix(data.mix_by_function, currency=data.currency, **_empty(data))


def _waves(data: DashboardData) -> go.Figure:
    return charts.wave_timeline(
        charts.wave_frame(data.roadmap),
        horizon=data.horizon,
        currency=data.currency,
        **_empty(data),
    )


def _savings(data: DashboardData) -> go.Figure:
    return charts.savings_fan(
        data.fan, currency=data.currency, scope=data.scope_notes.get("savings", ""), **_empty(data)
    )


def _vendors(data: DashboardData) -> go.Figure:
    return charts.vendor_quadrant(
        data.vendors,
        currency=data.currency,
        scope=data.scope_notes.get("vendors", ""),
        **_empty(data, contracts=True),
    )


FIGURES: dict[str, tuple[str, Callable[[DashboardData], go.Figure]]] = {
    "mix": ("Sourcing mix", _mix),
    "roadmap": ("Roadmap", _waves),
    "savings": ("Cumulative savings", _savings),
    "vendors": ("Vendor performance", _vendors),
    "sla": ("SLA attainment", lambda d: charts.sla_heatmap(d.sla, **_empty(d, contracts=True))),
    "renewals": (
        "Renewals",
        lambda d: charts.renewal_timeline(d.renewals, **_empty(d, contracts=True)),
    ),
}


# The kinds of record (``contracts.selectors.stamps.STAMP_KINDS``) each part reads.
# "assessments" stands for the chosen assessment, its processes and recommendations: the
# currency, the rows and the processes a filter selects. The SLA heatmap and the renewals
# read it only through a filter that narrows the processes (which contracts cover them).
PART_READS: dict[str, frozenset[str]] = {
    "summary": frozenset(STAMP_KINDS),
    "mix": frozenset({"assessments"}),
    "roadmap": frozenset({"assessments"}),
    "savings": frozenset({"assessments", "projections", "contracts", "savings", "forecasts"}),
    # The vendor figure scores vendors from ``contract_rows``: it reads what they read.
    "vendors": frozenset(ROWS_READ),
    "sla": frozenset({"contracts", "credits"}),
    "renewals": frozenset({"contracts"}),
}
NARROWED_READS = frozenset({"assessments"})


def part_reads(part: str, filters: DashboardFilters) -> frozenset[str]:
    reads = PART_READS[part]
    return reads | NARROWED_READS if filters.narrows else reads


def part_keys(
    organisation: Organisation,
    filters: DashboardFilters,
    today: dt.date,
    stamps: dict[str, str],
    parts: list[str] | None = None,
) -> dict[str, str]:
    """Each part's cache key: the organisation, day and filters, and a digest of the
    stamps of the kinds of record the part reads."""
    keys = {}
    for part in parts or list(PART_READS):
        digest = stamps_digest(stamps, part_reads(part, filters))
        keys[part] = (
            f"dashboard:{organisation.pk}:{today.isoformat()}:{filters.cache_key()}:{part}:{digest}"
        )
    return keys


def _summary_part(data: DashboardData) -> dict[str, Any]:
    return {
        "summary": {
            "organisation": data.organisation,
            "currency": data.currency,
            "assessment": data.assessment,
            "headline": data.headline,
            "notes": data.notes,
            "scope_notes": data.scope_notes,
            "mix_labels": [
                (MODEL_SHORT.get(model, model), count)
                for model, count in data.headline["mix_count"].items()
            ],
            "exit_risks": data.exit_risks.head(TABLE_ROWS).to_dict("records"),
        },
        "tables": {
            "waves_npv": data.waves_npv,
            "issues": data.issues.head(TABLE_ROWS).to_dict("records"),
            "issue_count": len(data.issues),
        },
    }


def _sla_tables(data: DashboardData) -> dict[str, Any]:
    sla = charts.sla_table(data.sla)
    return {
        "sla_months": [str(c) for c in sla.columns],
        "sla": [
            {"contract": contract, "values": [None if v != v else round(v * 100) for v in row]}
            for contract, row in zip(sla.index, sla.to_numpy().tolist(), strict=True)
        ],
    }


# Each part of the cached dashboard: its figure (if any) and the tables beside it.
PART_TABLES: dict[str, Callable[[DashboardData], dict[str, Any]]] = {
    "mix": lambda d: {"mix": d.mix_by_function.to_dict("records")},
    "roadmap": lambda d: {"waves": charts.wave_frame(d.roadmap).to_dict("records")},
    "savings": lambda d: {"fan": d.fan.iloc[::6].to_dict("records")},
    "vendors": lambda d: {
        "vendors": d.vendors.head(TABLE_ROWS).to_dict("records"),
        "vendor_count": len(d.vendors),
    },
    "sla": _sla_tables,
    "renewals": lambda d: {"renewals": d.renewals.head(charts.RENEWAL_ROWS).to_dict("records")},
}


def build_part(part: str, data: DashboardData) -> dict[str, Any]:
    """One cached part: the summary, or a figure (as its JSON text, served as it is by
    the figure's endpoint) with the tables beside it."""
    if part == "summary":
        return _summary_part(data)
    return {"figure": FIGURES[part][1](data).to_json(), "tables": PART_TABLES[part](data)}


def _read_parts(
    organisation: Organisation,
    filters: DashboardFilters,
    today: dt.date,
    assessments: list[Assessment] | None,
    keys: dict[str, str],
) -> dict[str, dict[str, Any]]:
    """The parts named by ``keys`` (part -> cache key), from the cache; a miss reads the
    dashboard's data once and builds only the parts missing. A cache that is down answers
    as empty: every part is built, nothing is stored, the page still answers."""
    found = cache.get_many(list(keys.values())) or {}
    values = {part: found[key] for part, key in keys.items() if key in found}
    missing = [part for part in keys if part not in values]
    if missing:
        data = dashboard_data(organisation, filters, today, assessments)
        built = {part: build_part(part, data) for part in missing}
        cache.set_many({keys[part]: value for part, value in built.items()}, CACHE_SECONDS)
        values.update(built)
    return {part: values[part] for part in keys}


def cached_parts(
    organisation: Organisation,
    filters: DashboardFilters,
    today: dt.date,
    assessments: list[Assessment] | None = None,
    parts: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """The dashboard's parts (all, or ``parts``), each rebuilt only when a kind of record
    it reads changes. One query for the stamps; on a hit, nothing else."""
    wanted = list(parts) if parts is not None else list(PART_READS)
    keys = part_keys(organisation, filters, today, data_stamps(organisation), wanted)
    return _read_parts(organisation, filters, today, assessments, keys)


class DashboardParts:
    """The dashboard's parts for one page view, read together when the page first uses
    them. The figures are decoded only when the page's body is drawn: a body already drawn
    for the same data (cached whole under ``digest``) does not need them."""

    def __init__(
        self,
        organisation: Organisation,
        filters: DashboardFilters,
        today: dt.date,
        assessments: list[Assessment] | None = None,
    ) -> None:
        self._reading = (organisation, filters, today, assessments)
        self.keys = part_keys(organisation, filters, today, data_stamps(organisation))

    @property
    def digest(self) -> str:
        """Which state of the data the parts show: it changes when any part's key does."""
        text = "\n".join(self.keys[part] for part in sorted(self.keys))
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    @functools.cached_property
    def values(self) -> dict[str, dict[str, Any]]:
        return _read_parts(*self._reading, self.keys)

    @property
    def summary(self) -> dict[str, Any]:
        return self.values["summary"]["summary"]

    def body(self) -> dict[str, Any]:
        """Every figure (as data) and every table (the summary's too)."""
        payload: dict[str, Any] = {"tables": {}, "figures": {}}
        for part, value in self.values.items():
            if "figure" in value:
                payload["figures"][part] = json.loads(value["figure"])
            payload["tables"].update(value["tables"])
        return payload


def cached_figure_json(
    organisation: Organisation,
    filters: DashboardFilters,
    today: dt.date,
    name: str,
    assessments: list[Assessment] | None = None,
) -> str:
    """One figure's JSON text, from its cached part."""
    return cached_parts(organisation, filters, today, assessments, [name])[name]["figure"]
