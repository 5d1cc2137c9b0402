"""Reads of a finished projection's stored result: frames for the charts, tables, exports.

Pure: no queries. Each function takes the ``Projection.result`` dictionary that
``projections.projection_finish`` stores (see ``projections._result``). Money is in the
assessment's currency; months are indices from 0, the first month of the horizon.

Which NPV is which (docs/methodology-projection.md, "Which NPV is which"): the headline is
the Monte Carlo median (``npv_p50``) with its P10 to P90 range; ``npv_mean`` is the
expected NPV (absent from results stored before it was added); ``npv`` is the NPV at the
modes, every driver at its most likely value, which the waterfall and tornado start from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

import pandas as pd

from accounts.engine.formatting import percent
from assessments.engine.exports import Column, Sheet
from assessments.engine.projection import DRIVER_LABELS

Result = Mapping[str, Any]

AT_THE_MODES = "every driver at its most likely value"


def _money(title: str) -> Column:
    return Column(title, "money")


YEARLY_COLUMNS = (
    Column("Year"),
    Column("Months"),
    _money("In-house cost avoided"),
    _money("Vendor fee"),
    _money("Governance"),
    _money("Productivity dip"),
    _money("One-time transition cost"),
    _money("Net saving, at the modes"),
    _money("Cumulative net at year end, at the modes"),
    _money("Cumulative net P10"),
    _money("Cumulative net P50"),
    _money("Cumulative net P90"),
)
MONTHLY_COLUMNS = (
    Column("Month"),
    _money("Net saving, at the modes"),
    _money("Cumulative net, at the modes"),
    _money("Cumulative net P10"),
    _money("Cumulative net P50"),
    _money("Cumulative net P90"),
)
WAVE_COLUMNS = (
    Column("Wave"),
    Column("Model"),
    Column("Processes", "count"),
    _money("NPV at the modes"),
    _money("NPV P10"),
    _money("NPV P50"),
    _money("NPV P90"),
    Column("Probability NPV < 0", "share"),
    Column("Payback month, at the modes"),
)
TORNADO_COLUMNS = (
    Column("Driver"),
    _money("NPV with the driver low"),
    _money("NPV with the driver high"),
    _money("Swing"),
)
# Titles without units, for the pages (their captions name the currency).
YEARLY_HEADER = tuple(column.title for column in YEARLY_COLUMNS)
MONTHLY_HEADER = tuple(column.title for column in MONTHLY_COLUMNS)


def payback_text(month: int | None) -> str:
    """``17`` -> "month 17 (year 2)"; None -> "not within the horizon"."""
    if month is None:
        return "not within the horizon"
    return f"month {month} (year {month // 12 + 1})"


def share_text(share: float | None) -> str:
    """A probability 0..1 as a percentage with one decimal: 0.042 -> "4.2 %"."""
    if share is None:
        return "n/a"
    return percent(share, 1)


def has_figures(result: Result | None) -> TypeGuard[Result]:
    """True for a finished result with numbers (not "nothing to project")."""
    return (
        result is not None
        and bool(result)
        and not result.get("nothing_to_project")
        and "monte_carlo" in result
    )


def headline(result: Result) -> dict[str, Any]:
    """The figures a person reads first. ``npv_p50`` headlines, with ``npv_p10`` and
    ``npv_p90`` as its range; ``npv_mean`` is the expected NPV (None for results stored
    before it was kept); ``npv`` is the NPV at the modes. ``payback_month`` is at the
    modes; None = not within the horizon."""
    deterministic, mc = result["deterministic"], result["monte_carlo"]
    return {
        "npv": deterministic["npv"],
        "npv_p10": mc["npv_p10"],
        "npv_p50": mc["npv_p50"],
        "npv_p90": mc["npv_p90"],
        "npv_mean": mc.get("npv_mean"),
        "prob_npv_negative": mc["prob_npv_negative"],
        "payback_month": deterministic["payback_month"],
        "trials": mc["trials"],
        "seed": mc["seed"],
    }


def fan_frame(result: Result) -> pd.DataFrame:
    """Per month: cumulative net P10, P50, P90 and the deterministic cumulative net."""
    mc = result["monte_carlo"]
    return pd.DataFrame(
        {
            "month": range(len(mc["cumulative_p50"])),
            "p10": mc["cumulative_p10"],
            "p50": mc["cumulative_p50"],
            "p90": mc["cumulative_p90"],
            "deterministic": result["deterministic"]["cumulative"],
        }
    )


def wave_frame(result: Result) -> pd.DataFrame:
    """Per wave: model, process count, deterministic NPV and payback, NPV percentiles."""
    risks = {w["wave"]: w for w in result["monte_carlo"]["waves"]}
    rows = []
    for wave in result["deterministic"]["waves"]:
        risk = risks.get(wave["wave"], {})
        rows.append(
            {
                "wave": wave["wave"],
                "model": wave.get("model", ""),
                "processes": wave.get("processes"),
                "npv": wave["npv"],
                "npv_p10": risk.get("npv_p10"),
                "npv_p50": risk.get("npv_p50"),
                "npv_p90": risk.get("npv_p90"),
                "prob_npv_negative": risk.get("prob_npv_negative"),
                "payback_month": wave["payback_month"],
            }
        )
    columns = [
        "wave",
        "model",
        "processes",
        "npv",
        "npv_p10",
        "npv_p50",
        "npv_p90",
        "prob_npv_negative",
        "payback_month",
    ]
    # object columns keep None (a wave that does not pay back) and ints as they are
    return pd.DataFrame(rows, columns=columns, dtype=object)


def tornado_frame(result: Result) -> pd.DataFrame:
    """One row per driver, largest swing first: NPV with the driver low and high."""
    rows = [
        {
            "driver": bar["driver"],
            "label": bar.get("label") or DRIVER_LABELS[bar["driver"]],
            "npv_at_low": bar["npv_at_low"],
            "npv_at_high": bar["npv_at_high"],
            "swing": bar["swing"],
        }
        for bar in result["tornado"]
    ]
    return pd.DataFrame(rows, columns=["driver", "label", "npv_at_low", "npv_at_high", "swing"])


def yearly_rows(result: Result) -> list[list[Any]]:
    """One row per contract year, in the order of ``YEARLY_HEADER``."""
    mc = result["monte_carlo"]
    cumulative = result["deterministic"]["cumulative"]
    horizon = len(cumulative)
    rows = []
    for year in result["deterministic"]["yearly"]:
        first = 12 * (year["year"] - 1)
        last = min(first + 11, horizon - 1)
        rows.append(
            [
                year["year"],
                f"{first}\u2013{last}",
                year["in_house_avoided"],
                year["vendor_fee"],
                year["governance"],
                year["dip"],
                year["one_time"],
                year["net"],
                cumulative[last],
                mc["cumulative_p10"][last],
                mc["cumulative_p50"][last],
                mc["cumulative_p90"][last],
            ]
        )
    return rows


def monthly_rows(result: Result) -> list[list[Any]]:
    """One row per month, in the order of ``MONTHLY_HEADER``."""
    mc = result["monte_carlo"]
    deterministic = result["deterministic"]
    return [
        [month, net, cumulative, p10, p50, p90]
        for month, (net, cumulative, p10, p50, p90) in enumerate(
            zip(
                deterministic["net"],
                deterministic["cumulative"],
                mc["cumulative_p10"],
                mc["cumulative_p50"],
                mc["cumulative_p90"],
                strict=True,
            )
        )
    ]


def wave_rows(result: Result) -> list[list[Any]]:
    """One row per wave, in the order of ``WAVE_COLUMNS``; payback in words when None."""
    return [
        [*row[:-1], payback_text(row[-1]) if row[-1] is None else row[-1]]
        for row in wave_frame(result).itertuples(index=False)
    ]


def tornado_rows(result: Result) -> list[list[Any]]:
    frame = tornado_frame(result)
    return [
        [row.label, row.npv_at_low, row.npv_at_high, row.swing]
        for row in frame.itertuples(index=False)
    ]


def summary_figures(
    *,
    assessment_name: str,
    currency: str,
    trials: int,
    seed: int,
    horizon_months: int,
    discount_rate: float,
    engine_version: str,
    result: Result,
) -> list[tuple[Column, Any]]:
    """Labelled figures describing the run, for the first sheet of the workbook."""
    figures = headline(result)
    mean = figures["npv_mean"]
    payback = figures["payback_month"]
    return [
        (Column("Assessment"), assessment_name),
        (Column("Currency"), currency),
        (Column("Trials", "count"), trials),
        (Column("Seed", "count"), seed),
        (Column("Horizon", "count", unit="months"), horizon_months),
        (Column("Discount rate a year", "share"), discount_rate),
        (Column("Engine version"), engine_version),
        (Column("Outsourced processes", "count"), result.get("processes")),
        (_money("NPV, median of the trials (P50)"), figures["npv_p50"]),
        (_money("NPV P10"), figures["npv_p10"]),
        (_money("NPV P90"), figures["npv_p90"]),
        (
            Column("Expected NPV, mean of the trials", "text" if mean is None else "money"),
            "not kept for this run; run the projection again" if mean is None else mean,
        ),
        (_money(f"NPV at the modes: {AT_THE_MODES}"), figures["npv"]),
        (Column("Probability NPV < 0", "share"), figures["prob_npv_negative"]),
        (
            Column("Payback month, at the modes"),
            payback if payback is not None else "not within the horizon",
        ),
    ]


def workbook_sheets(
    *,
    assessment_name: str,
    currency: str,
    trials: int,
    seed: int,
    horizon_months: int,
    discount_rate: float,
    engine_version: str,
    result: Result,
) -> list[Sheet]:
    """The projection workbook: a summary of the run, then every table with units."""
    return [
        Sheet(
            "Summary",
            figures=summary_figures(
                assessment_name=assessment_name,
                currency=currency,
                trials=trials,
                seed=seed,
                horizon_months=horizon_months,
                discount_rate=discount_rate,
                engine_version=engine_version,
                result=result,
            ),
        ),
        Sheet("Yearly", YEARLY_COLUMNS, yearly_rows(result)),
        Sheet("Monthly", MONTHLY_COLUMNS, monthly_rows(result)),
        Sheet("Waves", WAVE_COLUMNS, wave_rows(result)),
        Sheet("Tornado", TORNADO_COLUMNS, tornado_rows(result)),
    ]
