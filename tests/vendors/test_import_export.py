"""CSV/XLSX import and export of the registry: a bad file imports nothing and says why."""

import io

import pytest
import tablib
from openpyxl import Workbook

from vendors.models import Vendor
from vendors.resources import COLUMNS, MAX_IMPORT_ROWS, VendorResource

from .factories import make_vendor

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD = (
    "Acme Cloud,acme.example,United Kingdom,ITO; BPO,Service desk; payroll,"
    "English:native; French:fluent,ISO 27001:2030-01-31,United Kingdom:Leeds; India:Pune,"
    "1200,2001,strong,Call Jo,,yes"
)
SECOND = "Brio Data,,India,KPO,data_analytics,Hindi:native,,India:Pune,300,2015,,,,no"


def dataset(*lines: str, header: str = HEADER) -> tablib.Dataset:
    return tablib.Dataset().load("\n".join([header, *lines]), format="csv")


def run(data: tablib.Dataset, *, dry_run: bool = True):
    return VendorResource().import_data(data, dry_run=dry_run, raise_errors=False)


def messages_of(result) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.field_specific_errors for row in result.invalid_rows}


def test_a_good_file_imports_every_vendor_with_its_lists():
    result = run(dataset(GOOD, SECOND), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    acme = Vendor.objects.get(name="Acme Cloud")
    assert acme.offered_models == ("ITO", "BPO")
    assert acme.website == "https://acme.example"
    assert sorted(acme.service_lines.values_list("code", flat=True)) == ["payroll", "service_desk"]
    assert set(acme.languages.values_list("language", "proficiency")) == {
        ("English", "native"),
        ("French", "fluent"),
    }
    assert acme.delivery_centres.count() == 2
    assert not Vendor.objects.get(name="Brio Data").active


def test_the_dry_run_previews_and_saves_nothing():
    result = run(dataset(GOOD, SECOND))
    assert not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert not Vendor.objects.exists()


def test_every_bad_row_is_listed_with_why_and_nothing_is_imported():
    bad_country = GOOD.replace("Acme Cloud,acme.example,United Kingdom", "Acme,,Narnia")
    bad_lists = SECOND.replace("Hindi:native", "Hindi").replace("KPO", "SaaS")
    result = run(dataset(bad_country, SECOND.replace("Brio", "Cara"), bad_lists), dry_run=False)
    errors = messages_of(result)
    assert set(errors) == {1, 3}
    assert "Unknown country" in errors[1]["headquarters_country"][0]
    assert "Unknown sourcing model" in errors[3]["models"][0]
    assert "needs a" in errors[3]["languages"][0]
    assert not Vendor.objects.exists()  # the good row 2 was rolled back too


def test_a_vendor_listed_twice_in_one_file_is_refused_on_both_rows():
    result = run(dataset(GOOD, GOOD.replace("Acme Cloud", "ACME CLOUD ")), dry_run=False)
    errors = messages_of(result)
    assert set(errors) == {1, 2}
    assert "rows 1, 2" in errors[1]["name"][0]
    assert not Vendor.objects.exists()


def test_an_existing_vendor_is_updated_by_name_ignoring_case():
    make_vendor("Acme Cloud", lines=("cybersecurity",))
    result = run(dataset(GOOD.replace("Acme Cloud", "acme cloud")), dry_run=False)
    assert [row.import_type for row in result.rows] == ["update"]
    acme = Vendor.objects.get()
    assert set(acme.service_lines.values_list("code", flat=True)) == {"service_desk", "payroll"}
    assert acme.history.count() == 2  # created, then changed by the import


def test_wrong_columns_are_named_and_nothing_is_imported():
    header = HEADER.replace("headquarters_country", "hq").replace("notes", "remarks")
    result = run(dataset(GOOD, header=header), dry_run=False)
    message = str(result.base_errors[0].error)
    assert "unknown columns hq, remarks" in message
    assert "missing column headquarters_country" in message
    assert result.totals["new"] == 0
    assert not Vendor.objects.exists()


def test_a_file_of_50000_rows_is_refused_before_any_row_is_read():
    rows = [GOOD.replace("Acme Cloud", f"Vendor {n}") for n in range(50_000)]
    result = run(dataset(*rows), dry_run=False)
    message = str(result.base_errors[0].error)
    assert f"The file has 50,000 rows; at most {MAX_IMPORT_ROWS:,} vendors" in message
    assert result.rows == []
    assert not Vendor.objects.exists()


def test_an_export_reads_back_unchanged():
    make_vendor(
        "Acme Cloud",
        models="ITO KPO",
        lines=("service_desk", "data_analytics"),
        languages=(("English", "native"), ("German", "fluent")),
    )
    exported = VendorResource().export()
    assert exported.headers == list(COLUMNS)
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["models"] == "ITO; KPO"
    assert row["languages"] == "English:native; German:fluent"
    before = Vendor.objects.get().history.count()
    result = run(tablib.Dataset().load(exported.export("csv"), format="csv"), dry_run=False)
    assert not result.has_validation_errors()
    assert Vendor.objects.get().history.count() == before + 1  # saved, nothing else changed
    assert set(Vendor.objects.get().languages.values_list("language", flat=True)) == {
        "English",
        "German",
    }


def test_an_xlsx_file_imports_like_a_csv():
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append(
        [
            "Acme Cloud",
            "",
            "United Kingdom",
            "ITO",
            "Service desk",
            "English:native",
            "",
            "United Kingdom:Leeds",
            1200.0,
            2001,
            "",
            "",
            "",
            "yes",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    data = tablib.Dataset().load(buffer.getvalue(), format="xlsx")
    result = run(data, dry_run=False)
    assert not result.has_validation_errors(), messages_of(result)
    assert Vendor.objects.get().headcount == 1200


def test_the_export_neutralises_text_a_spreadsheet_would_run_as_a_formula():
    make_vendor('=HYPERLINK("http://evil.example","Click")', models="ITO")
    exported = VendorResource().export()
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["models"] == "ITO"
