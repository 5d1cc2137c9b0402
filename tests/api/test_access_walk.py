"""Every route of /api/v1/, walked: the access ladder of the API.

The routes are read from Django's URL resolver (the router's and each app's
``urlpatterns``), so a new endpoint is walked as soon as it is mounted, and this test
fails until it is classified in ``EXPECTED`` below. For each route and each of its
methods:

- anonymous: 401 (the schema and its docs excepted: they are public);
- organisation B's manager (the outsider) with organisation A's ids: 404, as if the
  object did not exist (403 where the outsider's role may not make that change anyway);
  shared records (the vendor registry) are the same for everyone and are not checked;
- the CIO's token and a read-only token, on every change (POST, PUT, PATCH, DELETE):
  403, except where the pages let a CIO act too (starting a projection);
- a manager where only admins or registry curators may change something: 403;
- and no refused call changes anything in the database.

The ids are A's real objects of each kind, read from the API's own lists in the demo
world (tests/api/world.py); a body, where a change takes one, is the schema's example,
so that a refusal is tested with a request that would otherwise succeed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from .world import World, build_world, path_candidates

pytestmark = pytest.mark.django_db

API = "api/v1/"
UNSAFE = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    """What a route allows. ``ids``: whose objects its path names ("org": the caller's
    organisation's, so another's are a 404; "shared": the registry everyone reads;
    "curated": the curators' queue). ``writes``: who may change through it ("editors":
    managers and admins; "starters": every role, as projections; "admins": the
    organisation's admins; "curators": registry curators only, none of the cast)."""

    ids: str = "org"
    writes: str = "editors"
    public: bool = False


PUBLIC = Route(public=True)
EDITORS = Route()
SHARED_CURATORS = Route(ids="shared", writes="curators")
SHARED_EDITORS = Route(ids="shared")
CURATED = Route(ids="curated", writes="curators")

EXPECTED: dict[str, Route] = {
    # The description of the API, open to all; the list of endpoints; who am I.
    "api-schema": PUBLIC,
    "api-docs": PUBLIC,
    "api-root": EDITORS,
    "api-me": EDITORS,
    # Assessments, their processes and recommendations; projections.
    "assessment-list": EDITORS,
    "assessment-detail": EDITORS,
    "assessment-inventory": EDITORS,
    "assessment-reopen": EDITORS,
    "assessment-roadmap": EDITORS,
    "assessment-submit": EDITORS,
    "assessment-start-projection": Route(writes="starters"),
    "assessment-process-list": EDITORS,
    "assessment-process-detail": EDITORS,
    "assessment-process-answers": EDITORS,
    "assessment-recommendation-list": EDITORS,
    "projection-list": EDITORS,
    "projection-detail": EDITORS,
    "projection-result": EDITORS,
    "projection-result-csv": EDITORS,
    # The shared vendor registry: curators change records, admins propose changes, editors
    # keep their organisation's own notes, rating and tags.
    "api-vendors-vendor-list": SHARED_CURATORS,
    "api-vendors-vendor-detail": SHARED_CURATORS,
    "api-vendors-vendor-notes": SHARED_EDITORS,
    "api-vendors-vendor-private": SHARED_EDITORS,
    "api-vendors-change-list": Route(writes="admins"),
    "api-vendors-change-detail": Route(writes="admins"),
    "api-vendors-curation-list": CURATED,
    "api-vendors-curation-detail": CURATED,
    "api-vendors-curation-accept": CURATED,
    "api-vendors-curation-reject": CURATED,
    # Sourcing events.
    "api-vendors-event-list": EDITORS,
    "api-vendors-event-detail": EDITORS,
    "api-vendors-event-cancel": EDITORS,
    "api-vendors-event-ranking": EDITORS,
    "api-vendors-event-shortlist-accept": EDITORS,
    "api-vendors-candidate-list": EDITORS,
    "api-vendors-candidate-detail": EDITORS,
    "api-vendors-candidate-add": EDITORS,
    "api-vendors-candidate-remove": EDITORS,
    "api-vendors-proposal-list": EDITORS,
    "api-vendors-proposal-detail": EDITORS,
    "api-vendors-proposal-scores": EDITORS,
    # Contracts and everything nested under one.
    "api-contract-list": EDITORS,
    "api-contract-detail": EDITORS,
    "api-contract-sla-list": EDITORS,
    "api-contract-sla-detail": EDITORS,
    "api-contract-measurement-list": EDITORS,
    "api-contract-credit-list": EDITORS,
    "api-contract-credit-detail": EDITORS,
    "api-contract-review-list": EDITORS,
    "api-contract-review-detail": EDITORS,
    "api-contract-issue-list": EDITORS,
    "api-contract-issue-detail": EDITORS,
    "api-contract-action-list": EDITORS,
    "api-contract-action-detail": EDITORS,
    "api-contract-saving-list": EDITORS,
    "api-contract-saving-comparison": EDITORS,
    "api-contract-exit-plan": EDITORS,
    # The portfolio dashboard (figure names are not ids: the same for everyone).
    "api-dashboard-headline": EDITORS,
    "api-dashboard-figure-list": EDITORS,
    "api-dashboard-figure-detail": Route(ids="shared"),
    # Any other path under /api/v1/: a 404 in the API's format, after authentication.
    "api-not-found": EDITORS,
}
# Who may write, by the rule of the route.
WRITERS = {
    "editors": {"manager", "admin"},
    "starters": {"manager", "admin", "cio"},
    "admins": {"admin"},
    "curators": set(),
}


# The routes, from the resolver ---------------------------------------------------------


@dataclass(frozen=True)
class Walked:
    name: str
    template: str  # /api/v1/contracts/{contract_pk}/slas/{pk}/
    methods: tuple[str, ...]


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def template_of(route: str) -> str:
    """``api/v1/^contracts/(?P<contract_pk>[0-9]+)/$`` -> ``/api/v1/contracts/{contract_pk}/``;
    ``<int:pk>`` -> ``{pk}``."""
    out, i = [], 0
    while i < len(route):
        if route.startswith("(?P<", i):
            end = route.index(">", i)
            name, depth, j = route[i + 4 : end], 1, end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(route[j], 0)
                j += 1
            out.append("{" + name + "}")
            i = j
        else:
            out.append(route[i])
            i += 1
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "".join(out))
    return "/" + text.replace("^", "").replace("$", "")


