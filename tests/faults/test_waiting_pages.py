"""In the browser: the pages follow the status they poll, and say when they wait for a worker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.projections.services import projection_request
from outsourcing.dashboard.boardpacks import services
from outsourcing.dashboard.selectors import DashboardFilters
from tests.assessments.projection_fixtures import make_assessment, wide_portfolio
from tests.factories import PASSWORD
from tests.realparts import log_in

pytestmark = pytest.mark.e2e

STATUS = "document.querySelector('[data-projection-status]').textContent"


@pytest.mark.worker
def test_the_projection_heading_follows_the_status_the_page_polls(cast, page, start_worker):
    assessment = make_assessment(cast.org, cast.manager.user, processes=wide_portfolio(2000))
    projection = projection_request(
        assessment=assessment, user=cast.manager.user, trials=8000, seed=3
    )
    log_in(page, cast.manager.user.username, PASSWORD)
    page.goto(
        reverse(
            "assessments:projection-detail",
            kwargs={"pk": assessment.pk, "projection_pk": projection.pk},
        )
    )
    assert page.evaluate(STATUS) == "Queued"
    start_worker()
    # The bar climbs while the parts are computed: the heading says so, not "Queued".
    page.wait_for_function(
        f"() => {STATUS} === 'Running' && Number(document.querySelector("
        "'[role=progressbar]').getAttribute('aria-valuenow')) > 5",
        timeout=90_000,
    )
    page.wait_for_selector("#fan-chart", timeout=120_000)  # done: the page reloaded
    assert page.locator("#status-heading").inner_text() == "Status: Done"
    assert page.console_errors == []


def test_the_board_pack_page_says_when_it_waits_for_a_worker(cast, page, live_server, settings):
    settings.SOURCEWISE_BOARD_PACK_STALLED_AFTER = 0  # no worker runs in this test
    pack = services.board_pack_request(
        organisation=cast.org, user=cast.cio.user, pack_format="xlsx", filters=DashboardFilters()
    )
    log_in(page, cast.cio.user.username, PASSWORD)
    page.goto(reverse("board-pack", args=[pack.pk]))
    hint = page.locator("#board-pack-stalled")
    hint.wait_for(state="visible")
    assert hint.inner_text().startswith("Waiting for a worker")
    assert page.locator("#board-pack-status").inner_text() == "Queued"
    assert page.console_errors == []
