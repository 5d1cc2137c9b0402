"""The board pack: the dashboard as an XLSX workbook or a PDF report.

Builders take DashboardData (and PackInputs) and return bytes; they never query. The
workbook goes through ``assessments.engine.exports.workbook``: text neutralised against formula
injection, numbers stored as numbers with number formats (money to the cent, shares as
percentages), every header with its unit. The PDF's figures are formatted by the
project's helpers (``accounts.engine.formatting``, ``projection_results.payback_text``).
"""

from __future__ import annotations

import base64
import math
import os
import tempfile
from collections.abc import Hashable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from django.template.loader import render_to_string

from assessments.engine.exports import Column, Sheet, workbook
from assessments.engine.glossary import TERMS
from assessments.engine.questions import QUESTION_KEYS, QUESTIONS
from assessments.engine.rules import ENGINE_VERSION, W
from assessments.engine.scenario_compare import comparison_sheets, figure_rows
from assessments.engine.vocabulary import MODELS, is_outsourced
from assessments.projections.results import payback_text
from contracts.engine.scorecard import sla_attainment
from contracts.models import ContractStatus, IssueStatus, Severity
from outsourcing.dashboard.boardpacks.summary import (
    SUMMARY_DECISIONS,
    SUMMARY_RISKS,
    Figure,
    PackInputs,
    decisions_needed,
    headline_figures,
    selection_text,
    top_risks,
)
from outsourcing.dashboard.selectors import DashboardData

# A board reads the largest processes; the workbook holds every one.
PDF_RECOMMENDATIONS = 60
PDF_ROWS = 40
# Charts on the executive summary (half a page wide) and in their sections: full width for
# the roadmap and the savings, half a page for the others (drawn narrower, so their text
# prints at the same size).
SUMMARY_CHARTS = ("roadmap", "savings")
FULL_WIDTH = ("roadmap", "savings")
STATUS_LABELS = dict(ContractStatus.choices)
ISSUE_STATUS_LABELS = dict(IssueStatus.choices)
SEVERITY_LABELS = dict(Severity.choices)
MONTH = "month from the programme start"


def _money(title: str) -> Column:
    return Column(title, "money")


def _share(title: str) -> Column:
    return Column(title, "share")


def _months(title: str) -> Column:
    return Column(title, "count", unit=MONTH)


def _yes_no(value: Any) -> str:
    return "Yes" if value else "No"


def _none_if_nan(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


def without_empty_columns(
    columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> tuple[list[Column], list[list[Any]]]:
    """Drop the columns no row fills (a column always empty tells a reader nothing); a
    table without rows keeps its first column, for the words that say it is empty."""
    if not rows:
        return list(columns[:1]), []
    keep = [
        i for i in range(len(columns)) if any(row[i] is not None and row[i] != "" for row in rows)
    ]
    return [columns[i] for i in keep], [[row[i] for i in keep] for row in rows]


def _table(
    title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]], empty_text: str
) -> Sheet:
    kept, kept_rows = without_empty_columns(columns, [list(r) for r in rows])
    return Sheet(title, kept, kept_rows, empty_text=empty_text)


def summary_figures(data: DashboardData, inputs: PackInputs) -> list[tuple[Column, Any]]:
    """The Summary sheet: who, when, what, then every headline figure (words when the
    figure is missing), then why any figure ignores the filter."""
    assessment = data.assessment or {}
    submitted = assessment.get("submitted_at")
    figures: list[tuple[Column, Any]] = [
        (Column("Organisation"), data.organisation),
        (Column("Date", "date"), data.today),
        (Column("Assessment"), assessment.get("name") or "no submitted assessment"),
        (
            Column("Assessment submitted", "date") if submitted else Column("Assessment submitted"),
            submitted.date() if submitted else "not submitted",
        ),
        (Column("Scoring engine version"), assessment.get("engine_version") or ENGINE_VERSION),
        (Column("Currency"), data.currency),
        (Column("Selection"), selection_text(data, inputs.filters)),
    ]
    groups = headline_figures(data, inputs.filters)
    for _, group in groups:
        for figure in group:
            figures.append(_summary_cell(figure))
    for _, group in groups:
        for figure in group:
            if figure.scope:
                figures.append((Column(f"Note on {figure.label}"), figure.scope))
    return figures


