"""Every URL of the project refuses anonymous people (the access ladder's first rung)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages for people who cannot sign in (yet): the login, a password reset (which says the
# same whether or not the address is known), an invitation link (a bad token is a 404),
# and the health checks (/health/ says only ok or failing per component).
OPEN = {
    "login",
    "healthz",
    "health",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation-accept",
    # The vendor response portal: a vendor has no account; the link's token is the key,
    # and a bad token is the same 404 page (tests/vendors/test_portal.py).
    "portal-home",
    "portal-respond",
    "portal-ask",
    "portal-document",
    # The API's description: its OpenAPI schema and the Swagger UI that reads it (no
    # data, only what each endpoint takes and returns).
    "api-schema",
    "api-docs",
    # The site's icon, asked for by pages without an icon link (Django admin).
    "favicon",
}
SAMPLE = {"int": "1", "str": "csv", "slug": "mix", "path": "x"}


def patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's own admin has its own login
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.pattern


def concrete(route: str, pattern) -> str:
    converters = getattr(pattern, "converters", {})
    url = route
    for name, converter in converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        url = url.replace(f"<{kind}:{name}>", SAMPLE.get(kind, "1"))
    # The API's router writes regular expressions: a named group takes a sample id.
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url).replace("^", "").replace("$", "")
    return "/" + url


ALL = [
    (name, concrete(route, pattern))
    for name, route, pattern in patterns()
    if name.split(":")[-1] not in OPEN
]


def test_the_project_has_the_pages_of_every_app():
    names = {name.split(":")[0] for name, _ in ALL if ":" in name}
    assert {"assessments", "vendors", "contracts"} <= names
    assert len(ALL) > 60


@pytest.mark.parametrize(("name", "url"), ALL, ids=[name for name, _ in ALL])
def test_anonymous_people_get_nothing_from(client, db, name, url):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (302, 401, 403, 405), (name, url, response.status_code)
        if response.status_code == 302:
            assert response.url.startswith("/accounts/login/"), (name, response.url)
