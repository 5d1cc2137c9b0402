"""The shared reader (accounts.engine.spreadsheets): valid files read exactly as openpyxl
reads them, and each limit refuses in words at the point it is passed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from accounts.engine.spreadsheets import (
    MAX_CELL_CHARS,
    SheetLimits,
    SpreadsheetRefused,
    SpreadsheetUnreadable,
    csv_rows,
    listed,
    looks_like_formula,
    xlsx_rows,
)
from accounts.engine.spreadsheets import archive as zip_limits
from accounts.engine.spreadsheets import workbook as part_limits

from .crafted import MAIN, cell, row, sheet_xml, simple_workbook, workbook

LIMITS = SheetLimits(max_bytes=5 * 1024 * 1024, max_rows=100, max_columns=8)
ROOT = Path(__file__).resolve().parents[2]


def mine(data: bytes, *, formulas: bool = False, sheet: str = "first") -> list[tuple]:
    return [tuple(r.cells) for r in xlsx_rows(data, LIMITS, formulas=formulas, sheet=sheet)]


def openpyxls(data: bytes, *, formulas: bool = False, active: bool = False) -> list[tuple]:
    """openpyxl's rows, trimmed the way ours are (no trailing empty cells or rows)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    sheet = book.active if active else book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        rows.append(tuple(_plain(v) for v in values))
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _plain(value):
    text = getattr(value, "text", None)  # array formulas
    return text if isinstance(text, str) else value


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def a_workbook_of_every_kind_of_cell() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["text", "int", "float", "datetime", "bool", "time", "formula", "date"])
    sheet.append(
        [
            "Payroll",
            450000,
            2.5,
            dt.datetime(2025, 3, 1, 9, 30),
            True,
            dt.time(10, 30),
            "=B2*2",
            dt.date(2026, 1, 31),
        ]
    )
    sheet.append([])
    sheet.append(
        [
            "x005F_kept inline",
            -3,
            1e-7,
            dt.datetime(1900, 3, 1),
            False,
            dt.timedelta(hours=30),
            '=A2&"!"',
            None,
        ]
    )
    sheet["C6"] = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])
    sheet["H8"] = "far right"
    sheet["A9"] = "#N/A"
    sheet["B9"].number_format = "yyyy-mm-dd"
    sheet["B9"] = 45000
    return saved(book)


@pytest.mark.parametrize("formulas", [False, True])
def test_a_workbook_reads_cell_for_cell_as_openpyxl_reads_it(formulas):
    data = a_workbook_of_every_kind_of_cell()
    assert mine(data, formulas=formulas) == openpyxls(data, formulas=formulas)


# Our crafted workbooks carry no default cell style, which openpyxl mentions.
@pytest.mark.filterwarnings("ignore:Workbook contains no default style:UserWarning")
def test_shared_texts_rich_runs_and_phonetic_guides_read_as_openpyxl_reads_them():
    strings = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>plain</t></si>'
        "<si><r><rPr><b/></rPr><t>bold </t></r><r><t>run</t></r></si>"
        '<si><t>\u6f22\u5b57</t><rPh sb="0" eb="2"><t>\u304b\u3093\u3058</t></rPh></si>'
        "<si><t>a_x005F_b</t></si><si><t/></si></sst>"
    )
    shared = "".join(f'<c r="{c}1" t="s"><v>{n}</v></c>' for n, c in enumerate("ABCDE"))
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">{shared}'
        '</row><row r="3"><c r="B3" t="b"><v>1</v></c><c r="C3" t="e"><v>#DIV/0!</v></c>'
        '<c r="D3" t="str"><f>A1</f><v>plain</v></c><c r="E3" t="d"><v>2025-01-31</v></c>'
        "</row></sheetData></worksheet>"
    )
    data = workbook(sheet, shared_strings=strings)
    assert mine(data) == openpyxls(data)
    assert mine(data)[0] == ("plain", "bold run", "\u6f22\u5b57", "a_b", "")
    assert mine(data, formulas=True) == openpyxls(data, formulas=True)


def test_dates_follow_the_workbooks_1904_calendar_and_custom_formats():
    book = openpyxl.Workbook()
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = book.active
    sheet["A1"] = dt.datetime(2025, 6, 30)
    sheet["B1"] = 45000
    sheet["B1"].number_format = 'dd "de" mmmm yyyy'
    sheet["C1"] = 45000
    sheet["C1"].number_format = "#,##0.00"
    data = saved(book)
    assert mine(data) == openpyxls(data)
    assert mine(data)[0][0] == dt.datetime(2025, 6, 30) and mine(data)[0][2] == 45000


def test_the_active_sheet_can_be_read_instead_of_the_first():
    book = openpyxl.Workbook()
    book.active.append(["first"])
    second = book.create_sheet("Second")
    second.append(["second"])
    book.active = 1
    data = saved(book)
    assert mine(data) == [("first",)]
    assert mine(data, sheet="active") == [("second",)] == openpyxls(data, active=True)


def test_the_declared_dimension_is_ignored_and_only_cells_with_values_count():
    sheet = sheet_xml(
        [row(["a", "b"], 1), '<row r="2"><c r="Z2" s="1"/></row>', row(["c"], 3)],
        dimension="A1:XFD1048576",
    )
    assert mine(workbook(sheet)) == [("a", "b"), (), ("c",)]


def test_blank_rows_between_rows_are_returned_empty_so_row_numbers_stay_exact():
    rows = list(xlsx_rows(workbook(sheet_xml([row(["a"], 1), row(["b"], 4)])), LIMITS))
    assert [(r.number, r.cells) for r in rows] == [(1, ("a",)), (2, ()), (3, ()), (4, ("b",))]