def _summary_cell(figure: Figure) -> tuple[Column, Any]:
    if figure.value is None:
        return Column(figure.label), figure.text
    return figure.column, figure.value


def build_xlsx(data: DashboardData, inputs: PackInputs | None = None) -> bytes:
    inputs = inputs or PackInputs()
    risks = top_risks(data)
    decisions = decisions_needed(data, inputs.awards)
    recs = data.recommendations.to_dict("records")
    sheets = [
        Sheet("Summary", figures=summary_figures(data, inputs)),
        _table(
            "Risks",
            [Column("Severity"), Column("Risk"), Column("Detail")],
            [[r.severity, r.title, r.detail] for r in risks],
            "No risk stands out in these figures.",
        ),
        _table(
            "Decisions",
            [Column("Decision"), Column("Detail"), Column("Decide by", "date")],
            [[d.title, d.detail, d.by] for d in decisions],
            "No decision is due.",
        ),
        _table(
            "Recommendations",
            [
                Column("Process"),
                Column("Business function"),
                _money("Annual cost"),
                Column("FTE", "number"),
                Column("Engine model"),
                Column("Engine location"),
                _share("Confidence"),
                Column("Decided model"),
                Column("Decided location"),
                Column("Overridden"),
                Column("Override justification"),
                Column("Wave", "count"),
                _months("Start month"),
                _months("Go-live month"),
                Column("Flags"),
                Column("Reasons"),
            ],
            [
                [
                    r["name"],
                    r["function_label"],
                    r["annual_cost"],
                    r["fte"],
                    r["model_label"],
                    r["location_label"],
                    r["confidence"],
                    r["chosen_model_label"],
                    r["chosen_location_label"],
                    _yes_no(r["is_overridden"]),
                    r["override_justification"],
                    r["wave"],
                    r["start_month"],
                    r["go_live_month"],
                    "; ".join(r["flag_labels"]),
                    " ".join(r["reasons"]),
                ]
                for r in recs
            ],
            "No processes in this selection.",
        ),
        _table(
            "Roadmap",
            [
                Column("Process"),
                Column("Wave", "count"),
                Column("Model"),
                Column("Location"),
                _months("Start month"),
                _months("Go-live month"),
                Column("Transition", "count", unit="months"),
                _money("Annual cost"),
            ],
            [
                [
                    r["name"],
                    r["wave"],
                    r["chosen_model_label"],
                    r["chosen_location_label"],
                    r["start_month"],
                    r["go_live_month"],
                    r["transition_months"],
                    r["annual_cost"],
                ]
                for r in data.roadmap.to_dict("records")
            ]
            if not data.roadmap.empty
            else [],
            "No process is scheduled in this selection.",
        ),
        _table(
            "Projection",
            [
                Column("Month", "count", unit=MONTH),
                _money("Cumulative net P10"),
                _money("Cumulative net P50"),
                _money("Cumulative net P90"),
                _money("Realised, cumulative"),
            ],
            [
                [int(r["month"]), r["p10"], r["p50"], r["p90"], _none_if_nan(r["realised"])]
                for r in data.fan.to_dict("records")
            ],
            "No finished projection covers this selection.",
        ),
        _table(
            "Waves",
            [
                Column("Wave", "count"),
                Column("Model"),
                Column("Processes", "count"),
                _money("NPV P50"),
                _money("NPV P10"),
                _money("NPV P90"),
                _share("Probability NPV < 0"),
                _money("NPV at the modes"),
                Column("Payback, at the modes", "count", unit=MONTH),
            ],
            [
                [
                    w["wave"],
                    w["model"],
                    w.get("processes"),
                    w.get("npv_p50"),
                    w.get("npv_p10"),
                    w.get("npv_p90"),
                    w.get("prob_npv_negative"),
                    w.get("npv_at_modes", w["npv"]),
                    w["payback_month"]
                    if w["payback_month"] is not None
                    else "not within the horizon",
                ]
                for w in data.waves_npv
            ],
            "No finished projection covers this selection.",
        ),
        _table(
            "Vendors",
            [
                Column("Vendor"),
                Column("Contracts", "count"),
                _money("Annual spend"),
                Column("Scorecard", "number", unit="0 to 100", places=1),
                _share("SLA attainment"),
                _share("Review rating, 1 to 5 scaled"),
                _share("Savings realisation"),
                _share("Issue health"),
            ],
            [
                [
                    v["vendor"],
                    v["contracts"],
                    v["annual_spend"],
                    v["score"],
                    v["sla_attainment"],
                    v["review_rating"],
                    v.get("savings_realisation"),
                    v["issue_health"],
                ]
                for v in data.vendors.to_dict("records")
            ],
            "No live contract in this selection.",
        ),
        _contracts_sheet(data),
        _table(
            "SLA record",
            [
                Column("Contract"),
                Column("Month"),
                Column("SLA-periods measured", "count"),
                Column("SLA-periods met", "count"),
                _share("Attainment"),
                _money("Service credits, gross"),
                _money("Earned back"),
                _money("Service credits, net of earn-back"),
            ],
            [
                [
                    s["contract"],
                    s["period"],
                    s["measured"],
                    s["met"],
                    s["attainment"],
                    s["credits"],
                    s.get("earned_back"),
                    s["net_credits"],
                ]
                for s in data.sla.to_dict("records")
            ],
            "No SLA measured in this period.",
        ),
        _table(
            "Issues",
            [
                Column("Issue"),
                Column("Severity"),
                Column("Status"),
                Column("Raised", "date"),
                Column("Due", "date"),
                Column("Overdue"),
                Column("Contract"),
                Column("Vendor"),
            ],
            [
                [
                    i["issue"],
                    SEVERITY_LABELS.get(i["severity"], i["severity"]),
                    ISSUE_STATUS_LABELS.get(i["status"], i["status"]),
                    i["raised_on"],
                    i["due_on"],
                    _yes_no(i["overdue"]),
                    i["contract"],
                    i["vendor"],
                ]
                for i in data.issues.to_dict("records")
            ],
            "No open issue.",
        ),
        *_decision_record(data),
        *comparison_sheets(inputs.scenarios),
    ]
    return workbook(sheets, currency=data.currency)


