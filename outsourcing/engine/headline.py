"""The portfolio dashboard's headline maths, on plain data (no queries, no Django).

``outsourcing.dashboard.selectors`` reads the records and hands their numbers here; the
dashboard, its JSON figures and the board pack all show what these functions return. The
business rules themselves live where they belong (SLA attainment in
``contracts.engine.scorecard``, the NPV headline in the projection's result); this module
only adds them up for a selection of processes and contracts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from assessments.engine.vocabulary import OUTSOURCED_MODELS
from contracts.engine.scorecard import sla_attainment

CENT = Decimal("0.01")
# Days ahead within which a notice deadline counts as due (the "notices due" card).
NOTICE_WINDOW_DAYS = 90

FAN_COLUMNS = ["month", "p10", "p50", "p90", "realised"]
VENDOR_COLUMNS = [
    "vendor",
    "vendor_id",
    "annual_spend",
    "score",
    "contracts",
    "sla_attainment",
    "review_rating",
    "savings_realisation",
    "issue_health",
]
MIX_BY_FUNCTION_COLUMNS = ["business_function", "model", "annual_cost", "processes"]


def quarter_start(today: dt.date) -> dt.date:
    """The first day of ``today``'s calendar quarter."""
    return dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def cents(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of exact amounts, rounded half-up to the cent."""
    return sum(amounts, Decimal("0")).quantize(CENT, rounding=ROUND_HALF_UP)


def headline_figures(
    *,
    rows: pd.DataFrame,
    npv: Mapping[str, Any],
    quarter_met: int,
    quarter_measured: int,
    realised: Sequence[float],
    planned: Sequence[float],
    sla: pd.DataFrame,
    renewals: pd.DataFrame,
    issues: pd.DataFrame,
    empty_selection: bool,
    unfiltered: Sequence[str],
) -> dict[str, Any]:
    """The headline cards, from the selection's recommendation rows, the NPV figures read
    from the projection, the SLA-periods met and measured this quarter, each selected
    contract's realised and planned savings to date, and the SLA, renewal and issue
    tables (see ``DashboardData.headline`` for the keys)."""
    outsourced = rows[rows["chosen_model"].isin(OUTSOURCED_MODELS)] if not rows.empty else rows
    return {
        "processes": len(rows),
        "total_spend": float(sum(rows["annual_cost"])) if not rows.empty else 0.0,
        "addressable_spend": float(sum(outsourced["annual_cost"])) if not rows.empty else 0.0,
        "mix_count": rows["chosen_model"].value_counts().to_dict() if not rows.empty else {},
        **npv,
        "realised_to_date": sum(realised) if realised else None,
        "plan_to_date": sum(planned) if planned else None,
        "sla_attainment_quarter": sla_attainment(quarter_met, quarter_measured),
        "credits_gross": cents(sla["credits"]),
        "credits_earned_back": cents(sla["earned_back"]),
        "credits_net": cents(sla["net_credits"]),
        "notices_due_90": int(renewals["days_to_deadline"].between(0, NOTICE_WINDOW_DAYS).sum())
        if not renewals.empty
        else 0,
        "open_critical_issues": int((issues["severity"] == "critical").sum())
        if not issues.empty
        else 0,
        "overdue_issues": int(issues["overdue"].sum()) if not issues.empty else 0,
        "empty_selection": empty_selection,
        "unfiltered": list(unfiltered),
    }


def cumulative_band(
    monte_carlo: Mapping[str, Sequence[float]], realised_by_month: Mapping[int, float]
) -> pd.DataFrame:
    """The cumulative savings band (P10, P50, P90 per month of the projection) with the
    cumulative realised savings drawn from the first month that has one."""
    horizon = len(monte_carlo["cumulative_p50"])
    frame = pd.DataFrame(
        {
            "month": range(horizon),
            "p10": monte_carlo["cumulative_p10"],
            "p50": monte_carlo["cumulative_p50"],
            "p90": monte_carlo["cumulative_p90"],
        }
    )
    frame["realised"] = float("nan")
    months = {m: v for m, v in realised_by_month.items() if 0 <= m < horizon}
    if months:
        # From the first month with a realised figure: before it nothing was measured.
        first, last = min(months), max(months)
        cumulative = pd.Series([months.get(m, 0.0) for m in range(first, last + 1)]).cumsum()
        frame.loc[first:last, "realised"] = cumulative.to_numpy()
    return frame[FAN_COLUMNS]


def vendor_frame(contracts: pd.DataFrame, scorecards: Mapping[int, Any]) -> pd.DataFrame:
    """Each vendor with a live contract in ``contracts``: its spend and contracts there,
    and its scorecard (``scorecards[vendor_id]``: a total and parts by key). Largest spend
    first."""
    if contracts.empty:
        return pd.DataFrame(columns=VENDOR_COLUMNS)
    records = []
    for vendor_id, group in contracts.groupby("vendor_id", sort=True):
        assert isinstance(vendor_id, int)  # the keys of an integer column are ints
        card = scorecards[vendor_id]
        parts = {part.key: part.value for part in card.parts}
        records.append(
            {
                "vendor": group["vendor"].iloc[0],
                "vendor_id": int(vendor_id),
                "annual_spend": sum(group["annual_value"], Decimal("0.00")),
                "score": card.total,
                "contracts": len(group),
                "sla_attainment": parts["sla_attainment"],
                "review_rating": parts["review_rating"],
                "savings_realisation": parts["savings_realisation"],
                "issue_health": parts["issue_health"],
            }
        )
    records.sort(key=lambda r: (-r["annual_spend"], r["vendor"], r["vendor_id"]))
    return pd.DataFrame(records, columns=VENDOR_COLUMNS)


def mix_by_function(rows: pd.DataFrame) -> pd.DataFrame:
    """Annual cost and process count per business function and chosen model."""
    if rows.empty:
        return pd.DataFrame(columns=MIX_BY_FUNCTION_COLUMNS)
    frame = pd.DataFrame(
        {
            "business_function": rows["function_label"],
            "model": rows["chosen_model"],
            "annual_cost": rows["annual_cost"].astype(float),
        }
    )
    grouped = (
        frame.groupby(["business_function", "model"], sort=True)
        .agg(annual_cost=("annual_cost", "sum"), processes=("annual_cost", "size"))
        .reset_index()
    )
    return grouped[MIX_BY_FUNCTION_COLUMNS]
