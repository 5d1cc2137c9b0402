"""The whole /api/v1/ schema, fuzzed by Schemathesis against the live app.

A real HTTP server (pytest-django's ``live_server``) serves the test database, seeded with
the demo's two organisations (``tests/api/world.py``). Every operation of the schema the
server publishes at /api/v1/schema/ is called with generated requests (the schema's own
examples, valid data and invalid data) with a token of each role of organisation A: a
read-only token, the CIO's, the admin's and the manager's, in that order, reads before
writes and deletions last. Path parameters mostly name A's real objects (read from the
API's own lists), sometimes B's, sometimes whatever was generated.

Each response must be no server error, and conform to the schema: a documented status
code, content type, headers and body. And no response to A's tokens may carry B's data:
B's free text is stamped ``ZZB-SENTINEL`` and must never appear; B's ids must never be
found (GET: 404; a change: refused without a 2xx or a 409 that would reveal the object).

Findings are gathered across the whole run and reported together, each with a curl
command that reproduces it. Hypothesis is derandomized (the same cases on every run) and
has no deadline; ``SOURCEWISE_SCHEMATHESIS_EXAMPLES`` sets the examples per operation
and role (default 10). A change asked for with a read-only token or the CIO's is first
probed with a few examples: when all of them are refused (403), the refusal came before the
body or the object was read, so more bodies would test nothing new (the access walk,
tests/api/test_access_walk.py, checks every route's refusals). A change such a role may
make (the CIO starts projections) gets the full examples. The throttles are lifted for
the run: a fuzzer makes thousands of requests a minute with one token, far beyond the
budget a person's client has.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .world import World, build_world, carries_sentinel, path_candidates

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("SOURCEWISE_SCHEMATHESIS_EXAMPLES", "10"))
ROLES = ("read_only", "cio", "admin", "manager")
# Roles refused most changes, and how many examples probe a change before the rest are run.
MOSTLY_REFUSED = ("read_only", "cio")
PROBES = max(1, EXAMPLES // 5)
READS = ("get", "head")
METHOD_ORDER = {"get": 0, "head": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# A projection runs in the request (tasks run in-process in the tests): the fuzzer may ask
# for up to 200,000 trials over 240 months, which is minutes of engine time. Its
# requests are capped at this many trials; the limits themselves are tested in
# tests/api/test_projections_api.py.
TRIALS_CAP = 500
# A change to B's object may be refused in any way but these, which would reveal it.
REVEALING = (409,)
# A token's call never needs a session: a cookie that starts one is a finding. (The schema
# also describes the browser's session cookie, so some cases send a made-up one, which
# Django answers by deleting it: that is no finding.)
SESSION_STARTED = re.compile(r"sessionid=[^;\s\"]")
# Where the path parameters come from: mostly A's objects, sometimes B's, sometimes random.
SOURCES = ("a",) * 6 + ("b", "generated")


class Findings:
    """The problems found, the first of each kind per operation, with how to reproduce it."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], str] = {}
        self.count: Counter[tuple[str, str]] = Counter()

    def add(self, operation: str, kind: str, detail: str) -> None:
        key = (operation, kind)
        self.count[key] += 1
        self.first.setdefault(key, detail.strip())

    def __bool__(self) -> bool:
        return bool(self.first)

    def report(self) -> str:
        lines = [f"{len(self.first)} kinds of problem in {sum(self.count.values())} calls:"]
        for (operation, kind), detail in sorted(self.first.items()):
            lines.append(f"\n== {operation}: {kind} (x{self.count[(operation, kind)]})\n{detail}")
        return "\n".join(lines)


@pytest.fixture
def unthrottled(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


def _getter(base: str, session: requests.Session, token: str) -> Callable[[str], Any]:
    def get(path: str) -> Any:
        response = session.get(base + path, headers=_auth(token), timeout=60)
        return response.json() if response.status_code == 200 else None

    return get


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}"}


def _label(operation: Any) -> str:
    return f"{operation.method.upper()} {operation.path}"


def _tame(operation: Any, case: Any) -> None:
    """Cap the trials of a projection started in the request (see TRIALS_CAP)."""
    body = case.body
    if (
        operation.method == "post"
        and operation.path.endswith("/projections/")
        and isinstance(body, dict)
        and isinstance(body.get("trials"), int)
        and body["trials"] > TRIALS_CAP
    ):
        body["trials"] = TRIALS_CAP


def _strategy(operation: Any) -> Any:
    strategies = [
        *operation.get_strategies_from_examples(),
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
    ]
    definition = operation.definition.raw
    if definition.get("requestBody") or any(
        parameter.get("in") == "query" for parameter in definition.get("parameters", [])
    ):
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    return st.one_of(*strategies)


def _curl(case: Any, base: str, token: str) -> str:
    return case.as_curl_command(headers=_auth("<" + token[:6] + "…>"), base_url=base)