def _contracts_sheet(data: DashboardData) -> Sheet:
    renewals = {r["contract"]: r for r in data.renewals.to_dict("records")}
    records = data.contracts.to_dict("records")
    # One currency: the header names it. Several: each row says its own.
    single = all(c["currency"] == data.currency for c in records)
    value = (
        _money("Annual value")
        if single
        else Column("Annual value", "number", unit="contract currency")
    )
    return _table(
        "Contracts",
        [
            Column("Contract"),
            Column("Vendor"),
            Column("Model"),
            Column("Status"),
            Column("Start", "date"),
            Column("End", "date"),
            Column("Notice deadline", "date"),
            Column("Days to the notice deadline", "count", unit="days"),
            value,
            *([] if single else [Column("Currency")]),
        ],
        [
            [
                c["title"],
                c["vendor"],
                c["model"],
                STATUS_LABELS.get(c["status"], c["status"]),
                c["start_date"],
                c["end_date"],
                renewals.get(c["title"], {}).get("notice_deadline"),
                renewals.get(c["title"], {}).get("days_to_deadline"),
                c["annual_value"],
                *([] if single else [c["currency"]]),
            ]
            for c in records
        ],
        "No live contract in this selection.",
    )


def _decision_record(data: DashboardData) -> list[Sheet]:
    """Why: the engine version, its weights, and the answers each recommendation used."""
    version = (data.assessment or {}).get("engine_version") or ENGINE_VERSION
    weights = Sheet(
        f"Decision weights {version}"[:31],
        [Column("Question"), *[Column(m, "number") for m in MODELS]],
        [[q.label, *[float(w) for w in W[i]]] for i, q in enumerate(QUESTIONS)],
    )
    labels = [Column(q.label, "count", unit="1 to 5") for q in QUESTIONS]
    inputs = _table(
        "Decision inputs",
        [
            Column("Process"),
            Column("Engine version"),
            Column("Engine model"),
            Column("Decided model"),
            *labels,
        ],
        [
            [
                r["name"],
                r["engine_version"],
                r["model_label"],
                r["chosen_model_label"],
                *[r["answers"].get(key) for key in QUESTION_KEYS],
            ]
            for r in data.recommendations.to_dict("records")
        ],
        "No processes in this selection.",
    )
    return [weights, inputs]


