"""How a credit computation is stored: the engine's call and its results, compactly.

Pure: no Django. ``compute_credits`` returns, per period, a map per SLA for each of
measured, met, breach, critical, raw credit and credit; most SLAs are met most months,
so storing those maps as they are would repeat every SLA's name six times a month. The
stored form keeps only the exceptions, and ``unpack_result`` rebuilds exactly what the
engine returned (a test holds the round trip to equality). The inputs are stored the
same way: the SLAs once, and the actuals month by month as lists in SLA order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The engine's keys kept as they are (already sparse, or single values).
_KEPT = (
    "period",
    "rules_version",
    "at_risk_amount",
    "raw_total",
    "cap_applied",
    "total",
    "earned_back",
    "earned_back_total",
    "net_total",
    "earn_back_status",
    "earned_back_in",
)
_ORDER = (
    "period",
    "rules_version",
    "at_risk_amount",
    "measured",
    "met",
    "breach",
    "critical",
    "raw_credits",
    "raw_total",
    "cap_applied",
    "credits",
    "total",
    "earned_back",
    "earned_back_total",
    "net_total",
    "earn_back_status",
    "earned_back_in",
)


def pack_result(result: dict[str, Any]) -> dict[str, Any]:
    """One period's engine result with the per-SLA maps reduced to their exceptions."""
    packed = {key: result[key] for key in _KEPT}
    packed["not_measured"] = [n for n, measured in result["measured"].items() if not measured]
    packed["breach"] = [n for n, hit in result["breach"].items() if hit]
    packed["critical"] = [n for n, hit in result["critical"].items() if hit]
    packed["raw_credits"] = {n: a for n, a in result["raw_credits"].items() if a}
    packed["credits"] = {n: a for n, a in result["credits"].items() if a}
    return packed


def unpack_result(packed: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The engine's own result for the period, from its stored form and the SLA names."""
    missing, breach = set(packed["not_measured"]), set(packed["breach"])
    critical = set(packed["critical"])
    full = {key: packed[key] for key in _KEPT}
    full["measured"] = {n: n not in missing for n in names}
    full["met"] = {n: n not in missing and n not in breach for n in names}
    full["breach"] = {n: n in breach for n in names}
    full["critical"] = {n: n in critical for n in names}
    full["raw_credits"] = {n: packed["raw_credits"].get(n, 0.0) for n in names}
    full["credits"] = {n: packed["credits"].get(n, 0.0) for n in names}
    return {key: full[key] for key in _ORDER}


def sla_outcome(packed: dict[str, Any], name: str) -> dict[str, Any]:
    """One SLA's line of a stored period: measured, met, breach, critical, credit."""
    measured = name not in packed["not_measured"]
    breach = name in packed["breach"]
    return {
        "measured": measured,
        "met": measured and not breach,
        "breach": breach,
        "critical": name in packed["critical"],
        "credit": packed["credits"].get(name, 0.0),
    }


def pack_actuals(
    names: Sequence[str], periods: Sequence[dict[str, float]]
) -> list[list[float | None]]:
    return [[period.get(name) for name in names] for period in periods]


def engine_call(inputs: dict[str, Any]) -> tuple[list[dict], list[dict], float, float]:
    """The exact arguments ``compute_credits`` was called with, from stored inputs."""
    slas = inputs["slas"]
    names = [sla["name"] for sla in slas]
    periods = [
        {n: v for n, v in zip(names, row, strict=True) if v is not None}
        for row in inputs["actuals"]
    ]
    return slas, periods, inputs["monthly_fee"], inputs["at_risk_pct"]


def period_actuals(inputs: dict[str, Any], index: int) -> dict[str, float | None]:
    names = [sla["name"] for sla in inputs["slas"]]
    return dict(zip(names, inputs["actuals"][index], strict=True))
