"""Django admin for registry curators (superusers here); import previews every bad row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from vendors.models import Vendor
from vendors.resources import COLUMNS

from .factories import make_vendor

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:vendors_vendor_changelist")
IMPORT = reverse("admin:vendors_vendor_import")
HEADER = ",".join(COLUMNS)
GOOD = (
    "Acme Cloud,acme.example,United Kingdom,ITO,Service desk,English:native,"
    "ISO 27001:2030-01-31,United Kingdom:Leeds,1200,2001,strong,,,yes"
)
CSV, XLSX = "0", "1"  # the order of VendorAdmin.formats


@pytest.fixture
def operator(cast):
    """The platform operator: a superuser, hence a registry curator."""
    client = cast.client_for(None)
    client.user = UserFactory(username="operator", is_staff=True, is_superuser=True)
    client.force_login(client.user)
    return client


def upload(client, content: bytes, name: str = "vendors.csv", file_format: str = CSV):
    return client.post(
        IMPORT,
        {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def test_a_curator_curates_vendors_with_filters(cast, operator):
    make_vendor("Listed Co", lines=("payroll",))
    client = operator
    assert client.get(CHANGELIST).status_code == 200
    filtered = client.get(
        CHANGELIST,
        {
            "service_line": "payroll",
            "model": "ITO",
            "certification": "iso_27001",
            "country": "United Kingdom",
            "language": "English",
        },
    )
    assert filtered.status_code == 200
    assert "Listed Co" in filtered.content.decode()
    vendor = Vendor.objects.get()
    change = client.get(reverse("admin:vendors_vendor_change", args=[vendor.pk]))
    assert change.status_code == 200
    assert "Delivery centres" in change.content.decode()
    history = client.get(reverse("admin:vendors_vendor_history", args=[vendor.pk]))
    assert history.status_code == 200


def test_staff_who_are_not_curators_cannot_touch_vendors(cast):
    staff_manager = UserFactory(username="staff-manager", is_staff=True)
    MembershipFactory(user=staff_manager, organisation=cast.org)
    client = cast.client_for(None)
    client.force_login(staff_manager)
    # Refused either by the admin site (superusers only) or by the registry's own check.
    assert client.get(CHANGELIST).status_code in (302, 403)
    assert client.get(IMPORT).status_code in (302, 403)
    # An organisation's admin, even with staff status, is no registry curator.
    assert cast.client_for("admin").get(CHANGELIST).status_code in (302, 403)


def test_people_without_staff_status_are_sent_to_the_admin_login(cast):
    response = cast.client_for("manager").get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_a_good_file_is_previewed_then_confirmed(cast, operator):
    client = operator
    preview = upload(client, f"{HEADER}\n{GOOD}\n".encode())
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Confirm import" in page
    assert not Vendor.objects.exists()  # a preview saves nothing
    form = preview.context["confirm_form"]
    confirm = client.post(
        reverse("admin:vendors_vendor_process_import"), {**form.initial, "resource": "0"}
    )
    assert confirm.status_code == 302
    vendor = Vendor.objects.get()
    assert vendor.history.get().history_user == operator.user


def test_the_preview_lists_every_bad_row_and_offers_no_confirmation(cast, operator):
    bad = (
        f"{HEADER}\n{GOOD.replace('United Kingdom,ITO', 'Atlantis,ITO')}\n"
        f"{GOOD.replace('Acme Cloud', 'Brio').replace('English:native', 'English')}\n"
        f"{GOOD.replace('Acme Cloud', 'Cara')}\n"
    )
    response = upload(operator, bad.encode())
    page = response.content.decode()
    assert "Confirm import" not in page
    assert "Unknown country" in page
    assert "needs a" in page
    assert [row.number for row in response.context["result"].invalid_rows] == [1, 2]
    assert not Vendor.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_in_words(cast, operator):
    content = f"{HEADER}\n{GOOD.replace('Acme Cloud', 'Café Crème')}\n".encode("latin-1")
    response = upload(operator, content)
    page = response.content.decode()
    assert "The file is not UTF-8 text" in page
    assert "Nothing was imported" in page
    assert not Vendor.objects.exists()


def test_wrong_columns_are_named_without_a_traceback(cast, operator):
    response = upload(operator, b"vendor,country\nAcme,UK\n")
    page = response.content.decode()
    assert "The columns are wrong" in page
    assert "unknown columns vendor, country" in page
    assert "Traceback" not in page
    assert not Vendor.objects.exists()


def test_an_excel_file_that_is_not_a_workbook_is_refused(cast, operator):
    response = upload(operator, b"not a workbook", name="vendors.xlsx", file_format=XLSX)
    assert "could not be read as the chosen format" in response.content.decode()


# django-import-export 4.4 warns about its own default when items are posted for export.
@pytest.mark.filterwarnings("ignore:The 'get_valid_export_item_pks:DeprecationWarning")
def test_the_registry_exports_as_csv(cast, operator):
    make_vendor("Exported Co", languages=(("English", "native"), ("French", "fluent")))
    client = operator
    response = client.post(
        reverse("admin:vendors_vendor_export"),
        {
            "resource": "0",
            "format": CSV,
            "export_items": [Vendor.objects.get().pk],
            **{f"vendorresource_{column}": "on" for column in COLUMNS},
        },
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER
    assert "English:native; French:fluent" in text
