"""Locust scenario: managers and CIOs of the demo organisation, plus a hello-world probe.

Started by run.py (which starts the servers and reads the samples this writes); settings
come from LOAD_* environment variables that run.py sets. Standalone, against servers
already running on 127.0.0.1:8201 and 8202:

    LOAD_STEPS=50 LOAD_STEP_SECONDS=60 locust -f benchmarks/load/locustfile.py --headless

Each person logs in once, then browses the pages of their role (weights in pages.py),
following links as a browser would, with a think time between page views. Managers
sometimes start a savings projection and CIOs sometimes ask for a board pack, at a low
rate shared by everyone (LOAD_PROJECTION_EVERY, LOAD_BOARD_PACK_EVERY seconds), then poll
its status for a few seconds like the page does.

The hello-world users (fixed number, fixed request rate) hit the hello-world server in
the same window, so that both servers' CPU per request is measured under the same load
on the same machine, while adding only a small, constant load next to the app's.

The run is shaped in steps (LOAD_STEPS, e.g. "50" or "10,25,50,75,100"): each step adds
users, waits until they have all logged in (password hashing makes log-ins much dearer than
page views; a log-in storm is not the steady state) and LOAD_SETTLE seconds more, then
measures for LOAD_STEP_SECONDS.
The measured windows and every request are written to LOAD_OUT as JSON.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import HttpUser, LoadTestShape, between, constant_throughput, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402

# Production settings mark the session and CSRF cookies Secure, and this load runs over
# plain HTTP on localhost (no TLS terminator to measure it behind). Browsers treat
# http://localhost and 127.0.0.1 as a secure context and send Secure cookies there; the
# Python cookie jar does not. Rather than weaken the app's settings for the test (we
# measure production as it is), the client gets the browsers' localhost exception, for
# loopback hosts only. This patches the load client process, never the app.
_return_ok_secure = http.cookiejar.DefaultCookiePolicy.return_ok_secure


def _secure_ok_on_loopback(self, cookie, request) -> bool:
    host = request.host.rsplit(":", 1)[0] if ":" in request.host else request.host
    return host in ("127.0.0.1", "localhost") or _return_ok_secure(self, cookie, request)


http.cookiejar.DefaultCookiePolicy.return_ok_secure = _secure_ok_on_loopback

APP = f"http://127.0.0.1:{pages.APP_PORT}"
HELLO = f"http://127.0.0.1:{pages.HELLO_PORT}"
STEPS = [int(users) for users in os.environ.get("LOAD_STEPS", "50").split(",")]
STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "60"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "10"))
WARMUP_CAP = float(os.environ.get("LOAD_WARMUP_CAP", "180"))
# After the log-ins, a few seconds for every worker to have rendered each page once (the
# template cache, lazy imports, the database connection): measured is the steady state.
SETTLE = float(os.environ.get("LOAD_SETTLE", "10"))
HELLO_USERS = int(os.environ.get("LOAD_HELLO_USERS", "5"))
HELLO_RATE = float(os.environ.get("LOAD_HELLO_RATE", "50"))  # requests/s, all of them
PROJECTION_EVERY = float(os.environ.get("LOAD_PROJECTION_EVERY", "30"))
BOARD_PACK_EVERY = float(os.environ.get("LOAD_BOARD_PACK_EVERY", "60"))
BOARD_PACK_FORMAT = os.environ.get("LOAD_BOARD_PACK_FORMAT", "xlsx")
OUT = os.environ.get("LOAD_OUT", "")

SAMPLES: list[list] = []  # [name, start, ms, status, ok, hops, kind]
WINDOWS: list[dict] = []  # measured windows: users, start, end, warm-up seconds
STATE = {"logins": 0, "login_failures": 0}
KNOWN: dict[str, set[str]] = {}  # url name -> paths seen in links, shared by all users
GATES = {"projection": time.time() + 10.0, "board-pack": time.time() + 15.0}
_PROJECTION_ACTION = re.compile(r"^/assessments/\d+/projections/$")
_BOARD_PACK_ACTION = re.compile(r"^/dashboard/board-pack/$")


@events.request.add_listener
def _record(
    request_type,
    name,
    response_time,
    response_length,
    response=None,
    context=None,
    exception=None,
    start_time=None,
    **kwargs,
) -> None:
    status = getattr(response, "status_code", 0) or 0
    hops = 1 + len(getattr(response, "history", ()) or ())
    kind = (context or {}).get("kind", "app")
    SAMPLES.append(
        [
            name,
            start_time or time.time() - response_time / 1000,
            response_time,
            status,
            exception is None,
            hops,
            kind,
        ]
    )


@events.quitting.add_listener
def _write(environment, **kwargs) -> None:
    if OUT:
        Path(OUT).write_text(
            json.dumps(
                {
                    "windows": WINDOWS,
                    "samples": SAMPLES,
                    "logins": STATE["logins"],
                    "login_failures": STATE["login_failures"],
                    "known": {name: sorted(paths) for name, paths in KNOWN.items()},
                }
            )
        )


def _gate(name: str, every: float) -> bool:
    """True for one caller at a time, at most once every ``every`` seconds, for everyone."""
    now = time.time()
    if every <= 0 or now < GATES[name]:
        return False
    GATES[name] = now + every
    return True


class Person(HttpUser):
    abstract = True
    host = APP
    wait_time = between(0.5, 2.5)  # think time between page views
    username = ""
    page_weights: dict[str, int] = {}

    def context(self) -> dict:
        return {"kind": "app"}

    def on_start(self) -> None:
        try:
            self.log_in()
        finally:
            STATE["logins"] += 1

    def log_in(self) -> None:
        page = self.client.get(pages.LOGIN_PATH, name="login-page")
        token = pages.csrf_token(page.text)
        with self.client.post(
            pages.LOGIN_PATH,
            name="login",
            catch_response=True,
            data={
                "username": self.username,
                "password": pages.DEMO_PASSWORD,
                "csrfmiddlewaretoken": token or "",
            },
        ) as response:
            if response.status_code != 200 or response.url.endswith(pages.LOGIN_PATH):
                STATE["login_failures"] += 1
                response.failure(f"log-in as {self.username} failed ({response.status_code})")
            else:
                self._learn(response)

    # -- browsing --------------------------------------------------------------------------
    def _learn(self, response) -> None:
        if "html" in response.headers.get("Content-Type", ""):
            for name, paths in pages.links(response.text).items():
                KNOWN.setdefault(name, set()).update(paths)
        final = pages.url_name(response.url.removeprefix(APP))
        if final is not None:
            KNOWN.setdefault(final, set()).add(response.url.removeprefix(APP).split("?")[0])

    def get(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            self._check(response)
            return response

    def _check(self, response, allowed: tuple[int, ...] = ()) -> None:
        if response.status_code in allowed:
            response.success()
        elif response.status_code >= 400:
            response.failure(f"HTTP {response.status_code}")
        elif response.url.split("?")[0].endswith(pages.LOGIN_PATH):
            response.failure("sent back to the log-in page")
        else:
            self._learn(response)

    def visit(self, name: str, depth: int = 0):
        """One page view of a page of this name, finding its link first if need be."""
        if name in pages.ROOTS:
            return self.get(pages.ROOTS[name], name)
        if not KNOWN.get(name):
            if depth > 3 or name not in pages.PARENTS:
                return None
            self.visit(pages.PARENTS[name], depth + 1)
            if not KNOWN.get(name):
                return None
        return self.get(random.choice(sorted(KNOWN[name])), name)

    @task(20)
    def browse(self) -> None:
        names = list(self.page_weights)
        self.visit(random.choices(names, weights=[self.page_weights[n] for n in names])[0])

    def poll(self, path: str, name: str, times: int = 5, every: float = 2.0) -> None:
        """What the page's script does while a job runs: ask for its status now and then."""
        for _ in range(times):
            time.sleep(every)  # gevent-patched: only this user waits
            response = self.get(path, name)
            try:
                if response.json().get("status") in ("done", "failed"):
                    return
            except ValueError:
                return


