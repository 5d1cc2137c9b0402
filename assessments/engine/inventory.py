"""Read and validate a process inventory file (METHODOLOGY section 2, "Import file format").

All or nothing: `read_inventory` checks every row and column at once and returns no rows
at all when there is any error, so a caller cannot save half a file. It lists the first
MAX_LISTED_PROBLEMS problems in row order and then one line saying how many more there
are: a list of 100,000 errors helps nobody and can weigh tens of megabytes.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

import numpy as np

from accounts.engine.formatting import count_of
from accounts.engine.spreadsheets import FORMULA_PREFIXES, MAX_LISTED_PROBLEMS, listed, shorten
from assessments.engine.inventory_files import (
    MAX_BYTES,
    MEGABYTE,
    Cell,
    FileProblem,
    RawRow,
    csv_rows,
    is_blank,
    xlsx_rows,
)
from assessments.engine.questions import (
    BUSINESS_FUNCTIONS,
    DEFAULT_BUSINESS_FUNCTION,
    QUESTION_KEYS,
    normalise_business_function,
)

NAME_MAX_LENGTH = 200
MAX_ANNUAL_COST = Decimal("1000000000000")  # exclusive; keeps amounts in a 14-digit column
MAX_FTE = Decimal("1000000")  # exclusive
CENT = Decimal("0.01")

TEMPLATE_HEADER: tuple[str, ...] = (
    "name",
    "business_function",
    "description",
    "annual_cost",
    "fte",
    *QUESTION_KEYS,
)
REQUIRED_COLUMNS: tuple[str, ...] = ("name", "annual_cost")

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_WHOLE = re.compile(r"^[+-]?\d+(\.0*)?$")


@dataclass(frozen=True)
class InventoryRow:
    name: str
    business_function: str
    description: str
    annual_cost: Decimal
    fte: Decimal
    answers: dict[str, int | None]
    row: int = 0  # spreadsheet row number in the uploaded file


@dataclass(frozen=True)
class InventoryError:
    """`row` is the 1-based spreadsheet row (header = 1), None for the file as a whole;
    `column` the header name as written (the column letter for a column without a
    header), None when the error is not about one column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass(frozen=True)
class Inventory:
    rows: list[InventoryRow] = field(default_factory=list)
    # The problems listed, in row order; when there were more than MAX_LISTED_PROBLEMS, the
    # last entry says how many more (`unlisted`) were found.
    errors: list[InventoryError] = field(default_factory=list)
    unlisted: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def problem_count(self) -> int:
        """Every problem found, listed or not."""
        return len(self.errors) - (1 if self.unlisted else 0) + self.unlisted

    def answers_array(self) -> np.ndarray:
        """(n, 11) int8 answers in QUESTION_KEYS order, 0 for don't know (score_portfolio)."""
        matrix = np.zeros((len(self.rows), len(QUESTION_KEYS)), dtype=np.int8)
        for i, row in enumerate(self.rows):
            matrix[i] = [row.answers[key] or 0 for key in QUESTION_KEYS]
        return matrix


class _CellError(ValueError):
    pass


def read_inventory(data: bytes, filename: str, *, size: int | None = None) -> Inventory:
    """Parse and validate an inventory from the uploaded bytes; `filename` picks the format.

    `size` is the whole file's size when `data` holds only its start (a caller that stops
    reading past the limit).
    """
    size = len(data) if size is None else size
    if size > MAX_BYTES:
        return _failed(
            f"The file is {size / MEGABYTE:,.1f} MB, above the 5 MB limit. "
            "Split the inventory into smaller files."
        )
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".csv":
        rows = csv_rows(data)
    elif suffix == ".xlsx":
        rows = xlsx_rows(data)
    else:
        shown = PurePath(filename).name if filename else "The file"
        return _failed(
            f"{shown!s} is not a CSV or XLSX file. Upload the inventory as .csv "
            "(UTF-8) or as an Excel workbook (.xlsx); older .xls files must be "
            "saved again as .xlsx."
        )
    try:
        return _Validator().run(rows)
    except FileProblem as exc:
        return _failed(str(exc))


