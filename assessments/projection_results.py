"""Reads of a finished projection's stored result: frames for the charts, tables, exports.

Pure: no queries. Each function takes the ``Projection.result`` dictionary that
``projections.projection_finish`` stores (see ``projections._result``). Money is in the
assessment's currency; months are indices from 0, the first month of the horizon.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .engine.projection import DRIVER_LABELS
from .exports import neutralise

Result = Mapping[str, Any]

YEARLY_HEADER = (
    "Year", "Months", "In-house cost avoided", "Vendor fee", "Governance", "Productivity dip",
    "One-time transition cost", "Net saving (at the modes)",
    "Cumulative net at year end (at the modes)", "Cumulative net P10", "Cumulative net P50",
    "Cumulative net P90",
)
MONTHLY_HEADER = (
    "Month", "Net saving (at the modes)", "Cumulative net (at the modes)", "Cumulative net P10",
    "Cumulative net P50", "Cumulative net P90",
)
WAVE_HEADER = ("Wave", "Model", "Processes", "NPV (at the modes)", "NPV P10", "NPV P50",
               "NPV P90", "Probability NPV < 0", "Payback month (at the modes)")
TORNADO_HEADER = ("Driver", "NPV with the driver low", "NPV with the driver high", "Swing")
MONEY = "#,##0"


def payback_text(month: int | None) -> str:
    """``17`` -> "month 17 (year 2)"; None -> "not within the horizon"."""
    if month is None:
        return "not within the horizon"
    return f"month {month} (year {month // 12 + 1})"


def share_text(share: float | None) -> str:
    """A probability 0..1 as a percentage with one decimal: 0.042 -> "4.2 %"."""
    if share is None:
        return "n/a"
    return f"{100 * share:.1f} %"


def has_figures(result: Result | None) -> bool:
    """True for a finished result with numbers (not "nothing to project")."""
    return bool(result) and not result.get("nothing_to_project") and "monte_carlo" in result


def headline(result: Result) -> dict[str, Any]:
    """The figures a person reads first; payback month None = not within the horizon."""
    deterministic, mc = result["deterministic"], result["monte_carlo"]
    return {
        "npv": deterministic["npv"],
        "npv_p10": mc["npv_p10"],
        "npv_p50": mc["npv_p50"],
        "npv_p90": mc["npv_p90"],
        "prob_npv_negative": mc["prob_npv_negative"],
        "payback_month": deterministic["payback_month"],
        "trials": mc["trials"],
        "seed": mc["seed"],
    }


def fan_frame(result: Result) -> pd.DataFrame:
    """Per month: cumulative net P10, P50, P90 and the deterministic cumulative net."""
    mc = result["monte_carlo"]
    return pd.DataFrame({
        "month": range(len(mc["cumulative_p50"])),
        "p10": mc["cumulative_p10"],
        "p50": mc["cumulative_p50"],
        "p90": mc["cumulative_p90"],
        "deterministic": result["deterministic"]["cumulative"],
    })


def wave_frame(result: Result) -> pd.DataFrame:
    """Per wave: model, process count, deterministic NPV and payback, NPV percentiles."""
    risks = {w["wave"]: w for w in result["monte_carlo"]["waves"]}
    rows = []
    for wave in result["deterministic"]["waves"]:
        risk = risks.get(wave["wave"], {})
        rows.append({
            "wave": wave["wave"], "model": wave.get("model", ""),
            "processes": wave.get("processes"), "npv": wave["npv"],
            "npv_p10": risk.get("npv_p10"), "npv_p50": risk.get("npv_p50"),
            "npv_p90": risk.get("npv_p90"), "prob_npv_negative": risk.get("prob_npv_negative"),
            "payback_month": wave["payback_month"],
        })
    columns = ["wave", "model", "processes", "npv", "npv_p10", "npv_p50", "npv_p90",
               "prob_npv_negative", "payback_month"]
    # object columns keep None (a wave that does not pay back) and ints as they are
    return pd.DataFrame(rows, columns=columns, dtype=object)


def tornado_frame(result: Result) -> pd.DataFrame:
    """One row per driver, largest swing first: NPV with the driver low and high."""
    rows = [{"driver": bar["driver"], "label": bar.get("label") or DRIVER_LABELS[bar["driver"]],
             "npv_at_low": bar["npv_at_low"], "npv_at_high": bar["npv_at_high"],
             "swing": bar["swing"]} for bar in result["tornado"]]
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
        rows.append([
            year["year"], f"{first}\u2013{last}", year["in_house_avoided"], year["vendor_fee"],
            year["governance"], year["dip"], year["one_time"], year["net"], cumulative[last],
            mc["cumulative_p10"][last], mc["cumulative_p50"][last], mc["cumulative_p90"][last],
        ])
    return rows


def monthly_rows(result: Result) -> list[list[Any]]:
    """One row per month, in the order of ``MONTHLY_HEADER``."""
    mc = result["monte_carlo"]
    deterministic = result["deterministic"]
    return [
        [month, net, cumulative, p10, p50, p90]
        for month, (net, cumulative, p10, p50, p90) in enumerate(zip(
            deterministic["net"], deterministic["cumulative"], mc["cumulative_p10"],
            mc["cumulative_p50"], mc["cumulative_p90"], strict=True))
    ]


def wave_rows(result: Result) -> list[list[Any]]:
    return [list(row) for row in wave_frame(result).itertuples(index=False)]


def tornado_rows(result: Result) -> list[list[Any]]:
    frame = tornado_frame(result)
    return [[row.label, row.npv_at_low, row.npv_at_high, row.swing]
            for row in frame.itertuples(index=False)]


def summary_rows(*, assessment_name: str, currency: str, trials: int, seed: int,
                 horizon_months: int, discount_rate: float, engine_version: str,
                 result: Result) -> list[list[Any]]:
    """Label and value pairs describing the run, for the first sheet of the workbook."""
    figures = headline(result)
    return [
        ["Assessment", assessment_name],
        ["Currency", currency],
        ["Trials", trials],
        ["Seed", seed],
        ["Horizon (months)", horizon_months],
        ["Discount rate (a year)", discount_rate],
        ["Engine version", engine_version],
        ["Outsourced processes", result.get("processes")],
        ["NPV at the modes", figures["npv"]],
        ["NPV P10", figures["npv_p10"]],
        ["NPV P50", figures["npv_p50"]],
        ["NPV P90", figures["npv_p90"]],
        ["Probability NPV < 0", figures["prob_npv_negative"]],
        ["Payback month (at the modes; empty = not within the horizon)",
         figures["payback_month"]],
    ]


Sheet = tuple[str, Sequence[str] | None, Sequence[Sequence[Any]]]


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX with one sheet per (title, header or None, rows); text neutralised against
    formula injection, numbers kept as numbers with a thousands format."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        if header:
            cells = []
            for text in header:
                cell = WriteOnlyCell(sheet, value=_text_cell(text))
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, str):
                    cells.append(WriteOnlyCell(sheet, value=_text_cell(value)))
                else:
                    cell = WriteOnlyCell(sheet, value=value)
                    if isinstance(value, float):
                        cell.number_format = MONEY if abs(value) >= 1000 else "0.0###"
                    cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(value: str) -> str:
    value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return neutralise(value)
