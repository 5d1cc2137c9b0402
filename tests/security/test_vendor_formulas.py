"""The vendor import refuses cells that a spreadsheet would run as formulas (=, +, -, @),
so a registry export can never carry one to another curator's Excel."""

from __future__ import annotations

import pytest
import tablib

from vendors.models import Vendor
from vendors.resources import COLUMNS, VendorResource

pytestmark = pytest.mark.django_db
GOOD = {
    "name": "Acme Cloud",
    "headquarters_country": "United Kingdom",
    "headcount": "1200",
    "notes": "Strong service desk",
}


def import_rows(*rows: dict[str, str]):
    dataset = tablib.Dataset(headers=list(COLUMNS))
    for values in rows:
        dataset.append([values.get(column, "") for column in COLUMNS])
    return VendorResource().import_data(dataset, dry_run=False, raise_errors=False)


def errors_of(result) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.field_specific_errors for row in result.invalid_rows}


@pytest.mark.parametrize(
    "name",
    [
        "=cmd|' /C calc'!A0",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        '  =HYPERLINK("http://evil.example")',
    ],
)
def test_a_formula_like_vendor_name_is_refused_and_nothing_is_imported(name):
    result = import_rows(GOOD, {**GOOD, "name": name})
    errors = errors_of(result)
    assert set(errors) == {2}
    assert "looks like a spreadsheet formula" in errors[2]["name"][0]
    assert not Vendor.objects.exists()


@pytest.mark.parametrize("column", ["notes", "references", "website"])
def test_a_formula_in_any_free_text_column_is_refused(column):
    errors = errors_of(import_rows({**GOOD, column: "=1+1"}))
    assert list(errors[1]) == [column]
    assert not Vendor.objects.exists()


def test_signed_numbers_and_ordinary_text_are_not_formulas():
    result = import_rows({**GOOD, "name": "3M Services", "notes": "Rated 4/5 - renews in May"})
    assert not result.has_validation_errors(), errors_of(result)
    assert Vendor.objects.get().notes == "Rated 4/5 - renews in May"


def test_a_negative_headcount_is_a_number_error_not_a_formula_error():
    errors = errors_of(import_rows({**GOOD, "headcount": "-5"}))
    assert "formula" not in errors[1]["headcount"][0]