# PDF -------------------------------------------------------------------------------------


def figure_images(
    figures: dict[str, go.Figure], sizes: dict[str, tuple[str, int]]
) -> dict[str, str]:
    """PNG data URIs of the figures, drawn in one batch (Chromium starts once).

    ``sizes`` maps an image name to (figure name, width in pixels); the height follows
    the figure's own layout. Names starting ``summary_`` are drawn shorter and without
    their title (the page's heading names them), for the executive summary.
    """
    if Path("/usr/bin/chromium").exists():
        os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    names = list(sizes)
    drawn = []
    heights = []
    for name in names:
        figure_name, width = sizes[name]
        figure = go.Figure(figures[figure_name])
        height = max(320, int(figure.layout.height or 420))
        if name.startswith("summary_"):  # the page's heading replaces the title
            figure.update_layout(title=None, margin={"t": 16})
            height = 300
        drawn.append(figure)
        heights.append(height)
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"{index}.png" for index in range(len(names))]
        pio.write_images(
            drawn, paths, format="png", width=[sizes[n][1] for n in names], height=heights, scale=2
        )
        return {
            name: "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
            for name, path in zip(names, paths, strict=True)
        }


def pdf_context(data: DashboardData, inputs: PackInputs, images: dict[str, str]) -> dict[str, Any]:
    """Everything the PDF template prints, in the order a board reads it."""
    risks = top_risks(data)
    decisions = decisions_needed(data, inputs.awards)
    recs = data.recommendations
    largest = (
        recs.assign(_cost=[float(c) for c in recs["annual_cost"]])
        .sort_values(["_cost", "name"], ascending=[False, True])
        .head(PDF_RECOMMENDATIONS)
        .to_dict("records")
        if not recs.empty
        else []
    )
    records = recs.to_dict("records") if not recs.empty else []
    groups = headline_figures(data, inputs.filters)
    return {
        "data": data,
        "cur": data.currency,
        "selection": selection_text(data, inputs.filters),
        "headline": groups,
        "scope_notes": list(
            dict.fromkeys(f.scope for _, group in groups for f in group if f.scope)
        ),
        "risks": risks[:SUMMARY_RISKS],
        "more_risks": max(0, len(risks) - SUMMARY_RISKS),
        "all_risks": risks,
        "decisions": decisions[:SUMMARY_DECISIONS],
        "more_decisions": max(0, len(decisions) - SUMMARY_DECISIONS),
        "all_decisions": decisions,
        "images": images,
        # The same words as the glossary page and the pages' (i) buttons.
        "terms": TERMS,
        "mix": data.mix.to_dict("records") if not data.mix.empty else [],
        "recommendations": largest,
        "recommendation_count": len(records),
        "overrides": [r for r in records if r["is_overridden"]],
        "flagged": [r for r in records if r["flag_labels"] and is_outsourced(r["chosen_model"])],
        "waves": _waves(data),
        "fan_years": _fan_years(data.fan),
        "vendors": data.vendors.to_dict("records"),
        "contracts": _contract_rows(data),
        "sla_contracts": _sla_by_contract(data.sla),
        "issues": [
            {
                **i,
                "severity_label": SEVERITY_LABELS.get(i["severity"], i["severity"]),
                "status_label": ISSUE_STATUS_LABELS.get(i["status"], i["status"]),
            }
            for i in data.issues.head(PDF_ROWS).to_dict("records")
        ],
        "issue_count": len(data.issues),
        "scenarios": inputs.scenarios,
        "scenario_rows": figure_rows(inputs.scenarios) if inputs.scenarios else [],
        "engine_version": (data.assessment or {}).get("engine_version") or ENGINE_VERSION,
    }


