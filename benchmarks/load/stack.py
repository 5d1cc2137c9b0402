"""The production stack for the load test and the profiler, started and torn down here.

A private PostgreSQL database (created, migrated, seeded with the demo, dropped), a private
redis-server in a temporary directory, gunicorn (sync workers) for the app and for the
hello-world, one Celery worker and beat. Every process is started in its own session so
that stopping it ends its children too; everything is stopped, and the database dropped,
on exit, on Ctrl-C and on SIGTERM.

Only management commands, the WSGI module and URLs are used, never application modules by
path: the code may be reorganised while this keeps working.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
# Overridable so that two measurements (e.g. the profiler of several people) never share them.
DB_NAME = os.environ.get("SW_LOAD_DB", "sw_load")
REDIS_PORT = int(os.environ.get("SW_LOAD_REDIS_PORT", "6421"))
APP_PORT = 8201
HELLO_PORT = 8202
GUNICORN_WORKERS = 4


def log(message: str) -> None:
    print(f"[load] {message}", file=sys.stderr, flush=True)


def production_env(tmp: Path, db_name: str = DB_NAME, redis_port: int = REDIS_PORT) -> dict:
    """The environment of every process of the stack: production settings, nothing from .env.

    DJANGO_SECURE_SSL_REDIRECT=false: the load runs over plain HTTP on localhost, where the
    redirect to HTTPS would answer every request with a 301. Everything else stays as in
    production, Secure cookies included: the load client handles them (see locustfile.py).
    """
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SOURCEWISE_", "DATABASE_", "CELERY_"))
    }
    env.update(
        {
            "SOURCEWISE_ENV_FILE": os.devnull,  # the checkout's .env chooses development: ignored
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"{PG_SERVER}/{db_name}",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            # collectstatic's output (production's release step): hashed names in a manifest
            # that the templates read. Code older than DJANGO_STATIC_ROOT writes to its own
            # staticfiles/ folder instead (inside the export with --snapshot).
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for_port(port: int, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited ({process.returncode})")
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f} s")


def wait_for_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except Exception as error:  # noqa: BLE001 - keep trying until the deadline
            last = error
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s ({last})")


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


class Stack:
    """Context manager: ``with Stack(...) as stack:`` everything runs, then all is undone."""

    def __init__(
        self,
        *,
        app: bool = True,
        hello: bool = True,
        workers: bool = True,
        snapshot: bool = False,
        source: Path | None = None,
        keep_tmp: bool = False,
    ) -> None:
        self.want_app, self.want_hello, self.want_workers = app, hello, workers
        self.snapshot, self.keep_tmp = snapshot, keep_tmp
        self.processes: dict[str, subprocess.Popen] = {}
        self.db_created = False
        self.tmp = Path(tempfile.mkdtemp(prefix="sw-load-"))
        self.root = Path(source).resolve() if source else ROOT  # another checkout to measure
        self.env = production_env(self.tmp)
        self._old_handlers: dict[int, object] = {}

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> Stack:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            self._old_handlers[signum] = signal.signal(signum, self._on_signal)
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
        for signum, handler in self._old_handlers.items():
            signal.signal(signum, handler)

    @staticmethod
    def _on_signal(signum, frame) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    def start(self) -> None:
        ports = (
            [REDIS_PORT]
            + ([APP_PORT] if self.want_app else [])
            + ([HELLO_PORT] if self.want_hello else [])
        )
        busy = [port for port in ports if not port_free(port)]
        if busy:
            raise RuntimeError(f"ports already in use: {busy} (another load run?)")
        (self.tmp / "media").mkdir()
        if self.snapshot:
            self._export_head()
        self._start_redis()
        self._create_database()
        self.manage("migrate", "--noinput", quiet=True)
        self.manage("seed_demo", "--force", quiet=True)
        self.manage("collectstatic", "--noinput", "--verbosity", "0", quiet=True)
        if self.want_workers:
            self._start_celery()
        if self.want_app:
            self._start_gunicorn("app", "outsourcing.wsgi", APP_PORT, self.root)
        if self.want_hello:
            self._start_gunicorn("hello", "hello.wsgi", HELLO_PORT, HERE)
        if self.want_app:
            wait_for_http(f"http://127.0.0.1:{APP_PORT}/healthz", 60)
        if self.want_hello:
            wait_for_http(f"http://127.0.0.1:{HELLO_PORT}/", 30)

    def stop(self) -> None:
        # Ctrl-C pressed again during the clean-up must not leave anything behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            self._terminate_all()
            if self.db_created:
                try:
                    _psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
                    log(f"dropped database {DB_NAME}")
                except Exception as error:  # noqa: BLE001 - report, go on cleaning
                    log(f"could not drop database {DB_NAME}: {error}")
                self.db_created = False
            if not self.keep_tmp:
                subprocess.run(["rm", "-rf", str(self.tmp)], check=False)
        finally:
            signal.signal(signal.SIGINT, self._old_handlers.get(signal.SIGINT, signal.SIG_DFL))

    # The quick way to stop each: gunicorn's SIGINT stops at once (SIGTERM would wait for
    # the requests in progress), Celery's SIGQUIT is its cold shutdown (SIGTERM waits for
    # the running tasks); the rest stop promptly on SIGTERM.
    _STOP_SIGNALS = {
        "app": signal.SIGINT,
        "hello": signal.SIGINT,
        "worker": signal.SIGQUIT,
        "beat": signal.SIGQUIT,
    }

    def _terminate_all(self, grace: float = 10.0) -> None:
        """Signal every process started (each in its own session: with its children), wait
        for them all together, then kill what is left of them, by process id."""
        running = {
            name: process for name, process in self.processes.items() if process.poll() is None
        }
        family: list[psutil.Process] = []
        for process in running.values():
            with contextlib.suppress(psutil.Error):
                leader = psutil.Process(process.pid)
                family += [leader, *leader.children(recursive=True)]
        for name, process in running.items():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, self._STOP_SIGNALS.get(name, signal.SIGTERM))
        _, alive = psutil.wait_procs(family, timeout=grace)
        killed = []
        for process in alive:  # psutil checks the id still names the same process
            with contextlib.suppress(psutil.Error):
                killed.append(" ".join(process.cmdline()[1:3]) or process.name())
                process.kill()
        if killed:
            log(
                f"killed {len(killed)} processes still running after {grace:.0f} s: "
                + ", ".join(sorted(set(killed)))
            )
        psutil.wait_procs(alive, timeout=5)
        for process in running.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=1)
        self.processes.clear()

    # -- pieces ----------------------------------------------------------------------------
    def spawn(self, name: str, command: list[str], cwd: Path | None = None) -> subprocess.Popen:
        logfile = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command,
            cwd=cwd or self.root,
            env=self.env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        logfile.close()
        self.processes[name] = process
        return process

    def manage(self, *args: str, quiet: bool = False) -> None:
        log("manage.py " + " ".join(args))
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.root,
            env=self.env,
            capture_output=quiet,
            text=True,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )

    def _export_head(self) -> None:
        """The committed code (git HEAD) in a temporary folder: a consistent version to
        measure while others edit the working tree. Read-only for the repository."""
        self.root = self.tmp / "src"
        self.root.mkdir()
        archive = subprocess.run(
            ["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(self.root)], input=archive, check=True)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        log(f"measuring the committed code, HEAD {commit}, exported to {self.root}")

    def _start_redis(self) -> None:
        data = self.tmp / "redis"
        data.mkdir()
        process = self.spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(data),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        wait_for_port(REDIS_PORT, 10, process)
        log(f"redis on port {REDIS_PORT}")

    def _create_database(self) -> None:
        _psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')  # a previous run killed -9
        _psql(f'CREATE DATABASE "{DB_NAME}"')
        self.db_created = True
        log(f"created database {DB_NAME}")

    def _start_celery(self) -> None:
        celery = str(BIN / "celery")
        self.spawn("worker", [celery, "-A", "outsourcing", "worker", "--loglevel=WARNING"])
        self.spawn(
            "beat",
            [
                celery,
                "-A",
                "outsourcing",
                "beat",
                "--loglevel=WARNING",
                "--schedule",
                str(self.tmp / "celerybeat-schedule"),
            ],
        )
        log("celery worker and beat started")

    def _start_gunicorn(self, name: str, module: str, port: int, cwd: Path) -> None:
        self.spawn(
            name,
            [
                str(BIN / "gunicorn"),
                module,
                "--workers",
                str(GUNICORN_WORKERS),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                str(self.access_log(name)),
                "--worker-tmp-dir",
                str(self.tmp),
                "--no-control-socket",
            ],
            cwd=cwd,
        )
        log(f"gunicorn {module}: {GUNICORN_WORKERS} sync workers on 127.0.0.1:{port}")

    # -- measuring -------------------------------------------------------------------------
    def access_log(self, name: str) -> Path:
        return self.tmp / f"{name}-access.log"

    def workers_of(self, name: str) -> list[psutil.Process]:
        return psutil.Process(self.processes[name].pid).children()

    def celery_processes(self) -> list[psutil.Process]:
        found = []
        for name in ("worker", "beat"):
            if name in self.processes:
                parent = psutil.Process(self.processes[name].pid)
                found += [parent, *parent.children(recursive=True)]
        return found


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    """user + system CPU seconds of each process (gone ones are left out)."""
    seconds = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        seconds[process.pid] = times.user + times.system
    return seconds