def test_the_whole_api_conforms_to_its_schema_and_keeps_organisations_apart(
    live_server, unthrottled
):
    started = time.monotonic()
    world: World = build_world()
    base = live_server.url
    session = requests.Session()
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/schema/?format=json")
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: (METHOD_ORDER.get(op.method, 9), op.path),
    )
    assert len(operations) > 40, "the schema lost its operations"
    templates = {op.path for op in operations if "{" in op.path}
    cache_a: dict[str, Any] = {}
    cache_b: dict[str, Any] = {}
    ids_a = {
        t: path_candidates(t, _getter(base, session, world.tokens["admin"]), cache=cache_a)
        for t in sorted(templates)
    }
    ids_b = {
        t: path_candidates(
            t, _getter(base, session, world.tokens["outsider"]), cache=cache_b, seen_by=cache_a
        )
        for t in sorted(templates)
    }
    seeded = time.monotonic() - started
    # The checks below can fail: B's own token reads B's sentinel, and B's ids were found.
    outsider = _auth(world.tokens["outsider"])
    for own in (
        "/api/v1/me/",
        "/api/v1/assessments/",
        "/api/v1/contracts/",
        "/api/v1/events/",
        f"/api/v1/vendors/{world.shared_vendor.pk}/",
    ):
        assert carries_sentinel(session.get(base + own, headers=outsider, timeout=60).text), own
    assert sum(map(len, ids_b.values())) > 20, "too few of B's objects to aim at"
    findings = Findings()
    statuses: dict[str, Counter[int]] = defaultdict(Counter)

    # B's objects are not found by A's tokens: every read of one is a 404.
    for operation in operations:
        if operation.method != "get":
            continue
        for params in ids_b.get(operation.path, [])[:1]:
            url = base + operation.path.format(**params)
            for role in ROLES:
                response = session.get(url, headers=_auth(world.tokens[role]), timeout=60)
                if response.status_code != 404:
                    findings.add(
                        _label(operation),
                        "B's object is found by A's token",
                        f"{role}: GET {url} -> {response.status_code}",
                    )
                if carries_sentinel(response.text):
                    findings.add(
                        _label(operation), "B's data in a response to A", f"{role}: GET {url}"
                    )

    for role in ROLES:
        token = world.tokens[role]
        for operation in operations:
            fuzz = functools.partial(
                _fuzz, operation, role, token, base, session, ids_a, ids_b, findings, statuses
            )
            probed = role in MOSTLY_REFUSED and operation.method not in READS
            if probed and set(fuzz(PROBES)) == {403}:
                continue
            fuzz(EXAMPLES)

    summary = _summary(statuses, seeded, time.monotonic() - started)
    print(summary)
    assert not findings, findings.report() + "\n\n" + summary


def _fuzz(
    operation: Any,
    role: str,
    token: str,
    base: str,
    session: requests.Session,
    ids_a: dict[str, list[dict[str, str]]],
    ids_b: dict[str, list[dict[str, str]]],
    findings: Findings,
    statuses: dict[str, Counter[int]],
    examples: int,
) -> Counter[int]:
    """Call ``operation`` with ``examples`` generated requests; the statuses it answered."""
    label = _label(operation)
    answered: Counter[int] = Counter()
    real_a = ids_a.get(operation.path, [])
    real_b = ids_b.get(operation.path, [])

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=_strategy(operation), data=st.data())
    def run(case: Any, data: Any) -> None:
        source = data.draw(st.sampled_from(SOURCES)) if "{" in operation.path else "none"
        if source == "a" and real_a:
            case.path_parameters = {
                **(case.path_parameters or {}),
                **data.draw(st.sampled_from(real_a)),
            }
        elif source == "b" and real_b:
            case.path_parameters = {
                **(case.path_parameters or {}),
                **data.draw(st.sampled_from(real_b)),
            }
        else:
            source = "generated"
        _tame(operation, case)
        try:
            response = case.call(base_url=base, session=session, headers=_auth(token), timeout=120)
        except requests.RequestException as error:
            findings.add(label, "no response", f"{role}: {error}\n{_curl(case, base, token)}")
            return
        statuses[label][response.status_code] += 1
        answered[response.status_code] += 1
        cookies = " ".join(response.headers.get("set-cookie", []))
        if SESSION_STARTED.search(cookies):
            findings.add(
                label,
                "a token's call starts a session",
                f"{role} -> {cookies[:80]}\n{_curl(case, base, token)}",
            )
        session.cookies.clear()
        try:
            case.validate_response(response, checks=CHECKS, headers=_auth(token))
        except schemathesis.errors.FailureGroup as group:
            for failure in group.exceptions:
                findings.add(
                    label,
                    f"{failure.title}",
                    f"{role}: {failure.message}\n"
                    f"-> {response.status_code} {response.text[:300]}\n"
                    f"{_curl(case, base, token)}",
                )
        if carries_sentinel(response.text):
            findings.add(
                label,
                "B's data in a response to A",
                f"{role} -> {response.status_code}\n{_curl(case, base, token)}",
            )
        if source == "b" and (
            200 <= response.status_code < 300 or response.status_code in REVEALING
        ):
            findings.add(
                label,
                "B's object is reached by A's token",
                f"{role} -> {response.status_code} {response.text[:200]}\n"
                f"{_curl(case, base, token)}",
            )

    run()
    return answered


def _summary(statuses: dict[str, Counter[int]], seeded: float, total: float) -> str:
    never_ok = sorted(
        label for label, counts in statuses.items() if not any(200 <= code < 300 for code in counts)
    )
    calls = sum(sum(counts.values()) for counts in statuses.values())
    return (
        f"Schemathesis: {calls} calls over {len(statuses)} operations, {EXAMPLES} examples "
        f"per operation and role ({PROBES} for a change refused to a role); "
        f"world seeded in {seeded:.0f} s, {total:.0f} s in all.\n"
        f"Operations never answered with a 2xx: {', '.join(never_ok) or 'none'}"
    )
