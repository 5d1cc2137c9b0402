"""Showing a page writes nothing: what a GET used to save is now saved by the POST that
needs it (the wizard's resume step, an organisation's default criteria set, a new
authenticator app).

A write is any INSERT, UPDATE or DELETE the request sends, other than to the session
table (which organisation is chosen is the visitor's own state, not the organisation's
data). Each test also shows that the POST does the write the GET no longer does, so a
test that finds no write cannot pass because nothing is ever written.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit.models import Action, AuditEntry
from assessments.models import Assessment, WizardStep
from tests.assessments.builders import PAYROLL, add_process
from tests.assessments.builders import make_assessment as make_draft
from tests.factories import PASSWORD
from tests.vendors.factories import ito_vendors
from tests.vendors.factories import make_assessment as make_submitted
from vendors.engine.criteria import DEFAULT_CRITERIA_SET, default_criteria_rows
from vendors.models import CriteriaSet, SourcingEvent

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def writes_of(client, url: str) -> tuple[int, list[str]]:
    """The status of a GET of ``url`` and every write it sent (the session's aside)."""
    client.get(reverse("home"))  # the session's organisation is chosen on the first page
    audit_before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if WRITE.match(q["sql"]) and "django_session" not in q["sql"]
    ]
    assert AuditEntry.objects.count() == audit_before
    return status, writes


def saved_weights(criteria_set: CriteriaSet) -> list[tuple[str, str, int, Decimal]]:
    return list(criteria_set.criteria.values_list("code", "label", "position", "percent"))


DEFAULTS = [(r.code, r.label, r.position, r.percent) for r in default_criteria_rows()]


# ---------------------------------------------------------------- criteria and events


@pytest.mark.parametrize("who", ["manager", "cio"])
def test_the_criteria_page_of_an_organisation_without_a_set_writes_nothing(cast, who):
    client = cast.client_for(who)
    status, writes = writes_of(client, reverse("vendors:criteria-list"))
    assert (status, writes) == (200, [])
    assert not CriteriaSet.objects.exists()
    page = client.get(reverse("vendors:criteria-list")).content.decode()
    assert "Cost 25 %" in page and "not created yet" in page
    assert ("Create the default criteria set" in page) == (who == "manager")


def test_the_criteria_button_posts_the_defaults_as_the_first_set(cast):
    client = cast.client_for("manager")
    client.post(reverse("vendors:criteria-create"), {"name": DEFAULT_CRITERIA_SET})
    criteria_set = CriteriaSet.objects.get(organisation=cast.org)
    assert saved_weights(criteria_set) == DEFAULTS
    status, writes = writes_of(client, reverse("vendors:criteria-detail", args=[criteria_set.pk]))
    assert (status, writes) == (200, [])


def test_the_new_event_page_writes_nothing_and_the_event_brings_the_default_set(cast):
    ito_vendors()
    assessment = make_submitted(cast.org, cast.manager.user)
    client = cast.client_for("manager")
    status, writes = writes_of(client, reverse("vendors:event-create"))
    assert (status, writes) == (200, [])
    assert not CriteriaSet.objects.exists()
    page = client.get(reverse("vendors:event-create")).content.decode()
    assert f"{DEFAULT_CRITERIA_SET} (created with the event)" in page
    today = timezone.localdate()
    response = client.post(
        reverse("vendors:event-create"),
        {
            "source": "wave",
            "wave-wave": f"{assessment.pk}:1",
            "wave-name": "ITO RFP",
            "wave-criteria_set": "",
            "wave-deadline": (today + timedelta(days=30)).isoformat(),
            "wave-planned_start": (today + timedelta(days=90)).isoformat(),
        },
    )
    event = SourcingEvent.objects.get()
    assert response.url == reverse("vendors:event-detail", kwargs={"pk": event.pk})
    criteria_set = CriteriaSet.objects.get(organisation=cast.org)
    assert event.criteria_set == criteria_set
    assert criteria_set.name == DEFAULT_CRITERIA_SET
    assert saved_weights(criteria_set) == DEFAULTS
    # From now on the page offers the saved set, and still writes nothing.
    assert writes_of(client, reverse("vendors:event-create")) == (200, [])
    assert (
        f"{DEFAULT_CRITERIA_SET} (created with the event)"
        not in client.get(reverse("vendors:event-create")).content.decode()
    )


