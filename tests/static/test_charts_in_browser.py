"""In a real browser, every chart page draws each of its traces with the partial bundle.

plotly.js draws a trace of a type its bundle lacks as an invisible scatter, silently: the
test compares each trace's type as drawn with the type in the figure."""

from __future__ import annotations

import plotly.offline
import pytest
from django.core.management import call_command

from assessments.demo import DEMO_ASSESSMENT
from assessments.models import Assessment, Projection
from contracts.models import Contract
from tests.realparts import log_in

pytestmark = pytest.mark.e2e

CHARTS = ".plotly-chart, .projection-chart"
EVERY_CHART_DRAWN = (
    "(selector) => [...document.querySelectorAll(selector)].every(c => c.data && c.layout)"
)
TRACES = """(selector) => [...document.querySelectorAll(selector)].map(chart => ({
  svg: !!chart.querySelector(".main-svg"),
  types: chart._fullData.map(trace => trace._input.type || "scatter"),
  drawn_as: chart._fullData.map(trace => trace.type),
}))"""


def test_every_chart_page_draws_every_trace_with_the_partial_bundle(page, transactional_db):
    call_command("seed_demo", verbosity=0)  # its projection runs in-process, to the end
    assessment = Assessment.objects.get(name=DEMO_ASSESSMENT, organisation__name="Acme Holdings")
    projection = Projection.objects.filter(assessment=assessment, status="done").latest(
        "created_at"
    )
    contract = Contract.objects.filter(organisation=assessment.organisation).order_by("pk")[0]
    process = assessment.processes.order_by("pk")[0]
    sla = contract.slas.order_by("pk")[0]
    pages = [
        "/dashboard/",
        f"/assessments/{assessment.pk}/results/",
        f"/assessments/{assessment.pk}/roadmap/",
        f"/assessments/{assessment.pk}/processes/{process.pk}/",
        f"/assessments/{assessment.pk}/projections/{projection.pk}/",
        f"/contracts/{contract.pk}/",
        f"/contracts/{contract.pk}/slas/{sla.pk}/",
    ]
    scripts: list[str] = []
    page.on(
        "request",
        lambda request: scripts.append(request.url) if request.resource_type == "script" else None,
    )
    log_in(page, "cio", "sourcewise-demo")

    types = set()
    for path in pages:
        page.goto(path)
        page.wait_for_function(EVERY_CHART_DRAWN, arg=CHARTS)
        charts = page.evaluate(TRACES, CHARTS)
        assert charts, path
        for chart in charts:
            assert chart["svg"], path
            assert chart["drawn_as"] == chart["types"], path
            types |= set(chart["types"])
        assert page.evaluate("() => Plotly.version") == plotly.offline.get_plotlyjs_version()

    assert types == {"scatter", "bar", "heatmap", "sunburst", "waterfall"}
    plotly_scripts = {url.split("/static/", 1)[1] for url in scripts if "plotly" in url}
    assert plotly_scripts == {"vendor/plotly/plotly-sourcewise.min.js"}
    assert page.console_errors == []