def test_the_last_allowed_row_is_read_and_the_next_one_is_refused_even_empty():
    last = workbook(sheet_xml([row(["h"], 1), row(["v"], LIMITS.last_row)]))
    assert mine(last)[-1] == ("v",)
    past = workbook(sheet_xml([row(["h"], 1), f'<row r="{LIMITS.last_row + 1}"/>']))
    with pytest.raises(SpreadsheetRefused, match="more than 100 rows below the header"):
        mine(past)


def test_a_value_past_the_last_column_is_refused_but_formatting_there_is_not():
    assert mine(
        workbook(sheet_xml(['<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="2"/></row>']))
    ) == [(1,)]
    with pytest.raises(SpreadsheetRefused, match=r"column I \(column 9\); this import reads"):
        mine(workbook(sheet_xml([row(range(9), 1)])))


def test_a_cell_longer_than_excel_allows_is_refused():
    with pytest.raises(SpreadsheetRefused, match="more than 32,767 characters"):
        mine(workbook(sheet_xml([row(["x" * (MAX_CELL_CHARS + 1)], 1)])))
    assert mine(workbook(sheet_xml([row(["x" * MAX_CELL_CHARS], 1)])))[0][0] == "x" * MAX_CELL_CHARS


def test_text_counts_each_time_a_shared_text_is_used():
    limits = SheetLimits(max_bytes=3_000, max_rows=100, max_columns=8)
    strings = f'<sst xmlns="{MAIN}"><si><t>{"y" * 300}</t></si></sst>'
    sheet = sheet_xml(f'<row r="{n}"><c t="s"><v>0</v></c></row>' for n in range(1, 21))
    with pytest.raises(SpreadsheetRefused, match=r"more than 3,000 characters.*row 11\)"):
        list(xlsx_rows(workbook(sheet, shared_strings=strings), limits))


def test_a_table_of_shared_text_too_big_for_its_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(zip_limits, "MAX_SHARED_TEXT_BYTES", 1_000)
    strings = f'<sst xmlns="{MAIN}">' + "<si><t>z</t></si>" * 100 + "</sst>"
    with pytest.raises(SpreadsheetRefused, match=r"table of text values.*the limit is 1 KB"):
        mine(workbook(sheet_xml([row(["a"], 1)]), shared_strings=strings))


def test_too_many_shared_texts_are_refused(monkeypatch):
    monkeypatch.setattr(part_limits, "MAX_SHARED_TEXTS", 10)
    strings = f'<sst xmlns="{MAIN}">' + "<si><t>z</t></si>" * 11 + "</sst>"
    with pytest.raises(SpreadsheetRefused, match="more than 10 entries"):
        mine(workbook(sheet_xml([row(["a"], 1)]), shared_strings=strings))


def test_a_part_packed_more_than_a_hundred_times_is_refused_from_the_directory():
    data = workbook(sheet_xml([row(["a"], 1), "<row/>" * 400_000]), level=9)
    with pytest.raises(SpreadsheetRefused, match=r"times its packed size; the limit is 100"):
        mine(data)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not really", b"plain text"])
def test_a_file_that_is_not_a_zip_archive_is_unreadable_in_words(data):
    with pytest.raises(SpreadsheetUnreadable, match="not an Excel workbook"):
        mine(data)


def test_a_password_protected_workbook_is_named_as_such():
    data = bytearray(simple_workbook([["a"]]))
    at = data.find(b"PK\x01\x02")
    data[at + 8] |= 1  # the "encrypted" flag of the first part
    with pytest.raises(SpreadsheetUnreadable, match="password-protected"):
        mine(bytes(data))


def test_a_csv_file_streams_with_the_same_limits():
    text = "h1,h2\n" + "a,b\n" * 49 + "\n" * 50 + "a,b\n"
    rows = list(csv_rows(text + ",,\n" * 5 + "\n", LIMITS))  # blank lines at the end: layout
    assert [(r.number, r.cells) for r in rows[-2:]] == [(100, ()), (101, ("a", "b"))]
    with pytest.raises(SpreadsheetRefused, match="more than 100 rows"):
        list(csv_rows(text + "late,row\n", LIMITS))  # the blank lines in between count
    with pytest.raises(SpreadsheetRefused, match=r"column I \(column 9\)"):
        list(csv_rows(",".join("abcdefghi") + "\n", LIMITS))
    assert list(csv_rows("a,b,,,,,,,,,,,\n", LIMITS))[0].cells[:2] == ("a", "b")


def test_an_unclosed_quote_is_refused_before_it_swallows_the_file():
    text = 'name,notes\nAcme,"never closed\n' + "more text\n" * 20_000
    with pytest.raises(SpreadsheetRefused, match="Row 2 of the file is more than 100,000"):
        list(csv_rows(text, LIMITS))


def test_binary_data_is_not_a_csv_file():
    with pytest.raises(SpreadsheetUnreadable, match="NUL"):
        list(csv_rows("a,b\n\x00\x01", LIMITS))


def test_a_long_list_of_problems_is_cut_after_fifty():
    assert listed(list(range(120))) == (list(range(50)), 70)
    assert listed([1, 2]) == ([1, 2], 0)


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=cmd|' /C calc'!A0", True),
        ("+1+1", True),
        ("@SUM(A1)", True),
        ("-2+3", True),
        (" =HYPERLINK()", True),
        ("-", True),
        ("- cleaning", True),
        ("-5", False),
        ("+1e5", False),
        ("-1,250.50", False),
        ("Acme", False),
        (12, False),
    ],
)
def test_formula_like_text_is_told_from_signed_numbers(text, formula):
    assert looks_like_formula(text) is formula


def test_a_cell_written_by_the_crafted_builders_is_what_excel_writes():
    assert cell("x & y") == '<c t="inlineStr"><is><t>x &amp; y</t></is></c>'
