"""Sourcing-event pages: create from a wave or processes, scope, shortlist, cancel."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vendors import services
from vendors.models import CandidateChange, EventStatus, SourcingEvent

from .factories import ito_vendors, make_assessment, make_event

pytestmark = pytest.mark.django_db
NEW = reverse("vendors:event-create")


def dates(prefix: str) -> dict[str, str]:
    today = timezone.localdate()
    return {
        f"{prefix}-deadline": (today + timedelta(days=30)).isoformat(),
        f"{prefix}-planned_start": (today + timedelta(days=90)).isoformat(),
    }


def test_the_new_event_page_lists_the_roadmap_waves(cast):
    make_assessment(cast.org, cast.manager.user)
    page = cast.client_for("manager").get(NEW).content.decode()
    assert "wave 1 (ITO): Service desk, Network infrastructure, Data centre hosting" in page
    assert "wave 2 (BPO)" in page
    assert "Brand strategy" in page  # hand-picking offers every process


def test_a_manager_creates_an_event_from_a_wave(cast):
    ito_vendors()
    assessment = make_assessment(cast.org, cast.manager.user)
    criteria_set = services.criteria_set_default(organisation=cast.org)
    response = cast.client_for("manager").post(
        NEW,
        {
            "source": "wave",
            "wave-wave": f"{assessment.pk}:1",
            "wave-name": "ITO RFP",
            "wave-criteria_set": criteria_set.pk,
            **dates("wave"),
        },
    )
    event = SourcingEvent.objects.get()
    assert response.url == reverse("vendors:event-detail", kwargs={"pk": event.pk})
    assert (event.model, event.wave, event.status, event.created_by) == (
        "ITO",
        1,
        EventStatus.DRAFT,
        cast.manager.user,
    )
    assert event.scope.count() == 3
    assert event.candidates.filter(proposed=True).count() == 3


def test_the_wave_follows_a_managers_override_of_the_model(cast):
    assessment = make_assessment(cast.org, cast.manager.user)
    rec = assessment.processes.get(name="Service desk").recommendation
    rec.override_model, rec.override_justification = "retain", "Keep it close"
    rec.save()
    page = cast.client_for("manager").get(NEW).content.decode()
    assert "wave 1 (ITO): Network infrastructure, Data centre hosting" in page


def test_a_manager_creates_an_event_from_hand_picked_processes(cast):
    assessment = make_assessment(cast.org, cast.manager.user)
    picked = assessment.processes.filter(name__in=["Payroll processing", "Brand strategy"])
    response = cast.client_for("manager").post(
        NEW,
        {
            "source": "processes",
            "pick-processes": [p.pk for p in picked],
            "pick-model": "BPO",
            "pick-name": "Mixed RFP",
            "pick-criteria_set": services.criteria_set_default(organisation=cast.org).pk,
            **dates("pick"),
        },
    )
    assert response.status_code == 302
    event = SourcingEvent.objects.get()
    assert (event.model, event.wave) == ("BPO", None)
    assert set(event.scope.values_list("process__name", flat=True)) == {
        "Payroll processing",
        "Brand strategy",
    }


def test_a_bad_event_form_says_why_and_keeps_what_was_typed(cast):
    first = make_assessment(cast.org, cast.manager.user)
    second = make_assessment(cast.org, cast.manager.user, name="Another")
    picked = [first.processes.first().pk, second.processes.first().pk]
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = cast.client_for("manager").post(
        NEW,
        {
            "source": "processes",
            "pick-processes": picked,
            "pick-model": "ITO",
            "pick-name": "Typed name",
            "pick-deadline": yesterday,
            "pick-planned_start": yesterday,
            "pick-criteria_set": services.criteria_set_default(organisation=cast.org).pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Pick processes from one assessment only" in page
    assert "The deadline has passed" in page
    assert "only start after the deadline" in page
    assert 'value="Typed name"' in page
    assert not SourcingEvent.objects.exists()


def test_another_organisations_processes_and_criteria_cannot_be_picked(cast):
    theirs = make_assessment(cast.other_org, cast.outsider.user)
    their_set = services.criteria_set_default(organisation=cast.other_org)
    response = cast.client_for("manager").post(
        NEW,
        {
            "source": "processes",
            "pick-processes": [theirs.processes.first().pk],
            "pick-model": "ITO",
            "pick-name": "Sneaky",
            "pick-criteria_set": their_set.pk,
            **dates("pick"),
        },
    )
    assert response.status_code == 400
    assert not SourcingEvent.objects.exists()


def test_a_draft_assessment_offers_no_wave(cast):
    make_assessment(cast.org, cast.manager.user, status="draft")
    page = cast.client_for("manager").get(NEW).content.decode()
    assert "No submitted assessment has a roadmap wave yet" in page


def test_the_event_page_shows_why_each_vendor_is_in_or_out(cast):
    ito_vendors()
    event = make_event(cast)
    page = (
        cast.client_for("cio")
        .get(reverse("vendors:event-detail", kwargs={"pk": event.pk}))
        .content.decode()
    )
    assert "Shortlist: 3 vendors proposed" in page
    assert "Offers ITO." in page
    assert "Does not offer ITO." in page  # Delta Payroll, left out
    assert "Accept the shortlist" not in page  # the CIO reads only


def test_changing_the_service_line_sought_proposes_the_shortlist_again(cast):
    ito_vendors()
    event = make_event(cast)
    items = {i.process.name: i for i in event.scope.all()}
    data = {f"line_{i.pk}": "payroll" for i in items.values()}
    response = cast.client_for("manager").post(
        reverse("vendors:event-scope", kwargs={"pk": event.pk}), data
    )
    assert response.status_code == 302
    assert set(event.scope.values_list("service_line", flat=True)) == {"payroll"}
    assert not event.candidates.filter(proposed=True).exists()


def test_the_manager_accepts_the_shortlist(cast):
    ito_vendors()
    event = make_event(cast)
    response = cast.client_for("manager").post(
        reverse("vendors:shortlist-accept", kwargs={"pk": event.pk}), follow=True
    )
    assert response.redirect_chain[0][1] == 302
    assert "Shortlist accepted: 3 vendors invited." in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
    assert event.candidates.filter(invited=True).count() == 3


def test_an_empty_shortlist_cannot_be_accepted(cast):
    event = make_event(cast)
    response = cast.client_for("manager").post(
        reverse("vendors:shortlist-accept", kwargs={"pk": event.pk}), follow=True
    )
    assert "Nobody is on the shortlist" in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_adding_and_removing_a_vendor_needs_a_reason_kept_on_record(cast):
    ito_vendors()
    event = make_event(cast)
    delta = event.candidates.get(vendor__name="Delta Payroll")
    url = reverse("vendors:candidate-decide", kwargs={"pk": event.pk, "candidate_pk": delta.pk})
    client = cast.client_for("manager")
    missing = client.post(url, {"invite": "1", "reason": ""})
    assert missing.status_code == 400
    assert "say why you add the vendor" in missing.content.decode()
    assert not CandidateChange.objects.exists()
    client.post(url, {"invite": "1", "reason": "Incumbent for payroll IT"})
    delta.refresh_from_db()
    assert delta.invited and delta.decided_by_manager
    change = CandidateChange.objects.get()
    assert (change.action, change.reason, change.user) == (
        "add",
        "Incumbent for payroll IT",
        cast.manager.user,
    )
    page = client.get(reverse("vendors:event-detail", kwargs={"pk": event.pk})).content
    assert "Incumbent for payroll IT" in page.decode()


def test_a_manager_cancels_an_event_with_a_reason(cast):
    event = make_event(cast)
    url = reverse("vendors:event-cancel", kwargs={"pk": event.pk})
    client = cast.client_for("manager")
    client.post(url, {"cancel-reason": ""})
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    client.post(url, {"cancel-reason": "Budget frozen"})
    event.refresh_from_db()
    assert (event.status, event.cancel_reason) == (EventStatus.CANCELLED, "Budget frozen")


def test_the_event_list_shows_the_organisations_events_only(cast):
    make_event(cast, name="Ours")
    make_event(cast, organisation=cast.other_org, user=cast.outsider.user, name="Theirs")
    page = cast.client_for("cio").get(reverse("vendors:event-list")).content.decode()
    assert "Ours" in page and "Theirs" not in page
