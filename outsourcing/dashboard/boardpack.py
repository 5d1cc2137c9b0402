"""The board pack: the dashboard as an XLSX workbook or a PDF report.

Builders take DashboardData and return bytes; they never query. Every text cell goes
through ``assessments.exports.neutralise`` (spreadsheet formula injection).
"""

from __future__ import annotations

import base64
import io
import os
import tempfile
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from assessments.engine.questions import QUESTION_KEYS, QUESTIONS
from assessments.engine.rules import ENGINE_VERSION, W
from assessments.engine.scoring import MODELS
from assessments.exports import neutralise

from .selectors import DashboardData

MONEY = "#,##0"
# A board reads the largest processes; the workbook holds every one.
PDF_RECOMMENDATIONS = 60
PERCENT = "0%"


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]],
           formats: dict[int, str] | None = None) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([neutralise(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for column, number_format in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = number_format
    for index, title_text in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            12, min(60, len(title_text) + 4))
    sheet.freeze_panes = "A2"


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def summary_rows(data: DashboardData) -> list[list[Any]]:
    h = data.headline
    return [
        ["Organisation", data.organisation],
        ["Date", data.today],
        ["Assessment", data.assessment["name"] if data.assessment else "none submitted"],
        ["Engine version",
         data.assessment["engine_version"] if data.assessment else ENGINE_VERSION],
        ["Currency", data.currency],
        ["Processes assessed", h["processes"]],
        ["Annual in-house spend", h["total_spend"]],
        ["Addressable spend (recommended for outsourcing)", h["addressable_spend"]],
        *[[f"Processes recommended: {model}", count] for model, count in h["mix_count"].items()],
        ["Projected NPV (deterministic)", h["npv"]],
        ["NPV P10", h["npv_p10"]],
        ["NPV P90", h["npv_p90"]],
        ["Probability NPV < 0", h["prob_npv_negative"]],
        ["Payback month", h["payback_month"]],
        ["Savings realised to date", h["realised_to_date"]],
        ["Plan (P50) to the same month", h["plan_to_date"]],
        ["SLA attainment this quarter", h["sla_attainment_quarter"]],
        ["Service credits earned in the period", h["credits_earned"]],
        ["Contracts with a notice deadline in 90 days", h["notices_due_90"]],
        ["Open critical issues", h["open_critical_issues"]],
    ]


def build_xlsx(data: DashboardData) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "Summary", ["Figure", "Value"], summary_rows(data))
    recs = data.recommendations.to_dict("records")
    _sheet(workbook, "Recommendations",
           ["Process", "Function", "Annual cost", "FTE", "Engine model", "Engine location",
            "Confidence", "Override model", "Override justification", "Decided model",
            "Decided location", "Wave", "Start month", "Go-live month", "Flags", "Reasons"],
           [[r["name"], r["function_label"], _float(r["annual_cost"]), _float(r["fte"]),
             r["model"], r["location"], r["confidence"], r["override_model"],
             r["override_justification"], r["chosen_model"], r["chosen_location"], r["wave"],
             r["start_month"], r["go_live_month"], "; ".join(r["flag_labels"]),
             " ".join(r["reasons"])] for r in recs],
           {2: MONEY, 6: PERCENT})
    roadmap = data.roadmap.to_dict("records") if not data.roadmap.empty else []
    _sheet(workbook, "Roadmap", ["Process", "Wave", "Model", "Location", "Start month",
                                 "Go-live month", "Annual cost"],
           [[r["name"], r["wave"], r["chosen_model"], r["chosen_location"], r["start_month"],
             r["go_live_month"], _float(r["annual_cost"])] for r in roadmap], {6: MONEY})
    _sheet(workbook, "Projection", ["Month", "Cumulative P10", "Cumulative P50",
                                    "Cumulative P90", "Realised (cumulative)"],
           [[int(r["month"]), r["p10"], r["p50"], r["p90"],
             None if r["realised"] != r["realised"] else r["realised"]]
            for r in data.fan.to_dict("records")], {1: MONEY, 2: MONEY, 3: MONEY, 4: MONEY})
    _sheet(workbook, "Waves", ["Wave", "Model", "NPV", "NPV P10", "NPV P90", "Payback month"],
           [[w["wave"], w["model"], w["npv"], w["npv_p10"], w["npv_p90"], w["payback_month"]]
            for w in data.waves_npv], {2: MONEY, 3: MONEY, 4: MONEY})
    _sheet(workbook, "Vendors", ["Vendor", "Annual spend", "Scorecard (0-100)", "Contracts",
                                 "SLA attainment", "Review rating", "Issue health"],
           [[v["vendor"], v["annual_spend"], v["score"], v["contracts"], v["sla_attainment"],
             v["review_rating"], v["issue_health"]] for v in data.vendors.to_dict("records")],
           {1: MONEY, 4: PERCENT, 5: PERCENT, 6: PERCENT})
    renewals = {r["contract"]: r for r in data.renewals.to_dict("records")}
    _sheet(workbook, "Contracts", ["Contract", "Vendor", "Model", "Status", "Start", "End",
                                   "Notice deadline", "Annual value", "Currency"],
           [[c["title"], c["vendor"], c["model"], c["status"], c["start_date"], c["end_date"],
             renewals.get(c["title"], {}).get("notice_deadline"), c["annual_value"],
             c["currency"]] for c in data.contracts.to_dict("records")],
           {4: "yyyy-mm-dd", 5: "yyyy-mm-dd", 6: "yyyy-mm-dd", 7: MONEY})
    _sheet(workbook, "SLA record", ["Contract", "Month", "SLAs measured", "SLAs met",
                                    "Attainment", "Credits"],
           [[s["contract"], s["period"], s["measured"], s["met"], s["attainment"],
             s["credits"]] for s in data.sla.to_dict("records")], {4: PERCENT, 5: MONEY})
    _sheet(workbook, "Issues", ["Issue", "Severity", "Status", "Raised", "Due", "Overdue",
                                "Contract", "Vendor"],
           [[i["issue"], i["severity"], i["status"], i["raised_on"], i["due_on"],
             bool(i["overdue"]), i["contract"], i["vendor"]]
            for i in data.issues.to_dict("records")], {3: "yyyy-mm-dd", 4: "yyyy-mm-dd"})
    _decision_record(workbook, data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _decision_record(workbook: Workbook, data: DashboardData) -> None:
    """Why: the engine version, its weights, and the answers each recommendation used."""
    version = data.assessment["engine_version"] if data.assessment else ENGINE_VERSION
    weights = [[q.label, *[float(w) for w in W[i]]] for i, q in enumerate(QUESTIONS)]
    _sheet(workbook, "Decision weights", ["Question (engine " + version + ")", *MODELS],
           weights)
    labels = [q.label for q in QUESTIONS]
    _sheet(workbook, "Decision inputs",
           ["Process", "Engine version", "Engine model", "Decided model", *labels],
           [[r["name"], r["engine_version"], r["model"], r["chosen_model"],
             *[r["answers"].get(key) for key in QUESTION_KEYS]]
            for r in data.recommendations.to_dict("records")])


def figure_images(figures: dict[str, go.Figure]) -> dict[str, str]:
    """PNG data URIs of every figure, drawn in one batch (Chromium starts once)."""
    if Path("/usr/bin/chromium").exists():
        os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    names = list(figures)
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"{name}.png" for name in names]
        pio.write_images([figures[n] for n in names], paths, format="png", width=1000,
                         height=[max(360, int(figures[n].layout.height or 420)) for n in names])
        return {name: "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
                for name, path in zip(names, paths, strict=True)}


def build_pdf(data: DashboardData, figures: dict[str, go.Figure]) -> bytes:
    from weasyprint import HTML

    from .figures import FIGURES

    images = figure_images(figures)
    largest = (data.recommendations.assign(_cost=data.recommendations["annual_cost"].astype(float))
               .sort_values("_cost", ascending=False).head(PDF_RECOMMENDATIONS)
               if not data.recommendations.empty else data.recommendations)
    html = render_to_string("dashboard/board_pack_pdf.html", {
        "data": data, "summary": summary_rows(data),
        "charts": [(FIGURES[name][0], images[name]) for name in figures],
        "recommendations": largest.to_dict("records"),
        "recommendation_count": len(data.recommendations),
        "waves": data.waves_npv,
    })
    return HTML(string=html).write_pdf()
