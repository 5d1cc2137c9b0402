"""The records of a CSV file, streamed with the same limits as a worksheet.

The text is already decoded (each import words its own encoding errors). Lines are handed
to the csv module one at a time and measured first, so a 5 MB line (or a quote that is
never closed and swallows the rest of the file) is refused before it becomes a record.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from accounts.engine.spreadsheets.limits import (
    MAX_CELL_CHARS,
    Row,
    SheetLimits,
    SpreadsheetRefused,
    SpreadsheetUnreadable,
    cell_too_long,
    too_many_columns,
    too_many_rows,
)

MAX_LINE_CHARS = 100_000  # one row of the file; three full Excel cells
Dialect = csv.Dialect | type[csv.Dialect]
_LINE_END = re.compile(r"[\r\n]")


def delimited_rows(
    text: str, limits: SheetLimits, *, delimiter: str | None, dialect: Dialect
) -> Iterator[Row]:
    if "\x00" in text:
        raise SpreadsheetUnreadable(
            "The file holds binary data (NUL characters), so it is not a CSV text file. "
            "Save it from Excel as 'CSV UTF-8', or upload the workbook as .xlsx."
        )
    text = _without_trailing_blank_lines(text, delimiter or dialect.delimiter)
    if not text:
        return
    measured = _MeasuredLines(text)
    reader = (
        csv.reader(measured, dialect, delimiter=delimiter)
        if delimiter
        else csv.reader(measured, dialect)
    )
    number = 0
    try:
        for record in reader:
            number += 1
            measured.record_done()
            if number > limits.last_row:
                raise SpreadsheetRefused(too_many_rows(number, limits))
            _check_record(number, record, limits)
            yield Row(number, tuple(record))
    except _LineTooLong as long_line:
        raise SpreadsheetRefused(
            f"Row {number + 1:,} of the file is more than {MAX_LINE_CHARS:,} characters long "
            f"({long_line.length:,} so far). A cell may be missing its closing quote; "
            "otherwise shorten the long text."
        ) from None
    except csv.Error as error:
        raise SpreadsheetUnreadable(
            f"The CSV file could not be read after row {number:,} (line "
            f"{reader.line_num:,}): {error}."
        ) from None


def _check_record(number: int, record: list[str], limits: SheetLimits) -> None:
    last = len(record)
    while last and not record[last - 1].strip():
        last -= 1  # Excel pads rows with empty cells up to the widest row
    if last > limits.max_columns:
        raise SpreadsheetRefused(too_many_columns(number, last, limits))
    for cell in record:
        if len(cell) > MAX_CELL_CHARS:
            raise SpreadsheetRefused(cell_too_long(f"A cell on row {number:,}", len(cell)))


def _without_trailing_blank_lines(text: str, delimiter: str) -> str:
    """The text up to the end of its last line with a value: Excel writes the rows it
    once formatted as lines of bare delimiters, and those are not rows of the file."""
    end = len(text.rstrip(" \t\r\n" + delimiter))
    line_end = _LINE_END.search(text, end)
    return text[: line_end.start()] if line_end else text


class _LineTooLong(Exception):
    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length


class _MeasuredLines:
    """The lines of the text, refusing a record that grows past MAX_LINE_CHARS."""

    def __init__(self, text: str) -> None:
        self.lines = iter(io.StringIO(text, newline=""))
        self.length = 0

    def __iter__(self) -> _MeasuredLines:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.length += len(line)
        if self.length > MAX_LINE_CHARS:
            raise _LineTooLong(self.length)
        return line

    def record_done(self) -> None:
        self.length = 0
