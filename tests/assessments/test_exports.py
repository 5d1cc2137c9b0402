"""Exports: spreadsheet-safe text, numbers kept numeric."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessments.exports import neutralise, to_csv, to_xlsx


@pytest.mark.parametrize("value", ["=SUM(A1:A9)", "+44 20 7946 0000", "-2+3", "@cmd",
                                   "\t=1", "\r=1"])
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Payroll", "", " =not first", "a=b", 12, -3.5,
                                   Decimal("-10.00"), None])
def test_other_values_pass_unchanged(value):
    assert neutralise(value) == value


def test_the_csv_neutralises_text_cells_and_leaves_numbers_alone():
    content = to_csv(["Name", "Cost"], [["=HYPERLINK(\"http://x\")", Decimal("-5.50")],
                                        ["Payroll", None]])
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["Name", "Cost"], ["'=HYPERLINK(\"http://x\")", "-5.50"], ["Payroll", ""]]


def test_the_xlsx_keeps_numbers_numeric_and_text_inert():
    content = to_xlsx(["Name", "Cost", "Wave"],
                      [["@SUM(1)", Decimal("1000000.50"), 2], ["bell\x07", 3.25, None]],
                      number_formats={1: "#,##0.00"})
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["Name", "Cost", "Wave"]
    name, cost, wave = sheet[2]
    assert name.value == "'@SUM(1)" and name.data_type == "s"
    assert cost.value == pytest.approx(1000000.5) and cost.data_type == "n"
    assert cost.number_format == "#,##0.00"
    assert wave.value == 2
    assert sheet["A3"].value == "bell"  # control characters XLSX cannot hold are dropped
    assert sheet["C3"].value is None


def test_the_export_and_chart_modules_load_without_django():
    import subprocess
    import sys

    code = ("import sys, assessments.exports, assessments.charts, assessments.flags; "
            "print('django' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "."})
    assert result.stdout.strip() == "False"
