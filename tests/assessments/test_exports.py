"""Exports: spreadsheet-safe text, numbers kept numeric, rounded, with units."""

import csv
import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from assessments.engine.exports import (
    Column,
    Sheet,
    cents,
    neutralise,
    table_csv,
    to_csv,
    to_xlsx,
    workbook,
)


@pytest.mark.parametrize(
    "value", ["=SUM(A1:A9)", "+44 20 7946 0000", "-2+3", "@cmd", "\t=1", "\r=1"]
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Payroll", "", " =not first", "a=b", 12, -3.5, Decimal("-10.00"), None]
)
def test_other_values_pass_unchanged(value):
    assert neutralise(value) == value


def test_the_csv_neutralises_text_cells_and_leaves_numbers_alone():
    content = to_csv(
        ["Name", "Cost"], [['=HYPERLINK("http://x")', Decimal("-5.50")], ["Payroll", None]]
    )
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["Name", "Cost"], ['\'=HYPERLINK("http://x")', "-5.50"], ["Payroll", ""]]


def test_the_xlsx_keeps_numbers_numeric_and_text_inert():
    content = to_xlsx(
        ["Name", "Cost", "Wave"],
        [["@SUM(1)", Decimal("1000000.50"), 2], ["bell\x07", 3.25, None]],
        number_formats={1: "#,##0.00"},
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["Name", "Cost", "Wave"]
    name, cost, wave = sheet[2]
    assert name.value == "'@SUM(1)" and name.data_type == "s"
    assert cost.value == pytest.approx(1000000.5) and cost.data_type == "n"
    assert cost.number_format == "#,##0.00"
    assert wave.value == 2
    assert sheet["A3"].value == "bell"  # control characters XLSX cannot hold are dropped
    assert sheet["C3"].value is None


# Units and rounding ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (716251.2809106167, "716251.28"),
        (2.675, "2.68"),
        (0.125, "0.13"),
        (-0.125, "-0.13"),
        (Decimal("7500.015"), "7500.02"),
        (1001000, "1001000.00"),
        (None, None),
        (float("nan"), None),
    ],
)
def test_money_is_rounded_half_up_to_the_cent_as_a_person_reads_it(value, expected):
    assert cents(value) == (None if expected is None else Decimal(expected))


@given(st.integers(-(10**12), 10**12))
def test_money_rounding_matches_exact_fractions_on_every_half_cent(thousandths):
    exact = Fraction(thousandths, 1000) * 100  # in cents
    whole, rest = divmod(abs(exact), 1)
    expected = (whole + (rest >= Fraction(1, 2))) * (1 if exact >= 0 else -1)
    assert cents(Decimal(thousandths) / 1000) * 100 == expected


def test_headers_name_their_units_in_each_format():
    npv, confidence = Column("NPV", "money"), Column("Confidence", "share")
    assert npv.header(currency="EUR", fmt="csv") == "NPV (EUR)"
    assert confidence.header(fmt="csv") == "Confidence (0 to 1)"
    assert confidence.header(fmt="xlsx") == "Confidence (%)"
    assert Column("Horizon", "count", unit="months").header() == "Horizon (months)"


def test_the_csv_rounds_each_column_as_its_kind_says():
    content = table_csv(
        [
            Column("Month"),
            Column("Net", "money"),
            Column("Share", "share"),
            Column("Score", "number", places=1),
        ],
        [[0, 716251.2809106167, 0.123456, 66.1458333]],
        currency="EUR",
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        ["Month", "Net (EUR)", "Share (0 to 1)", "Score"],
        ["0", "716251.28", "0.1235", "66.1"],
    ]


def test_the_workbook_sets_number_formats_and_fills_an_empty_table():
    content = workbook(
        [
            Sheet(
                "Figures",
                (Column("Spend", "money"), Column("Share", "share"), Column("Due", "date")),
                [[1234.5, 0.5, dt.date(2027, 1, 30)]],
            ),
            Sheet(
                "Empty",
                (Column("Contract"), Column("Value", "money")),
                [],
                empty_text="No contracts.",
            ),
            Sheet(
                "Summary",
                figures=[(Column("NPV", "money"), 10.005), (Column("Probability", "share"), 0.25)],
            ),
        ],
        currency="GBP",
    )
    book = load_workbook(io.BytesIO(content))
    figures = book["Figures"]
    assert [c.value for c in figures[1]] == ["Spend (GBP)", "Share (%)", "Due"]
    spend, share, due = figures[2]
    assert (spend.value, spend.number_format) == (1234.5, "#,##0.00")
    assert (share.value, share.number_format) == (0.5, "0.0%")
    assert due.value == dt.datetime(2027, 1, 30) and due.number_format == "yyyy-mm-dd"
    assert book["Empty"]["A2"].value == "No contracts."
    summary = book["Summary"]
    assert [c.value for c in summary["A"]] == ["Figure", "NPV (GBP)", "Probability (%)"]
    assert summary["B2"].value == 10.01 and summary["B2"].number_format == "#,##0.00"
    assert summary["B3"].number_format == "0.0%"
    assert figures.freeze_panes == "A2"
