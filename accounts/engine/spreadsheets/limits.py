"""What an import accepts, how a refusal is worded, and the row a reader returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

Cell = str | int | float | bool | datetime | date | time | timedelta | None

MEGABYTE = 1024 * 1024
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of one cell
MAX_LISTED_PROBLEMS = 50
# A cell that starts with one of these runs as a formula when the data is opened in a
# spreadsheet again (OWASP "CSV injection"), unless it is a plain number such as -5.


class SpreadsheetProblem(ValueError):
    """The file cannot be read; the message is for the person who uploaded it."""


class SpreadsheetRefused(SpreadsheetProblem):
    """The file passes one of the limits (size, rows, columns, unpacked size...)."""


class SpreadsheetUnreadable(SpreadsheetProblem):
    """The file is damaged, password-protected or not what its name says."""


@dataclass(frozen=True)
class SheetLimits:
    """What one import accepts.

    `max_rows` counts the rows below the header, blank rows between them included;
    `max_columns` the columns that hold a value. The cells may hold as much text in all
    as a text file of `max_bytes` could (a shared text used 10,000 times counts 10,000
    times), so a small workbook cannot stand for gigabytes of text.
    """

    max_bytes: int
    max_rows: int
    max_columns: int

    @property
    def last_row(self) -> int:
        return self.max_rows + 1  # the header, then max_rows rows

    @property
    def max_text_chars(self) -> int:
        return self.max_bytes

    @property
    def max_cells(self) -> int:
        return self.last_row * self.max_columns


@dataclass(frozen=True)
class Row:
    number: int  # 1-based, as the person sees it: blank rows are counted
    cells: tuple[Cell, ...]


def size_in_words(size: int) -> str:
    if size < MEGABYTE:
        return f"{max(1, round(size / 1024)):,} KB"
    return f"{size / MEGABYTE:,.1f} MB"


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def shorten(text: object, length: int = 40) -> str:
    """A cell's text cut to `length` characters for a message, with an ellipsis."""
    shown = " ".join(str(text).split())
    return shown if len(shown) <= length else shown[: length - 1] + "\u2026"


def too_many_rows(number: int, limits: SheetLimits) -> str:
    return (
        f"The file has more than {limits.max_rows:,} rows below the header: it goes on "
        f"to row {number:,}, and blank or formatted rows count too. Delete the rows below "
        f"the data, or split it into files of at most {limits.max_rows:,} rows."
    )


def too_many_columns(number: int, column: int, limits: SheetLimits) -> str:
    return (
        f"Row {number:,} has a value in column {column_letter(column)} (column "
        f"{column:,}); this import reads at most {limits.max_columns} columns. Delete "
        "the columns that are not part of the import and upload the file again."
    )


def cell_too_long(where: str, length: int) -> str:
    return (
        f"{where} holds more than {MAX_CELL_CHARS:,} characters ({length:,} so far), "
        "more than Excel itself allows in one cell."
    )


def too_much_text(number: int, limits: SheetLimits) -> str:
    return (
        f"The cells hold more than {limits.max_text_chars:,} characters of text in all "
        f"(passed on row {number:,}), as much as a {size_in_words(limits.max_bytes)} text "
        "file; split the file into smaller ones."
    )
