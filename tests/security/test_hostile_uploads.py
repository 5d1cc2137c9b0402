"""Hostile files through the pages that receive them: the wizard's inventory upload, the
SLA measurement upload, the admin vendor import and `manage.py assess`. Each refuses in
words on the page (never a 500), saves nothing, and keeps the page small however many
problems the file has."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import WizardStep
from contracts.models import Measurement
from tests.assessments.builders import make_assessment
from tests.contracts.builders import add_worked_slas, make_contract
from tests.factories import UserFactory
from vendors.models import Vendor
from vendors.resources import COLUMNS

from .crafted import HEADERS, compressible_sheet, wide_csv_header, wide_header
from .measure import MEGABYTE, measured

pytestmark = pytest.mark.django_db
PAGE_BOUND = 200_000  # bytes: the page with its list of problems, layout included


@pytest.fixture
def draft(cast):
    return make_assessment(cast.manager, wizard_step=WizardStep.INVENTORY)


@pytest.fixture
def contract(cast):
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    return contract


def inventory_upload(cast, draft, name: str, data: bytes):
    return cast.client_for("manager").post(
        reverse("assessments:inventory-import", args=[draft.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def measurement_upload(cast, contract, name: str, data: bytes):
    return cast.client_for("manager").post(
        reverse("contracts:import-measurements", args=[contract.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def vendor_upload(cast, name: str, data: bytes, file_format: str):
    """The registry import is for platform operators (superusers are registry curators)."""
    operator = cast.client_for(None)
    operator.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return operator.post(
        reverse("admin:vendors_vendor_import"),
        {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, data)},
    )


# ---------------------------------------------------------------- inventory


def test_a_bomb_sent_to_the_inventory_import_is_refused_on_the_page(cast, draft):
    response = inventory_upload(cast, draft, "bomb.xlsx", compressible_sheet(HEADERS["inventory"]))
    page = response.content.decode()
    assert response.status_code == 400
    assert "times its packed size; the limit is 100 times" in page
    assert not draft.processes.exists()


@pytest.mark.parametrize(
    ("name", "build"), [("wide.csv", wide_csv_header), ("wide.xlsx", wide_header)]
)
def test_a_header_of_200000_unknown_columns_gives_a_short_page(cast, draft, name, build):
    response = inventory_upload(cast, draft, name, build(HEADERS["inventory"]))
    assert response.status_code == 400
    assert len(response.content) < PAGE_BOUND  # it was 81 MB


def test_thousands_of_bad_rows_list_the_first_fifty_and_count_the_rest(cast, draft):
    lines = ["name,annual_cost,volume", *(f"Process {n},-1,9" for n in range(5_000))]
    response = inventory_upload(cast, draft, "bad.csv", "\n".join(lines).encode())
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("must be greater than zero") + page.count("whole number from 1 to 5") == 50
    assert "9,950 more problems, not listed here" in page
    assert len(response.content) < PAGE_BOUND


def assess(path) -> str:
    try:
        call_command("assess", str(path))
    except CommandError as error:
        return str(error)
    return "assessed"


def test_the_assess_command_refuses_a_bomb_and_never_reads_a_huge_file_whole(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(compressible_sheet(HEADERS["inventory"]))
    assert "times its packed size" in assess(bomb)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as file:
        file.truncate(300 * MEGABYTE)  # sparse: 300 MB on paper, nothing on disk
    result = measured(lambda: assess(huge))
    assert "The file is 300.0 MB, above the 5 MB limit" in result.outcome
    assert result.peak_growth < 50 * MEGABYTE


# ---------------------------------------------------------------- measurements


def test_a_bomb_sent_to_the_measurement_import_is_refused_on_the_page(cast, contract):
    response = measurement_upload(
        cast, contract, "bomb.xlsx", compressible_sheet(HEADERS["measurements"])
    )
    assert "times its packed size; the limit is 100 times" in response.content.decode()
    assert not Measurement.objects.exists()


def test_thousands_of_bad_measurement_rows_list_the_first_fifty(cast, contract):
    lines = ["sla,period,actual", *(f"Nonexistent {n},2025-01,1" for n in range(3_000))]
    response = measurement_upload(cast, contract, "bad.csv", "\n".join(lines).encode())
    page = response.content.decode()
    assert "Nothing was saved: 3,000 rows need fixing." in page
    assert page.count("unknown SLA") == 50
    assert "2,950 more rows to fix, not listed here" in page
    assert len(response.content) < PAGE_BOUND
    assert not Measurement.objects.exists()


# ---------------------------------------------------------------- vendor registry (admin)

CSV, XLSX = "0", "1"  # the order of VendorAdmin.formats


def test_a_bomb_sent_to_the_admin_vendor_import_is_refused_on_the_page(cast):
    response = vendor_upload(cast, "bomb.xlsx", compressible_sheet(HEADERS["vendors"]), XLSX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "times its packed size; the limit is 100 times" in page
    assert "Nothing was imported" in page
    assert "Confirm import" not in page
    assert not Vendor.objects.exists()


def test_a_vendor_file_over_the_size_limit_is_refused_before_it_is_read(cast):
    response = vendor_upload(
        cast, "big.csv", b"name,headquarters_country\n" + b"x" * 6_000_000, CSV
    )
    assert "The file is 5.7 MB; the limit is 5.0 MB" in response.content.decode()


def test_a_vendor_file_of_many_bad_rows_previews_the_first_fifty(cast):
    lines = [",".join(COLUMNS)] + [
        f"Vendor {n},,Atlantis{',' * (len(COLUMNS) - 3)}" for n in range(200)
    ]
    response = vendor_upload(cast, "bad.csv", "\n".join(lines).encode(), CSV)
    invalid = response.context["result"].invalid_rows
    assert [row.number for row in invalid[:50]] == list(range(1, 51))
    assert "150 more rows have problems" in invalid[-1].error.messages[0]
    assert len(invalid) == 51
    assert not Vendor.objects.exists()


def test_a_vendor_header_of_unknown_columns_names_ten_and_counts_the_rest(cast):
    header = ",".join(["name", "headquarters_country", *(f"extra{n}" for n in range(25))])
    response = vendor_upload(cast, "wide.csv", f"{header}\nAcme,India\n".encode(), CSV)
    page = response.content.decode()
    assert "unknown columns extra0, extra1" in page
    assert "extra9 and 15 more" in page and "extra10" not in page
