"""Writes made in bulk (``bulk_create``, ``bulk_update``, ``QuerySet.update``, COPY) reach the
audit trail with the same person, address, organisation and before/after values as a
single save; computed rows (service credits) are left out on purpose."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.audit.models import Action, AuditEntry
from assessments.models import Process, Projection, Recommendation
from assessments.projections.services import projection_fail, projection_request
from assessments.services.assessments import (
    assessment_score,
    recommendation_clear_override,
    recommendation_override,
)
from contracts.models import CreditComputation, Measurement, ServiceCredit
from contracts.services import measurements_record
from tests.accounts.test_audit import ADDRESS, PAGE, client_of, entries_about
from tests.assessments.builders import add_process, make_assessment
from tests.contracts.builders import add_sla, make_contract, month
from tests.vendors.factories import ito_vendors, make_event, proposal_of, scored_event
from vendors import services as vendor_services
from vendors.models import Candidate, Criterion, Evaluation, EventProcess, Vendor, VendorTag

pytestmark = pytest.mark.django_db


def as_person(membership):
    """What the middleware does for a signed-in request, around a direct service call."""
    return set_actor(membership.user, remote_addr=ADDRESS)


def assert_tagged(entries, membership) -> None:
    assert entries, "no audit entry was written"
    for entry in entries:
        assert entry.actor == membership.user
        assert entry.remote_addr == ADDRESS
        assert entry.organisation == membership.organisation


def test_an_imported_inventory_records_each_process_and_the_admin_sees_them(cast):
    assessment = make_assessment(cast.manager)
    upload = SimpleUploadedFile(
        "inventory.csv",
        b"name,annual_cost\nPayroll,250000\nTravel desk,90000\n",
        content_type="text/csv",
    )
    response = client_of(cast.manager).post(
        reverse("assessments:inventory-import", args=[assessment.pk]), {"file": upload}
    )
    assert response.status_code == 302
    entries = list(entries_about(Process, action=Action.CREATE))
    assert_tagged(entries, cast.manager)
    assert {e.object_repr: e.changes["annual_cost"] for e in entries} == {
        "Payroll": ["None", "250000.00"],
        "Travel desk": ["None", "90000.00"],
    }
    assert {e.object_pk for e in entries} == {
        str(pk) for pk in assessment.processes.values_list("pk", flat=True)
    }
    page = client_of(cast.admin).get(PAGE, {"q": "Travel desk"}).content.decode()
    assert "Travel desk" in page and "a-manager" in page


def test_scoring_records_each_new_recommendation_with_its_organisation(cast):
    assessment = make_assessment(cast.manager)
    add_process(assessment, "Payroll")
    add_process(assessment, "Service desk")
    with as_person(cast.manager):
        assessment_score(assessment=assessment)
    entries = list(entries_about(Recommendation, action=Action.CREATE))
    assert_tagged(entries, cast.manager)
    assert len(entries) == 2
    models = dict(Recommendation.objects.values_list("pk", "model"))
    assert {int(e.object_pk): e.changes["model"][1] for e in entries} == models


def test_clearing_an_override_records_the_decision_before_and_after(cast):
    assessment = make_assessment(cast.manager)
    process = add_process(assessment, "Payroll")
    assessment_score(assessment=assessment)
    recommendation_override(
        recommendation=Recommendation.objects.get(process=process),
        model="retain",
        location="",
        justification="Core to the business",
        user=cast.manager.user,
    )
    with as_person(cast.manager):
        recommendation_clear_override(
            recommendation=Recommendation.objects.get(), user=cast.manager.user
        )
    cleared = [
        e
        for e in entries_about(Recommendation, action=Action.UPDATE)
        if (e.changes or {}).get("override_justification", [""])[-1] == ""
    ]
    assert_tagged(cleared, cast.manager)
    assert cleared[-1].changes["override_model"] == ["retain", ""]
    assert cleared[-1].changes["override_justification"] == ["Core to the business", ""]


def test_a_projections_fate_is_recorded_without_a_person_when_the_worker_sets_it(cast):
    assessment = make_assessment(cast.manager)
    add_process(assessment, "Payroll")
    assessment_score(assessment=assessment)
    projection = projection_request(assessment=assessment, user=cast.manager.user)
    if projection.is_finished:
        pytest.skip("nothing outsourced, so nothing to run")
    projection_fail(projection_id=projection.pk, reason="the worker died")
    entry = entries_about(Projection, action=Action.UPDATE).get()
    assert entry.changes == {"status": ["queued", "failed"]}
    assert entry.actor is None
    assert entry.organisation == cast.org
    projection_fail(projection_id=projection.pk, reason="again")  # already failed: no change
    assert entries_about(Projection, action=Action.UPDATE).count() == 1


def test_creating_an_event_records_its_scope_and_shortlist_and_accepting_it_the_invitations(cast):
    ito_vendors()
    with as_person(cast.manager):
        event = make_event(cast)
    assert_tagged(list(entries_about(EventProcess, action=Action.CREATE)), cast.manager)
    created = list(entries_about(Candidate, action=Action.CREATE))
    assert_tagged(created, cast.manager)
    assert len(created) == event.candidates.count()
    with as_person(cast.manager):
        vendor_services.shortlist_accept(event=event, user=cast.manager.user)
    invited = list(entries_about(Candidate, action=Action.UPDATE))
    assert_tagged(invited, cast.manager)
    assert {e.object_pk for e in invited} == {
        str(pk) for pk in event.candidates.filter(invited=True).values_list("pk", flat=True)
    }
    assert all(e.changes == {"invited": ["False", "True"]} for e in invited)


def test_re_running_a_shortlist_records_only_the_candidates_that_changed(cast):
    ito_vendors()
    event = make_event(cast)
    Vendor.objects.filter(name="Beta Cloud").update(offers_ito=False)
    with as_person(cast.manager):
        vendor_services.event_run_shortlist(event=event)
    changed = list(entries_about(Candidate, action=Action.UPDATE))
    assert_tagged(changed, cast.manager)
    assert [e.object_repr for e in changed] == [f"Beta Cloud for {event}"]
    assert changed[0].changes["proposed"] == ["True", "False"]


def test_recorded_scores_and_a_new_criteria_set_are_in_the_trail(cast):
    event = scored_event(cast)
    proposal = proposal_of(event, "Alpha Services")
    criterion = event.criteria_set.criteria.exclude(code="cost").first()
    with as_person(cast.manager):
        vendor_services.evaluation_record(
            proposal=proposal,
            evaluator="Ann Evaluator",
            scores={criterion: (7, "Solid")},
            user=cast.manager.user,
        )
        vendor_services.criteria_set_create(organisation=cast.org, name="Cloud deals")
    scores = [e for e in entries_about(Evaluation, action=Action.CREATE) if e.actor is not None]
    assert_tagged(scores, cast.manager)
    assert scores[-1].changes["score"] == ["None", "7"]
    criteria = [e for e in entries_about(Criterion, action=Action.CREATE) if e.actor is not None]
    assert_tagged(criteria, cast.manager)
    assert len(criteria) == Criterion.objects.filter(criteria_set__name="Cloud deals").count()


def test_an_organisations_own_tags_on_a_vendor_are_recorded(cast):
    vendor = ito_vendors()[0]
    with as_person(cast.manager):
        vendor_services.vendor_private_save(
            organisation=cast.org,
            vendor=vendor,
            user=cast.manager.user,
            rating=None,
            tags=["Preferred", "Frame agreement"],
        )
    entries = list(entries_about(VendorTag, action=Action.CREATE))
    assert_tagged(entries, cast.manager)
    assert sorted(e.changes["label"][1] for e in entries) == ["Frame agreement", "Preferred"]


def test_measurements_are_recorded_new_and_replaced_and_credits_only_as_a_computation(cast):
    contract = make_contract(cast.manager)
    sla = add_sla(contract, "Availability")
    with as_person(cast.manager):
        measurements_record(
            contract=contract,
            period=month(0),
            actuals={sla.pk: Decimal("99")},
            user=cast.manager.user,
            today=dt.date(2030, 1, 1),
        )
        measurements_record(
            contract=contract,
            period=month(0),
            actuals={sla.pk: Decimal("99.7")},
            user=cast.manager.user,
            today=dt.date(2030, 1, 1),
        )
    created = list(entries_about(Measurement, action=Action.CREATE))
    assert_tagged(created, cast.manager)
    assert created[0].changes["actual"][1].startswith("99")
    replaced = entries_about(Measurement, action=Action.UPDATE).get()
    assert_tagged([replaced], cast.manager)
    before, after = (Decimal(value) for value in replaced.changes["actual"])
    assert (before, after) == (Decimal("99"), Decimal("99.7"))
    computations = list(entries_about(CreditComputation, action=Action.CREATE))
    assert_tagged(computations, cast.manager)
    assert len(computations) == 2
    assert ServiceCredit.objects.filter(contract=contract).exists()
    assert not entries_about(ServiceCredit).exists()


def test_after_a_request_a_workers_bulk_write_names_nobody(cast):
    assessment = make_assessment(cast.manager)
    add_process(assessment, "Payroll")
    assert client_of(cast.manager).get(reverse("assessments:list")).status_code == 200
    assessment_score(assessment=assessment)  # outside any request, as the worker does
    entry = entries_about(Recommendation, action=Action.CREATE).get()
    assert entry.actor is None
    assert entry.remote_addr is None
    assert entry.organisation == cast.org


def test_a_bulk_write_inside_a_disabled_trail_writes_nothing(cast):
    from auditlog.context import disable_auditlog

    from accounts.audit.bulk import record_bulk

    assessment = make_assessment(cast.manager)
    with disable_auditlog():
        processes = Process.objects.bulk_create(
            [Process(assessment=assessment, position=1, name="Payroll", annual_cost=Decimal(1))]
        )
        assert record_bulk(processes, action=Action.CREATE) == []
    assert not AuditEntry.objects.filter(object_repr="Payroll").exists()


def test_moving_through_the_wizard_records_the_step_reached(cast):
    from assessments.services.assessments import assessment_set_step

    assessment = make_assessment(cast.manager)
    before = assessment.wizard_step
    with as_person(cast.manager):
        assessment_set_step(assessment=assessment, step="questionnaire")
    entries = [
        e
        for e in entries_about(type(assessment), action=Action.UPDATE)
        if "wizard_step" in e.changes
    ]
    assert_tagged(entries, cast.manager)
    assert entries[-1].changes["wizard_step"] == [before, "questionnaire"]
