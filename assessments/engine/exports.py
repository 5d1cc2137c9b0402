"""Tables to CSV and XLSX bytes, safe to open in a spreadsheet.

Pure: no Django. A cell a person typed (a process name, a justification) could start
with ``=``, ``+``, ``-`` or ``@``; a spreadsheet would run it as a formula (CSV
injection), so such text gets a leading single quote. Numbers stay numbers.

Every export says what its numbers are: a ``Column`` knows its kind, so its header
carries the unit ("NPV (EUR)", "Confidence (%)"), its cells are rounded once (money
half-up to the cent, shares to four decimals) and its XLSX cells get a number format.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from accounts.engine.text_cells import neutralise

# Control characters XLSX cannot hold (openpyxl refuses them).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Cell = str | int | float | Decimal | date | datetime | None


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads accents right); None becomes an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(title) for title in header])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    sheet: str = "Sheet1",
    number_formats: dict[int, str] | None = None,
) -> bytes:
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
                cell = WriteOnlyCell(worksheet)
                cell.value = value  # the setter takes Decimal and date too
                if index in number_formats and value is not None:
                    cell.number_format = number_formats[index]
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text(value: str) -> str:
    return _ILLEGAL_XLSX.sub("", value)


# Money to the cent, shares as percentages with one decimal, dates as ISO dates.
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
CENT = Decimal("0.01")
SHARE_PLACES = 4  # 0.1234 = 12.34 %: one more decimal than a page shows

Kind = Literal["text", "money", "share", "number", "count", "date"]
Format = Literal["csv", "xlsx"]


def _exact(value: Decimal | float | int) -> Decimal:
    """The decimal a person reads: a float by its shortest form (``repr``), so 2.675 is
    2.675 and not its binary neighbour 2.67499999..."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    return Decimal(repr(float(value)))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def cents(value: Decimal | float | int | None) -> Decimal | None:
    """Money rounded half-up to the cent; None (or a non-finite float) stays empty.

    An engine's 716251.2809106167 becomes 716251.28; 0.125 becomes 0.13.
    """
    if value is None or _missing(value):
        return None
    return _exact(value).quantize(CENT, rounding=ROUND_HALF_UP)


def rounded(value: Decimal | float | int | None, places: int) -> float | None:
    """A non-money figure to ``places`` decimals, half-up on its decimal form."""
    if value is None or _missing(value):
        return None
    return float(_exact(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Column:
    """One column of an export: its title, what kind of figure it holds, its unit.

    ``money`` is in ``currency`` (rounded to the cent); ``share`` is a fraction 0..1
    (a CSV says "(0 to 1)", an XLSX shows it as a percentage and says "(%)");
    ``number`` is rounded to ``places`` decimals and ``unit`` names what it counts.
    ``text``, ``count`` and ``date`` cells pass as they are.
    """

    title: str
    kind: Kind = "text"
    unit: str = ""
    places: int = 2

    def header(self, *, currency: str = "", fmt: Format = "xlsx") -> str:
        unit = self.unit
        if self.kind == "money":
            unit = currency
        elif self.kind == "share" and not unit:
            unit = "%" if fmt == "xlsx" else "0 to 1"
        return f"{self.title} ({unit})" if unit else self.title

    def cell(self, value: Any) -> Any:
        """``value`` rounded for this column; words (a payback "not within the horizon")
        and booleans pass as they are, an empty string becomes an empty cell."""
        if isinstance(value, bool) or (isinstance(value, str) and value):
            return value
        if _missing(value) or value == "":
            return None
        if self.kind == "money":
            return cents(value)
        if self.kind == "share":
            return rounded(value, SHARE_PLACES)
        if self.kind == "number":
            number = rounded(value, self.places)
            return int(number) if self.places == 0 and number is not None else number
        return value

    @property
    def number_format(self) -> str | None:
        if self.kind == "money":
            return MONEY_FORMAT
        if self.kind == "share":
            return PERCENT_FORMAT
        if self.kind == "number":
            return "#,##0" if self.places == 0 else "#,##0." + "0" * self.places
        if self.kind == "count":
            return "#,##0"
        if self.kind == "date":
            return DATE_FORMAT
        return None


def headers(columns: Sequence[Column], *, currency: str = "", fmt: Format = "xlsx") -> list[str]:
    return [column.header(currency=currency, fmt=fmt) for column in columns]


def cells(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """Every row rounded as its columns say (the values a CSV and an XLSX both hold)."""
    return [
        [column.cell(value) for column, value in zip(columns, row, strict=True)] for row in rows
    ]


def table_csv(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, currency: str = ""
) -> bytes:
    """A CSV of ``rows`` with headers that name their units and rounded figures."""
    return to_csv(headers(columns, currency=currency, fmt="csv"), cells(columns, rows))


@dataclass(frozen=True)
class Sheet:
    """A worksheet: a table (``columns`` and ``rows``), or, with ``figures``, a two-column
    list of labelled figures, each with its own kind (a summary)."""

    title: str
    columns: Sequence[Column] = ()
    rows: Sequence[Sequence[Any]] = ()
    figures: Sequence[tuple[Column, Any]] = ()
    empty_text: str = "Nothing to show."


def workbook(sheets: Sequence[Sheet], *, currency: str = "") -> bytes:
    """An XLSX: per sheet a bold, frozen header row with units, rounded numbers stored as
    numbers with their number formats, dates as dates, text neutralised. A table with no
    rows holds ``empty_text`` under its header, so no sheet reads as broken."""
    book = Workbook(write_only=True)
    for spec in sheets:
        if spec.figures:
            titles = ["Figure", "Value"]
            rows = [
                [
                    (column.header(currency=currency), None),
                    (column.cell(value), column.number_format),
                ]
                for column, value in spec.figures
            ]
        else:
            titles = headers(spec.columns, currency=currency)
            rows = [
                [
                    (value, column.number_format)
                    for column, value in zip(spec.columns, row, strict=True)
                ]
                for row in cells(spec.columns, spec.rows)
            ]
            rows = rows or [[(spec.empty_text, None)]]
        _write_sheet(book.create_sheet(spec.title[:31]), titles, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(
    sheet: WriteOnlyWorksheet,
    titles: Sequence[str],
    rows: Sequence[Sequence[tuple[Any, str | None]]],
) -> None:
    widths = [len(title) for title in titles]
    for row in rows:
        for index, (value, _) in enumerate(row):
            if isinstance(value, str):
                widths[index] = max(widths[index], len(value))
    for index, width in enumerate(widths):
        # types-openpyxl omits the column_dimensions a write-only sheet gets from _setup.
        dimensions = sheet.column_dimensions  # type: ignore[attr-defined]
        dimensions[get_column_letter(index + 1)].width = max(10, min(60, width + 2))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(neutralise(title)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        out = []
        for value, number_format in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=_xlsx_text(neutralise(value)))
                if "\n" in value:
                    cell.alignment = wrap
            else:
                cell = WriteOnlyCell(sheet)
                cell.value = value  # the setter takes Decimal and date too
                if number_format and value is not None and not isinstance(value, bool):
                    cell.number_format = number_format
            out.append(cell)
        sheet.append(out)