def _waves(data: DashboardData) -> list[dict[str, Any]]:
    """Per wave of the roadmap: its size and months, and its NPV from the projection (None
    when no finished projection covers it)."""
    npv = {w["wave"]: w for w in data.waves_npv}
    waves = []
    if not data.roadmap.empty:
        for wave, rows in data.roadmap.groupby("wave", sort=True):
            assert isinstance(wave, int)  # pandas gives an integer column's keys as ints
            figures = npv.get(wave, {})
            waves.append(
                {
                    "wave": wave,
                    "model": rows["chosen_model"].iloc[0],
                    "processes": len(rows),
                    "spend": sum((Decimal(str(c)) for c in rows["annual_cost"]), Decimal(0)),
                    "start": int(min(rows["start_month"])),
                    "go_live": int(max(rows["go_live_month"])),
                    "npv_p50": figures.get("npv_p50"),
                    "npv_p10": figures.get("npv_p10"),
                    "npv_p90": figures.get("npv_p90"),
                    "npv_at_modes": figures.get("npv_at_modes", figures.get("npv")),
                    "prob_npv_negative": figures.get("prob_npv_negative"),
                    "payback": payback_text(figures["payback_month"]) if figures else None,
                }
            )
    return waves


def _fan_years(fan: pd.DataFrame) -> list[dict[str, Any]]:
    """The cumulative range at each year end (and the last month), realised beside it."""
    if fan.empty:
        return []
    last = int(fan["month"].max())
    rows = fan[(fan["month"] % 12 == 11) | (fan["month"] == last)]
    return [
        {
            "month": int(r["month"]),
            "year": int(r["month"]) // 12 + 1,
            "p10": r["p10"],
            "p50": r["p50"],
            "p90": r["p90"],
            "realised": _none_if_nan(r["realised"]),
        }
        for r in rows.to_dict("records")
    ]


def _contract_rows(data: DashboardData) -> list[dict[Hashable, Any]]:
    renewals = {r["contract"]: r for r in data.renewals.to_dict("records")}
    return [
        {
            **c,
            "status_label": STATUS_LABELS.get(c["status"], c["status"]),
            "notice_deadline": renewals.get(c["title"], {}).get("notice_deadline"),
            "days_to_deadline": renewals.get(c["title"], {}).get("days_to_deadline"),
        }
        for c in data.contracts.to_dict("records")
    ]


def _sla_by_contract(sla: pd.DataFrame) -> list[dict[str, Any]]:
    """Per contract over the period: months, SLA-periods met of measured, credits."""
    if sla.empty:
        return []
    rows = []
    for contract, group in sla.groupby("contract", sort=True):
        met, measured = int(group["met"].sum()), int(group["measured"].sum())
        rows.append(
            {
                "contract": contract,
                "months": len(group),
                "met": met,
                "measured": measured,
                "attainment": sla_attainment(met, measured),
                "credits": sum(group["credits"], Decimal(0)),
                "earned_back": sum(group["earned_back"], Decimal(0)),
                "net_credits": sum(group["net_credits"], Decimal(0)),
            }
        )
    return rows


def build_pdf(
    data: DashboardData, figures: dict[str, go.Figure], inputs: PackInputs | None = None
) -> bytes:
    from weasyprint import HTML

    inputs = inputs or PackInputs()
    sizes = {f"summary_{name}": (name, 760) for name in SUMMARY_CHARTS if name in figures}
    sizes.update({name: (name, 1100 if name in FULL_WIDTH else 760) for name in figures})
    images = figure_images(figures, sizes)
    html = render_to_string("dashboard/board_pack_pdf.html", pdf_context(data, inputs, images))
    return HTML(string=html).write_pdf()
