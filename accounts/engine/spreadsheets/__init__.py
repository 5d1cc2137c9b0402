"""Reading the spreadsheets people upload (CSV and XLSX) without trusting them. Pure: no Django.

Every import (the assessment inventory, SLA measurements, the vendor registry) reads its
file through here, so a hostile file meets the same limits everywhere:

- an .xlsx file is a zip archive of XML parts, and a few kilobytes of it can unpack into
  gigabytes. Its zip directory is checked before anything is unpacked (`archive`);
- then only the parts the rows need (the workbook, its styles and shared text, one
  worksheet) are streamed through expat, counting as they go (`workbook`, `worksheet`).
  No part and no row is ever built whole in memory, and reading stops at the first
  limit passed. Other parts (other sheets, pictures, pivot caches) are never unpacked;
- a CSV file meets the same row, column and cell limits while it streams (`delimited`).

A refusal names the limit, the file's figure and the limit, in plain words. The limits
and the reasons for them are in docs/imports.md.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from typing import Literal, TypeVar

from accounts.engine.spreadsheets.delimited import MAX_LINE_CHARS, Dialect, delimited_rows
from accounts.engine.spreadsheets.limits import (
    MAX_CELL_CHARS,
    MAX_LISTED_PROBLEMS,
    MEGABYTE,
    Cell,
    Row,
    SheetLimits,
    SpreadsheetProblem,
    SpreadsheetRefused,
    SpreadsheetUnreadable,
    shorten,
    size_in_words,
)
from accounts.engine.text_cells import FORMULA_PREFIXES, looks_like_formula

__all__ = [
    "FORMULA_PREFIXES",
    "MAX_CELL_CHARS",
    "MAX_LINE_CHARS",
    "MAX_LISTED_PROBLEMS",
    "MEGABYTE",
    "Cell",
    "Row",
    "SheetLimits",
    "SpreadsheetProblem",
    "SpreadsheetRefused",
    "SpreadsheetUnreadable",
    "csv_rows",
    "listed",
    "looks_like_formula",
    "shorten",
    "size_in_words",
    "xlsx_rows",
]

T = TypeVar("T")


def xlsx_rows(
    data: bytes,
    limits: SheetLimits,
    *,
    formulas: bool = False,
    sheet: Literal["first", "active"] = "first",
) -> Iterator[Row]:
    """The rows of one worksheet of an .xlsx file, as openpyxl would read them.

    `formulas` gives a formula cell as its formula text ("=A1*2"), otherwise as the value
    Excel last computed. `sheet` is the first worksheet, or the sheet that was active when
    the file was saved. Blank rows come back as empty tuples so row numbers stay exact;
    blank rows after the last row with a value are not returned. Raises
    SpreadsheetRefused or SpreadsheetUnreadable while iterating.
    """
    from accounts.engine.spreadsheets.worksheet import (
        worksheet_rows,  # openpyxl's helpers load only for workbooks
    )

    if len(data) > limits.max_bytes:
        raise SpreadsheetRefused(_too_big(len(data), limits))
    return worksheet_rows(data, limits, formulas=formulas, sheet=sheet)


def csv_rows(
    text: str, limits: SheetLimits, *, delimiter: str | None = None, dialect: Dialect = csv.excel
) -> Iterator[Row]:
    """The records of a decoded CSV file, numbered from 1 (blank lines are empty records).

    `delimiter`, when given, overrides the dialect's. Blank lines after the last line with
    a value are not returned. Raises SpreadsheetRefused or SpreadsheetUnreadable while
    iterating.
    """
    return delimited_rows(text, limits, delimiter=delimiter, dialect=dialect)


def listed(problems: Sequence[T], *, limit: int = MAX_LISTED_PROBLEMS) -> tuple[list[T], int]:
    """The problems to list (at most `limit`) and how many more were found but not listed.

    A page of 100,000 errors helps nobody and can weigh tens of megabytes; the person
    fixes the first ones and uploads again.
    """
    return list(problems[:limit]), max(0, len(problems) - limit)


def _too_big(size: int, limits: SheetLimits) -> str:
    return (
        f"The file is {size_in_words(size)}; the limit is "
        f"{size_in_words(limits.max_bytes)}. Split it into smaller files."
    )
