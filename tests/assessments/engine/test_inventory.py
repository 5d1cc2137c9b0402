"""Reading the process inventory file (METHODOLOGY section 2, "Import file format")."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from assessments.engine.inventory import (
    MAX_BYTES,
    TEMPLATE_HEADER,
    Inventory,
    InventoryError,
    read_inventory,
    template_csv,
)
from assessments.engine.inventory_files import MAX_ROWS
from assessments.engine.questions import QUESTION_KEYS
from assessments.engine.scoring import score_process

HEADER = ",".join(TEMPLATE_HEADER)
PAYROLL_ANSWERS = "1,5,5,2,2,4,1,1,3,2,2"


def csv_file(*lines: str, bom: bool = False) -> bytes:
    data = "\n".join(lines).encode()
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_file(*rows: list[object]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def only_error(inventory: Inventory) -> InventoryError:
    assert inventory.rows == []
    assert len(inventory.errors) == 1, inventory.errors
    return inventory.errors[0]


def errors_at(inventory: Inventory) -> list[tuple[int | None, str | None]]:
    return [(e.row, e.column) for e in inventory.errors]


# -- good files -----------------------------------------------------------------------


def test_the_template_reads_back_as_three_processes_scored_as_the_worked_cases() -> None:
    inventory = read_inventory(template_csv().encode("utf-8-sig"), "template.csv")
    assert inventory.errors == []
    assert [r.name for r in inventory.rows] == [
        "Payroll processing",
        "Market research",
        "Network infrastructure",
    ]
    models = [score_process(r.answers).model for r in inventory.rows]
    assert models == ["BPO", "KPO", "ITO"]
    assert template_csv().splitlines()[0] == HEADER


def test_a_full_row_is_read_into_typed_values() -> None:
    inventory = read_inventory(
        csv_file(HEADER, f"Payroll,Finance,Monthly run,125000.50,3.5,{PAYROLL_ANSWERS}"), "i.csv"
    )
    row = inventory.rows[0]
    assert (row.name, row.business_function, row.description) == (
        "Payroll",
        "finance",
        "Monthly run",
    )
    assert row.annual_cost == Decimal("125000.50")
    assert row.fte == Decimal("3.5")
    assert row.answers["standardisation"] == 5
    assert row.row == 2


def test_headers_match_ignoring_case_spaces_and_order_and_optional_columns_may_be_absent() -> None:
    inventory = read_inventory(csv_file(" Annual_Cost ,NAME,Volume", "90000,Data entry,5"), "i.csv")
    row = inventory.rows[0]
    assert (row.name, row.annual_cost, row.answers["volume"]) == (
        "Data entry",
        Decimal("90000.00"),
        5,
    )
    assert (row.business_function, row.fte, row.description) == ("other", Decimal(0), "")
    assert row.answers["strategic_importance"] is None


def test_empty_answers_mean_dont_know_and_are_not_errors() -> None:
    inventory = read_inventory(csv_file(HEADER, "Payroll,HR,,1000,,,,,,,,,,,,"), "i.csv")
    assert inventory.errors == []
    assert set(inventory.rows[0].answers.values()) == {None}
    assert inventory.answers_array().tolist() == [[0] * 11]


@pytest.mark.parametrize("bom", [True, False])
def test_utf8_with_or_without_bom_is_accepted(bom: bool) -> None:
    data = csv_file("name,annual_cost", "Gehaltsabrechnung Zürich,1", bom=bom)
    assert read_inventory(data, "i.csv").rows[0].name == "Gehaltsabrechnung Zürich"


def test_names_containing_html_are_kept_as_text() -> None:
    inventory = read_inventory(
        csv_file("name,annual_cost", '"<script>alert(1)</script>",100'), "i.csv"
    )
    assert inventory.rows[0].name == "<script>alert(1)</script>"


def test_a_negative_looking_number_is_not_mistaken_for_a_formula() -> None:
    inventory = read_inventory(csv_file("name,annual_cost", "-5,1000"), "i.csv")
    assert inventory.rows[0].name == "-5"


def test_amounts_with_thousands_separators_and_semicolon_files_are_read() -> None:
    inventory = read_inventory(csv_file("name,annual_cost", 'Payroll,"1,250,000"'), "i.csv")
    assert inventory.rows[0].annual_cost == Decimal("1250000.00")
    semicolons = read_inventory(csv_file("name;annual_cost;fte", "Payroll;1250;2"), "i.csv")
    assert semicolons.rows[0].annual_cost == Decimal("1250.00")


def test_an_xlsx_workbook_is_read_with_numbers_as_excel_stores_them() -> None:
    data = xlsx_file(
        list(TEMPLATE_HEADER),
        ["Payroll", "hr", None, 125000.5, 3, *[1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2.0]],
    )
    row = read_inventory(data, "Inventory.XLSX").rows[0]
    assert (row.business_function, row.annual_cost, row.fte) == (
        "HR",
        Decimal("125000.50"),
        Decimal("3.00"),
    )
    assert [row.answers[k] for k in QUESTION_KEYS] == [1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2]


def test_blank_rows_are_skipped_but_still_counted_in_row_numbers() -> None:
    inventory = read_inventory(csv_file("name,annual_cost", "A,1", "", "B,x"), "i.csv")
    assert errors_at(inventory) == [(4, "annual_cost")]


# -- whole-file problems --------------------------------------------------------------


def test_a_file_over_five_megabytes_is_refused() -> None:
    error = only_error(read_inventory(b"a" * (MAX_BYTES + 1), "big.csv"))
    assert error.row is None and "5 MB" in error.message


def test_more_than_ten_thousand_processes_are_refused() -> None:
    lines = ["name,annual_cost", *(f"P{i},1" for i in range(MAX_ROWS + 1))]
    error = only_error(read_inventory(csv_file(*lines), "i.csv"))
    assert "more than 10,000" in error.message


def test_exactly_ten_thousand_processes_are_accepted() -> None:
    lines = ["name,annual_cost", *(f"P{i},1" for i in range(MAX_ROWS))]
    assert len(read_inventory(csv_file(*lines), "i.csv").rows) == MAX_ROWS


@pytest.mark.parametrize("make", [csv_file, xlsx_file])
def test_blank_rows_between_processes_count_towards_the_ten_thousand(make) -> None:
    blank = "" if make is csv_file else []
    rows = [
        ["name", "annual_cost"],
        *([f"P{i}", 1] for i in range(5_000)),
        *[blank] * 5_000,
        ["Last", 1],
    ]
    lines = [",".join(map(str, r)) if make is csv_file else r for r in rows]
    error = only_error(read_inventory(make(*lines), "i." + ("csv" if make is csv_file else "xlsx")))
    assert "more than 10,000 rows below the header" in error.message
    assert "blank or formatted rows count too" in error.message


def test_blank_lines_after_the_last_process_do_not_count() -> None:
    lines = ["name,annual_cost", *(f"P{i},1" for i in range(MAX_ROWS)), *[",,"] * 500, ""]
    assert len(read_inventory(csv_file(*lines), "i.csv").rows) == MAX_ROWS


def test_a_file_wider_than_thirty_two_columns_is_refused_as_a_whole() -> None:
    header = HEADER + "," + ",".join(f"extra{n}" for n in range(17))
    error = only_error(read_inventory(csv_file(header, "A,1"), "i.csv"))
    assert "column AG (column 33)" in error.message


def test_only_the_first_fifty_problems_are_listed_then_how_many_more() -> None:
    lines = ["name,annual_cost,bogus", *(f"P{i},-1," for i in range(200))]
    inventory = read_inventory(csv_file(*lines), "i.csv")
    assert inventory.errors[0].column == "bogus"  # file and header problems come first
    assert [e.row for e in inventory.errors[1:50]] == list(range(2, 51))
    assert inventory.errors[-1] == InventoryError(
        None,
        None,
        (
            "\u2026 and 151 more problems, not listed here. Fix the ones above and upload the "
            "file again to see the rest."
        ),
    )
    assert len(inventory.errors) == 51
    assert inventory.problem_count == 201
    assert inventory.rows == []


def test_a_long_unknown_column_name_is_shortened_in_its_message() -> None:
    inventory = read_inventory(csv_file("name,annual_cost," + "z" * 5_000, "A,1"), "i.csv")
    assert errors_at(inventory) == [(1, "z" * 39 + "\u2026")]
    assert len(inventory.errors[0].message) < 400


@pytest.mark.parametrize("filename", ["inventory.xls", "inventory.txt", "inventory", ""])
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(filename: str) -> None:
    error = only_error(read_inventory(b"name,annual_cost\nA,1", filename))
    assert "not a CSV or XLSX file" in error.message


def test_a_corrupt_xlsx_is_refused_in_words() -> None:
    error = only_error(read_inventory(b"PK\x03\x04 this is not really a zip", "i.xlsx"))
    assert "could not be opened" in error.message


def test_a_workbook_renamed_to_csv_is_recognised() -> None:
    error = only_error(read_inventory(xlsx_file(["name", "annual_cost"]), "i.csv"))
    assert "Excel workbook" in error.message


def test_a_csv_that_is_not_utf8_is_refused_with_the_line_of_the_first_bad_byte() -> None:
    data = "name,annual_cost\nGehaltsabrechnung Zürich,1\n".encode("latin-1")
    error = only_error(read_inventory(data, "i.csv"))
    assert "not UTF-8" in error.message and "line 2" in error.message


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert "empty" in only_error(read_inventory(data, "i.csv")).message


def test_a_header_without_any_process_is_an_empty_inventory() -> None:
    error = only_error(read_inventory(csv_file(HEADER, ",,,,,,,,,,,,,,,"), "i.csv"))
    assert "no row below it describes a process" in error.message


# -- header problems ------------------------------------------------------------------


def test_a_missing_required_column_is_named() -> None:
    inventory = read_inventory(csv_file("name,fte", "Payroll,1"), "i.csv")
    assert errors_at(inventory) == [(1, "annual_cost")]
    assert "required column 'annual_cost' is missing" in inventory.errors[0].message


def test_a_misspelt_column_is_an_error_suggesting_the_closest_valid_name() -> None:
    inventory = read_inventory(csv_file("name,annual_cost,standardization", "A,1,3"), "i.csv")
    assert errors_at(inventory) == [(1, "standardization")]
    assert "Did you mean 'standardisation'?" in inventory.errors[0].message


def test_an_unknown_column_with_no_close_match_lists_the_valid_columns() -> None:
    inventory = read_inventory(csv_file("name,annual_cost,colour", "A,1,red"), "i.csv")
    assert "Valid columns are: name, business_function" in inventory.errors[0].message


def test_a_duplicated_header_names_both_columns() -> None:
    inventory = read_inventory(csv_file("Name,annual_cost,name ", "A,1,B"), "i.csv")
    assert errors_at(inventory) == [(1, "name")]
    assert "columns A and C" in inventory.errors[0].message


def test_values_under_a_column_without_header_are_an_error() -> None:
    inventory = read_inventory(csv_file("name,annual_cost", "A,1,surprise"), "i.csv")
    assert errors_at(inventory) == [(1, "C")]


# -- row problems: every one is reported ----------------------------------------------


def test_every_bad_row_and_column_is_reported_and_nothing_is_kept() -> None:
    inventory = read_inventory(
        csv_file(
            "name,business_function,annual_cost,fte,volume",
            ",HR,100,1,3",  # row 2: missing name
            "Payroll,Finanse,abc,-2,7",  # row 3: function, cost, fte and answer all bad
            "Good,IT,100,1,3",  # row 4: fine
            "payroll,IT,0,x,2.5",  # row 5: duplicate name, zero cost, fte, answer
        ),
        "i.csv",
    )
    assert inventory.rows == []
    assert errors_at(inventory) == [
        (2, "name"),
        (3, "business_function"),
        (3, "annual_cost"),
        (3, "fte"),
        (3, "volume"),
        (5, "name"),
        (5, "annual_cost"),
        (5, "fte"),
        (5, "volume"),
    ]
    messages = {(e.row, e.column): e.message for e in inventory.errors}
    assert "name is empty" in messages[(2, "name")]
    assert "Did you mean 'finance'?" in messages[(3, "business_function")]
    assert "HR, finance, customer service, IT" in messages[(3, "business_function")]
    assert "'abc' is not a number" in messages[(3, "annual_cost")]
    assert "cannot be negative" in messages[(3, "fte")]
    assert "'7' must be a whole number from 1 to 5" in messages[(3, "volume")]
    assert "used twice, in rows 3 and 5" in messages[(5, "name")]
    assert "greater than zero" in messages[(5, "annual_cost")]
    assert "'x' is not a number" in messages[(5, "fte")]
    assert "'2.5' must be a whole number" in messages[(5, "volume")]


@pytest.mark.parametrize(
    ("cost", "words"),
    [
        ("", "annual cost is empty"),
        ("-100", "greater than zero"),
        ("0", "greater than zero"),
        ("12k", "not a number"),
        ("NaN", "not a number"),
    ],
)
def test_annual_cost_must_be_a_positive_number(cost: str, words: str) -> None:
    inventory = read_inventory(csv_file("name,annual_cost", f"A,{cost}"), "i.csv")
    assert errors_at(inventory) == [(2, "annual_cost")]
    assert words in inventory.errors[0].message


@pytest.mark.parametrize("value", ["0", "6", "three", "3.5", "-1"])
def test_answers_must_be_whole_numbers_from_one_to_five(value: str) -> None:
    inventory = read_inventory(csv_file("name,annual_cost,capability_gap", f"A,1,{value}"), "i.csv")
    assert errors_at(inventory) == [(2, "capability_gap")]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", '=HYPERLINK("http://x")'),
        ("description", "@SUM(A1)"),
        ("description", "+cmd|' /C calc'!A0"),
        ("description", "-2+3"),
        ("annual_cost", "=1+2"),
        ("volume", "=3"),
    ],
)
def test_text_that_looks_like_a_spreadsheet_formula_is_refused(column: str, value: str) -> None:
    cells = {"name": "A", "description": "", "annual_cost": "1", "volume": ""}
    cells[column] = value
    line = ",".join('"' + cells[c].replace('"', '""') + '"' for c in cells)
    inventory = read_inventory(csv_file(",".join(cells), line), "i.csv")
    assert errors_at(inventory) == [(2, column)]
    assert "looks like a spreadsheet formula" in inventory.errors[0].message


def test_a_real_formula_cell_in_a_workbook_is_refused() -> None:
    data = xlsx_file(["name", "annual_cost"], ["Payroll", "=1000*12"])
    inventory = read_inventory(data, "i.xlsx")
    assert errors_at(inventory) == [(2, "annual_cost")]
    assert "looks like a spreadsheet formula" in inventory.errors[0].message


def test_workbook_errors_point_at_the_spreadsheet_row() -> None:
    data = xlsx_file(
        ["name", "annual_cost", "volume"], ["A", 100, 3], [None, None, None], ["B", True, 9]
    )
    inventory = read_inventory(data, "i.xlsx")
    assert errors_at(inventory) == [(4, "annual_cost"), (4, "volume")]


def test_an_error_reads_as_a_sentence_with_its_place() -> None:
    error = InventoryError(5, "fte", "The FTE count cannot be negative.")
    assert str(error) == "Row 5, column fte: The FTE count cannot be negative."
