"""The vendor directory, vendor pages, in-app curation and notes."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from vendors.models import Vendor, VendorNote
from vendors.models.curation import CURATORS_GROUP

from .factories import make_vendor

pytestmark = pytest.mark.django_db
DIRECTORY = reverse("vendors:directory")


def names(response) -> list[str]:
    return [row.vendor.name for row in response.context["rows"]]


@pytest.fixture
def registry(db):
    make_vendor("Onshore Desk", lines=("service_desk",), centres=(("United Kingdom", "Leeds"),))
    make_vendor(
        "Nearshore Apps",
        lines=("application_development",),
        languages=(("Polish", "native"), ("English", "fluent")),
        centres=(("Poland", "Kraków"),),
        certs=(("iso_27001", date(2020, 1, 1)),),
    )
    make_vendor(
        "Offshore Payroll",
        models="BPO",
        lines=("payroll",),
        languages=(("English", "fluent"),),
        centres=(("India", "Pune"),),
        certs=(("soc_2", date(2099, 1, 1)),),
    )
    make_vendor("Dormant Ltd", active=False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Nearshore Apps", "Offshore Payroll", "Onshore Desk"]),
        ({"model": "BPO"}, ["Offshore Payroll"]),
        ({"service_line": "application_development"}, ["Nearshore Apps"]),
        ({"language": "English"}, ["Nearshore Apps", "Offshore Payroll", "Onshore Desk"]),
        ({"language": "English", "native": "on"}, ["Onshore Desk"]),
        ({"location_class": "onshore"}, ["Onshore Desk"]),
        ({"location_class": "nearshore"}, ["Nearshore Apps"]),
        ({"location_class": "offshore"}, ["Offshore Payroll"]),
        ({"certification": "iso_27001"}, ["Onshore Desk"]),  # Nearshore Apps' has expired
        ({"certification": "soc_2"}, ["Offshore Payroll"]),
        ({"include_inactive": "on", "q": "dormant"}, ["Dormant Ltd"]),
    ],
)
def test_the_directory_filters_by_model_line_language_location_and_certificate(
    cast, registry, query, expected
):
    response = cast.client_for("cio").get(DIRECTORY, query)
    assert response.status_code == 200
    assert names(response) == expected


def test_location_classes_are_seen_from_the_organisations_home_country(cast, registry):
    # Organisation B is in Germany: Poland is nearshore, the UK nearshore too.
    response = cast.client_for("outsider").get(DIRECTORY, {"location_class": "nearshore"})
    assert names(response) == ["Nearshore Apps", "Onshore Desk"]


def test_an_unknown_filter_value_is_explained_not_crashed_on(cast, registry):
    response = cast.client_for("manager").get(DIRECTORY, {"model": "SaaS"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_directory_is_paginated(cast):
    for n in range(30):
        make_vendor(f"Vendor {n:02d}")
    client = cast.client_for("manager")
    assert len(names(client.get(DIRECTORY))) == 25
    assert names(client.get(DIRECTORY, {"page": 2})) == [
        "Vendor 25",
        "Vendor 26",
        "Vendor 27",
        "Vendor 28",
        "Vendor 29",
    ]


def _directory_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DIRECTORY, {"model": "ITO", "language": "English"})
    assert response.status_code == 200
    return len(queries)


def test_the_directory_query_count_does_not_grow_with_the_number_of_vendors(cast):
    client = cast.client_for("manager")
    client.get(DIRECTORY)  # the first request of a session also stores the organisation
    for n in range(10):
        make_vendor(f"Vendor {n:02d}", centres=(("United Kingdom", "Leeds"), ("India", "Pune")))
    ten = _directory_queries(client)
    assert ten <= 12
    for n in range(10, 50):
        make_vendor(f"Vendor {n:02d}", centres=(("United Kingdom", "Leeds"), ("India", "Pune")))
    assert _directory_queries(client) == ten


@pytest.fixture
def curator_client(cast):
    curator = UserFactory(username="registry-curator")
    curator.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    client = cast.client_for(None)
    client.force_login(curator)
    client.user = curator
    return client


def test_a_curator_adds_a_vendor_with_its_lists_in_one_go(cast, curator_client):
    response = curator_client.post(
        reverse("vendors:vendor-create"),
        {
            "name": "  New   Co ",
            "website": "newco.example",
            "headquarters_country": "Ireland",
            "models": ["ITO", "KPO"],
            "service_lines": ["service_desk", "data_analytics"],
            "active": "on",
            "languages-TOTAL_FORMS": "2",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": "English",
            "languages-0-proficiency": "native",
            "certifications-TOTAL_FORMS": "1",
            "certifications-INITIAL_FORMS": "0",
            "certifications-0-code": "iso_27001",
            "certifications-0-expires_on": "2030-06-30",
            "centres-TOTAL_FORMS": "1",
            "centres-INITIAL_FORMS": "0",
            "centres-0-country": "Ireland",
            "centres-0-city": "Cork",
        },
    )
    vendor = Vendor.objects.get(name="New Co")
    assert response.status_code == 302
    assert response.url == reverse("vendors:vendor-detail", kwargs={"pk": vendor.pk})
    assert vendor.offered_models == ("ITO", "KPO")
    assert vendor.website == "https://newco.example"
    assert list(vendor.languages.values_list("language", "proficiency")) == [("English", "native")]
    assert vendor.certifications.get().expires_on == date(2030, 6, 30)
    assert vendor.history.get().history_user == curator_client.user


def test_a_bad_vendor_form_keeps_what_was_typed_and_saves_nothing(cast):
    make_vendor("Taken")
    response = cast.client_for("admin").post(
        reverse("vendors:vendor-create"),
        {
            "name": "taken",
            "headquarters_country": "Narnia",
            "founded": "2999",
            "languages-TOTAL_FORMS": "2",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": "English",
            "languages-0-proficiency": "native",
            "languages-1-language": "English",
            "languages-1-proficiency": "fluent",
            "certifications-TOTAL_FORMS": "1",
            "certifications-INITIAL_FORMS": "0",
            "certifications-0-code": "iso_27001",
            "centres-TOTAL_FORMS": "1",
            "centres-INITIAL_FORMS": "0",
            "centres-0-city": "Cork",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved" in page
    assert "A vendor with this name exists." in page or "already exists" in page
    assert "is not one of the available choices" in page
    assert "The same language is listed twice." in page
    assert "Give the expiry date printed on the certificate." in page
    assert "Pick the country of this delivery centre." in page
    assert 'value="Cork"' in page
    assert Vendor.objects.count() == 1


def test_a_curator_edits_a_vendor_and_the_history_shows_who_changed_what(cast, curator_client):
    vendor = make_vendor("Editable", lines=("service_desk",))
    client = curator_client
    form = client.get(reverse("vendors:vendor-edit", kwargs={"pk": vendor.pk}))
    assert form.status_code == 200
    response = client.post(
        reverse("vendors:vendor-edit", kwargs={"pk": vendor.pk}),
        {
            "name": "Editable",
            "headquarters_country": "United Kingdom",
            "models": ["ITO"],
            "service_lines": ["cybersecurity"],
            "headcount": "450",
            "active": "on",
            "languages-TOTAL_FORMS": "1",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": "English",
            "languages-0-proficiency": "native",
            "certifications-TOTAL_FORMS": "0",
            "certifications-INITIAL_FORMS": "0",
            "centres-TOTAL_FORMS": "1",
            "centres-INITIAL_FORMS": "0",
            "centres-0-country": "United Kingdom",
            "centres-0-city": "London",
        },
    )
    assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.headcount == 450
    assert list(vendor.service_lines.values_list("code", flat=True)) == ["cybersecurity"]
    assert not vendor.certifications.exists()
    page = client.get(reverse("vendors:vendor-detail", kwargs={"pk": vendor.pk})).content
    page = page.decode()
    assert "Change history" in page
    assert "registry-curator" in page and "headcount" in page
    assert "Removed service line" in page and "Added service line" in page
    # An organisation's admin sees the change but not the curator's username.
    seen_by_admin = (
        cast.client_for("admin")
        .get(reverse("vendors:vendor-detail", kwargs={"pk": vendor.pk}))
        .content.decode()
    )
    assert "headcount" in seen_by_admin and "registry-curator" not in seen_by_admin


def test_only_admins_see_the_change_history(cast):
    vendor = make_vendor("Quiet")
    page = cast.client_for("manager").get(
        reverse("vendors:vendor-detail", kwargs={"pk": vendor.pk})
    )
    assert "Change history" not in page.content.decode()


def test_a_manager_notes_a_vendor_for_their_organisation_only(cast):
    vendor = make_vendor("Noted")
    url = reverse("vendors:note-add", kwargs={"pk": vendor.pk})
    response = cast.client_for("manager").post(url, {"text": "Great references"})
    assert response.status_code == 302
    note = VendorNote.objects.get()
    assert (note.organisation, note.author, note.text) == (
        cast.org,
        cast.manager.user,
        "Great references",
    )
    empty = cast.client_for("manager").post(url, {"text": ""})
    assert empty.status_code == 400
    assert VendorNote.objects.count() == 1
