"""Read an uploaded CSV or XLSX inventory into raw rows of cells, or say in words why not.

The reading itself, and every limit that keeps a hostile file from exhausting the
server (decompression bombs, giant lines, endless blank rows), is the shared
`accounts.engine.spreadsheets`; this module adds what is particular to an inventory:
its limits, its delimiters and its wording. Row numbers are spreadsheet row numbers
(header = row 1, blank rows counted) so every later error points at the row a person
sees in Excel.
"""

from __future__ import annotations

from collections.abc import Iterator

from accounts.engine.spreadsheets import (
    MEGABYTE,
    Cell,
    Row,
    SheetLimits,
    SpreadsheetProblem,
    SpreadsheetRefused,
)
from accounts.engine.spreadsheets import (
    csv_rows as read_csv_rows,
)
from accounts.engine.spreadsheets import (
    xlsx_rows as read_xlsx_rows,
)
from accounts.engine.spreadsheets.archive import ZIP_MAGIC

MAX_BYTES = 5 * MEGABYTE
MAX_ROWS = 10_000
# The template has 16 columns; room for as many misspelt or extra ones, which are then
# listed as errors. A file wider than that is refused as a whole.
MAX_COLUMNS = 32
LIMITS = SheetLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)

RawRow = Row

__all__ = [
    "LIMITS",
    "MAX_BYTES",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MEGABYTE",
    "Cell",
    "FileProblem",
    "RawRow",
    "csv_rows",
    "is_blank",
    "xlsx_rows",
]


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def csv_rows(data: bytes) -> Iterator[RawRow]:
    """Rows of a UTF-8 CSV (with or without BOM); comma, semicolon or tab separated."""
    if data.startswith(ZIP_MAGIC):
        raise FileProblem(
            "This file looks like an Excel workbook saved with a .csv name. "
            "Rename it to .xlsx, or save it from Excel as 'CSV UTF-8'."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(
            f"The file is not UTF-8 text (the first unreadable character is on line {line}). "
            "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)', or upload the "
            "workbook as .xlsx."
        ) from None
    first_line = text[: text.find("\n")] if "\n" in text[:100_000] else text[:100_000]
    delimiter = ","
    if "," not in first_line:
        # Excel in many European locales saves "CSV" with semicolons.
        delimiter = ";" if ";" in first_line else ("\t" if "\t" in first_line else ",")
    try:
        yield from read_csv_rows(text, LIMITS, delimiter=delimiter)
    except SpreadsheetProblem as problem:
        raise FileProblem(str(problem)) from None


def xlsx_rows(data: bytes) -> Iterator[RawRow]:
    """Rows of the first worksheet of an .xlsx workbook; formulas come back as "=..." text."""
    try:
        yield from read_xlsx_rows(data, LIMITS, formulas=True)
    except SpreadsheetRefused as refused:
        raise FileProblem(str(refused)) from None
    except SpreadsheetProblem as problem:
        raise FileProblem(f"The .xlsx file could not be opened. {problem}") from None
