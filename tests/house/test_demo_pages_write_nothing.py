"""Every page reachable by links from the home page of the demo writes nothing.

The demo organisation is loaded (``seed_demo``), then a manager and an admin follow every
link of every page, each kind of page (URL name) up to twice with different
arguments, and each GET is checked for INSERT, UPDATE or DELETE statements. The session
table is set aside: which organisation is chosen is the visitor's state, not data.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#]*)"')
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
SKIPPED = ("/static/", "/media", "/admin/")  # files, and Django's own admin
PER_NAME = 2  # pages of one kind visited (e.g. two contracts' pages)


def crawl(client: Client) -> tuple[list[str], dict[str, list[str]]]:
    """Every URL visited, and the writes of those that wrote."""
    queue, seen, visits, wrote = deque(["/"]), set(), Counter(), {}
    while queue:
        url = queue.popleft()
        if url in seen or url.startswith(SKIPPED):
            continue
        seen.add(url)
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if visits[name] >= PER_NAME:
            continue
        visits[name] += 1
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        writes = [
            q["sql"][:200]
            for q in queries.captured_queries
            if WRITE.match(q["sql"]) and "django_session" not in q["sql"]
        ]
        if writes:
            wrote[url] = writes
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend(
                href.replace("&amp;", "&") for href in LINK.findall(response.content.decode())
            )
    return sorted(seen), wrote


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_no_demo_page_writes_when_shown(who):
    call_command("seed_demo", verbosity=0)
    client = Client()
    assert client.login(username=who, password="sourcewise-demo")
    seen, wrote = crawl(client)
    assert len(seen) > 50  # the crawl really went through the site
    assert wrote == {}
