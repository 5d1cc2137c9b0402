"""Reads for the results pages and the dashboard: recommendations, mix, roadmap, objectives.

A selector runs a fixed number of queries whatever the number of processes, and hands
back a DataFrame (or plain data) that charts, templates and exports use as is. Frames
built here hold plain Python values in ``object`` columns (None, never NaN), so their
records go straight into a template or a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd
from django.core.cache import cache
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from assessments.chart_cache import code_version
from assessments.engine.confidence import confidence_reason, is_low
from assessments.engine.flags import describe_flags
from assessments.engine.objectives import ObjectiveFit, ObjectiveProcess, objective_fit
from assessments.engine.projection import ProjectedProcess, deterministic_projection
from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES, OBJECTIVES_BY_CODE
from assessments.engine.vocabulary import (
    DECISIONS,
    LOCATION_LABELS,
    MODEL_LABELS,
    MODEL_SHORT,
    WAVE_LABELS,
    location_label,
    model_label,
)
from assessments.models import Assessment, Projection, Recommendation
from assessments.projections.selectors import projection_npv

FUNCTION_LABELS: dict[str, str] = dict(BUSINESS_FUNCTION_CHOICES)

ROW_COLUMNS = (
    "recommendation_id",
    "process_id",
    "position",
    "name",
    "business_function",
    "function_label",
    "description",
    "annual_cost",
    "fte",
    "model",
    "model_label",
    "location",
    "location_label",
    "model_short",
    "chosen_model_short",
    "override_model",
    "override_location",
    "override_justification",
    "is_overridden",
    "chosen_model",
    "chosen_model_label",
    "chosen_location",
    "chosen_location_label",
    "confidence",
    "confidence_percent",
    "confidence_reason",
    "scores",
    "reasons",
    "flags",
    "flag_labels",
    "wave",
    "wave_label",
    "start_month",
    "go_live_month",
    "engine_version",
    "answers",
    "guard_rail",
)
_VALUES = {
    "recommendation_id": "pk",
    "process_id": "process_id",
    "position": "process__position",
    "name": "process__name",
    "business_function": "process__business_function",
    "description": "process__description",
    "annual_cost": "process__annual_cost",
    "fte": "process__fte",
    "model": "model",
    "location": "location",
    "override_model": "override_model",
    "override_location": "override_location",
    "override_justification": "override_justification",
    "chosen_model": "chosen_model",
    "chosen_location": "chosen_location",
    "confidence": "confidence",
    "scores": "scores",
    "reasons": "reasons",
    "flags": "flags",
    "wave": "wave",
    "start_month": "start_month",
    "go_live_month": "go_live_month",
    "engine_version": "engine_version",
    "answers": "inputs__answers",
    "guard_rail": "guard_rail",
}

# How long an assessment's rows stay cached when nothing changes (a change makes a new key).
ROWS_CACHE_SECONDS = 60 * 60


def recommendations_for(assessment: Assessment) -> QuerySet[Recommendation]:
    """The assessment's recommendations with the decided model and location annotated.

    ``chosen_model`` / ``chosen_location`` are the manager's override when there is one,
    else the engine's answer (the same as ``Recommendation.effective_*``), so they can be
    filtered and sorted in the database. Ordered as the inventory.
    """
    return (
        Recommendation.objects.filter(process__assessment=assessment)
        .select_related("process")
        .annotate(
            chosen_model=Coalesce(
                NullIf("override_model", Value("")), "model", output_field=CharField()
            ),
            chosen_location=Coalesce(
                NullIf("override_location", Value("")), "location", output_field=CharField()
            ),
        )
        .order_by("process__position", "process_id")
    )


def recommendation_rows(
    queryset: QuerySet[Recommendation], *, reasons: bool = True, answers: bool = True
) -> pd.DataFrame:
    """One row per recommendation of ``queryset`` (from ``recommendations_for``), one query.

    Money (``annual_cost``, ``fte``) stays Decimal; ``confidence`` is 0 to 1 or None;
    ``answers`` is the snapshot the engine scored (key -> 1..5 or None). With
    ``reasons=False`` or ``answers=False`` those columns hold empty lists / dicts and
    are not read from the database.
    """
    skip = {name for name, wanted in (("reasons", reasons), ("answers", answers)) if not wanted}
    fields = [field for column, field in _VALUES.items() if column not in skip]
    records = [_record(values, skip) for values in queryset.values(*fields)]
    # dtype=object from the start: inference would turn a column with None into NaN floats.
    return pd.DataFrame(records, columns=list(ROW_COLUMNS), dtype=object)


def assessment_rows(assessment: Assessment) -> pd.DataFrame:
    """``recommendation_rows`` of all of the assessment's recommendations, every column,
    read once per change of the assessment. A change to a process or a recommendation
    touches the assessment (``updated_at``, read with it already), which is in the cache
    key with the version of the code that reads the rows: no query on a hit."""
    key = (
        f"assessment-rows:{assessment.pk}:{assessment.updated_at.isoformat()}:"
        f"{code_version(__name__)}"
    )
    rows = cache.get(key)
    if not isinstance(rows, pd.DataFrame):
        rows = recommendation_rows(recommendations_for(assessment))
        cache.set(key, rows, ROWS_CACHE_SECONDS)
    return rows


def _record(values: Mapping[str, Any], skip: set[str]) -> dict[str, Any]:
    row: dict[str, Any] = {column: values.get(field) for column, field in _VALUES.items()}
    flags = list(row["flags"] or [])
    row.update(
        function_label=FUNCTION_LABELS.get(row["business_function"], row["business_function"]),
        model_label=MODEL_LABELS.get(row["model"], row["model"]),
        model_short=MODEL_SHORT.get(row["model"], row["model"]),
        chosen_model_short=MODEL_SHORT.get(row["chosen_model"], row["chosen_model"]),
        location_label=LOCATION_LABELS.get(row["location"], "") if row["location"] else "",
        is_overridden=bool(row["override_model"]),
        confidence_percent=None if row["confidence"] is None else round(row["confidence"] * 100),
        confidence_reason=confidence_reason(
            row["confidence"], row["scores"], guard_rail=bool(row["guard_rail"])
        )
        if is_low(row["confidence"])
        else "",
        chosen_model_label=MODEL_LABELS.get(row["chosen_model"], row["chosen_model"]),
        chosen_location_label=LOCATION_LABELS.get(row["chosen_location"], "")
        if row["chosen_location"]
        else "",
        flags=flags,
        flag_labels=[flag.label for flag in describe_flags(flags)],
        wave_label=WAVE_LABELS.get(row["wave"], "") if row["wave"] else "",
        answers=dict(row["answers"] or {}),
        reasons=list(row["reasons"] or []),
    )
    return row


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts of plain values, for templates.

    Faster than ``to_dict("records")``, which boxes every cell one by one.
    """
    columns = list(frame.columns)
    return [
        dict(zip(columns, values, strict=True))
        for values in frame.itertuples(index=False, name=None)
    ]


