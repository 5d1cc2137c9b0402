"""The small pure modules: periods, document checks, measurement files.

Formatting (money, percentages, measures) is tested in tests/accounts/test_formatting.py.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from contracts.engine.documents import DocumentProblem, check_document
from contracts.engine.measurement_files import FileProblem, check_rows, read_rows
from contracts.engine.periods import month_range, parse_period, period_problem

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03", dt.date(2026, 3, 1)),
        (" 2026-3 ", dt.date(2026, 3, 1)),
        ("2026-03-01", dt.date(2026, 3, 1)),
        (dt.datetime(2026, 3, 1, 0, 0), dt.date(2026, 3, 1)),
    ],
)
def test_a_period_is_a_month(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2026-03-15", "2026-00", "26-03", "", dt.date(2026, 3, 2)])
def test_anything_else_is_not_a_period(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_months_run_across_years():
    assert list(month_range(dt.date(2025, 11, 20), dt.date(2026, 2, 1))) == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_a_period_is_measurable_from_the_start_month_to_the_end_month_and_not_ahead():
    check = {
        "start": dt.date(2025, 1, 15),
        "end": dt.date(2025, 6, 10),
        "today": dt.date(2025, 4, 2),
    }
    assert period_problem(dt.date(2025, 1, 1), **check) is None
    assert period_problem(dt.date(2025, 4, 1), **check) is None
    assert "is still to come: record a month once it has begun" in period_problem(
        dt.date(2025, 5, 1), **check
    )
    assert "before the contract started" in period_problem(dt.date(2024, 12, 1), **check)


def test_a_pdf_is_recognised_by_its_first_bytes():
    assert check_document("a.PDF", 10, io.BytesIO(b"%PDF-1.7 ...")) == "pdf"
    with pytest.raises(DocumentProblem, match="limit is 0.0 MB"):
        check_document("a.pdf", 10, io.BytesIO(b"%PDF-1.7 ..."), max_bytes=5)


def test_a_measurement_file_with_semicolons_and_a_bom_reads():
    rows = read_rows("m.csv", "\ufeffSLA;Period;Actual\nCSAT;2025-01;88,5\n".encode())
    assert rows[0].values == {"sla": "CSAT", "period": "2025-01", "actual": "88,5"}


def test_check_rows_matches_names_whatever_their_case_and_lists_blank_cells():
    rows = read_rows("m.csv", b"sla,period,actual\ncsat,2025-01,88\n,,\n,2025-01,\n")
    checked, problems = check_rows(rows, ["CSAT"], lambda period: None)
    assert checked == [] and problems == ["Line 4: the SLA is blank; the actual value is blank."]
    checked, problems = check_rows(rows[:1], ["CSAT"], lambda period: None)
    assert checked[0].sla == "CSAT" and checked[0].actual == Decimal("88") and problems == []


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    with pytest.raises(FileProblem, match="no header row"):
        read_rows("m.csv", b"\n\n")
