"""Tables to CSV and XLSX bytes, safe to open in a spreadsheet.

Pure: no Django. A cell a person typed (a process name, a justification) could start
with ``=``, ``+``, ``-`` or ``@``; a spreadsheet would run it as a formula (CSV
injection), so such text gets a leading single quote. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters XLSX cannot hold (openpyxl refuses them).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Cell = str | int | float | Decimal | date | datetime | None


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, prefixed with ``'``; else as given.

    Only strings change: numbers (including negative ones), dates and None pass through.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads accents right); None becomes an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(title) for title in header])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet: str = "Sheet1",
            number_formats: dict[int, str] | None = None) -> bytes:
    """One-sheet workbook: a bold header, numbers as numeric cells.

    ``number_formats`` maps a column index to an Excel number format, e.g. ``"#,##0.00"``.
    """
    number_formats = number_formats or {}
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(worksheet, value=_xlsx_text(neutralise(title)))
        cell.font = bold
        header_cells.append(cell)
    worksheet.append(header_cells)
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if isinstance(value, str):
                cell = WriteOnlyCell(worksheet, value=_xlsx_text(neutralise(value)))
                if "\n" in value:
                    cell.alignment = wrap
            else:
                cell = WriteOnlyCell(worksheet, value=value)
                if index in number_formats and value is not None:
                    cell.number_format = number_formats[index]
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text(value: str) -> str:
    return _ILLEGAL_XLSX.sub("", value)
