"""Reading a measurements file (CSV or XLSX): columns ``sla``, ``period``, ``actual``.

Pure: no Django. Reading and checking are separate: ``read_rows`` turns the bytes into
rows of text (or says why it cannot), ``check_rows`` checks every row against the
contract's SLAs and months and lists every problem, so a person fixes the file once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from .periods import parse_period, period_label

COLUMNS = ("sla", "period", "actual")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
_ZIP_MAGIC = b"PK\x03\x04"


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
    extension = PurePath(name).suffix.lower()
    if extension not in (".csv", ".xlsx"):
        raise FileProblem(f"{name!r} is not a CSV or XLSX file; save the measurements as .csv "
                          "or .xlsx.")
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(f"{name!r} is {len(data) / 1024 / 1024:.1f} MB; the limit is "
                          f"{MAX_FILE_BYTES // 1024 // 1024} MB.")
    if not data:
        raise FileProblem(f"{name!r} is empty.")
    table = _read_xlsx(name, data) if extension == ".xlsx" else _read_csv(name, data)
    # Blank rows are skipped, but every row keeps the line number the person sees.
    numbered = [(line, row) for line, row in enumerate(table, start=1)
                if any(_blank(cell) is not None for cell in row)]
    if not numbered:
        raise FileProblem(f"{name!r} has no header row.")
    header = [str(cell or "").strip().lower() for cell in numbered[0][1]]
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra or len(set(header)) != len(header):
        found = ", ".join(h or "(blank)" for h in header)
        raise FileProblem(f"The columns must be exactly: {', '.join(COLUMNS)}. This file has: "
                          f"{found}.")
    body = numbered[1:]
    if not body:
        raise FileProblem(f"{name!r} has a header but no measurements.")
    if len(body) > MAX_ROWS:
        raise FileProblem(f"{name!r} has {len(body):,} rows; the limit is {MAX_ROWS:,}.")
    return [RawRow(line=line, values=dict(zip(header, row, strict=False)))
            for line, row in body]


def _blank(cell: Any) -> Any:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    return cell


def _read_csv(name: str, data: bytes) -> list[list[Any]]:
    if b"\x00" in data:
        raise FileProblem(f"{name!r} is not a text CSV file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(f"{name!r} is not UTF-8 text; save it as CSV UTF-8.") from None
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _read_xlsx(name: str, data: bytes) -> list[list[Any]]:
    if not data.startswith(_ZIP_MAGIC):
        raise FileProblem(f"{name!r} is named .xlsx but is not an Excel workbook.")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileProblem(f"{name!r} is named .xlsx but is damaged or not an Excel "
                          "workbook.") from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for _, row in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True),
                                             strict=False)]
    finally:
        workbook.close()


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


def check_rows(
    rows: list[RawRow],
    sla_names: list[str],
    period_problem: Callable[[dt.date], str | None],
) -> tuple[list[CheckedRow], list[str]]:
    """Every row checked; (rows, []) when all are good, else ([], every problem).

    SLA names match whatever their case. ``period_problem`` says why a month cannot be
    measured (outside the contract, in the future) or None.
    """
    by_lower = {name.lower(): name for name in sla_names}
    problems: list[str] = []
    checked: list[CheckedRow] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        line_problems = []
        raw_sla = _blank(row.values.get("sla"))
        sla = by_lower.get(str(raw_sla).strip().lower()) if raw_sla is not None else None
        if raw_sla is None:
            line_problems.append("the SLA is blank")
        elif sla is None:
            known = ", ".join(sla_names) or "none yet"
            line_problems.append(f"unknown SLA {str(raw_sla).strip()!r} (this contract's SLAs: "
                                 f"{known})")
        period = None
        raw_period = _blank(row.values.get("period"))
        if raw_period is None:
            line_problems.append("the period is blank")
        else:
            try:
                period = parse_period(raw_period)
            except ValueError as error:
                line_problems.append(f"unknown period: {error}")
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
                line_problems.append(f"the actual value {str(raw_actual).strip()!r} is not a "
                                     "number")
            else:
                if actual < 0:
                    line_problems.append(f"the actual value {actual} is negative")
                    actual = None
        if sla and period:
            first = seen.setdefault((sla, period), row.line)
            if first != row.line:
                line_problems.append(f"{sla} for {period_label(period)} is already on line "
                                     f"{first}")
        if line_problems:
            problems.append(f"Line {row.line}: {'; '.join(line_problems)}.")
        elif sla and period and actual is not None:
            checked.append(CheckedRow(row.line, sla, period, actual))
    return ([], problems) if problems else (checked, [])
