"""The shared registry has curators: organisations propose, curators decide, nothing in use
is deleted, and an organisation's own data about a vendor stays its own."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from contracts.models import Contract
from tests.contracts.builders import make_contract
from tests.factories import MembershipFactory, UserFactory
from vendors import services
from vendors.models import (
    ChangeStatus,
    Vendor,
    VendorChangeProposal,
    VendorNote,
    VendorRating,
    VendorTag,
)
from vendors.models.curation import CURATORS_GROUP
from vendors.selectors.references import vendor_in_use

from .factories import make_event, make_vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(db):
    user = UserFactory(username="registry-curator")
    user.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    return user


@pytest.fixture
def globex_admin(cast):
    return MembershipFactory(
        user=UserFactory(username="b-admin"), organisation=cast.other_org, role="admin"
    )


def client_of(cast, user):
    client = cast.client_for(None)
    client.force_login(user)
    return client


def edit_post(vendor_name: str, *, active: bool = True, reason: str = "Renamed in 2025"):
    data = {
        "name": vendor_name,
        "headquarters_country": "United Kingdom",
        "models": ["ITO"],
        "service_lines": ["service_desk"],
        "reason": reason,
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "1",
        "languages-0-language": "English",
        "languages-0-proficiency": "native",
        "certifications-TOTAL_FORMS": "1",
        "certifications-INITIAL_FORMS": "1",
        "certifications-0-code": "iso_27001",
        "certifications-0-expires_on": "2099-12-31",
        "centres-TOTAL_FORMS": "1",
        "centres-INITIAL_FORMS": "1",
        "centres-0-country": "United Kingdom",
        "centres-0-city": "London",
    }
    if active:
        data["active"] = "on"
    return data


def acme_contract(cast, vendor: Vendor) -> Contract:
    return make_contract(cast.manager, vendor=vendor)


def test_an_organisation_admin_who_renames_a_vendor_makes_a_proposal_instead(cast, globex_admin):
    vendor = make_vendor("Initech")
    client = client_of(cast, globex_admin.user)
    url = reverse("vendors:vendor-edit", kwargs={"pk": vendor.pk})
    response = client.post(url, edit_post("Initrode"))
    proposal = VendorChangeProposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("vendors:change-detail", kwargs={"pk": proposal.pk})
    vendor.refresh_from_db()
    assert vendor.name == "Initech"
    assert (proposal.organisation, proposal.proposed_by, proposal.status) == (
        cast.other_org,
        globex_admin.user,
        ChangeStatus.PENDING,
    )
    assert proposal.proposed["name"] == "Initrode"


def test_an_organisation_admin_cannot_deactivate_or_delete_a_vendor(cast, globex_admin):
    vendor = make_vendor("Initech")
    client = client_of(cast, globex_admin.user)
    client.post(
        reverse("vendors:vendor-edit", kwargs={"pk": vendor.pk}),
        edit_post("Initech", active=False, reason="They stopped trading"),
    )
    for name in ("vendor-deactivate", "vendor-delete", "vendor-merge"):
        response = client.post(
            reverse(f"vendors:{name}", kwargs={"pk": vendor.pk}),
            {"deactivate-reason": "x", "delete-reason": "x"},
        )
        assert response.status_code == 403, name
    vendor.refresh_from_db()
    assert vendor.active
    assert VendorChangeProposal.objects.get().proposed["active"] is False


def test_a_proposal_without_a_reason_or_without_a_change_is_refused(cast, globex_admin):
    vendor = make_vendor("Initech")
    client = client_of(cast, globex_admin.user)
    url = reverse("vendors:vendor-edit", kwargs={"pk": vendor.pk})
    assert client.post(url, edit_post("Initrode", reason="")).status_code == 400
    unchanged = client.post(url, edit_post("Initech"))
    assert unchanged.status_code == 400
    assert "Nothing was changed" in unchanged.content.decode()
    assert not VendorChangeProposal.objects.exists()


def test_a_curator_accepts_a_proposal_and_the_history_says_why(cast, globex_admin, curator):
    vendor = make_vendor("Initech")
    client_of(cast, globex_admin.user).post(
        reverse("vendors:vendor-edit", kwargs={"pk": vendor.pk}), edit_post("Initrode")
    )
    proposal = VendorChangeProposal.objects.get()
    # A curator changes another field meanwhile: accepting must not undo it.
    services.vendor_save(
        vendor=vendor,
        data={"headcount": 900},
        details=services.VendorDetails(
            service_lines=["service_desk"],
            languages=[("English", "native")],
            certifications=[("iso_27001", date(2099, 12, 31))],
            centres=[("United Kingdom", "London")],
        ),
        user=curator,
        reason="Annual report",
    )
    curator_client = client_of(cast, curator)
    review = reverse("vendors:curation-review", kwargs={"pk": proposal.pk})
    page = curator_client.get(review).content.decode()
    assert "Organisation B" in page and "Renamed in 2025" in page
    assert "b-admin" not in page
    response = curator_client.post(review, {"decision": "accept", "note": "Checked the site"})
    assert response.status_code == 302
    vendor.refresh_from_db()
    proposal.refresh_from_db()
    assert (vendor.name, vendor.headcount) == ("Initrode", 900)
    assert (proposal.status, proposal.decided_by) == (ChangeStatus.ACCEPTED, curator)
    latest = vendor.history.latest()
    assert latest.history_user == curator
    assert latest.history_change_reason == (
        f"Change proposal #{proposal.pk} accepted: Checked the site"
    )
    acme_page = (
        cast.client_for("admin")
        .get(reverse("vendors:vendor-detail", kwargs={"pk": vendor.pk}))
        .content.decode()
    )
    assert "Checked the site" in acme_page
    assert "registry-curator" not in acme_page  # curators are not named to organisations


def test_a_proposed_new_vendor_is_created_on_acceptance(cast, curator):
    response = cast.client_for("admin").post(
        reverse("vendors:vendor-create"), edit_post("Hooli", reason="New supplier")
    )
    assert response.status_code == 302
    assert not Vendor.objects.filter(name="Hooli").exists()
    proposal = VendorChangeProposal.objects.get()
    client_of(cast, curator).post(
        reverse("vendors:curation-review", kwargs={"pk": proposal.pk}), {"decision": "accept"}
    )
    proposal.refresh_from_db()
    assert proposal.vendor == Vendor.objects.get(name="Hooli")


def test_rejecting_leaves_the_record_and_the_proposer_reads_the_note(cast, globex_admin, curator):
    vendor = make_vendor("Initech")
    client = client_of(cast, globex_admin.user)
    client.post(reverse("vendors:vendor-edit", kwargs={"pk": vendor.pk}), edit_post("Initrode"))
    proposal = VendorChangeProposal.objects.get()
    review = reverse("vendors:curation-review", kwargs={"pk": proposal.pk})
    curator_client = client_of(cast, curator)
    assert curator_client.post(review, {"decision": "reject"}).status_code == 400
    curator_client.post(review, {"decision": "reject", "note": "The rename is not official"})
    vendor.refresh_from_db()
    proposal.refresh_from_db()
    assert vendor.name == "Initech"
    assert proposal.status == ChangeStatus.REJECTED
    mine = client.get(reverse("vendors:change-detail", kwargs={"pk": proposal.pk}))
    assert "The rename is not official" in mine.content.decode()
    # A decided proposal cannot be decided again.
    again = curator_client.post(review, {"decision": "accept"})
    assert again.status_code == 400
    assert vendor.history.count() == 1


def test_no_organisation_sees_another_organisations_proposals(cast, globex_admin):
    vendor = make_vendor("Initech")
    client_of(cast, globex_admin.user).post(
        reverse("vendors:vendor-edit", kwargs={"pk": vendor.pk}), edit_post("Initrode")
    )
    proposal = VendorChangeProposal.objects.get()
    acme = cast.client_for("admin")
    assert acme.get(reverse("vendors:change-detail", kwargs={"pk": proposal.pk})).status_code == 404
    assert "Initrode" not in acme.get(reverse("vendors:change-list")).content.decode()
    assert (
        acme.get(reverse("vendors:curation-review", kwargs={"pk": proposal.pk})).status_code == 403
    )


def test_private_rating_tags_and_notes_are_seen_by_their_organisation_only(cast, curator):
    vendor = make_vendor("Initech")
    url = reverse("vendors:private-save", kwargs={"pk": vendor.pk})
    response = cast.client_for("manager").post(
        url, {"rating": "2", "tags": "On watch, slow-payer, on watch"}
    )
    assert response.status_code == 302
    services.vendor_note_add(
        organisation=cast.org, vendor=vendor, author=cast.manager.user, text="Missed two deadlines"
    )
    assert VendorRating.objects.get().rating == 2
    assert list(VendorTag.objects.values_list("label", flat=True)) == ["On watch", "slow-payer"]
    detail = reverse("vendors:vendor-detail", kwargs={"pk": vendor.pk})
    inside = cast.client_for("cio").get(detail).content.decode()
    assert "Rated 2 of 5" in inside and "slow-payer" in inside
    for client in (cast.client_for("outsider"), client_of(cast, curator)):
        for url in (
            detail,
            reverse("vendors:vendor-curate", kwargs={"pk": vendor.pk}),
            reverse("vendors:directory"),
        ):
            page = client.get(url).content.decode()
            assert "slow-payer" not in page and "Missed two deadlines" not in page
            assert "Rated 2 of 5" not in page
    tagged = cast.client_for("manager").get(reverse("vendors:directory"), {"tag": "on WATCH"})
    assert [row.vendor for row in tagged.context["rows"]] == [vendor]


def test_a_rating_outside_one_to_five_is_refused_in_words(cast):
    vendor = make_vendor("Initech")
    response = cast.client_for("manager").post(
        reverse("vendors:private-save", kwargs={"pk": vendor.pk}), {"rating": "9"}
    )
    assert response.status_code == 400
    assert "Rate from 1 to 5" in response.content.decode()
    assert not VendorRating.objects.exists()


def test_a_vendor_in_use_cannot_be_deleted_and_keeps_the_notes(cast, curator):
    vendor = make_vendor("Initech")
    services.vendor_note_add(
        organisation=cast.org, vendor=vendor, author=cast.manager.user, text="Acme's private note"
    )
    response = client_of(cast, curator).post(
        reverse("vendors:vendor-delete", kwargs={"pk": vendor.pk}), {"delete-reason": "Duplicate"}
    )
    assert response.status_code == 400
    assert "cannot be deleted" in response.content.decode()
    assert "Acme's private note" not in response.content.decode()
    assert VendorNote.objects.filter(vendor=vendor).exists()


def test_an_unused_vendor_is_deleted_by_a_curator(cast, curator):
    vendor = make_vendor("Typo Ltd")
    response = client_of(cast, curator).post(
        reverse("vendors:vendor-delete", kwargs={"pk": vendor.pk}),
        {"delete-reason": "Entered by mistake"},
    )
    assert response.status_code == 302
    assert not Vendor.objects.filter(name="Typo Ltd").exists()
    assert Vendor.history.filter(history_type="-").get().history_change_reason == (
        "Deleted: Entered by mistake"
    )


def test_a_curator_deactivates_a_vendor_with_a_reason_in_its_history(cast, curator):
    vendor = make_vendor("Initech")
    acme_contract(cast, vendor)
    client = client_of(cast, curator)
    url = reverse("vendors:vendor-deactivate", kwargs={"pk": vendor.pk})
    assert client.post(url, {"deactivate-reason": ""}).status_code == 400
    assert client.post(url, {"deactivate-reason": "Went into administration"}).status_code == 302
    vendor.refresh_from_db()
    assert not vendor.active
    assert vendor.contracts.count() == 1
    assert vendor.history.latest().history_change_reason == (
        "Deactivated: Went into administration"
    )


def test_a_merge_repoints_notes_events_contracts_and_private_data(cast, curator):
    duplicate, kept = make_vendor("Initech Ltd"), make_vendor("Initech")
    contract = acme_contract(cast, duplicate)
    event = make_event(cast)
    event.candidates.filter(vendor=kept).delete()  # only the duplicate is a candidate
    event.candidates.update_or_create(vendor=duplicate, defaults={"invited": True})
    services.vendor_note_add(
        organisation=cast.org, vendor=duplicate, author=cast.manager.user, text="Noted"
    )
    services.vendor_private_save(
        organisation=cast.org,
        vendor=duplicate,
        user=cast.admin.user,
        rating=4,
        tags=["Preferred", "Cloud"],
    )
    services.vendor_private_save(
        organisation=cast.org, vendor=kept, user=cast.admin.user, rating=2, tags=["preferred"]
    )
    response = client_of(cast, curator).post(
        reverse("vendors:vendor-merge", kwargs={"pk": duplicate.pk}),
        {"merge-target": kept.pk, "merge-reason": "Same company"},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    contract.refresh_from_db()
    assert (duplicate.active, duplicate.merged_into) == (False, kept)
    assert contract.vendor == kept
    assert contract.history.latest().history_change_reason.startswith("Merged \u201cInitech Ltd")
    assert VendorNote.objects.get().vendor == kept
    assert event.candidates.get().vendor == kept
    assert VendorRating.objects.get().rating == 2  # the kept record's rating wins
    assert sorted(VendorTag.objects.filter(vendor=kept).values_list("label", flat=True)) == [
        "Cloud",
        "preferred",
    ]
    assert not vendor_in_use(duplicate)


def test_a_merge_is_refused_when_both_records_sit_in_one_event(cast, curator):
    first, second = make_vendor("Alpha One"), make_vendor("Alpha Two")
    event = make_event(cast)
    for vendor in (first, second):
        event.candidates.update_or_create(vendor=vendor, defaults={"invited": True})
    response = client_of(cast, curator).post(
        reverse("vendors:vendor-merge", kwargs={"pk": first.pk}),
        {"merge-target": second.pk, "merge-reason": "Same company"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was merged" in page
    assert event.name not in page
    first.refresh_from_db()
    assert first.merged_into is None and first.candidacies.count() == 1


def test_django_admin_refuses_to_delete_a_vendor_in_use_without_listing_its_users(cast):
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    vendor = make_vendor("Initech")
    event = make_event(cast, name="Acme secret RFP")
    event.candidates.update_or_create(vendor=vendor, defaults={"invited": True})
    client = client_of(cast, operator)
    delete = reverse("admin:vendors_vendor_delete", args=[vendor.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:vendors_vendor_changelist"),
        {"action": "delete_selected", "_selected_action": [vendor.pk]},
    )
    page = bulk.content.decode()
    assert "in use by organisations" in page
    assert "Acme secret RFP" not in page and "a-manager" not in page
    forged = client.post(
        reverse("admin:vendors_vendor_changelist"),
        {"action": "delete_selected", "_selected_action": [vendor.pk], "post": "yes"},
    )
    assert forged.status_code in (200, 403)
    assert Vendor.objects.filter(pk=vendor.pk).exists()


def test_an_organisation_admin_is_no_registry_curator_in_django_admin(cast):
    response = cast.client_for("admin").get(reverse("admin:vendors_vendor_changelist"))
    assert response.status_code in (302, 403)
