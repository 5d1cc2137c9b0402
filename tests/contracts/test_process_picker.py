"""The contract form's pickers: vendors and processes searchable, processes grouped by
assessment and limited to submitted ones (plus those the contract already covers)."""

import re

import pytest
from django.urls import reverse

from assessments.services.assessments import assessment_reopen
from tests.contracts.builders import make_assessment, make_contract, make_vendor
from tests.vendors.factories import make_assessment as make_big_assessment

pytestmark = pytest.mark.django_db


def options_by_group(page: str) -> dict[str, list[str]]:
    select = re.search(r'<select name="processes".*?</select>', page, re.S).group(0)
    return {
        label: re.findall(r"<option [^>]*>([^<]+)</option>", body)
        for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    }


def test_processes_are_grouped_by_submitted_assessment_and_drafts_left_out(cast):
    make_assessment(cast.manager)
    make_big_assessment(cast.org, cast.manager.user, name="Draft review", status="draft")
    page = cast.client_for("manager").get(reverse("contracts:create")).content.decode()
    groups = options_by_group(page)
    assert list(groups) == ["Review 2027"]
    assert groups["Review 2027"] == [
        "Service desk · recommended ITO",
        "Desktop support · recommended ITO",
    ]


def test_a_contract_keeps_offering_the_processes_it_covers(cast):
    assessment = make_assessment(cast.manager)
    contract = make_contract(cast.manager)
    contract.processes.set(assessment.processes.all())
    assessment_reopen(assessment=assessment)
    page = cast.client_for("manager").get(reverse("contracts:edit", args=[contract.pk]))
    groups = options_by_group(page.content.decode())
    assert len(groups["Review 2027"]) == 2
    assert page.content.decode().count("selected") >= 2


def test_the_vendor_and_process_selects_become_searchable_pickers(cast):
    make_vendor()
    page = cast.client_for("manager").get(reverse("contracts:create")).content.decode()
    for name in ("vendor", "processes"):
        select = re.search(rf'<select name="{name}"[^>]*>', page).group(0)
        assert "data-picker" in select, name
    assert "/static/vendor/tom-select/tom-select.bootstrap5.min.css" in page
    assert "/static/js/pickers.js" in page
