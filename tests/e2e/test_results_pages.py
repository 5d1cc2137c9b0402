"""The results pages in a real browser: charts draw, the what-if panel redraws live."""

import pytest

from assessments.models import Recommendation
from tests.assessments.factories import scored_assessment
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.realparts import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def cio_and_assessment(transactional_db):
    organisation = OrganisationFactory(name="Browser org")
    cio = MembershipFactory(
        user=UserFactory(username="browser-cio"), organisation=organisation, role="cio"
    )
    return cio, scored_assessment(organisation, cio.user)


def test_a_cio_plays_what_if_and_sees_the_recommendation_change_without_saving(
    page, cio_and_assessment
):
    cio, assessment = cio_and_assessment
    log_in(page, "browser-cio", PASSWORD)
    page.goto(f"/assessments/{assessment.pk}/results/")
    page.locator("#mix-chart.js-plotly-plot").wait_for()
    page.get_by_role("link", name="Payroll processing").click()
    page.locator("#scores-chart.js-plotly-plot").wait_for()
    result = page.locator("#what-if-result")
    assert "BPO" in result.locator("[data-what-if=model_label]").inner_text()

    # Payroll becomes an IT capability with ad hoc work: the engine would say ITO.
    page.get_by_label("Technology intensity").select_option("5")
    page.get_by_label("Standardisation").select_option("2")
    page.wait_for_function(
        "() => document.querySelector('[data-what-if=model_label]').textContent.includes('ITO')"
    )
    assert "Technology intensity 5/5" in result.locator("[data-what-if=reasons]").inner_text()
    bars = page.evaluate("document.getElementById('what-if-chart').data[0].marker.color")
    assert bars[1] != bars[2]  # the ITO bar is now the highlighted one

    page.get_by_role("button", name="Back to the saved answers").click()
    page.wait_for_function(
        "() => document.querySelector('[data-what-if=model_label]').textContent.includes('BPO')"
    )
    assert page.console_errors == []
    payroll = assessment.processes.get(name="Payroll processing")
    assert payroll.technology_intensity == 2
    assert Recommendation.objects.get(process=payroll).model == "BPO"
