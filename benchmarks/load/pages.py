"""The pages the load test and the profiler visit, known by URL name and found by links.

Nothing here imports the application: pages are recognised by their path (the patterns
follow the apps' urls.py) and discovered from the links of the pages a person sees, as a
browser would, so the scripts keep working while modules move.
"""

from __future__ import annotations

import html
import re

APP_PORT = 8201
HELLO_PORT = 8202
DEMO_PASSWORD = "sourcewise-demo"
LOGIN_PATH = "/accounts/login/"

# URL name -> the path of such a page. Checked in order; the first match names a path.
PATTERNS: dict[str, re.Pattern] = {
    name: re.compile(pattern)
    for name, pattern in (
        ("home", r"^/$"),
        ("assessments:list", r"^/assessments/$"),
        ("assessments:resume", r"^/assessments/\d+/$"),
        ("assessments:results", r"^/assessments/\d+/results/$"),
        ("assessments:process-detail", r"^/assessments/\d+/processes/\d+/$"),
        ("assessments:roadmap", r"^/assessments/\d+/roadmap/$"),
        ("assessments:projection-detail", r"^/assessments/\d+/projections/\d+/$"),
        ("assessments:projection-status", r"^/assessments/\d+/projections/\d+/status\.json$"),
        ("vendors:event-list", r"^/vendors/events/$"),
        ("vendors:event-detail", r"^/vendors/events/\d+/$"),
        ("vendors:event-ranking", r"^/vendors/events/\d+/ranking/$"),
        ("contracts:list", r"^/contracts/$"),
        ("contracts:detail", r"^/contracts/\d+/$"),
        ("contracts:sla-detail", r"^/contracts/\d+/slas/\d+/$"),
        ("contracts:vendor-record", r"^/contracts/vendors/\d+/$"),
        ("dashboard", r"^/dashboard/$"),
        ("dashboard-figure", r"^/dashboard/[\w-]+\.json$"),
        ("board-pack", r"^/dashboard/board-pack/\d+/$"),
        ("board-pack-status", r"^/dashboard/board-pack/\d+/status\.json$"),
    )
}

# Where a person finds a link to a page of each name (its parent in the navigation).
ROOTS = {
    "home": "/",
    "assessments:list": "/assessments/",
    "vendors:event-list": "/vendors/events/",
    "contracts:list": "/contracts/",
    "dashboard": "/dashboard/",
}
PARENTS = {
    "assessments:resume": "assessments:list",
    "assessments:results": "assessments:resume",  # /assessments/<pk>/ redirects there
    "assessments:process-detail": "assessments:results",
    "assessments:roadmap": "assessments:results",
    "assessments:projection-detail": "assessments:results",
    "vendors:event-detail": "vendors:event-list",
    "vendors:event-ranking": "vendors:event-detail",
    "contracts:detail": "contracts:list",
    "contracts:sla-detail": "contracts:detail",
    "contracts:vendor-record": "contracts:list",
    "dashboard-figure": "dashboard",
}

# What each role looks at, and how often (relative weights of one page view).
MANAGER_PAGES = {
    "home": 1,
    "assessments:list": 3,
    "assessments:results": 4,
    "assessments:process-detail": 5,
    "assessments:roadmap": 3,
    "assessments:projection-detail": 2,
    "vendors:event-list": 2,
    "vendors:event-detail": 2,
    "vendors:event-ranking": 3,
    "contracts:list": 3,
    "contracts:detail": 3,
    "contracts:sla-detail": 3,
}
CIO_PAGES = {
    "home": 1,
    "dashboard": 5,
    "dashboard-figure": 6,
    "contracts:list": 2,
    "contracts:detail": 3,
    "contracts:sla-detail": 2,
    "contracts:vendor-record": 3,
}

_HREF = re.compile(r'href="(/[^"#]*)"')
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url_name(path: str) -> str | None:
    path = path.split("?", 1)[0]
    for name, pattern in PATTERNS.items():
        if pattern.match(path):
            return name
    return None


def links(page: str) -> dict[str, set[str]]:
    """The named pages a page links to: {url name: {path, ...}} (queries dropped)."""
    found: dict[str, set[str]] = {}
    for href in _HREF.findall(page):
        path = html.unescape(href).split("?", 1)[0]
        name = url_name(path)
        if name is not None:
            found.setdefault(name, set()).add(path)
    return found


def csrf_token(page: str) -> str | None:
    match = _CSRF.search(page)
    return match.group(1) if match else None


def form(page: str, action: re.Pattern) -> tuple[str, dict[str, str]] | None:
    """The first POST form whose action matches, with its inputs' current values."""
    for attributes, body in _FORM.findall(page):
        attrs = dict(_ATTR.findall(attributes))
        target = html.unescape(attrs.get("action", ""))
        if attrs.get("method", "").lower() == "post" and action.match(target):
            fields = {}
            for input_attributes in _INPUT.findall(body):
                field = dict(_ATTR.findall(input_attributes))
                if "name" in field:
                    fields[field["name"]] = html.unescape(field.get("value", ""))
            return target, fields
    return None
