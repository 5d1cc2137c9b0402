"""Fixtures for the real parts: a Redis-backed Celery worker process and headless Chromium.

Locally a missing Redis or Chromium skips these tests with a one-line hint; with
CI=true it fails them, so CI never silently skips a real-parts test.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(f"{message} (CI=true: real parts must be present)", pytrace=False)
    pytest.skip(message)


def for_this_process(url: str) -> str:
    """``url`` with the Redis database of this test process.

    Under xdist (``make test``) each process gets a database of its own, the given one
    plus its number (gw0 keeps it, gw1 takes the next, modulo Redis's 16): the worker
    tests flush their database and a real worker takes every task on its queue, so two
    processes must never share one. Outside xdist the URL is returned unchanged.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not url.startswith(("redis://", "rediss://")):
        return url
    parts = urlsplit(url)
    given = parts.path.strip("/")
    database = (int(given) if given.isdigit() else 0) + int(worker[2:])
    return urlunsplit(parts._replace(path=f"/{database % 16}"))


def use_redis_of_this_process() -> None:
    """Point the settings (cache, broker), the Celery app and the environment that test
    subprocesses inherit at this process's Redis database (see ``for_this_process``)."""
    if not settings.REDIS_URL:
        return
    url = for_this_process(settings.REDIS_URL)
    if url == settings.REDIS_URL:
        return
    from outsourcing.celery import app

    os.environ["REDIS_URL"] = url
    settings.REDIS_URL = url
    if settings.CELERY_BROKER_URL.startswith("redis"):
        settings.CELERY_BROKER_URL = url
        settings.CELERY_RESULT_BACKEND = url
    if settings.CACHES["default"].get("LOCATION", "").startswith("redis"):
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    app.conf.update(
        broker_url=settings.CELERY_BROKER_URL, result_backend=settings.CELERY_RESULT_BACKEND
    )
    app._pool = None
    app.amqp._producer_pool = None
    app.__dict__.pop("backend", None)


def pytest_configure(config: pytest.Config) -> None:
    use_redis_of_this_process()


def redis_url() -> str:
    return settings.REDIS_URL or for_this_process("redis://127.0.0.1:6379/15")


def database_url() -> str:
    """The URL of the test database pytest-django created, for a worker process."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{params['NAME']}"


def point_celery_at(url: str) -> None:
    """Make this (web) process publish to ``url`` instead of running tasks in-process."""
    from outsourcing.celery import app

    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    # Drop connections made with the previous broker URL.
    app._pool = None
    app.amqp._producer_pool = None
    app.__dict__.pop("backend", None)
    app._local.__dict__.clear()


class WorkerProcess:
    """A real ``celery worker`` subprocess against a real Redis and the test database."""

    def __init__(self, broker: str, log: Path, concurrency: int = 1) -> None:
        self.broker = broker
        self.log = log
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.broker,
            "DJANGO_SETTINGS_MODULE": "outsourcing.settings",
        }
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "outsourcing",
                "worker",
                "--loglevel=INFO",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{os.getpid()}-{time.time_ns()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def flush_redis(url: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"Redis is not reachable at {url} ({error}); start redis-server.")
    client.flushdb()


@pytest.fixture
def celery_broker(request, transactional_db) -> Iterator[str]:
    """The web side publishes to the real Redis; returns its URL."""
    from outsourcing.celery import app

    url = redis_url()
    flush_redis(url)
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    point_celery_at(url)
    yield url
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def start_worker(celery_broker, tmp_path) -> Iterator:
    """Start real worker processes on demand; all are stopped at the end of the test."""
    workers: list[WorkerProcess] = []

    def start(concurrency: int = 1, broker: str | None = None) -> WorkerProcess:
        worker = WorkerProcess(
            broker or celery_broker, tmp_path / f"worker-{len(workers)}.log", concurrency
        ).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


class RedisServer:
    """A private ``redis-server`` on a spare port, for tests that stop and restart Redis
    (never the shared one on 6379). Keeps nothing on disk."""

    def __init__(self, port: int, directory: Path) -> None:
        self.port = port
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                return self
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"redis-server did not start on port {self.port}; "
                        f"see {self.directory / 'redis.log'}"
                    ) from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path) -> Iterator[RedisServer]:
    """A Redis of the test's own, started; the test may stop and start it again."""
    if not shutil.which("redis-server"):
        unavailable("Fault tests need the redis-server binary: apt-get install redis-server")
    server = RedisServer(spare_port(), tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        unavailable("Browser tests need Chromium: apt-get install chromium")
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.fixture(scope="module")
def browser(chromium_path, monkeypatch_module):
    """Chromium under Playwright's sync API, one per test module.

    While Playwright is started, this thread has a running asyncio loop: a test that
    follows it in the same process could not call an async view (/health/) through the
    test client. So it stops at the end of each module, not of the session: under xdist
    any test may follow a browser test in its process.
    """
    monkeypatch_module.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


# Runs in every document before its own scripts (Playwright injects it, outside the page's
# Content-Security-Policy) and hands each violation the browser reports to the test.
CSP_VIOLATION_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline code"} in ${event.documentURI} `
    + `(${event.sourceFile || "the page"}:${event.lineNumber}) ${event.sample || ""}`);
});
"""


def is_csp_message(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("Refused to")


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page; the test fails if the page broke its Content-Security-Policy."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    violations: list[str] = []
    context.expose_function("reportCspViolation", lambda text: violations.append(text))
    context.add_init_script(CSP_VIOLATION_REPORTER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on(
        "console", lambda msg: violations.append(msg.text) if is_csp_message(msg.text) else None
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    page.csp_violations = violations
    yield page
    context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
