"""The rows of one worksheet, streamed: each cell is converted as it passes and each row
handed on when it ends, so memory stays flat whatever the sheet declares.

Cells mean what they mean to openpyxl (numbers, shared and inline text, booleans,
errors, ISO dates, dates by cell format, and formulas as text or as the value last
computed). The declared dimension (`<dimension ref="A1:XFD1048576">`) is ignored:
only cells that hold a value decide how far a row or the sheet reaches.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Literal

from openpyxl.utils.datetime import from_excel, from_ISO8601

from accounts.engine.spreadsheets.archive import MAX_XML_DEPTH, XmlPart, open_archive
from accounts.engine.spreadsheets.limits import (
    MAX_CELL_CHARS,
    Cell,
    Row,
    SheetLimits,
    SpreadsheetRefused,
    SpreadsheetUnreadable,
    cell_too_long,
    too_many_columns,
    too_many_rows,
    too_much_text,
)
from accounts.engine.spreadsheets.workbook import Workbook, read_workbook

# Room for a cell and its value in every cell of a sheet filled to the limits (rows x
# columns) and half as much again for formulas, inline text and formats: a full template
# of inline text (three elements a cell) fits. Past it the sheet holds far more than the
# import could read, and reading on would only cost time (a few microseconds an element).
ELEMENTS_PER_CELL = 1.5
SPARE_ELEMENTS = 50_000


def worksheet_rows(
    data: bytes, limits: SheetLimits, *, formulas: bool, sheet: Literal["first", "active"]
) -> Iterator[Row]:
    archive = open_archive(data)
    with archive:
        book = read_workbook(archive, sheet=sheet)
        reader = _Sheet(archive, book, limits, formulas=formulas)
        previous = 0
        for _ in reader.chunks():
            for row in reader.ready:
                for number in range(previous + 1, row.number):
                    yield Row(number, ())
                previous = row.number
                yield row
            reader.ready.clear()


class _Sheet(XmlPart):
    def __init__(
        self, archive: zipfile.ZipFile, book: Workbook, limits: SheetLimits, *, formulas: bool
    ) -> None:
        super().__init__(
            archive,
            book.sheet,
            max_elements=int(ELEMENTS_PER_CELL * limits.max_cells) + SPARE_ELEMENTS,
        )
        self.book, self.limits, self.formulas = book, limits, formulas
        self.ready: list[Row] = []
        self.text_chars = 0
        self.in_data = False
        self.in_row = False
        self.in_cell = False
        self.row_number = 0
        self.last_number = 0
        self.row_cells: dict[int, Cell] = {}
        self.row_has_value = False
        # A cell's column is its reference ("C7"), or one past the cell before it; worked
        # out only for cells with a value, since most elements of a hostile sheet are not.
        self.anchor: str | None = None  # the last reference seen in the row
        self.after_anchor = 0  # cells since then
        self.column = 0
        self.shared_formulas: dict[str, str] = {}
        self.tags: dict[str, str] = {}  # expat's "namespace local" names -> local names
        # the cell being read
        self.reference: str | None = None
        self.kind = "n"
        self.style = 0
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.formula_attrs: dict[str, str] = {}
        self.inline: list[str] | None = None
        self.phonetic = 0
        self.capture: list[str] | None = None
        self.captured = 0

    # ----------------------------------------------------------------- expat events
    # These run for every element of the sheet, so the base class's checks are inlined
    # and the common cases (a cell, its value) come first.

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        self.depth += 1
        if self.elements > self.max_elements:
            self.refuse_size()
        if self.depth > MAX_XML_DEPTH:
            self.refuse_depth()
        tag = self.tags.get(name) or self._tag(name)
        if self.in_cell:
            if tag == "v":
                self.value = self.capture = []
                self.captured = 0
            elif tag == "f":
                self.formula = self.capture = []
                self.formula_attrs = attrs
                self.captured = 0
            elif tag == "is":
                self.inline = []
                self.captured = 0
            elif tag == "rPh":
                self.phonetic += 1
            elif tag == "t" and self.inline is not None and not self.phonetic:
                self.capture = self.inline
        elif tag == "c":
            if self.in_row:
                self.in_cell = True
                self.reference = attrs.get("r")
                self.kind = attrs.get("t", "n")
                style = attrs.get("s")
                self.style = self._integer(style) if style else 0
                self.value = self.formula = self.inline = self.capture = None
                self.phonetic = 0
        elif tag == "row":
            if self.in_data:
                self._begin_row(attrs.get("r"))
        elif tag == "sheetData":
            self.in_data = True

    def _end(self, name: str) -> None:
        self.depth -= 1
        if self.in_cell:
            tag = self.tags.get(name) or self._tag(name)
            if tag == "c":
                self._end_cell()
            elif tag == "rPh":
                self.phonetic -= 1
            else:
                self.capture = None
        elif self.in_row:
            if (self.tags.get(name) or self._tag(name)) == "row":
                self._end_row()
        elif self.in_data and (self.tags.get(name) or self._tag(name)) == "sheetData":
            self.in_data = False

    def refuse_size(self) -> None:
        limits = self.limits
        raise SpreadsheetRefused(
            f"The worksheet holds more than {self.max_elements:,} cells and other entries "
            "(formatted empty cells count too), far more than "
            f"{limits.max_rows:,} rows of {limits.max_columns} columns need. Delete the unused "
            "rows and columns, or copy just the data into a new workbook, and upload it again."
        )

    def _tag(self, name: str) -> str:
        tag = name[name.rfind(" ") + 1 :]
        if len(self.tags) < 100:  # the names of a sheet are few; a hostile one is not kept
            self.tags[name] = tag
        return tag

    def text(self, data: str) -> None:
        if self.capture is not None:
            self.captured += len(data)
            if self.captured > MAX_CELL_CHARS:
                where = (
                    f"Cell {self.reference}"
                    if self.reference
                    else f"A cell on row {self.row_number:,}"
                )
                raise SpreadsheetRefused(cell_too_long(where, self.captured))
            self.capture.append(data)

    # ----------------------------------------------------------------- rows and cells

    def _begin_row(self, number: str | None) -> None:
        self.row_number = self._row_number(number) if number else self.row_number + 1
        if self.row_number > self.limits.last_row:
            # Counted even when empty: a sheet of a million blank rows is refused here.
            raise SpreadsheetRefused(too_many_rows(self.row_number, self.limits))
        self.in_row = True
        self.anchor, self.after_anchor = None, 0
        self.row_cells = {}
        self.row_has_value = False

    def _end_row(self) -> None:
        self.in_row = False
        number = self.row_number
        if not self.row_has_value or number <= self.last_number:
            return  # formatting only, or out of order (openpyxl drops those too)
        cells: list[Cell] = [None] * max(self.row_cells)
        for column, value in self.row_cells.items():
            cells[column - 1] = value
        self.ready.append(Row(number, tuple(cells)))
        self.last_number = number

    def _end_cell(self) -> None:
        self.in_cell = False
        if self.reference:
            self.anchor, self.after_anchor = self.reference, 0
        else:
            self.after_anchor += 1
        if self.value is None and self.formula is None and self.inline is None:
            return  # formatted but empty
        value = self._cell_value()
        if value is None:
            return
        self.column = (_column(self.anchor) if self.anchor else 0) + self.after_anchor
        if value != "":
            if self.column > self.limits.max_columns:
                raise SpreadsheetRefused(
                    too_many_columns(self.row_number, self.column, self.limits)
                )
            self.row_has_value = True
        elif self.column > self.limits.max_columns:
            return  # an empty text far to the right would only widen every row
        if isinstance(value, str):
            self.text_chars += len(value)
            if self.text_chars > self.limits.max_text_chars:
                raise SpreadsheetRefused(too_much_text(self.row_number, self.limits))
        self.row_cells[self.column] = value

    def _cell_value(self) -> Cell:
        """openpyxl's WorkSheetParser.parse_cell, value for value."""
        kind = self.kind
        value = "".join(self.value) if kind != "inlineStr" and self.value else ""
        if self.formulas and self.formula is not None:
            return self._formula_text()
        if value:
            try:
                if kind == "n":
                    number = _number(value)
                    if self.style in self.book.date_styles:
                        try:
                            return from_excel(
                                number,
                                self.book.epoch,
                                timedelta=self.style in self.book.duration_styles,
                            )
                        except (OverflowError, ValueError):
                            return "#VALUE!"
                    return number
                if kind == "s":
                    return self.book.shared_texts[int(value)]
                if kind == "b":
                    return bool(int(value))
                if kind == "d":
                    return from_ISO8601(value)
            except (ValueError, IndexError, TypeError):
                raise SpreadsheetUnreadable(
                    f"The cell {self._where()} holds {value[:20]!r}, which does "
                    "not fit its type: the file is damaged. Open it in Excel and save it "
                    "again."
                ) from None
            return value  # "str" (a formula's text result), "e" (an error such as #N/A)
        if kind == "inlineStr" and self.inline is not None:
            return "".join(self.inline)
        return None

    def _formula_text(self) -> str:
        text = "=" + "".join(self.formula or ())
        if self.formula_attrs.get("t") == "shared":
            group = self.formula_attrs.get("si", "")
            if text != "=":
                self.shared_formulas.setdefault(group, text)
            else:
                # Shown as its group's first formula: enough to recognise and refuse it,
                # without translating references for every cell.
                text = self.shared_formulas.get(group, text)
        return text

    def _where(self) -> str:
        return self.reference or f"on row {self.row_number:,}"

    def _row_number(self, text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            try:
                real = float(text)
            except ValueError:
                real = 0.5
            if not real.is_integer():
                raise SpreadsheetUnreadable(
                    f"The worksheet has a row numbered {text[:20]!r}: the file is damaged. "
                    "Open it in Excel and save it again."
                ) from None
            number = int(real)
        if number < 1:
            raise SpreadsheetUnreadable(
                f"The worksheet has a row numbered {number}: the file is damaged."
            )
        return number

    def _integer(self, text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise SpreadsheetUnreadable(
                f"The worksheet has a cell format {text[:20]!r} on row {self.row_number:,}: "
                "the file is damaged. Open it in Excel and save it again."
            ) from None


def _number(text: str) -> int | float:
    """openpyxl's _cast_number."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _column(reference: str) -> int:
    """The column of a cell reference such as "AB12" (28)."""
    column = 0
    for char in reference:
        code = ord(char) - 64
        if 1 <= code <= 26:
            column = column * 26 + code
        elif 33 <= code <= 58:  # lower case, which openpyxl accepts too
            column = column * 26 + code - 32
        else:
            break
        if column > 16_384:
            break  # past XFD, Excel's last column: no real cell lives there
    if column == 0:
        raise SpreadsheetUnreadable(
            f"The worksheet has a cell {reference[:20]!r} with no column: the file is damaged."
        )
    return column
