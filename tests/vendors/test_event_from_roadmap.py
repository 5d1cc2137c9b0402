"""From the roadmap to vendor selection: a wave links to a new sourcing event with that
scope chosen; the process picker is searchable, grouped, and a plain select without JS."""

import re

import pytest
from django.urls import reverse

from tests.contracts.builders import make_assessment as make_scheduled_assessment

from .factories import make_assessment

pytestmark = pytest.mark.django_db
NEW = reverse("vendors:event-create")


def checked_wave(page: str) -> str | None:
    match = re.search(r'<input type="radio"[^>]*name="wave-wave" value="([^"]+)"[^>]*checked', page)
    return match.group(1) if match else None


def test_each_roadmap_wave_links_to_a_new_event_for_it(cast):
    assessment = make_scheduled_assessment(cast.manager)
    page = cast.client_for("manager").get(reverse("assessments:roadmap", args=[assessment.pk]))
    html = page.content.decode()
    assert f'href="{NEW}?wave={assessment.pk}:1"' in html
    assert "Start a sourcing event" in html


def test_a_cio_reads_the_roadmap_without_the_links_they_could_not_follow(cast):
    assessment = make_scheduled_assessment(cast.manager)
    html = cast.client_for("cio").get(reverse("assessments:roadmap", args=[assessment.pk]))
    assert "Start a sourcing event" not in html.content.decode()


def test_the_link_opens_the_new_event_with_the_wave_chosen_and_named(cast):
    assessment = make_assessment(cast.org, cast.manager.user)
    page = cast.client_for("manager").get(NEW, {"wave": f"{assessment.pk}:2"}).content.decode()
    assert checked_wave(page) == f"{assessment.pk}:2"
    assert f'value="{assessment.name} wave 2 (BPO) RFP"' in page


def test_a_link_naming_processes_opens_the_hand_picked_form_with_them(cast):
    assessment = make_assessment(cast.org, cast.manager.user)
    desk = assessment.processes.get(name="Service desk")
    page = cast.client_for("manager").get(NEW, {"process": [desk.pk]}).content.decode()
    assert re.search(rf'<option value="{desk.pk}"[^>]*selected', page)
    assert re.search(r'<option value="ITO"[^>]*selected', page)
    assert checked_wave(page) is None


@pytest.mark.parametrize(
    "query",
    [
        {"wave": "999:1"},
        {"wave": "x"},
        {"process": ["abc", "99999999999999999999999", "-1"]},
    ],
)
def test_a_link_naming_something_else_opens_the_empty_form(cast, query):
    make_assessment(cast.org, cast.manager.user)
    response = cast.client_for("manager").get(NEW, query)
    assert response.status_code == 200
    assert checked_wave(response.content.decode()) is None


def test_another_organisations_process_is_not_chosen(cast):
    theirs = make_assessment(cast.other_org, cast.outsider.user)
    make_assessment(cast.org, cast.manager.user)
    desk = theirs.processes.get(name="Service desk")
    page = cast.client_for("manager").get(NEW, {"process": [desk.pk]}).content.decode()
    assert f'value="{desk.pk}"' not in page


def test_the_process_picker_is_searchable_grouped_and_degrades_to_a_select(cast):
    assessment = make_assessment(cast.org, cast.manager.user)
    page = cast.client_for("manager").get(NEW).content.decode()
    select = re.search(r'<select name="pick-processes"[^>]*>', page).group(0)
    assert "data-picker" in select and "multiple" in select
    assert f'<optgroup label="{assessment.name}">' in page
    assert "/static/vendor/tom-select/tom-select.complete.min.js" in page
    assert "/static/js/pickers.js" in page
