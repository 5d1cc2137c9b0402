"""The exit plan pages: who may read and edit them, what they show, and how a bad form is
refused without saving anything and with what was typed kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.engine.exit_readiness import ITEM_KEYS
from contracts.models import ExitPlan, ExitPlanItem
from tests.contracts.builders import make_exit_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(cast):
    return make_exit_contract(cast.manager)


def page(contract) -> str:
    return reverse("contracts:exit-plan", args=[contract.pk])


def edit(contract) -> str:
    return reverse("contracts:exit-plan-edit", args=[contract.pk])


def form_data(cast, **rows: dict) -> dict[str, str]:
    """Every item done, owned by the manager and due in a month; ``rows`` change items."""
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = {"notes": "Back in-house with the shared-services team."}
    for key in ITEM_KEYS:
        row = {"status": "done", "owner": str(cast.manager.user.pk), "due_on": due, "notes": ""}
        row.update(rows.get(key, {}))
        data.update({f"{key}-{field}": value for field, value in row.items()})
    return data


def test_everyone_in_the_organisation_reads_the_default_plan_and_nothing_is_written(cast, contract):
    for who in ("manager", "cio", "admin"):
        response = cast.client_for(who).get(page(contract))
        assert response.status_code == 200
        text = response.content.decode()
        assert "the default plan every contract starts with" in text
        assert "Knowledge transfer is missing" in text
        assert "Transition-out cost" in text
    assert not ExitPlan.objects.exists()


def test_the_page_shows_the_transition_out_cost_from_the_contract_s_model(cast, contract):
    # No baseline and no processes: the fee stands in. BPO of 1,200,000: 10 % one-time
    # plus 6 months of parallel run = 120,000 + 600,000.
    text = cast.client_for("cio").get(page(contract)).content.decode()
    assert 'data-figure="exit-cost">GBP 720,000.00' in text
    assert "the vendor&#x27;s annual fee" in text


def test_the_contract_page_shows_the_score_and_links_to_the_plan(cast, contract):
    text = (
        cast.client_for("cio").get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    )
    assert 'id="exit-heading"' in text and page(contract) in text


def test_another_organisation_gets_404(cast, contract):
    client = cast.client_for("outsider")
    assert client.get(page(contract)).status_code == 404
    assert client.get(edit(contract)).status_code == 404
    assert client.post(edit(contract), form_data(cast)).status_code == 404
    assert not ExitPlan.objects.exists()


def test_a_cio_reads_but_may_not_edit(cast, contract):
    client = cast.client_for("cio")
    assert "Edit the exit plan" not in client.get(page(contract)).content.decode()
    assert client.get(edit(contract)).status_code == 403
    assert client.post(edit(contract), form_data(cast)).status_code == 403
    assert not ExitPlan.objects.exists()


def test_anonymous_people_are_sent_to_log_in(cast, contract):
    response = cast.client_for(None).post(edit(contract), form_data(cast))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_manager_saves_the_whole_checklist(cast, contract):
    data = form_data(
        cast,
        people={"status": "not_applicable", "owner": ""},
        data_return={"status": "partial", "notes": "CSV and PDF, schedule to agree"},
    )
    response = cast.client_for("manager").post(edit(contract), data)
    assert response.status_code == 302 and response.url == page(contract)
    plan = ExitPlan.objects.get(contract=contract)
    assert plan.notes == "Back in-house with the shared-services team."
    items = {i.item: i for i in plan.items.all()}
    assert set(items) == set(ITEM_KEYS)
    assert items["people"].status == "not_applicable" and items["people"].owner is None
    assert items["data_return"].notes == "CSV and PDF, schedule to agree"
    text = cast.client_for("cio").get(page(contract)).content.decode()
    # 5 done and 1 partly done of 6 applicable: 100 x 5.5 / 6 = 91.67, rounded to 92.
    assert 'data-figure="exit-score">92<' in text


def test_saving_again_updates_the_same_rows(cast, contract):
    client = cast.client_for("manager")
    client.post(edit(contract), form_data(cast))
    client.post(edit(contract), form_data(cast, parallel_run={"status": "missing"}))
    assert ExitPlanItem.objects.count() == len(ITEM_KEYS)
    assert ExitPlanItem.objects.get(item="parallel_run").status == "missing"


HOSTILE = [
    ("knowledge_transfer-status", "finished"),
    ("knowledge_transfer-status", "not_applicable"),
    ("data_return-due_on", "99999-12-31"),
    ("data_return-due_on", "1900-01-01"),
    ("parallel_run-owner", "999999999999999999999999"),
    ("parallel_run-owner", "-1"),
    ("notice_period-notes", "line one\nline two"),
    ("notice_period-notes", "x" * 501),
    ("notes", "y" * 5001),
    ("notes", "nul \x00 byte"),
]


@pytest.mark.parametrize(("field", "value"), HOSTILE, ids=[f for f, _ in HOSTILE])
def test_hostile_input_is_refused_in_words_and_nothing_is_saved(cast, contract, field, value):
    data = form_data(cast)
    data[field] = value
    data["tooling_licences-notes"] = '=HYPERLINK("http://evil", "keep me")'
    response = cast.client_for("manager").post(edit(contract), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing was saved" in text
    assert "=HYPERLINK(&quot;http://evil&quot;, &quot;keep me&quot;)" in text  # kept as typed
    assert not ExitPlan.objects.exists()


def test_an_owner_from_another_organisation_is_refused(cast, contract):
    data = form_data(cast, people={"owner": str(cast.outsider.user.pk)})
    response = cast.client_for("manager").post(edit(contract), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ExitPlan.objects.exists()


def test_formula_like_notes_are_stored_as_text_and_shown_escaped(cast, contract):
    data = form_data(cast, tooling_licences={"notes": "=cmd|' /C calc'!A0"})
    assert cast.client_for("manager").post(edit(contract), data).status_code == 302
    assert ExitPlanItem.objects.get(item="tooling_licences").notes == "=cmd|' /C calc'!A0"
    text = cast.client_for("cio").get(page(contract)).content.decode()
    assert "=cmd|&#x27; /C calc&#x27;!A0" in text


def test_wrong_methods_get_405(cast, contract):
    client = cast.client_for("manager")
    assert client.post(page(contract)).status_code == 405
    assert client.put(edit(contract)).status_code == 405


def _leaver(cast):
    """A member who owns the parallel run, then leaves the organisation."""
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    membership = MembershipFactory(
        user=UserFactory(username="a-leaver", first_name="Lee", last_name="Vern"),
        organisation=cast.org,
        role=Role.MANAGER,
    )
    return membership


def test_an_owner_who_left_stays_on_their_item_until_someone_changes_it(cast, contract):
    leaver = _leaver(cast)
    client = cast.client_for("manager")
    data = form_data(cast, parallel_run={"owner": str(leaver.user.pk)})
    assert client.post(edit(contract), data).status_code == 302
    leaver.delete()  # gone from the organisation
    # The form offers them, marked, on their own item only.
    text = client.get(edit(contract)).content.decode()
    assert text.count("Lee Vern (no longer a member)") == 1
    # Saving the rest of the plan keeps them ...
    data["notes"] = "Moved to the shared-services team."
    assert client.post(edit(contract), data).status_code == 302
    assert ExitPlanItem.objects.get(item="parallel_run").owner == leaver.user
    assert ExitPlan.objects.get().notes == "Moved to the shared-services team."
    # ... but nobody can give them another item now.
    data["people-owner"] = str(leaver.user.pk)
    response = client.post(edit(contract), data)
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert ExitPlanItem.objects.get(item="people").owner == cast.manager.user
    # Choosing a member instead replaces them for good.
    data = form_data(cast)
    assert client.post(edit(contract), data).status_code == 302
    assert ExitPlanItem.objects.get(item="parallel_run").owner == cast.manager.user
    assert "no longer a member" not in client.get(edit(contract)).content.decode()
