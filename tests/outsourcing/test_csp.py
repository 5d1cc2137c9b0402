"""The Content-Security-Policy: on every response, scripts only from our own files, and no
page carries markup the policy would refuse (inline code without the response's nonce)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import import_export
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.http import HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
# The types a browser runs as script; anything else (application/json) is an inert data block.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response[HEADER].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def nonce_of(response) -> str | None:
    found = [s for s in policy(response).get("script-src", []) if s.startswith("'nonce-")]
    return found[0][len("'nonce-") : -1] if found else None


def sha256_source(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


class PageMarkup(HTMLParser):
    """What in a page the policy governs: scripts, inline handlers, style elements, links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []  # {"attrs": {...}, "text": "..."}
        self.handlers: list[str] = []
        self.styles: list[str] = []
        self.links: list[str] = []
        self._open: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        self.handlers += [
            f"<{tag} {name}={value!r}>" for name, value in named.items() if name.startswith("on")
        ]
        if named.get("href", "").strip().lower().startswith("javascript:"):
            self.handlers.append(f"<{tag} href={named['href']!r}>")
        if tag == "a" and "href" in named:
            self.links.append(named["href"])
        if tag in ("script", "style"):
            self._open = {"tag": tag, "attrs": named, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open["tag"]:
            if tag == "script":
                self.scripts.append(self._open)
            elif self._open["text"].strip():
                self.styles.append(self._open["text"].strip()[:80])
            self._open = None


def markup(response) -> PageMarkup:
    parser = PageMarkup()
    parser.feed(response.content.decode())
    return parser


def crawl(client: Client, start: str = "/", per_kind: int = 2) -> dict[str, HttpResponse]:
    """The HTML pages reachable by links from ``start`` (paths, without queries), at most
    ``per_kind`` of each kind (paths alike but for their ids: /contracts/1/ and /contracts/2/)."""
    pages: dict[str, HttpResponse] = {}
    seen, queue, kinds = {start}, deque([start]), Counter()
    while queue:
        path = queue.popleft()
        kind = re.sub(r"\d+", "N", path)
        if kinds[kind] >= per_kind:
            continue
        kinds[kind] += 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages[path] = response
        for href in markup(response).links:
            target = urlsplit(urljoin(path, href))
            if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
                continue
            if target.path.startswith(("/admin/", "/static/")) or target.path in seen:
                continue
            seen.add(target.path)
            queue.append(target.path)
    return pages


@pytest.fixture
def demo_pages(django_capture_on_commit_callbacks) -> dict[str, HttpResponse]:
    """Every kind of page the demo manager reaches by following links through the demo data."""
    with django_capture_on_commit_callbacks(execute=True):  # runs the demo's projection
        call_command("seed_demo", verbosity=0)
    client = Client()
    assert client.login(username="manager", password="sourcewise-demo")
    return crawl(client)


def test_every_response_carries_the_policy_anonymous_or_not(cast):
    anonymous, manager = Client(), cast.client_for("manager")
    responses = {
        "login page": anonymous.get("/accounts/login/"),
        "health check": anonymous.get("/healthz"),
        "redirect to log in": anonymous.get("/dashboard/"),
        "home page": manager.get("/"),
        "inventory template": manager.get(reverse("assessments:inventory-template")),
    }
    for what, response in responses.items():
        assert HEADER in response, what
        assert policy(response)["default-src"] == ["'self'"], what


def test_scripts_may_come_only_from_our_own_files_never_inline_or_eval(client):
    directives = policy(client.get("/accounts/login/"))
    assert directives["script-src"] == ["'self'"]  # no nonce on a page without inline script
    scripts = " ".join(directives["script-src"] + directives.get("script-src-elem", []))
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        assert unsafe not in scripts.split(), unsafe
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["connect-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src"] + directives["style-src-elem"]


def test_an_inline_script_with_the_request_nonce_is_allowed_by_that_response_alone(settings):
    from csp.middleware import CSPMiddleware

    page = engines["django"].from_string(
        '<script nonce="{{ request.csp_nonce }}">document.title = "x";</script>'
    )

    def render(request):
        return HttpResponse(page.render({}, request))

    first, second = (CSPMiddleware(render)(RequestFactory().get("/")) for _ in range(2))
    for response in (first, second):
        nonce = nonce_of(response)
        assert nonce and len(base64.b64decode(nonce)) >= 16
        assert [s["attrs"]["nonce"] for s in markup(response).scripts] == [nonce]
    assert nonce_of(first) != nonce_of(second)


def test_every_demo_page_runs_only_scripts_the_policy_allows(demo_pages):
    visited = set(demo_pages)
    for expected in ("/dashboard/", "/contracts/", "/vendors/", "/assessments/"):
        assert expected in visited, f"the crawl never reached {expected}"
    for kind in ("/results/", "/roadmap/", "/projections/"):
        assert any(kind in path for path in visited), f"the crawl reached no {kind} page"
    assert len(visited) > 40

    for path, response in demo_pages.items():
        assert HEADER in response, path
        found = markup(response)
        nonce = nonce_of(response)
        for script in found.scripts:
            if "src" in script["attrs"]:
                assert urlsplit(script["attrs"]["src"]).netloc == "", (path, script["attrs"])
            elif script["attrs"].get("type", "").lower() in SCRIPT_TYPES:
                assert nonce and script["attrs"].get("nonce") == nonce, (path, script["text"][:80])
        assert found.handlers == [], path
        assert found.styles == [], path

    # The charts get their figures from inert JSON blocks, which need no nonce.
    dashboard = markup(demo_pages["/dashboard/"])
    data_blocks = [s for s in dashboard.scripts if "src" not in s["attrs"]]
    assert len(data_blocks) >= 6
    assert {s["attrs"]["type"] for s in data_blocks} == {"application/json"}


def test_the_only_inline_handler_allowed_is_the_admin_export_select_all_box(settings):
    template = (
        Path(import_export.__file__).parent / "templates/admin/import_export/export.html"
    ).read_text()
    handlers = re.findall(r'\son[a-z]+="([^"]*)"', template)
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src-attr"]
    assert handlers, "django-import-export's export page no longer has an inline handler"
    assert sorted(allowed) == sorted(["'unsafe-hashes'", *map(sha256_source, handlers)])


def test_the_admin_export_page_is_served_under_the_policy(db):
    operator = UserFactory(username="csp-operator", is_staff=True, is_superuser=True)
    client = Client()
    assert client.login(username=operator.username, password=PASSWORD)
    response = client.get("/admin/vendors/vendor/export/")
    assert response.status_code == 200
    found = markup(response)
    hashes = set(policy(response)["script-src-attr"])
    assert found.handlers
    for handler in found.handlers:
        code = re.search(r"=(['\"])(.*)\1>$", handler).group(2)
        assert sha256_source(code) in hashes, handler


def test_the_style_hashes_are_those_of_the_style_elements_plotly_adds(settings):
    # The plotly.js the chart pages load (tests/static checks that they load this one).
    bundle = Path(finders.find("vendor/plotly/plotly-sourcewise.min.js")).read_text()
    # Plotly's own rules go through the CSS object model into an empty <style> element,
    # the only style element the bundle makes...
    made = re.findall(r"""createElement\(["']style["']\)[^;]{0,80}""", bundle)
    assert len(made) == 1 and 'appendChild(document.createTextNode(""))' in made[0]
    # ...and it has no map traces: no MapLibre, which would add its stylesheet as text.
    assert "maplibregl" not in bundle
    expected = {"'self'", sha256_source("")}
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert set(directives["style-src-elem"]) == expected
    assert set(directives["style-src"]) == expected
