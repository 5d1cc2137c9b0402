"""The audit trail: every write and every log-in, with who, when, before, after and where;
an organisation's admin sees, filters and exports their organisation's entries only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.audit.models import Action, AuditEntry
from accounts.audit.registry import tracked
from accounts.models import Membership, Role
from assessments.models import Assessment, Process
from contracts.models import Contract, Sla
from tests.assessments.builders import add_process, make_assessment
from tests.contracts.builders import add_sla, make_contract
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from vendors.models import Vendor, VendorNote

ADDRESS = "203.0.113.7"
PAGE = reverse("audit")
EXPORT = reverse("audit-export")


def entries_about(model, **lookup):
    content_type = ContentType.objects.get_for_model(model)
    return AuditEntry.objects.filter(content_type=content_type, **lookup).order_by("pk")


def client_of(membership: Membership) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(membership.user)
    return client


def export_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def other_admin(cast) -> Membership:
    return MembershipFactory(
        user=UserFactory(username="b-admin"), organisation=cast.other_org, role=Role.ADMIN
    )


# Writes in each app ---------------------------------------------------------------------


def test_deleting_a_process_records_the_manager_the_address_and_the_values_before(cast):
    assessment = make_assessment(cast.manager)
    process = add_process(assessment, "Payroll", cost=250_000)
    response = client_of(cast.manager).post(
        reverse("assessments:process-delete", args=[assessment.pk, process.pk])
    )
    assert response.status_code == 302
    entry = entries_about(Process, action=Action.DELETE).get()
    assert entry.actor == cast.manager.user
    assert entry.remote_addr == ADDRESS
    assert entry.organisation == cast.org
    assert entry.object_repr == str(process)
    assert entry.changes["name"] == ["Payroll", "None"]
    assert entry.changes["annual_cost"] == ["250000.00", "None"]


def test_changing_an_assessment_records_the_value_before_and_after(cast):
    assessment = make_assessment(cast.manager, name="Review 2027")
    assessment.name = "Review 2028"
    assessment.save()
    entry = entries_about(Assessment, action=Action.UPDATE).get()
    assert entry.changes == {"name": ["Review 2027", "Review 2028"]}
    assert entry.organisation == cast.org


def test_a_vendor_note_records_its_text_its_author_and_the_address(cast):
    vendor = Vendor.objects.create(name="Northwind", headquarters_country="United Kingdom")
    response = client_of(cast.manager).post(
        reverse("vendors:note-add", args=[vendor.pk]), {"text": "Slow to answer in March."}
    )
    assert response.status_code == 302
    entry = entries_about(VendorNote, action=Action.CREATE).get()
    assert entry.changes["text"] == ["None", "Slow to answer in March."]
    assert (entry.actor, entry.remote_addr, entry.organisation) == (
        cast.manager.user,
        ADDRESS,
        cast.org,
    )


def test_the_shared_vendor_registry_is_recorded_for_platform_staff_only(cast):
    vendor = Vendor.objects.create(name="Northwind", headquarters_country="United Kingdom")
    vendor.name = "Northwind Services"
    vendor.save()
    entry = entries_about(Vendor, action=Action.UPDATE).get()
    assert entry.changes["name"] == ["Northwind", "Northwind Services"]
    assert entry.organisation is None


def test_deleting_an_sla_records_it_and_changing_a_contract_records_before_and_after(cast):
    contract = make_contract(cast.manager)
    sla = add_sla(contract, "Availability")
    response = client_of(cast.manager).post(
        reverse("contracts:sla-delete", args=[contract.pk, sla.pk])
    )
    assert response.status_code == 302
    deleted = entries_about(Sla, action=Action.DELETE).get()
    assert deleted.changes["name"] == ["Availability", "None"]
    assert (deleted.actor, deleted.remote_addr, deleted.organisation) == (
        cast.manager.user,
        ADDRESS,
        cast.org,
    )

    contract.annual_value = Decimal("1300000")
    contract.save()
    changed = entries_about(Contract, action=Action.UPDATE).get()
    assert changed.changes == {"annual_value": ["1200000.00", "1300000.00"]}


def test_linking_a_process_to_a_contract_records_the_many_to_many_change(cast):
    contract = make_contract(cast.manager)
    process = add_process(make_assessment(cast.manager), "Service desk")
    contract.processes.add(process)
    entry = entries_about(Contract, action=Action.UPDATE).get()
    assert entry.changes["processes"]["operation"] == "add"
    assert entry.changes["processes"]["objects"] == [str(process)]
    assert entry.organisation == cast.org


def test_a_role_change_is_recorded_with_the_role_before_and_after(cast):
    cast.cio.role = Role.MANAGER
    cast.cio.save()
    entry = entries_about(Membership, action=Action.UPDATE).get()
    assert entry.changes == {"role": ["cio", "manager"]}
    assert entry.organisation == cast.org


def test_deleting_an_assessment_tags_every_cascaded_deletion_with_its_organisation(cast):
    assessment = make_assessment(cast.manager)
    add_process(assessment, "Payroll")
    add_process(assessment, "Hotline")
    assessment.delete()
    deleted = AuditEntry.objects.filter(action=Action.DELETE)
    assert deleted.count() == 3
    assert set(deleted.values_list("organisation", flat=True)) == {cast.org.pk}


def test_every_domain_model_is_followed_or_deliberately_left_out():
    left_out = {
        "assessments.ProjectionChunk",  # a projection's raw trial numbers, machine-written
        "contracts.Notification",  # a reminder the system sent, not a change anyone made
        # A forecast computed from a finished projection: it follows from recorded inputs.
        "contracts.ContractForecast",
        "webhooks.Delivery",  # a message the system sent; the subscription is followed
        # A vendor's sealed response: the trail would show its content before the opening;
        # the RFP's own record (vendors.RfpLogEntry, itself an audit record) dates each step.
        "vendors.RfpResponse",
        "vendors.ResponseVersion",
        "vendors.ResponseDocument",
        "vendors.RfpLogEntry",
        "vendors.Invitation",  # followed by the RFP's record: sent, opened, revoked
    }
    followed = {item.model._meta.label for item in tracked()}
    missing = sorted(
        model._meta.label
        for label in ("accounts", "webhooks", "assessments", "vendors", "contracts", "outsourcing")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")  # simple_history's own history rows
        and model._meta.label not in followed | left_out
    )
    assert missing == []


# Log-ins, log-outs, failures ------------------------------------------------------------


def log_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_log_in_and_a_log_out_are_recorded_with_the_person_and_the_address(cast):
    client = Client(REMOTE_ADDR=ADDRESS)
    assert log_in(client, "a-manager", PASSWORD).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    entries = AuditEntry.objects.filter(action__in=[Action.LOGIN, Action.LOGOUT]).order_by("pk")
    assert [(e.action, e.actor, e.remote_addr, e.organisation, e.object_repr) for e in entries] == [
        (Action.LOGIN, cast.manager.user, ADDRESS, cast.org, "a-manager"),
        (Action.LOGOUT, cast.manager.user, ADDRESS, cast.org, "a-manager"),
    ]


def test_a_failed_log_in_is_recorded_without_the_password(cast):
    log_in(Client(REMOTE_ADDR=ADDRESS), "a-manager", "guess-Tr0ub4dor")
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert (
        entry.object_repr,
        entry.object_pk,
        entry.remote_addr,
        entry.organisation,
        entry.actor,
    ) == ("a-manager", str(cast.manager.user.pk), ADDRESS, cast.org, None)
    assert entry.additional_data["outcome"] == "wrong username or password"
    stored = AuditEntry.objects.filter(pk=entry.pk).values().get()
    assert "guess-Tr0ub4dor" not in repr(stored)


def test_a_failure_for_an_unknown_username_is_for_platform_staff_only(cast):
    log_in(Client(REMOTE_ADDR=ADDRESS), "nobody-here", "x")
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert (entry.object_repr, entry.object_pk, entry.organisation) == ("nobody-here", "", None)


def test_a_log_in_of_a_person_in_two_organisations_is_seen_by_both(cast):
    MembershipFactory(user=cast.manager.user, organisation=cast.other_org, role=Role.CIO)
    log_in(Client(), "a-manager", PASSWORD)
    organisations = AuditEntry.objects.filter(action=Action.LOGIN).values_list(
        "organisation", flat=True
    )
    assert sorted(organisations) == sorted([cast.org.pk, cast.other_org.pk])


def test_a_forged_forwarded_for_header_does_not_change_the_recorded_address(cast):
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="198.51.100.99")
    log_in(client, "a-manager", PASSWORD)
    cast.manager.user.refresh_from_db()
    assert AuditEntry.objects.get(action=Action.LOGIN).remote_addr == ADDRESS


def test_behind_one_trusted_proxy_the_address_the_proxy_saw_is_recorded(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.99, " + ADDRESS)
    log_in(client, "a-manager", PASSWORD)
    assert AuditEntry.objects.get(action=Action.LOGIN).remote_addr == ADDRESS


# The page: who may see it ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "cio", "outsider"])
def test_only_an_admin_may_open_the_trail(cast, who):
    client = cast.client_for(who)
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(cast):
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_trail_is_read_only(cast):
    assert cast.client_for("admin").post(PAGE).status_code == 405
    assert cast.client_for("admin").post(EXPORT).status_code == 405


def test_the_admin_sees_their_organisation_and_not_another_ones(cast, other_admin):
    make_assessment(cast.manager, name="Acme review")
    make_assessment(cast.outsider, name="Globex review")
    Vendor.objects.create(name="Shared registry vendor", headquarters_country="India")
    log_in(Client(), "nobody-here", "x")

    ours = cast.client_for("admin").get(PAGE)
    assert ours.status_code == 200
    assert b"Acme review" in ours.content
    assert b"Globex review" not in ours.content
    assert b"Shared registry vendor" not in ours.content
    assert b"nobody-here" not in ours.content

    theirs = Client()
    theirs.force_login(other_admin.user)
    page = theirs.get(PAGE)
    assert b"Globex review" in page.content
    assert b"Acme review" not in page.content
    exported = [row["Record"] for row in export_rows(theirs.get(EXPORT))]
    assert "Globex review" in exported and "Acme review" not in exported


def test_the_admin_sees_the_link_in_the_navigation_and_a_manager_does_not(cast):
    assert PAGE.encode() in cast.client_for("admin").get("/").content
    assert PAGE.encode() not in cast.client_for("manager").get("/").content


# Filters, pages, export -----------------------------------------------------------------


@pytest.fixture
def history(cast):
    """A manager creates and renames an assessment; the CIO logs in; the admin edits a contract."""
    assessment = make_assessment(cast.manager, name="Review 2027")
    assessment.name = "Review 2028"
    assessment.save()
    log_in(Client(REMOTE_ADDR=ADDRESS), "a-cio", PASSWORD)
    contract = make_contract(cast.admin, title="Hosting")
    long_ago = timezone.now() - timedelta(days=400)
    AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Contract)).update(
        timestamp=long_ago, actor=cast.admin.user
    )
    return {"assessment": assessment, "contract": contract, "long_ago": long_ago}


def records(response) -> list[tuple[str, str]]:
    return [
        (row["entry"].get_action_display(), row["entry"].object_repr)
        for row in response.context["rows"]
    ]


def test_filtering_by_person_shows_what_they_did_and_their_log_ins(cast, history):
    admin = cast.client_for("admin")
    cio_only = records(admin.get(PAGE, {"who": cast.cio.user.pk}))
    assert cio_only == [("Logged in", "a-cio")]


def test_filtering_by_kind_and_action(cast, history):
    admin = cast.client_for("admin")
    assert records(
        admin.get(PAGE, {"kind": "assessments.assessment", "action": Action.UPDATE})
    ) == [("Changed", "Review 2028")]
    sign_ins = records(admin.get(PAGE, {"kind": "sign-ins"}))
    # The admin's own log-in (the test client's) is there too.
    assert sorted(sign_ins) == [("Logged in", "a-admin"), ("Logged in", "a-cio")]


def test_filtering_by_dates_keeps_the_entries_of_those_days(cast, history):
    admin = cast.client_for("admin")
    day = timezone.localdate(history["long_ago"])
    old = records(admin.get(PAGE, {"start": day.isoformat(), "end": day.isoformat()}))
    assert old == [("Created", "Hosting")]
    recent = records(admin.get(PAGE, {"start": timezone.localdate().isoformat()}))
    assert ("Created", "Hosting") not in recent and ("Changed", "Review 2028") in recent


def test_searching_finds_a_value_that_was_changed(cast, history):
    admin = cast.client_for("admin")
    assert records(admin.get(PAGE, {"q": "Review 2027"})) == [
        ("Changed", "Review 2028"),
        ("Created", "Review 2027"),
    ]
    assert records(admin.get(PAGE, {"q": ADDRESS})) == [("Logged in", "a-cio")]


@pytest.mark.parametrize(
    "query, field",
    [
        ({"start": "2026-05-10", "end": "2026-05-01"}, "end"),
        ({"start": "not a date"}, "start"),
        ({"end": "9999-12-31"}, "end"),
        ({"who": "abc"}, "who"),
        ({"kind": "auth.permission"}, "kind"),
        ({"action": "99"}, "action"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_a_bad_filter_is_a_400_with_the_reason_on_the_page_and_for_the_export(cast, query, field):
    admin = cast.client_for("admin")
    page = admin.get(PAGE, query)
    assert page.status_code == 400
    assert page.context["form"].errors[field]
    export = admin.get(EXPORT, query)
    assert export.status_code == 400
    assert b"The filters are not valid" in export.content


def test_the_trail_is_paginated_newest_first(cast):
    assessment = make_assessment(cast.manager, name="Version 0")
    for version in range(1, 60):
        assessment.name = f"Version {version}"
        assessment.save()
    admin = cast.client_for("admin")
    kind = {"kind": "assessments.assessment"}
    first = admin.get(PAGE, kind)
    assert first.context["page"].paginator.count == 60
    assert records(first)[0] == ("Changed", "Version 59")
    second = admin.get(PAGE, {**kind, "page": 2})
    assert records(second)[-1] == ("Created", "Version 0")
    assert len(records(first)) + len(records(second)) == 60


def test_the_export_has_one_row_per_changed_field_and_follows_the_filters(cast, history):
    response = cast.client_for("admin").get(
        EXPORT, {"kind": "assessments.assessment", "action": Action.UPDATE}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = export_rows(response)
    assert [
        (
            row["Person"],
            row["Action"],
            row["Kind of record"],
            row["Field"],
            row["Before"],
            row["After"],
        )
        for row in rows
    ] == [("", "Changed", "Assessment", "Name", "Review 2027", "Review 2028")]


def test_the_export_neutralises_cells_a_spreadsheet_would_run(cast):
    make_assessment(cast.manager, name='=HYPERLINK("http://evil.example","x")')
    rows = export_rows(cast.client_for("admin").get(EXPORT))
    names = {row["Record"] for row in rows}
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert not any(cell.startswith("=") for row in rows for cell in row.values())


def test_the_export_records_log_ins_with_their_outcome_and_address(cast):
    log_in(Client(REMOTE_ADDR=ADDRESS), "a-cio", "wrong")
    rows = export_rows(
        cast.client_for("admin").get(EXPORT, {"kind": "sign-ins", "action": Action.LOGIN_FAILED})
    )
    assert [(r["Action"], r["Record"], r["Field"], r["After"], r["Address"]) for r in rows] == [
        ("Failed log-in", "a-cio", "Outcome", "wrong username or password", ADDRESS)
    ]


def test_platform_staff_see_every_entry_in_django_admin(cast):
    Vendor.objects.create(name="Shared registry vendor", headquarters_country="India")
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    response = client.get("/admin/audit/auditentry/")
    assert response.status_code == 200
    assert b"Shared registry vendor" in response.content