def test_the_data_migration_gives_each_organisation_without_a_set_the_same_defaults(cast):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("vendors.migrations.0006_default_criteria_sets")
    client = cast.client_for("manager")
    client.post(reverse("vendors:criteria-create"), {"name": "Our own"})
    ours = CriteriaSet.objects.get(organisation=cast.org)

    class Editor:  # what the migration uses of a schema editor
        pass

    Editor.connection = connection
    migration.create_default_sets(apps, Editor())
    assert list(CriteriaSet.objects.filter(organisation=cast.org)) == [ours]
    theirs = CriteriaSet.objects.get(organisation=cast.other_org)
    assert theirs.name == DEFAULT_CRITERIA_SET
    assert saved_weights(theirs) == saved_weights(ours) == DEFAULTS
    migration.create_default_sets(apps, Editor())  # run twice, adds nothing
    assert CriteriaSet.objects.count() == 2


# ---------------------------------------------------------------- the assessment wizard


@pytest.fixture
def fresh_draft(cast) -> Assessment:
    """A draft still at the first step (as before any step was saved)."""
    assessment = make_draft(cast.manager, wizard_step=WizardStep.CONTEXT)
    add_process(assessment, "Payroll", answers=None)
    return assessment


@pytest.mark.parametrize("page", ["context", "inventory", "questionnaire", "review"])
def test_no_wizard_page_records_a_step_when_shown(cast, fresh_draft, page):
    client = cast.client_for("manager")
    status, writes = writes_of(client, reverse(f"assessments:{page}", args=[fresh_draft.pk]))
    assert (status, writes) == (200, [])
    fresh_draft.refresh_from_db()
    assert fresh_draft.wizard_step == WizardStep.CONTEXT


def test_saving_a_step_records_it_for_resuming(cast, fresh_draft):
    client = cast.client_for("manager")
    questionnaire = reverse("assessments:questionnaire", args=[fresh_draft.pk])
    resume = reverse("assessments:resume", args=[fresh_draft.pk])
    client.post(
        reverse("assessments:inventory", args=[fresh_draft.pk]),
        {"name": "Travel desk", "business_function": "HR", "annual_cost": "90000", "fte": "2"},
    )
    fresh_draft.refresh_from_db()
    assert fresh_draft.wizard_step == WizardStep.INVENTORY
    payroll = fresh_draft.processes.get(name="Payroll")
    answers = {
        f"q-{key}": str(value) for key, value in zip(payroll.stored_answers, PAYROLL, strict=True)
    }
    client.post(f"{questionnaire}?process={payroll.pk}", {**answers, "move": "stay"})
    assert client.get(resume).url == questionnaire
    client.post(f"{questionnaire}?process={payroll.pk}", {**answers, "move": "review"})
    assert client.get(resume).url == reverse("assessments:review", args=[fresh_draft.pk])
    # Going back to an earlier process does not move the resume step back.
    client.post(f"{questionnaire}?process={payroll.pk}", {**answers, "move": "stay"})
    fresh_draft.refresh_from_db()
    assert fresh_draft.wizard_step == WizardStep.REVIEW
    changes = [
        e.changes["wizard_step"]
        for e in AuditEntry.objects.filter(
            content_type__model="assessment",
            object_pk=str(fresh_draft.pk),
            action=Action.UPDATE,
            changes__has_key="wizard_step",
        ).order_by("pk")
    ]
    assert changes == [
        ["context", "inventory"],
        ["inventory", "questionnaire"],
        ["questionnaire", "review"],
    ]


# ---------------------------------------------------------------- two-factor set-up


def test_the_two_factor_setup_page_writes_nothing_and_its_post_saves_the_authenticator(cast):
    """The secret shown waits in the session; the confirming POST saves the authenticator."""
    client = cast.client_for(None)  # an admin, who must set up a second factor, logs in
    client.post(reverse("login"), {"username": cast.admin.user.username, "password": PASSWORD})
    status, writes = writes_of(client, reverse("mfa-setup"))
    assert (status, writes) == (200, [])
    assert not TOTPDevice.objects.filter(user=cast.admin.user).exists()
    enrolment = client.get(reverse("mfa-setup")).context["enrolment"]
    phone = TOTPDevice(key=client.session["mfa_setup_key"])  # what the phone scanned
    assert enrolment.secret.replace(" ", "") in enrolment.url
    code = f"{TOTP(phone.bin_key, phone.step, phone.t0, phone.digits).token():06d}"
    assert client.post(reverse("mfa-setup"), {"code": code}).status_code == 200
    assert TOTPDevice.objects.get(user=cast.admin.user, confirmed=True).key == phone.key