def _methods(pattern: URLPattern) -> tuple[str, ...]:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(actions)
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return tuple(m for m in ("get", *UNSAFE) if view is not None and hasattr(view, m))


def api_routes() -> list[Walked]:
    return sorted(
        (
            Walked(pattern.name or route, template_of(route), _methods(pattern))
            for route, pattern in _patterns(get_resolver())
            if route.startswith(API)
        ),
        key=lambda walked: walked.template,
    )


ROUTES = api_routes()


def test_every_api_route_is_classified():
    names = {route.name for route in ROUTES}
    unclassified = sorted(names - set(EXPECTED))
    assert not unclassified, (
        f"New /api/v1/ routes: {unclassified}. Say in EXPECTED who may read and change "
        "through each, and whose ids its path names."
    )
    gone = sorted(set(EXPECTED) - names)
    assert not gone, f"EXPECTED names routes that no longer exist: {gone}"
    assert all(route.methods for route in ROUTES), "a route answers no method"


def test_templates_are_read_from_both_kinds_of_route():
    assert (
        template_of(r"api/v1/^contracts/(?P<contract_pk>[0-9]+)/credits/(?P<period>[^/]+)/$")
        == "/api/v1/contracts/{contract_pk}/credits/{period}/"
    )
    assert (
        template_of("api/v1/projections/<int:pk>/result.csv")
        == "/api/v1/projections/{pk}/result.csv"
    )


# The walk ------------------------------------------------------------------------------


