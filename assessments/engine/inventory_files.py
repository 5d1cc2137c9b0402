"""Read an uploaded CSV or XLSX file into raw rows of cells, or say in words why not.

The reader keeps spreadsheet row numbers (header = row 1, blank rows counted) so every
later error can point at the row a person sees in Excel.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Cell = Any  # str from CSV; str, int, float, bool, datetime or None from XLSX
MEGABYTE = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class RawRow:
    number: int  # 1-based spreadsheet row number
    cells: tuple[Cell, ...]


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def csv_rows(data: bytes) -> Iterator[RawRow]:
    """Rows of a UTF-8 CSV (with or without BOM); comma, semicolon or tab separated."""
    if data.startswith(_ZIP_MAGIC):
        raise FileProblem("This file looks like an Excel workbook saved with a .csv name. "
                          "Rename it to .xlsx, or save it from Excel as 'CSV UTF-8'.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(
            f"The file is not UTF-8 text (the first unreadable character is on line {line}). "
            "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)', or upload the "
            "workbook as .xlsx.") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        # Excel in many European locales saves "CSV" with semicolons.
        delimiter = ";" if ";" in first_line else ("\t" if "\t" in first_line else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    number = 0
    try:
        for record in reader:
            number += 1
            yield RawRow(number, tuple(record))
    except csv.Error as exc:
        raise FileProblem(f"The CSV file could not be read after row {number} "
                          f"(line {reader.line_num}): {exc}.") from None


def xlsx_rows(data: bytes) -> Iterator[RawRow]:
    """Rows of the first worksheet of an .xlsx workbook; formulas come back as "=..." text."""
    import openpyxl  # imported here so CSV-only callers never pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it ignores
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                              data_only=False)
    except Exception:  # openpyxl raises many types for a damaged file; all mean the same
        raise FileProblem(
            "The .xlsx file could not be opened: it may be damaged, password-protected or "
            "not really an Excel workbook. Open it in Excel and save it again as "
            "'Excel Workbook (.xlsx)' or as 'CSV UTF-8'.") from None
    try:
        if not workbook.worksheets:
            raise FileProblem("The workbook has no worksheet to read.")
        sheet = workbook.worksheets[0]
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield RawRow(number, tuple(_plain(v) for v in values))
        except FileProblem:
            raise
        except Exception:
            raise FileProblem("The .xlsx file is damaged: its first worksheet could not be "
                              "read to the end. Save it again from Excel and retry.") from None
    finally:
        workbook.close()


def _plain(value: Cell) -> Cell:
    """Array and data-table formulas come back as objects; treat them as formula text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text if text.startswith("=") else "=" + text
    return value