class Manager(Person):
    weight = 1
    username = "manager"
    page_weights = pages.MANAGER_PAGES

    @task(1)
    def start_projection(self) -> None:
        if not _gate("projection", PROJECTION_EVERY):
            return self.browse()
        results = self.visit("assessments:results")
        found = results is not None and pages.form(results.text, _PROJECTION_ACTION)
        if not found:
            return None
        action, fields = found
        fields["seed"] = str(random.randrange(1_000_000))
        with self.client.post(
            action,
            data=fields,
            name="assessments:projection-start",
            headers={"Referer": APP + action},
            catch_response=True,
        ) as sent:
            self._check(sent, allowed=(429,))  # 429: the projection quota, a normal answer
        if sent.status_code == 200 and pages.url_name(sent.url.removeprefix(APP)) == (
            "assessments:projection-detail"
        ):
            self.poll(sent.url.removeprefix(APP) + "status.json", "assessments:projection-status")
        return None


class Cio(Person):
    weight = 1
    username = "cio"
    page_weights = pages.CIO_PAGES

    @task(1)
    def board_pack(self) -> None:
        if not _gate("board-pack", BOARD_PACK_EVERY):
            return self.browse()
        dashboard = self.visit("dashboard")
        found = dashboard is not None and pages.form(dashboard.text, _BOARD_PACK_ACTION)
        if not found:
            return None
        action, fields = found
        fields["format"] = BOARD_PACK_FORMAT
        with self.client.post(
            action,
            data=fields,
            name="board-pack-start",
            headers={"Referer": APP + "/dashboard/"},
            catch_response=True,
        ) as sent:
            self._check(sent)
        if sent.status_code == 200 and pages.url_name(sent.url.removeprefix(APP)) == ("board-pack"):
            self.poll(sent.url.removeprefix(APP) + "status.json", "board-pack-status")
        return None


