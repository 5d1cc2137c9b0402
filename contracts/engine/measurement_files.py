"""Reading a measurements file (CSV or XLSX): columns ``sla``, ``period``, ``actual``.

Pure: no Django. Reading and checking are separate: ``read_rows`` turns the bytes into
rows of text (or says why it cannot), through the shared reader and its limits against
hostile files; ``check_rows`` checks every row against the contract's SLAs and months and
lists every problem, and ``listed_problems`` keeps the first ones for the page, so a
person fixes the file in a few rounds.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from accounts.engine.formatting import count_of
from accounts.engine.spreadsheets import (
    MEGABYTE,
    SheetLimits,
    SpreadsheetProblem,
    csv_rows,
    listed,
    shorten,
    xlsx_rows,
)
from accounts.engine.spreadsheets.archive import ZIP_MAGIC
from accounts.engine.text_cells import FORMULA_STARTS
from contracts.engine.actuals import actual_problem
from contracts.engine.periods import parse_period, period_label

COLUMNS = ("sla", "period", "actual")
MAX_FILE_BYTES = 2 * MEGABYTE
MAX_ROWS = 10_000
# Three columns are read; room for a few extra ones so the column error can name them.
MAX_COLUMNS = 16
LIMITS = SheetLimits(max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)


class FileProblem(ValueError):
    """The whole file is unusable (type, size, columns); the message says why."""


@dataclass(frozen=True)
class RawRow:
    line: int  # as the person sees it: the first line of the file is 1
    values: Mapping[str, Any]


@dataclass(frozen=True)
class CheckedRow:
    line: int
    sla: str
    period: dt.date
    actual: Decimal


def read_rows(name: str, data: bytes) -> list[RawRow]:
    """The file's rows below its header, or FileProblem saying why there are none.

    At most MAX_ROWS rows below the header, blank rows in between included (the reader
    stops at the first row past the limit, and refuses an .xlsx that is a decompression
    bomb before unpacking it).
    """
    shown = repr(shorten(PurePath(name).name, 60))
    extension = PurePath(name).suffix.lower()
    if extension not in (".csv", ".xlsx"):
        raise FileProblem(
            f"{shown} is not a CSV or XLSX file; save the measurements as .csv or .xlsx."
        )
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(
            f"{shown} is {len(data) / MEGABYTE:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // MEGABYTE} MB."
        )
    if not data:
        raise FileProblem(f"{shown} is empty.")
    table = _read_xlsx(shown, data) if extension == ".xlsx" else _read_csv(shown, data)
    # Blank rows are skipped, but every row keeps the line number the person sees.
    numbered = [
        (row.number, row.cells)
        for row in table
        if any(_blank(cell) is not None for cell in row.cells)
    ]
    if not numbered:
        raise FileProblem(f"{shown} has no header row.")
    header = [str(cell or "").strip().lower() for cell in numbered[0][1]]
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra or len(set(header)) != len(header):
        found = ", ".join(shorten(h) or "(blank)" for h in header)
        raise FileProblem(
            f"The columns must be exactly: {', '.join(COLUMNS)}. This file has: {found}."
        )
    body = numbered[1:]
    if not body:
        raise FileProblem(f"{shown} has a header but no measurements.")
    return [RawRow(line=line, values=dict(zip(header, row, strict=False))) for line, row in body]


def listed_problems(problems: list[str]) -> list[str]:
    """The problems to show: the first ones, then a line saying how many more there are."""
    shown, more = listed(problems)
    if more:
        shown.append(
            f"\u2026 and {count_of(more, 'more row')} to fix, not listed here. "
            "Fix the ones "
            "above and import the file again to see the rest."
        )
    return shown


def _blank(cell: Any) -> Any:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    return cell


def _read_csv(shown: str, data: bytes) -> list:
    if b"\x00" in data:
        raise FileProblem(f"{shown} is not a text CSV file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(f"{shown} is not UTF-8 text; save it as CSV UTF-8.") from None
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv_rows(text, LIMITS, dialect=dialect))
    except SpreadsheetProblem as problem:
        raise FileProblem(f"{shown}: {problem}") from None


def _read_xlsx(shown: str, data: bytes) -> list:
    if not data.startswith(ZIP_MAGIC):
        raise FileProblem(f"{shown} is named .xlsx but is not an Excel workbook.")
    try:
        return list(xlsx_rows(data, LIMITS))
    except SpreadsheetProblem as problem:
        raise FileProblem(f"{shown}: {problem}") from None


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError
        return Decimal(repr(value))
    number = Decimal(str(value).strip().replace(",", ""))
    if not number.is_finite():
        raise ValueError
    return number


def _as_named(raw: object) -> str:
    """The SLA name a cell holds. The template neutralises a name a spreadsheet would run
    as a formula ("=Uptime" is written "'=Uptime"); such a cell sent back names "=Uptime"."""
    text = str(raw).strip()
    if text.startswith("'") and text[1:2] in tuple(FORMULA_STARTS):
        return text[1:]
    return text


def check_rows(
    rows: list[RawRow],
    sla_names: list[str],
    period_problem: Callable[[dt.date], str | None],
    units: Mapping[str, str] | None = None,
) -> tuple[list[CheckedRow], list[str]]:
    """Every row checked; (rows, []) when all are good, else ([], every problem).

    SLA names match whatever their case. ``period_problem`` says why a month cannot be
    measured (outside the contract, in the future) or None. ``units``: each SLA's unit
    by name, so that a value above 100 for an SLA in per cent is refused
    (``actuals.actual_problem``); without it only negative values are.
    """
    by_lower = {name.lower(): name for name in sla_names}
    problems: list[str] = []
    checked: list[CheckedRow] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        line_problems = []
        raw_sla = _blank(row.values.get("sla"))
        sla = by_lower.get(_as_named(raw_sla).lower()) if raw_sla is not None else None
        if raw_sla is None:
            line_problems.append("the SLA is blank")
        elif sla is None:
            known = ", ".join(sla_names) or "none yet"
            line_problems.append(
                f"unknown SLA {shorten(raw_sla)!r} (this contract's SLAs: {known})"
            )
        period = None
        raw_period = _blank(row.values.get("period"))
        if raw_period is None:
            line_problems.append("the period is blank")
        else:
            try:
                period = parse_period(raw_period)
            except ValueError as error:
                line_problems.append(f"unknown period: {shorten(error, 160)}")
            else:
                problem = period_problem(period)
                if problem:
                    line_problems.append(f"unknown period: {problem}")
                    period = None
        actual = None
        raw_actual = _blank(row.values.get("actual"))
        if raw_actual is None:
            line_problems.append("the actual value is blank")
        else:
            try:
                actual = _decimal(raw_actual)
            except (InvalidOperation, ValueError):
                line_problems.append(f"the actual value {shorten(raw_actual)!r} is not a number")
            else:
                problem = actual_problem(actual, (units or {}).get(sla or "", ""))
                if problem:
                    line_problems.append(problem)
                    actual = None
        if sla and period:
            first = seen.setdefault((sla, period), row.line)
            if first != row.line:
                line_problems.append(f"{sla} for {period_label(period)} is already on line {first}")
        if line_problems:
            # Some problems quote a sentence that ends in a full stop: one stop at the end.
            joined = "; ".join(problem.rstrip(". ") for problem in line_problems)
            problems.append(f"Line {row.line}: {joined}.")
        elif sla and period and actual is not None:
            checked.append(CheckedRow(row.line, sla, period, actual))
    return ([], problems) if problems else (checked, [])
