"""Free text people type has a maximum length: too long is a form error, never stored."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from contracts.models import Issue
from tests.contracts.builders import make_contract

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "assessments", "vendors", "contracts", "outsourcing")
# Written by the app itself, never typed into a form.
APP_WRITTEN = {("assessments", "projection", "message"), ("contracts", "notification", "message")}
ELEVEN_MB = 11 * 1024 * 1024


def test_every_free_text_field_people_type_into_has_a_maximum_length():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
        and field.max_length is None
        and (label, model._meta.model_name.removeprefix("historical"), field.name)
        not in APP_WRITTEN
    ]
    assert unbounded == []


def issue_data(cast, **changes) -> dict:
    return {
        "title": "Root-cause report late",
        "description": "",
        "severity": "critical",
        "status": "open",
        "owner": cast.manager.user.pk,
        "raised_on": "2025-02-01",
        "due_on": "2025-02-15",
        "escalation_level": "2",
        "resolution": "Vendor asked for a week more.",
        "resolved_on": "",
        **changes,
    }


def test_an_eleven_megabyte_issue_description_is_refused_and_the_rest_is_kept(cast):
    contract = make_contract(cast.manager)
    response = cast.client_for("manager").post(
        reverse("contracts:issue-create", args=[contract.pk]),
        issue_data(cast, description="x" * ELEVEN_MB),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["description"] == [
        f"Ensure this value has at most 20000 characters (it has {ELEVEN_MB})."
    ]
    assert set(form.errors) == {"description"}
    page = response.content.decode()
    assert 'value="Root-cause report late"' in page
    assert "Vendor asked for a week more.</textarea>" in page
    assert not Issue.objects.exists()


def test_a_description_at_the_limit_is_saved_whole(cast):
    contract = make_contract(cast.manager)
    response = cast.client_for("manager").post(
        reverse("contracts:issue-create", args=[contract.pk]),
        issue_data(cast, description="y" * 20000),
    )
    assert response.status_code == 302
    assert Issue.objects.get().description == "y" * 20000


def test_the_browser_is_told_the_limit_too(cast):
    contract = make_contract(cast.manager)
    page = (
        cast.client_for("manager")
        .get(reverse("contracts:issue-create", args=[contract.pk]))
        .content.decode()
    )
    assert 'maxlength="20000"' in page and 'maxlength="10000"' in page