def sourcing_mix(rows: pd.DataFrame) -> pd.DataFrame:
    """Processes and in-house spend per decided model (overrides included).

    Columns: ``model``, ``label``, ``count``, ``spend`` (float, a year), ``count_share``
    and ``spend_share`` (0 to 1; 0 when the assessment is empty). Every model appears, in
    DECISIONS (the vocabulary's order), with zeros where nothing is recommended.
    """
    counts = dict.fromkeys(DECISIONS, 0)
    spend = dict.fromkeys(DECISIONS, 0.0)
    for model, cost in zip(rows["chosen_model"], rows["annual_cost"], strict=True):
        counts[model] = counts.get(model, 0) + 1
        spend[model] = spend.get(model, 0.0) + float(cost)
    total_count = sum(counts.values())
    total_spend = sum(spend.values())
    return pd.DataFrame(
        {
            "model": list(counts),
            "label": [MODEL_LABELS.get(m, m) for m in counts],
            "count": list(counts.values()),
            "spend": list(spend.values()),
            "count_share": [c / total_count if total_count else 0.0 for c in counts.values()],
            "spend_share": [s / total_spend if total_spend else 0.0 for s in spend.values()],
        }
    )


def roadmap_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The scheduled processes (those in a wave), by wave, start month and name."""
    scheduled = rows[rows["wave"].notna()].copy()
    scheduled["transition_months"] = [
        int(end) - int(start)
        for start, end in zip(scheduled["start_month"], scheduled["go_live_month"], strict=True)
    ]
    scheduled["sort_name"] = scheduled["name"].str.casefold()
    scheduled = scheduled.sort_values(["wave", "start_month", "sort_name"], kind="stable")
    return scheduled.drop(columns="sort_name").reset_index(drop=True).astype(object)


class WaveRow(NamedTuple):
    wave: int
    label: str
    model: str
    processes: int
    spend: float
    start_month: int
    end_month: int
    payback_month: int | None


def wave_summary(roadmap: pd.DataFrame, *, horizon: int, discount_rate: float) -> list[WaveRow]:
    """Per wave: size, first start, last go-live, and the wave's payback month.

    The payback month is that of the wave's own cumulative net in the deterministic
    projection (METHODOLOGY 4 and 5, at the modes), as the sequencer used it; None when
    the wave does not pay back within the horizon.
    """
    if roadmap.empty:
        return []
    paybacks = _wave_paybacks(roadmap, horizon=horizon, discount_rate=discount_rate)
    summary = []
    for wave, members in roadmap.groupby("wave", sort=True):
        assert isinstance(wave, int)  # pandas gives an integer column's keys as ints
        summary.append(
            WaveRow(
                wave=wave,
                label=WAVE_LABELS[wave],
                model=str(members["chosen_model"].iloc[0]),
                processes=len(members),
                spend=float(sum(members["annual_cost"])),
                start_month=int(min(members["start_month"])),
                end_month=int(max(members["go_live_month"])),
                payback_month=paybacks.get(wave),
            )
        )
    return summary


def _wave_paybacks(
    roadmap: pd.DataFrame, *, horizon: int, discount_rate: float
) -> dict[int, int | None]:
    try:
        processes = [
            ProjectedProcess(
                name=str(name),
                model=str(model),
                location=str(location),
                annual_cost=float(cost),
                start_month=int(start),
                wave=int(wave),
            )
            for name, model, location, cost, start, wave in zip(
                roadmap["name"],
                roadmap["chosen_model"],
                roadmap["chosen_location"],
                roadmap["annual_cost"],
                roadmap["start_month"],
                roadmap["wave"],
                strict=True,
            )
        ]
        projection = deterministic_projection(
            processes, horizon=horizon, discount_rate=discount_rate
        )
    except ValueError:
        return {}  # stored rows the projection cannot read: show payback as unknown
    return dict(projection.wave_payback_month)


class _Chosen(NamedTuple):
    model: str


def objective_fit_for(
    assessment: Assessment, rows: pd.DataFrame, projection: Projection | None
) -> list[ObjectiveFit]:
    """METHODOLOGY 3.5 for the assessment's objectives, on the decided models.

    ``projection`` is the latest finished projection or None (NPV then reads as pending).
    """
    objectives = [code for code in (assessment.objectives or []) if code in OBJECTIVES_BY_CODE]
    if not objectives:
        return []
    processes = [
        ObjectiveProcess(annual_cost=cost, answers=answers)
        for cost, answers in zip(rows["annual_cost"], rows["answers"], strict=True)
    ]
    chosen = [_Chosen(model) for model in rows["chosen_model"]]
    npv, prob = projection_npv(projection.result if projection else None)
    return objective_fit(processes, chosen, objectives=objectives, npv=npv, prob_npv_negative=prob)


EXPORT_COLUMNS = (
    "Process",
    "Business function",
    "Annual cost",
    "FTE",
    "Model",
    "Location",
    "Confidence",
    "Wave",
    "Start month",
    "Go-live month",
    "Flags",
    "Reasons",
    "Engine model",
    "Engine location",
    "Override model",
    "Override location",
    "Override justification",
    "Engine version",
)
# Column index -> Excel number format.
EXPORT_NUMBER_FORMATS = {2: "#,##0.00", 3: "0.0#", 6: "0%"}


def recommendation_export_table(
    rows: pd.DataFrame, *, currency: str
) -> tuple[list[str], list[list[Any]]]:
    """Header and one row per process for CSV/XLSX: numbers as numbers, words for codes.

    ``Model`` and ``Location`` are the decided ones (the override when there is one);
    the engine's own answer and the override follow. Models, locations and flags are
    their labels ("Offshore", "In-house"), as on the pages. Lists are joined with "; ".
    """
    header = list(EXPORT_COLUMNS)
    header[2] = f"Annual cost ({currency})"
    table = [
        [
            row["name"],
            row["function_label"],
            row["annual_cost"],
            row["fte"],
            model_label(row["chosen_model"]),
            location_label(row["chosen_location"]) or None,
            row["confidence"],
            row["wave"],
            row["start_month"],
            row["go_live_month"],
            "; ".join(flag.label for flag in describe_flags(row["flags"])),
            "; ".join(row["reasons"]),
            model_label(row["model"]),
            location_label(row["location"]) or None,
            model_label(row["override_model"]) or None,
            location_label(row["override_location"]) or None,
            row["override_justification"] or None,
            row["engine_version"],
        ]
        for row in records(rows)
    ]
    return header, table
