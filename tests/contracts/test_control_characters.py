"""One-line text (titles, names, references) refuses line breaks and control characters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.validators import no_control_characters
from contracts.models import Contract, ImprovementAction, Issue, Sla
from tests.contracts.builders import add_worked_slas, make_contract
from tests.contracts.test_contract_views import form_data
from tests.contracts.test_measurements import sla_data
from tests.contracts.test_relationship import issue_data

pytestmark = pytest.mark.django_db

MESSAGE = "Use a single line of text: line breaks, tabs and other control characters"
HOSTILE = [
    "Service desk\nBcc: victim@example.com",
    "Service desk\r\nX-Header: 1",
    "Tab\there",
    "Bell\x07",
    "Escape\x1b[31m",
    "Delete\x7f",
    "C1\x85next",
    "Line\u2028separator",
    "Paragraph\u2029separator",
]


def assert_refused(response, *, message: bool = True) -> None:
    # The form comes back (these views answer a rejected form with the page itself, 200).
    assert response.status_code in (200, 400)
    assert response.context["form"].errors
    if message:
        assert MESSAGE in response.content.decode()


@pytest.fixture
def contract(cast):
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    return contract


@pytest.mark.parametrize("text", HOSTILE)
def test_the_validator_refuses_each_kind_of_control_character(text):
    with pytest.raises(ValidationError) as refused:
        no_control_characters(text)
    assert refused.value.code == "control_characters"


@pytest.mark.parametrize(
    "text", ["Service desk", "Café – Zürich 24/7", "مكتب الخدمة", "Ünïcödé & <b>", "=SUM(1)", ""]
)
def test_the_validator_lets_ordinary_text_through(text):
    no_control_characters(text)


def test_the_message_names_what_it_found():
    with pytest.raises(ValidationError) as refused:
        no_control_characters("A\nB\tC\x07")
    assert refused.value.messages == [
        f"{MESSAGE} are not allowed here. This one holds a line break, a tab, a control "
        "character (U+0007)."
    ]


def test_a_contract_title_with_a_line_break_is_refused_and_nothing_is_saved(cast):
    response = cast.client_for("manager").post(
        reverse("contracts:create"), form_data(cast, title="Payroll\nBcc: all@example.com")
    )
    assert_refused(response)
    assert not Contract.objects.exists()


def test_an_edit_that_smuggles_a_line_break_into_the_title_changes_nothing(cast, contract):
    response = cast.client_for("manager").post(
        reverse("contracts:edit", args=[contract.pk]),
        form_data(cast, title="Service desk\r\nX-Injected: yes"),
    )
    assert_refused(response)
    contract.refresh_from_db()
    assert contract.title == "Service desk"


@pytest.mark.parametrize("field", ["reference", "payment_terms"])
def test_other_one_line_contract_fields_refuse_control_characters(cast, field):
    response = cast.client_for("manager").post(
        reverse("contracts:create"), form_data(cast, **{field: "30 days\x1bnet"})
    )
    assert_refused(response, message=False)
    assert not Contract.objects.exists()


def test_a_multi_line_text_box_still_takes_line_breaks(cast):
    response = cast.client_for("manager").post(
        reverse("contracts:create"),
        form_data(cast, termination_terms="Six months' notice.\r\nExit plan in schedule 4."),
    )
    assert response.status_code == 302
    assert Contract.objects.get().termination_terms.count("\n") == 1


def test_an_issue_title_with_a_line_break_is_refused(cast, contract):
    response = cast.client_for("manager").post(
        reverse("contracts:issue-create", args=[contract.pk]),
        issue_data(cast, title="Late report\nBcc: x@example.com"),
    )
    assert_refused(response)
    assert not Issue.objects.exists()


def test_an_actions_expected_benefit_refuses_control_characters(cast, contract):
    data = {
        "description": "Self-service\npassword reset",
        "owner": cast.cio.user.pk,
        "due_on": "2025-06-30",
        "status": "proposed",
        "expected_benefit": "15 % fewer tickets\r\nBcc: x@example.com",
    }
    response = cast.client_for("manager").post(
        reverse("contracts:action-create", args=[contract.pk]), data
    )
    assert_refused(response)
    assert not ImprovementAction.objects.exists()


def test_an_sla_name_with_a_line_break_is_refused(cast, contract):
    response = cast.client_for("manager").post(
        reverse("contracts:sla-create", args=[contract.pk]), sla_data(name="Resolution\ntime")
    )
    assert_refused(response)
    assert not Sla.objects.filter(name__startswith="Resolution").exists()