def fingerprint() -> str:
    """Everything in the database, as one digest."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            digest.update(table.encode())
            for row in sorted(repr(row) for row in cursor.fetchall()):
                digest.update(row.encode())
    return digest.hexdigest()


def _client(token: str | None) -> APIClient:
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _examples(schema: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """The request example of each operation of the schema, by (path template, method)."""
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            examples = content.get("application/json", {}).get("examples") or {}
            for example in examples.values():
                if "value" in example:
                    found[(path, method)] = example["value"]
                    break
    return found


class Walk:
    def __init__(self, world: World) -> None:
        self.world = world
        self.clients = {who: _client(token) for who, token in world.tokens.items()}
        self.clients["anonymous"] = _client(None)
        schema = self.clients["manager"].get("/api/v1/schema/?format=json")
        self.examples = _examples(json.loads(schema.content))
        self.cache: dict[str, Any] = {}
        self.problems: list[str] = []
        self.checks = 0

    def get_as_admin(self, path: str) -> Any:
        response = self.clients["admin"].get(path)
        return response.json() if response.status_code == 200 else None

    def url_for(self, route: Walked) -> str | None:
        if "{" not in route.template:
            return route.template
        # A few objects per level: the newest (an event not yet answered, say) may have
        # nothing beneath it, and the first one that has is taken.
        found = path_candidates(
            route.template.replace("{pk}", "{id}"), self.get_as_admin, per_level=5, cache=self.cache
        )
        if found:
            return route.template.replace("{pk}", "{id}").format(**found[0])
        if EXPECTED[route.name].ids == "curated":  # A cannot list the curators' queue
            return re.sub(r"{\w+}", "1", route.template)
        return None

    def call(self, who: str, method: str, url: str, route: Walked) -> tuple[int, bool]:
        """The status, and whether the database changed."""
        body = self.examples.get((route.template.replace("{pk}", "{id}"), method))
        before = fingerprint()
        kwargs = {"format": "json", "data": body} if method in UNSAFE else {}
        response = getattr(self.clients[who], method)(url, **kwargs)
        return response.status_code, fingerprint() != before

    def expect(
        self,
        route: Walked,
        who: str,
        method: str,
        url: str,
        allowed: set[int],
        *,
        refused: bool = True,
    ) -> None:
        status, changed = self.call(who, method, url, route)
        self.checks += 1
        if status not in allowed:
            self.problems.append(
                f"{route.name}: {who} {method.upper()} {url} -> {status}, "
                f"expected {sorted(allowed)}"
            )
        if refused and changed:
            self.problems.append(
                f"{route.name}: {who} {method.upper()} {url} was refused "
                f"({status}) but changed the database"
            )


@pytest.fixture
def unthrottled(monkeypatch):
    """The walk makes a few hundred calls a minute with each token and anonymously."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


def test_every_api_route_refuses_whom_it_must_and_changes_nothing_when_it_does(unthrottled):
    walk = Walk(build_world())
    for route in ROUTES:
        rule = EXPECTED.get(route.name)
        if rule is None:
            continue  # test_every_api_route_is_classified names it
        url = walk.url_for(route)
        if url is None:
            walk.problems.append(
                f"{route.name}: organisation A has no object for "
                f"{route.template}; give the world one"
            )
            continue
        for method in route.methods:
            if rule.public:
                walk.expect(route, "anonymous", method, url, {200})
                continue
            walk.expect(route, "anonymous", method, url, {401})
            if rule.ids == "org" and "{" in route.template:
                # B's manager may change where A's manager may: B gets a 404, whatever
                # the rule; where a manager may not, a 403 first is as good.
                may = method not in UNSAFE or "manager" in WRITERS[rule.writes]
                walk.expect(route, "outsider", method, url, {404} if may else {403, 404})
            if method in UNSAFE:
                for who in ("read_only", "cio", "manager"):
                    if who == "read_only" or who not in WRITERS[rule.writes]:
                        walk.expect(route, who, method, url, {403})
    # The documented exception: a CIO starts a projection, as on the projection page.
    assessment = walk.get_as_admin("/api/v1/assessments/?status=submitted")["results"][0]
    start = f"/api/v1/assessments/{assessment['id']}/projections/"
    status, changed = walk.call(
        "cio", "post", start, next(r for r in ROUTES if r.name == "assessment-start-projection")
    )
    if status != 202 or not changed:
        walk.problems.append(f"a CIO could not start a projection: POST {start} -> {status}")
    assert not walk.problems, "\n".join(walk.problems)
    assert walk.checks > 3 * len(ROUTES), "the walk checked too little"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here/",
        "/api/v1/assessments/-1/",
        "/api/v1/contracts/1.5/slas/",
        "/api/v1/me",
    ],
)
def test_an_unknown_api_path_is_a_404_in_the_api_format(tokens, path):
    assert _client(None).get(path).status_code == 401
    response = _client(tokens["manager"]).get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    error = response.json()["errors"][0]
    assert error["code"] == "not_found"
    if not path.endswith("/"):
        assert f"{path}/" in error["detail"]
