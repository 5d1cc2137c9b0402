"""The vendor registry over /api/v1/: members read, curators edit, admins propose, and an
organisation's notes, rating and tags stay its own."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, UserFactory
from tests.vendors.factories import make_vendor
from vendors.models import (
    ChangeStatus,
    Vendor,
    VendorChangeProposal,
    VendorNote,
    VendorRating,
    VendorTag,
)
from vendors.models.curation import CURATORS_GROUP

from .conftest import api_client, token_for

pytestmark = pytest.mark.django_db
VENDORS = "/api/v1/vendors/"
CHANGES = "/api/v1/vendor-changes/"
CURATION = "/api/v1/vendor-curation/"


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
        hq="India",
    )
    make_vendor("Dormant Ltd", active=False)


@pytest.fixture
def curator(cast):
    """A registry curator who is also a CIO of organisation A: curating does not depend
    on the role in an organisation."""
    membership = MembershipFactory(
        user=UserFactory(username="registry-curator"), organisation=cast.org, role="cio"
    )
    membership.user.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    return api_client(token_for(membership))


@pytest.fixture
def b_admin(cast):
    return MembershipFactory(
        user=UserFactory(username="b-admin"), organisation=cast.other_org, role="admin"
    )


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


def record(name: str = "Initech", **fields) -> dict:
    return {
        "name": name,
        "headquarters_country": "United Kingdom",
        "models": ["ITO"],
        "service_lines": ["service_desk"],
        "languages": [{"language": "English", "proficiency": "native"}],
        "certifications": [{"code": "iso_27001", "expires_on": "2099-12-31"}],
        "delivery_centres": [{"country": "United Kingdom", "city": "London"}],
        **fields,
    }


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Nearshore Apps", "Offshore Payroll", "Onshore Desk"]),
        ({"model": "BPO"}, ["Offshore Payroll"]),
        ({"service_line": "application_development"}, ["Nearshore Apps"]),
        ({"country": "Poland"}, ["Nearshore Apps"]),
        ({"headquarters_country": "India"}, ["Offshore Payroll"]),
        ({"language": "English", "native": "true"}, ["Onshore Desk"]),
        ({"location_class": "offshore"}, ["Offshore Payroll"]),
        ({"certification": "iso_27001"}, ["Onshore Desk"]),  # Nearshore Apps' has expired
        ({"search": "shore"}, ["Nearshore Apps", "Offshore Payroll", "Onshore Desk"]),
        ({"include_inactive": "true", "search": "dormant"}, ["Dormant Ltd"]),
    ],
)
def test_members_list_the_registry_with_the_directorys_filters(
    cast, tokens, registry, query, expected
):
    assert names(api_client(tokens["cio"]).get(VENDORS, query)) == expected


@pytest.mark.parametrize(
    "query", [{"service_line": "knitting"}, {"country": "Atlantis"}, {"model": "XYZ"}]
)
def test_an_unknown_filter_value_is_a_400_in_words(tokens, registry, query):
    response = api_client(tokens["manager"]).get(VENDORS, query)
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert response.json()["errors"][0]["attr"] == next(iter(query))


def test_a_vendor_shows_its_lines_languages_certificates_and_classed_centres(cast, tokens):
    vendor = make_vendor(
        "Alpha",
        lines=("service_desk", "cybersecurity"),
        centres=(("United Kingdom", "Leeds"), ("India", "Pune")),
        certs=(("iso_27001", date(2099, 1, 1)), ("soc_2", date(2020, 1, 1))),
    )
    body = api_client(tokens["cio"]).get(f"{VENDORS}{vendor.pk}/").json()
    assert [line["code"] for line in body["service_lines"]] == ["cybersecurity", "service_desk"]
    assert body["languages"] == [{"language": "English", "proficiency": "native"}]
    assert {(c["code"], c["valid"]) for c in body["certifications"]} == {
        ("iso_27001", True),
        ("soc_2", False),
    }
    # Organisation A's home is the United Kingdom.
    assert {(c["city"], c["location_class"]) for c in body["delivery_centres"]} == {
        ("Leeds", "onshore"),
        ("Pune", "offshore"),
    }
    assert body["own"] == {"rating": None, "tags": [], "notes": []}


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(VENDORS, {"model": "ITO", "page_size": 200})
    assert response.status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow_with_the_number_of_vendors(cast, tokens):
    client = api_client(tokens["manager"])
    for n in range(5):
        make_vendor(f"Vendor {n:02d}", centres=(("United Kingdom", "Leeds"), ("India", "Pune")))
    five = _list_queries(client)
    for n in range(5, 40):
        make_vendor(f"Vendor {n:02d}", centres=(("United Kingdom", "Leeds"), ("India", "Pune")))
    assert _list_queries(client) == five


def test_an_unknown_or_absurd_vendor_id_is_a_404(tokens):
    client = api_client(tokens["manager"])
    assert client.get(f"{VENDORS}999999/").status_code == 404
    assert client.get(f"{VENDORS}{'9' * 40}/").status_code == 404


def test_the_registry_is_for_signed_in_members_only(registry):
    response = APIClient().get(VENDORS)
    assert response.status_code == 401
    assert response.json()["type"] == "client_error"


# ---------------------------------------------------------------- an organisation's own data


def test_notes_rating_and_tags_are_seen_by_their_organisation_only(cast, tokens):
    vendor = make_vendor("Initech")
    manager = api_client(tokens["manager"])
    note = manager.post(
        f"{VENDORS}{vendor.pk}/notes/", {"text": "  Slow to answer.  "}, format="json"
    )
    assert note.status_code == 201 and note.json()["text"] == "Slow to answer."
    private = manager.put(
        f"{VENDORS}{vendor.pk}/private/",
        {"rating": 2, "tags": ["on watch", "On Watch", "EU data"]},
        format="json",
    )
    assert private.status_code == 200
    assert private.json()["rating"] == 2 and sorted(private.json()["tags"]) == [
        "EU data",
        "on watch",
    ]
    own = api_client(tokens["cio"]).get(f"{VENDORS}{vendor.pk}/").json()["own"]
    assert own["rating"] == 2 and own["notes"][0]["text"] == "Slow to answer."

    outsider = api_client(tokens["outsider"])
    theirs = outsider.get(f"{VENDORS}{vendor.pk}/")
    assert theirs.json()["own"] == {"rating": None, "tags": [], "notes": []}
    assert "Slow to answer" not in theirs.content.decode()
    assert "on watch" not in outsider.get(VENDORS).content.decode()
    # Another organisation's tag finds nothing; the organisation's own finds the vendor.
    assert names(outsider.get(VENDORS, {"tag": "on watch"})) == []
    assert names(manager.get(VENDORS, {"tag": "ON WATCH"})) == ["Initech"]


def test_the_outsiders_own_data_is_kept_apart_from_organisation_as(cast, tokens):
    vendor = make_vendor("Initech")
    api_client(tokens["manager"]).put(
        f"{VENDORS}{vendor.pk}/private/", {"rating": 5, "tags": ["preferred"]}, format="json"
    )
    api_client(tokens["outsider"]).put(
        f"{VENDORS}{vendor.pk}/private/", {"rating": 1, "tags": []}, format="json"
    )
    assert dict(VendorRating.objects.values_list("organisation", "rating")) == {
        cast.org.pk: 5,
        cast.other_org.pk: 1,
    }
    assert api_client(tokens["cio"]).get(f"{VENDORS}{vendor.pk}/").json()["own"]["rating"] == 5


@pytest.mark.parametrize("who", ["cio", "read_only"])
def test_a_cio_or_a_read_only_token_cannot_note_rate_or_tag(cast, tokens, who):
    vendor = make_vendor("Initech")
    client = api_client(tokens[who])
    assert (
        client.post(f"{VENDORS}{vendor.pk}/notes/", {"text": "x"}, format="json").status_code == 403
    )
    response = client.put(
        f"{VENDORS}{vendor.pk}/private/", {"rating": 3, "tags": ["x"]}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    assert not VendorNote.objects.exists() and not VendorRating.objects.exists()


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"rating": 6, "tags": []}, "rating"),
        ({"rating": "five", "tags": []}, "rating"),
        ({"rating": None, "tags": ["a, b"]}, "tags"),
        ({"rating": None, "tags": ["x" * 41]}, "tags"),
        ({"rating": None, "tags": [f"t{n}" for n in range(21)]}, "tags"),
        ({"rating": 3, "tags": [], "colour": "red"}, "colour"),
    ],
)
def test_bad_private_data_is_refused_in_words_and_nothing_is_saved(cast, tokens, body, attr):
    vendor = make_vendor("Initech")
    response = api_client(tokens["manager"]).put(
        f"{VENDORS}{vendor.pk}/private/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr
    assert response.json()["errors"][0]["detail"]
    assert not VendorRating.objects.exists() and not VendorTag.objects.exists()


# ---------------------------------------------------------------- curators edit


def test_a_curator_adds_and_changes_a_vendor_and_the_history_says_why(cast, curator):
    created = curator.post(VENDORS, {**record(), "reason": "From its annual report"}, format="json")
    assert created.status_code == 201, created.json()
    vendor = Vendor.objects.get(name="Initech")
    assert created.json()["id"] == vendor.pk
    assert vendor.history.first().history_change_reason == "From its annual report"

    changed = curator.patch(
        f"{VENDORS}{vendor.pk}/",
        {
            "headcount": 1500,
            "languages": [{"language": "German", "proficiency": "fluent"}],
            "reason": "Annual report 2026",
        },
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    vendor.refresh_from_db()
    assert vendor.headcount == 1500 and vendor.name == "Initech"  # the rest is kept
    assert list(vendor.languages.values_list("language", flat=True)) == ["German"]
    assert list(vendor.service_lines.values_list("code", flat=True)) == ["service_desk"]
    assert vendor.history.first().history_change_reason == "Annual report 2026"


def test_a_curator_without_an_organisation_reads_and_edits_the_registry(cast, registry):
    user = UserFactory(username="platform-curator")
    user.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    client = APIClient()
    client.force_login(user)
    assert "Onshore Desk" in names(client.get(VENDORS))
    vendor = Vendor.objects.get(name="Onshore Desk")
    assert client.get(f"{VENDORS}{vendor.pk}/").json()["own"] is None
    assert (
        client.patch(f"{VENDORS}{vendor.pk}/", {"founded": 1999}, format="json").status_code == 200
    )
    # Notes are an organisation's: a curator outside any has none to write.
    assert (
        client.post(f"{VENDORS}{vendor.pk}/notes/", {"text": "x"}, format="json").status_code == 403
    )


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        (record("EXISTING CO"), "non_field_errors"),  # the name is taken, whatever its case
        (record(headcount="many"), "headcount"),
        (record(headcount=10**30), "headcount"),
        (record(founded=1700), "founded"),
        (record(website="not a site"), "website"),
        (record(models=["ITO", "XYZ"]), "models.1"),
        (
            record(languages=[{"language": "English", "proficiency": "native", "x": 1}]),
            "languages.0.x",
        ),
        (
            record(certifications=[{"code": "iso_27001", "expires_on": "31/12/2099"}]),
            "certifications.0.expires_on",
        ),
        (
            record(
                delivery_centres=[
                    {"country": "Poland", "city": "Kraków"},
                    {"country": "Poland", "city": "Kraków"},
                ]
            ),
            "delivery_centres",
        ),
        ({**record(), "colour": "red"}, "colour"),
        ({"headquarters_country": "United Kingdom"}, "name"),
    ],
)
def test_a_bad_record_is_refused_in_words_and_nothing_is_saved(cast, curator, body, attr):
    make_vendor("Existing Co")
    before = Vendor.history.count()
    response = curator.post(VENDORS, body, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["errors"][0]
    assert error["attr"] == attr and error["detail"]
    assert Vendor.objects.count() == 1 and Vendor.history.count() == before


def test_a_deeply_nested_or_broken_body_is_a_400_not_a_500(curator):
    deep = "[" * 10000 + "]" * 10000
    response = curator.post(VENDORS, deep, content_type="application/json")
    assert response.status_code == 400
    assert curator.post(VENDORS, "{broken", content_type="application/json").status_code == 400
    assert not Vendor.objects.exists()


# ---------------------------------------------------------------- admins propose


@pytest.mark.parametrize("who", ["admin", "manager", "cio", "read_only"])
def test_only_curators_write_the_record_itself(cast, tokens, who):
    vendor = make_vendor("Initech")
    client = api_client(tokens[who])
    created = client.post(VENDORS, record("Other"), format="json")
    changed = client.patch(f"{VENDORS}{vendor.pk}/", {"name": "Initrode"}, format="json")
    assert created.status_code == changed.status_code == 403
    if who == "admin":
        assert "/api/v1/vendor-changes/" in changed.json()["errors"][0]["detail"]
    assert list(Vendor.objects.values_list("name", flat=True)) == ["Initech"]


def test_an_admin_proposes_a_change_and_the_record_waits_for_a_curator(cast, tokens):
    vendor = make_vendor("Initech")
    response = api_client(tokens["admin"]).post(
        CHANGES,
        {"vendor": vendor.pk, "proposed": {"name": "Initrode"}, "reason": "Renamed in 2025"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["vendor"] == vendor.pk
    assert body["changes"] == [{"field": "Name", "old": "Initech", "new": "Initrode"}]
    proposal = VendorChangeProposal.objects.get()
    assert (proposal.organisation, proposal.proposed_by) == (cast.org, cast.admin.user)
    vendor.refresh_from_db()
    assert vendor.name == "Initech"
    # Every member of the organisation reads its proposals.
    listed = api_client(tokens["cio"]).get(CHANGES).json()["results"]
    assert [item["id"] for item in listed] == [proposal.pk]


def test_an_admin_proposes_a_new_vendor(cast, tokens):
    response = api_client(tokens["admin"]).post(
        CHANGES,
        {"vendor": None, "proposed": record("Hooli"), "reason": "We met them"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["is_new_vendor"] is True
    assert not Vendor.objects.exists()


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"proposed": {"name": "Initrode"}}, "reason"),
        ({"proposed": {"name": "Initrode"}, "reason": "   "}, "reason"),
        ({"proposed": {}, "reason": "No change"}, "non_field_errors"),
        ({"proposed": {"name": "Initech"}, "reason": "Same name"}, "non_field_errors"),
        ({"proposed": {"founded": 3000}, "reason": "Typo"}, "founded"),
        ({"proposed": {"nmae": "Initrode"}, "reason": "Typo"}, "proposed.nmae"),
    ],
)
def test_a_proposal_without_a_reason_or_a_change_is_refused(cast, tokens, body, attr):
    vendor = make_vendor("Initech")
    response = api_client(tokens["admin"]).post(
        CHANGES, {"vendor": vendor.pk, **body}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert response.json()["errors"][0]["attr"] == attr
    assert not VendorChangeProposal.objects.exists()


def test_a_proposal_for_an_unknown_vendor_is_a_400(tokens):
    response = api_client(tokens["admin"]).post(
        CHANGES, {"vendor": 999999, "proposed": {"name": "X"}, "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "vendor"


@pytest.mark.parametrize("who", ["manager", "cio", "read_only"])
def test_only_admins_propose(cast, tokens, who):
    vendor = make_vendor("Initech")
    response = api_client(tokens[who]).post(
        CHANGES,
        {"vendor": vendor.pk, "proposed": {"name": "Initrode"}, "reason": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert not VendorChangeProposal.objects.exists()


def test_no_organisation_sees_another_organisations_proposals(cast, tokens, b_admin):
    vendor = make_vendor("Initech")
    api_client(token_for(b_admin)).post(
        CHANGES,
        {"vendor": vendor.pk, "proposed": {"headcount": 5}, "reason": "B's secret plan"},
        format="json",
    )
    proposal = VendorChangeProposal.objects.get()
    client = api_client(tokens["admin"])
    assert client.get(CHANGES).json()["results"] == []
    assert client.get(f"{CHANGES}{proposal.pk}/").status_code == 404
    assert api_client(token_for(b_admin)).get(f"{CHANGES}{proposal.pk}/").status_code == 200


# ---------------------------------------------------------------- curators decide


def test_a_curator_accepts_a_proposal_seeing_the_organisation_not_the_proposer(
    cast, curator, b_admin
):
    vendor = make_vendor("Initech")
    api_client(token_for(b_admin)).post(
        CHANGES,
        {"vendor": vendor.pk, "proposed": {"name": "Initrode"}, "reason": "Renamed"},
        format="json",
    )
    proposal = VendorChangeProposal.objects.get()
    queue = curator.get(CURATION)
    assert queue.status_code == 200
    item = queue.json()["results"][0]
    assert item["organisation"] == "Organisation B" and item["reason"] == "Renamed"
    assert "b-admin" not in queue.content.decode()
    accepted = curator.post(f"{CURATION}{proposal.pk}/accept/", {"note": "Checked"}, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    vendor.refresh_from_db()
    assert vendor.name == "Initrode"
    assert vendor.history.first().history_change_reason == (
        f"Change proposal #{proposal.pk} accepted: Checked"
    )
    again = curator.post(f"{CURATION}{proposal.pk}/accept/", {}, format="json")
    assert again.status_code == 400 and "already accepted" in again.json()["errors"][0]["detail"]


def test_a_rejection_needs_a_note_and_leaves_the_record(cast, curator, tokens):
    vendor = make_vendor("Initech")
    api_client(tokens["admin"]).post(
        CHANGES,
        {"vendor": vendor.pk, "proposed": {"name": "Initrode"}, "reason": "Renamed"},
        format="json",
    )
    proposal = VendorChangeProposal.objects.get()
    refused = curator.post(f"{CURATION}{proposal.pk}/reject/", {"note": " "}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["attr"] == "note"
    rejected = curator.post(f"{CURATION}{proposal.pk}/reject/", {"note": "Not yet"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    proposal.refresh_from_db()
    vendor.refresh_from_db()
    assert (proposal.status, vendor.name) == (ChangeStatus.REJECTED, "Initech")
    # The proposing organisation reads the decision, without the curator's name.
    mine = api_client(tokens["cio"]).get(f"{CHANGES}{proposal.pk}/").json()
    assert mine["decision_note"] == "Not yet" and "registry-curator" not in str(mine)


@pytest.mark.parametrize("who", ["admin", "manager", "cio"])
def test_the_curation_queue_is_for_curators_only(cast, tokens, who):
    vendor = make_vendor("Initech")
    api_client(tokens["admin"]).post(
        CHANGES,
        {"vendor": vendor.pk, "proposed": {"name": "Initrode"}, "reason": "Renamed"},
        format="json",
    )
    proposal = VendorChangeProposal.objects.get()
    client = api_client(tokens[who])
    assert client.get(CURATION).status_code == 403
    assert client.post(f"{CURATION}{proposal.pk}/accept/", {}, format="json").status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ChangeStatus.PENDING


def test_a_curators_read_only_token_cannot_decide(cast, tokens):
    membership = MembershipFactory(
        user=UserFactory(username="ro-curator"), organisation=cast.org, role="admin"
    )
    membership.user.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    vendor = make_vendor("Initech")
    api_client(tokens["admin"]).post(
        CHANGES,
        {"vendor": vendor.pk, "proposed": {"name": "Initrode"}, "reason": "Renamed"},
        format="json",
    )
    proposal = VendorChangeProposal.objects.get()
    client = api_client(token_for(membership, read_only=True))
    assert client.get(CURATION).status_code == 200
    assert client.post(f"{CURATION}{proposal.pk}/accept/", {}, format="json").status_code == 403
    assert client.patch(f"{VENDORS}{vendor.pk}/", {"name": "X"}, format="json").status_code == 403
    vendor.refresh_from_db()
    assert vendor.name == "Initech"