def _failed(message: str) -> Inventory:
    return Inventory(rows=[], errors=[InventoryError(None, None, message)])


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _shown(cell: Cell) -> str:
    text = str(cell).strip()
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _text(cell: Cell) -> str:
    """A cell as text; whole floats from Excel lose their ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _decimal(cell: Cell, what: str) -> Decimal:
    """Parse a number from a cell, or raise _CellError with a sentence saying why not."""
    if isinstance(cell, bool | datetime | date | time):
        raise _CellError(f"{what} {_shown(cell)} is not a number.")
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        if not math.isfinite(cell):
            raise _CellError(f"{what} {_shown(cell)} is not a number.")
        return Decimal(repr(cell))
    text = str(cell).strip()
    plain = text.replace(",", "") if _THOUSANDS.match(text) else text
    try:
        value = Decimal(plain)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _CellError(
            f"{what} {_shown(cell)} is not a number; write it as digits, "
            "like 125000 or 125000.50, without a currency sign."
        )
    return value


def _is_number(cell: Cell) -> bool:
    try:
        _decimal(cell, "")
    except _CellError:
        return False
    return True


def _looks_like_formula(cell: Cell) -> bool:
    return (
        isinstance(cell, str) and cell.strip().startswith(FORMULA_PREFIXES) and not _is_number(cell)
    )


class _Validator:
    def __init__(self) -> None:
        self.errors: list[InventoryError] = []
        self.row_errors = 0
        self.unlisted = 0  # row errors past the listing limit: counted, not kept
        self.rows: list[InventoryRow] = []
        self.columns: dict[str, int] = {}
        self.headerless: dict[int, int] = {}  # column index -> first row with data there
        self.names: dict[str, int] = {}

    def error(self, row: int | None, column: str | None, message: str) -> None:
        # Row errors arrive in row order, so the first ones kept are the first ones listed;
        # file and header errors (at most a few per column) are always kept.
        if row is not None and row > 1:
            self.row_errors += 1
            if self.row_errors > MAX_LISTED_PROBLEMS:
                self.unlisted += 1
                return
        self.errors.append(InventoryError(row, column, message))

    def run(self, raw_rows: Iterable[RawRow]) -> Inventory:
        iterator = iter(raw_rows)
        header = next(iterator, None)
        if header is None or all(is_blank(c) for c in header.cells):
            return _failed(
                "The file is empty: its first row must be the header, for "
                "example " + ",".join(TEMPLATE_HEADER) + "."
            )
        header_cells = self._read_header(header)
        count = 0
        for raw in iterator:  # at most MAX_ROWS: the reader refuses a longer file
            if all(is_blank(c) for c in raw.cells):
                continue  # blank rows are layout, not processes (but count towards the limit)
            count += 1
            self._read_row(raw, header_cells)
        if count == 0:
            self.error(
                None,
                None,
                "The inventory is empty: the header is there but no row "
                "below it describes a process.",
            )
        for index, row in sorted(self.headerless.items()):
            self.error(
                1,
                _column_letter(index),
                f"Column {_column_letter(index)} has values (from row {row} on) but no "
                "header. Give it one of the valid names or delete the column.",
            )
        if self.errors:
            self.errors.sort(key=lambda e: (e.row is not None, e.row or 0))
            shown, more = listed(self.errors)
            unlisted = more + self.unlisted
            if unlisted:
                shown.append(
                    InventoryError(
                        None,
                        None,
                        (
                            f"\u2026 and {count_of(unlisted, 'more problem')}, "
                            "not listed here. "
                            "Fix the ones "
                            "above and upload the file again to see the rest."
                        ),
                    )
                )
            return Inventory(rows=[], errors=shown, unlisted=unlisted)
        return Inventory(rows=self.rows, errors=[])

    def _read_header(self, header: RawRow) -> list[str]:
        cells = [_text(c).lower() for c in header.cells]
        positions: dict[str, list[int]] = {}
        for index, name in enumerate(cells):
            if not name:
                continue
            if name in TEMPLATE_HEADER:
                positions.setdefault(name, []).append(index)
                continue
            shown = shorten(_text(header.cells[index]))
            close = (
                difflib.get_close_matches(name, TEMPLATE_HEADER, n=1, cutoff=0.6)
                if len(name) <= 2 * max(map(len, TEMPLATE_HEADER))
                else []
            )
            hint = (
                f" Did you mean {close[0]!r}?"
                if close
                else " Valid columns are: " + ", ".join(TEMPLATE_HEADER) + "."
            )
            self.error(
                1, shown, f"Unknown column {shown!r}; a misspelt column is never ignored.{hint}"
            )
        for name, where in positions.items():
            if len(where) > 1:
                letters = " and ".join(_column_letter(i) for i in where)
                self.error(
                    1,
                    name,
                    f"The column {name!r} appears {len(where)} times "
                    f"(columns {letters}); keep only one.",
                )
            else:
                self.columns[name] = where[0]
        for name in REQUIRED_COLUMNS:
            if name not in positions:
                self.error(1, name, f"The required column {name!r} is missing.")
        return cells

    def _cell(self, raw: RawRow, column: str) -> Cell:
        index = self.columns.get(column)
        if index is None or index >= len(raw.cells):
            return None
        return raw.cells[index]

    def _read_row(self, raw: RawRow, header_cells: list[str]) -> None:
        n = raw.number
        for index, cell in enumerate(raw.cells):
            if (index >= len(header_cells) or not header_cells[index]) and not is_blank(cell):
                self.headerless.setdefault(index, n)
        ok = True
        values: dict[str, object] = {}
        for column in TEMPLATE_HEADER:
            if column not in self.columns:
                continue
            cell = self._cell(raw, column)
            if _looks_like_formula(cell):
                self.error(
                    n,
                    column,
                    f"The value {_shown(cell)} looks like a spreadsheet "
                    "formula. Enter the plain value instead (formulas are refused "
                    "so they cannot run when the data is opened again).",
                )
                ok = False
                continue
            try:
                values[column] = self._convert(n, column, cell)
            except _CellError as exc:
                self.error(n, column, str(exc))
                ok = False
        if ok and "name" in self.columns and "annual_cost" in self.columns:
            self.rows.append(
                InventoryRow(
                    name=values["name"],  # type: ignore[arg-type]
                    business_function=values.get(
                        "business_function",  # type: ignore[arg-type]
                        DEFAULT_BUSINESS_FUNCTION,
                    ),
                    description=values.get("description", ""),  # type: ignore[arg-type]
                    annual_cost=values["annual_cost"],  # type: ignore[arg-type]
                    fte=values.get("fte", Decimal("0.00")),  # type: ignore[arg-type]
                    answers={key: values.get(key) for key in QUESTION_KEYS},  # type: ignore[misc]
                    row=n,
                )
            )

    def _convert(self, n: int, column: str, cell: Cell) -> object:
        if column == "name":
            return self._name(n, cell)
        if column == "business_function":
            return _business_function(cell)
        if column == "description":
            return _text(cell)
        if column == "annual_cost":
            return _annual_cost(cell)
        if column == "fte":
            return _fte(cell)
        return _answer(cell)

    def _name(self, n: int, cell: Cell) -> str:
        name = _text(cell)
        if not name:
            raise _CellError("The process name is empty; every process needs a name.")
        if len(name) > NAME_MAX_LENGTH:
            raise _CellError(
                f"The process name is {len(name)} characters long; the limit is {NAME_MAX_LENGTH}."
            )
        key = " ".join(name.split()).casefold()
        first = self.names.setdefault(key, n)
        if first != n:
            raise _CellError(
                f"The process name {name!r} is used twice, in rows {first} and "
                f"{n}; names must be unique (capitals and spaces are ignored)."
            )
        return name


def _business_function(cell: Cell) -> str:
    text = _text(cell)
    if not text:
        return DEFAULT_BUSINESS_FUNCTION
    try:
        return normalise_business_function(text)
    except ValueError:
        close = difflib.get_close_matches(
            text.casefold(), [f.casefold() for f in BUSINESS_FUNCTIONS], n=1
        )
        hint = ""
        if close:
            hint = f" Did you mean {normalise_business_function(close[0])!r}?"
        raise _CellError(
            f"Unknown business function {_shown(cell)}. Use one of: "
            + ", ".join(BUSINESS_FUNCTIONS)
            + f".{hint}"
        ) from None


def _annual_cost(cell: Cell) -> Decimal:
    if is_blank(cell):
        raise _CellError(
            "The annual cost is empty; enter the yearly in-house cost of the "
            "process, a number greater than zero."
        )
    value = _decimal(cell, "The annual cost")
    if value <= 0:
        raise _CellError(f"The annual cost must be greater than zero, not {_shown(cell)}.")
    if value >= MAX_ANNUAL_COST:
        raise _CellError(
            f"The annual cost {_shown(cell)} is implausibly large (the limit "
            "is under one trillion)."
        )
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _fte(cell: Cell) -> Decimal:
    if is_blank(cell):
        return Decimal("0.00")
    value = _decimal(cell, "The FTE count")
    if value < 0:
        raise _CellError(
            f"The FTE count cannot be negative ({_shown(cell)}); use 0 when no "
            "staff work on it full-time."
        )
    if value >= MAX_FTE:
        raise _CellError(f"The FTE count {_shown(cell)} is implausibly large.")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _answer(cell: Cell) -> int | None:
    if is_blank(cell):
        return None  # "don't know" is a valid answer
    problem = _CellError(
        f'The answer {_shown(cell)} must be a whole number from 1 to 5, or empty for "don\'t know".'
    )
    if isinstance(cell, bool):
        raise problem
    if isinstance(cell, int | float):
        if not (isinstance(cell, int) or cell.is_integer()):
            raise problem
        value = int(cell)
    else:
        text = str(cell).strip()
        if not _WHOLE.match(text):
            raise problem
        value = int(Decimal(text))
    if not 1 <= value <= 5:
        raise problem
    return value


_EXAMPLES = (
    (
        "Payroll processing",
        "HR",
        "Monthly payroll for 420 employees, including tax filings",
        "450000",
        "5",
        (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2),
    ),
    (
        "Market research",
        "marketing",
        "Quarterly market sizing and competitor analysis",
        "180000",
        "1.5",
        (3, 2, 2, 5, 2, 2, 1, 1, 5, 4, 2),
    ),
    (
        "Network infrastructure",
        "IT",
        "LAN, WAN and Wi-Fi for six offices, with on-site hardware swaps",
        "620000",
        "4",
        (2, 4, 4, 3, 5, 3, 1, 4, 4, 3, 3),
    ),
)


def template_csv() -> str:
    """A downloadable template: the header and three example processes.

    Encode it as "utf-8-sig" when serving it, so Excel opens it as UTF-8.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    for name, function, description, cost, fte, answers in _EXAMPLES:
        writer.writerow([name, function, description, cost, fte, *answers])
    return out.getvalue()
