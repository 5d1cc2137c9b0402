"""The whole system as `make run` and `make serve` start it: honcho and a Procfile.

`make run` (Procfile.dev, no REDIS_URL) on the test database and a queue folder of the
test's own: the health check finds a worker, beat's start-up run of the daily jobs leaves
a reminder, a projection started on the web page moves its progress bar through several
steps to 100, and Ctrl-C (SIGINT to honcho's process group, as a terminal sends it) stops
all three. `make serve`'s Procfile (gunicorn, worker, beat) does the same on Redis.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from contracts.models import Notification
from tests.assessments.factories import many_processes, scored_assessment
from tests.contracts.builders import make_contract
from tests.factories import PASSWORD
from tests.realparts import database_url, spare_port
from tests.runtime.processes import ROOT, VENV_BIN, development_env

ALL_OK = {
    "status": "ok",
    "components": dict.fromkeys(("database", "cache", "broker", "storage", "worker"), "ok"),
}
PRODUCTION_SECRET = "q3V!m9#Lz2@wR8^tK5&pX1*bN7(cJ4)hF6_dG0+sY2=eU8-aI5"


class Browser:
    """Just enough of a browser: cookies, the CSRF token for forms, extra headers."""

    def __init__(self, base: str, **headers: str) -> None:
        self.base = base
        self.headers = headers
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str, patience: float = 30) -> tuple[int, str]:
        """GET, asking again for a while if the connection drops, as a page's polling does
        (the development server restarts itself when a source file changes)."""
        request = urllib.request.Request(self.base + path, headers=self.headers)
        deadline = time.monotonic() + patience
        while True:
            try:
                with self.opener.open(request, timeout=30) as response:
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode()
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def post(self, path: str, data: dict) -> tuple[int, str]:
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, body, headers=self.headers)
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.url


def wait_for(what: str, check, timeout: float, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
        except (urllib.error.URLError, ConnectionError):
            result = None
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(
        f"{what} did not happen within {timeout:.0f} s; honcho's output:\n"
        f"{log.read_text()[-6000:]}",
        pytrace=False,
    )


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def procfile(name: str, env: dict[str, str], port: int, log: Path) -> Iterator[None]:
    """Run ``honcho start -f NAME`` as the Makefile does; on leaving, Ctrl-C it and check
    that honcho and every process it started are gone."""
    with log.open("wb") as output:
        honcho = subprocess.Popen(
            [str(VENV_BIN / "honcho"), "start", "--env", os.devnull, "-f", name, "-p", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield
    finally:
        started = [int(pid) for pid in re.findall(rb"started \(pid=(\d+)\)", log.read_bytes())]
        os.killpg(honcho.pid, signal.SIGINT)  # Ctrl-C in the terminal that ran make
        try:
            returncode = honcho.wait(timeout=30)
        except subprocess.TimeoutExpired:
            returncode = None
        deadline = time.monotonic() + 15  # a stopped worker's pool may take a moment more
        while (left := [pid for pid in started if group_alive(pid)]) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.2)
        for pgid in [honcho.pid, *left]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
    text = log.read_text()
    assert returncode == 130, text[-3000:]
    assert len(started) == 3, text[-3000:]
    assert not left, text[-3000:]  # each process had a group of its own: all are gone
    assert "SIGINT received" in text
    for process in ("web.1", "worker.1", "beat.1"):
        assert re.search(rf"{re.escape(process)} stopped \(rc=", text), process


def reminder_contract(member):
    """A live contract whose notice deadline is 60 days away: a reminder is due."""
    today = dt.date.today()
    return make_contract(
        member,
        title="Service desk renewal",
        start=today - dt.timedelta(days=400),
        end=today + dt.timedelta(days=150),
        notice_days=90,
    )


@pytest.mark.worker
def test_make_run_is_the_whole_system_and_ctrl_c_stops_it(transactional_db, cast, tmp_path):
    contract = reminder_contract(cast.manager)
    assessment = scored_assessment(cast.org, cast.manager.user, processes=many_processes(120))
    # The servers use the production password hashers, not the suite's fast one.
    user = cast.manager.user
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "runtimetest")
    user.save(update_fields=["password"])
    port, log = spare_port(), tmp_path / "honcho.log"
    env = development_env(
        DATABASE_URL=database_url(),
        SOURCEWISE_VAR_DIR=str(tmp_path / "var"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )

    with procfile("Procfile.dev", env, port, log):
        browser = Browser(f"http://127.0.0.1:{port}")

        # The health check reaches a worker over the folder queue.
        def health():
            status, body = browser.get("/health/")
            return status == 200 and json.loads(body)

        assert wait_for("an all-ok health check", health, 120, log) == ALL_OK
        assert list((tmp_path / "var" / "broker" / "control").glob("*.exchange"))

        # Beat sent the daily notice job at start-up; the worker ran it.
        wait_for(
            "a renewal reminder",
            lambda: Notification.objects.filter(contract=contract, recipient=user).exists(),
            60,
            log,
        )

        # A projection started on its page: the progress bar moves, then it is done.
        assert browser.get("/accounts/login/")[0] == 200
        _, url = browser.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert "/accounts/login/" not in url
        _, url = browser.post(
            f"/assessments/{assessment.pk}/projections/",
            {"trials": 200_000, "seed": 7, "horizon_months": 60, "discount_rate_pct": 8},
        )
        projection = re.search(r"/projections/(\d+)/$", url)
        assert projection, url
        status_json = f"/assessments/{assessment.pk}/projections/{projection[1]}/status.json"
        seen: list[int] = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            state = json.loads(browser.get(status_json)[1])
            if not seen or seen[-1] != state["progress"]:
                seen.append(state["progress"])
            if state["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert state["status"] == "done", (state, log.read_text()[-5000:])
        assert seen[-1] == 100
        assert len([p for p in seen if 0 < p < 100]) >= 2, seen  # it moved in steps
        assert seen == sorted(seen)
        user.refresh_from_db()
        assert user.password.startswith("argon2$")  # re-hashed at that log-in


@pytest.mark.worker
def test_make_serve_runs_gunicorn_a_worker_and_beat_on_redis(
    transactional_db, cast, private_redis, tmp_path
):
    contract = reminder_contract(cast.manager)
    port, log, var = spare_port(), tmp_path / "honcho.log", tmp_path / "var" / "not-yet"
    env = development_env(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_TRUST_X_FORWARDED_PROTO="true",
        DATABASE_URL=database_url(),
        REDIS_URL=private_redis.url,
        SOURCEWISE_VAR_DIR=str(var),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        WEB_CONCURRENCY="2",
        CELERY_WORKER_CONCURRENCY="1",
    )

    with procfile("Procfile", env, port, log):
        # As behind the TLS proxy the README describes.
        browser = Browser(f"http://127.0.0.1:{port}", **{"X-Forwarded-Proto": "https"})

        def health():
            status, body = browser.get("/health/")
            return status == 200 and json.loads(body)

        assert wait_for("an all-ok health check", health, 120, log) == ALL_OK
        wait_for(
            "a renewal reminder",
            lambda: Notification.objects.filter(contract=contract).exists(),
            60,
            log,
        )
        # Beat made the folder for its schedule file.
        assert list(var.glob("celerybeat-schedule*"))
        text = log.read_text()
        assert "Booting worker" in text  # gunicorn's
        assert "redis://" in text and "filesystem://" not in text
