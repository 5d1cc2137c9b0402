"""Charts load a partial plotly.js bundle, and only on the pages that draw a chart."""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import plotly.offline
import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from assessments.models import Assessment, Status

pytestmark = pytest.mark.django_db

BUNDLE = "vendor/plotly/plotly-sourcewise.min.js"
# The markup of a chart: assessments/_chart.html, and the projection page's own.
CHART = re.compile(r'<div [^>]*class="[^"]*\b(?:plotly-chart|projection-chart)\b')


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.script_sources: list[str] = []
        self.data_blocks: list[str] = []
        self.links: list[str] = []
        self._data: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        if tag == "script" and "src" in named:
            self.script_sources.append(named["src"])
        elif tag == "script" and named.get("type") == "application/json":
            self._data = []
        elif tag == "a" and "href" in named:
            self.links.append(named["href"])

    def handle_data(self, data: str) -> None:
        if self._data is not None:
            self._data.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._data is not None:
            self.data_blocks.append("".join(self._data))
            self._data = None


def parse(html: str) -> Markup:
    markup = Markup()
    markup.feed(html)
    return markup


def crawl(client: Client, per_kind: int = 2) -> dict[str, str]:
    """The HTML of the pages reachable by links from the home page, at most ``per_kind``
    of each kind (paths alike but for their ids)."""
    pages: dict[str, str] = {}
    seen, queue, kinds = {"/"}, deque(["/"]), Counter()
    while queue:
        path = queue.popleft()
        kind = re.sub(r"\d+", "N", path)
        if kinds[kind] >= per_kind:
            continue
        kinds[kind] += 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages[path] = response.content.decode()
        for href in parse(pages[path]).links:
            target = urlsplit(urljoin(path, href))
            if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
                continue
            if target.path.startswith(("/admin/", "/static/")) or target.path in seen:
                continue
            seen.add(target.path)
            queue.append(target.path)
    return pages


@pytest.fixture(scope="module")
def demo_pages(module_demo, django_db_blocker) -> dict[str, str]:
    """Every kind of page the demo CIO reaches by following links through the demo data,
    read once for the module (a cache of its own, as each test has)."""
    cache = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with django_db_blocker.unblock(), override_settings(CACHES=cache):
        client = Client()
        assert client.login(username="cio", password="sourcewise-demo")
        return crawl(client)


def bundle_text() -> str:
    return Path(finders.find(BUNDLE)).read_text()


def test_pages_with_a_chart_load_the_partial_bundle_and_the_others_no_plotly(demo_pages):
    with_charts = set()
    for path, html in demo_pages.items():
        plotly_scripts = [src for src in parse(html).script_sources if "plotly" in src.lower()]
        if CHART.search(html):
            with_charts.add(re.sub(r"\d+", "N", path))
            assert plotly_scripts == [static(BUNDLE)], path
        else:
            assert plotly_scripts == [], path
    assert {
        "/dashboard/",
        "/assessments/N/results/",
        "/assessments/N/roadmap/",
        "/assessments/N/processes/N/",
        "/assessments/N/projections/N/",
        "/contracts/N/",
        "/contracts/N/slas/N/",
    } <= with_charts
    without = [path for path, html in demo_pages.items() if not CHART.search(html)]
    assert len(without) > 20 and "/" in without and "/contracts/" in without


def test_an_assessment_without_recommendations_loads_no_plotly(cast):
    draft = Assessment.objects.create(
        organisation=cast.org,
        owner=cast.manager.user,
        name="Not yet submitted",
        objectives=["cost_reduction"],
        home_country="United Kingdom",
        currency="GBP",
        status=Status.DRAFT,
    )
    client = cast.client_for("manager")
    for name in ("results", "roadmap"):
        response = client.get(reverse(f"assessments:{name}", args=[draft.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert not CHART.search(html), name
        assert [s for s in parse(html).script_sources if "plotly" in s.lower()] == [], name


def test_the_bundle_is_the_plotly_js_the_server_draws_with_and_carries_its_licence():
    bundle = bundle_text()
    version = plotly.offline.get_plotlyjs_version()  # what plotly.py (and kaleido) draws with
    assert f"v{version}\n" in bundle[:300]
    assert f'version="{version}"' in bundle
    licence = Path(finders.find("vendor/plotly/LICENSE")).read_text()
    assert licence.startswith("MIT License") and "Plotly" in licence
    # A partial bundle: under a third of the full one.
    assert len(bundle) < 1.6e6


def test_the_bundle_has_every_trace_type_the_pages_draw_and_no_other(demo_pages):
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle_text()))
    drawn = set()
    for html in demo_pages.values():
        for block in parse(html).data_blocks:
            figure = json.loads(block)
            if isinstance(figure, dict) and isinstance(figure.get("data"), list):
                drawn |= {trace.get("type", "scatter") for trace in figure["data"]}
    assert {"bar", "scatter", "heatmap", "sunburst", "waterfall"} <= drawn
    assert drawn <= registered, f"rebuild static/vendor/plotly with {drawn - registered}"
    assert registered == drawn, f"the bundle carries {registered - drawn}, which no page draws"