class Hello(HttpUser):
    """A fixed, paced probe of the Django hello-world (its own server, port 8202)."""

    host = HELLO
    fixed_count = HELLO_USERS
    wait_time = constant_throughput(HELLO_RATE / max(HELLO_USERS, 1))

    def context(self) -> dict:
        return {"kind": "hello"}

    @task
    def hello(self) -> None:
        self.client.get("/", name="hello-world")


class Steps(LoadTestShape):
    """Each step: add users, wait for their log-ins, then measure for STEP_SECONDS."""

    def __init__(self) -> None:
        super().__init__()
        self.step = 0
        self.step_started = None
        self.window_started = None
        self.logged_in = None

    def tick(self):
        now = time.time()
        if self.step >= len(STEPS):
            return None
        users = STEPS[self.step]
        if self.step_started is None:
            self.step_started = now
        if self.window_started is None:
            if self.logged_in is None and (
                STATE["logins"] >= users or now - self.step_started > WARMUP_CAP
            ):
                self.logged_in = now
            if self.logged_in is not None and now - self.logged_in >= SETTLE:
                self.window_started = now
        elif now - self.window_started >= STEP_SECONDS:
            WINDOWS.append(
                {
                    "users": users,
                    "start": self.window_started,
                    "end": now,
                    "warmup": self.window_started - self.step_started,
                    "logins": STATE["logins"],
                }
            )
            self.step += 1
            self.step_started = self.window_started = self.logged_in = None
            if self.step >= len(STEPS):
                return None
            users = STEPS[self.step]
        return users + (HELLO_USERS if HELLO_RATE > 0 else 0), SPAWN_RATE
