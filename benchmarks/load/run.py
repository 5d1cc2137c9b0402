"""Load test of the production stack, with the server CPU each request costs.

Run: .venv/bin/python benchmarks/load/run.py [--duration 60] [--users 50] [--ramp]

Starts everything on localhost (stack.py): a private PostgreSQL database sw_load, migrated
and seeded with the demo, a private redis-server on port 6421, gunicorn with 4 sync workers
for the app on 127.0.0.1:8201 and for a Django hello-world on 127.0.0.1:8202, one Celery
worker and beat, all in production settings (DJANGO_DEBUG=false). Then it runs locust
headless (locustfile.py): half managers, half CIOs of the demo organisation, each logging
in once and browsing the pages of their role, plus a few paced hello-world users in the
same window. After the log-ins (costly by design, so not the steady state) it measures for
--duration seconds and prints: requests/s, errors, client latency p50/p95/p99 per
endpoint (by URL name), the CPU (user + system) the gunicorn workers spent per request
served for the app and for the hello-world, and their ratio. --ramp steps the users
through 10, 25, 50, 75, 100 and prints throughput and p95 for each step.

Everything started is stopped and the database dropped on exit, Ctrl-C included.
Uses ports 8201, 8202 and 6421. --snapshot measures the committed code (git HEAD,
exported to a temporary folder) instead of the working tree.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import APP_PORT, BIN, DB_NAME, GUNICORN_WORKERS, HELLO_PORT, HERE, Stack, log  # noqa: E402

RAMP_STEPS = (10, 25, 50, 75, 100)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration",
        type=float,
        default=60,
        help="seconds measured (after the log-ins), per step with --ramp "
        "(default 60; 30 with --ramp)",
    )
    parser.add_argument(
        "--users", type=int, default=50, help="app users, half managers and half CIOs (default 50)"
    )
    parser.add_argument(
        "--spawn-rate", type=float, default=10, help="users started per second (default 10)"
    )
    parser.add_argument(
        "--ramp", action="store_true", help="step through 10, 25, 50, 75, 100 users"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=10,
        help="seconds between the last log-in and the measurement (default 10)",
    )
    parser.add_argument("--hello-users", type=int, default=5)
    parser.add_argument(
        "--hello-rate",
        type=float,
        default=50,
        help="hello-world requests per second, all its users together",
    )
    parser.add_argument(
        "--projection-every",
        type=float,
        default=30,
        help="seconds between two projections started (all managers)",
    )
    parser.add_argument(
        "--board-pack-every",
        type=float,
        default=60,
        help="seconds between two board packs asked for (all CIOs)",
    )
    parser.add_argument(
        "--snapshot", action="store_true", help="measure git HEAD, exported to a temporary folder"
    )
    parser.add_argument(
        "--source",
        type=Path,
        help="measure the code in this folder (another checkout or "
        "worktree, e.g. before/after a change) instead of this one",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--keep-logs",
        action="store_true",
        help="keep the temporary folder (server and locust logs)",
    )
    args = parser.parse_args()
    if args.ramp and "--duration" not in sys.argv:
        args.duration = 30
    if args.hello_rate <= 0:
        args.hello_users = 0
    return args


# -- server-side sampling ------------------------------------------------------------------
class Sampler(threading.Thread):
    """Every half second: the CPU seconds of each process of interest, the access-log line
    counts (requests served), and the machine's CPU times."""

    def __init__(self, stack: Stack, locust: subprocess.Popen | None = None) -> None:
        super().__init__(daemon=True)
        self.stack, self.locust = stack, locust
        self.samples: list[dict] = []
        self.stopping = threading.Event()
        self.lines = {"app": 0, "hello": 0}
        self._offsets = {"app": 0, "hello": 0}

    def _count_lines(self, name: str) -> int:
        path = self.stack.access_log(name)
        if path.exists():
            with path.open("rb") as handle:
                handle.seek(self._offsets[name])
                chunk = handle.read()
            self._offsets[name] += len(chunk)
            self.lines[name] += chunk.count(b"\n")
        return self.lines[name]

    @staticmethod
    def _cpu(processes) -> dict[int, float]:
        seconds = {}
        for process in processes:
            try:
                times = process.cpu_times()
                seconds[process.pid] = times.user + times.system
            except psutil.Error:
                pass
        return seconds

    def _database_backends(self) -> list[psutil.Process]:
        # PostgreSQL names each backend "postgres: USER DATABASE ADDRESS ...": ours only.
        found = []
        for process in psutil.process_iter(["name", "cmdline"]):
            cmdline = process.info["cmdline"] or []
            if (
                cmdline
                and cmdline[0].startswith("postgres:")
                and f" {DB_NAME} " in (" ".join(cmdline) + " ")
            ):
                found.append(process)
        return found

    def sample(self) -> dict:
        stack = self.stack
        other = []
        if "redis" in stack.processes and stack.processes["redis"].poll() is None:
            other.append(psutil.Process(stack.processes["redis"].pid))
        machine = psutil.cpu_times()
        previous = self.samples[-1] if self.samples else {}

        def carried(kind: str, processes) -> dict[int, float]:
            # A process gone since the last sample keeps the CPU it had then.
            seconds = dict(previous.get(kind, {}))
            with contextlib.suppress(psutil.Error):
                seconds.update(self._cpu(processes() if callable(processes) else processes))
            return seconds

        running = {name for name, p in stack.processes.items() if p.poll() is None}
        record = {
            "t": time.time(),
            "app": carried("app", lambda: stack.workers_of("app") if "app" in running else []),
            "hello": carried(
                "hello", lambda: stack.workers_of("hello") if "hello" in running else []
            ),
            "celery": carried("celery", stack.celery_processes),
            "database": carried("database", self._database_backends),
            "redis": carried("redis", other),
            "locust": carried(
                "locust",
                lambda: (
                    [psutil.Process(self.locust.pid)]
                    if self.locust and self.locust.poll() is None
                    else []
                ),
            ),
            "app_lines": self._count_lines("app"),
            "hello_lines": self._count_lines("hello"),
            "busy": machine.user
            + machine.system
            + machine.nice
            + getattr(machine, "irq", 0)
            + getattr(machine, "softirq", 0)
            + getattr(machine, "steal", 0),
            "total": sum(machine),
            "load": os.getloadavg()[0],
        }
        self.samples.append(record)
        return record

    def run(self) -> None:
        while not self.stopping.is_set():
            with contextlib.suppress(psutil.Error):
                self.sample()
            self.stopping.wait(0.5)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
        self.sample()

    def between(self, start: float, end: float) -> dict:
        """Server figures between the samples closest inside [start, end]."""
        inside = [s for s in self.samples if start <= s["t"] <= end]
        if len(inside) < 2:
            inside = (
                sorted(self.samples, key=lambda s: abs(s["t"] - start))[:1]
                + sorted(self.samples, key=lambda s: abs(s["t"] - end))[:1]
            )
        first, last = inside[0], inside[-1]
        seconds = max(last["t"] - first["t"], 1e-9)

        def spent(kind: str) -> tuple[float, bool]:
            before, after = first[kind], last[kind]
            return sum(after[pid] - before.get(pid, 0.0) for pid in after), set(before) != set(
                after
            )

        figures = {"seconds": seconds, "start": first["t"], "end": last["t"]}
        for kind in ("app", "hello", "celery", "database", "redis", "locust"):
            figures[f"{kind}_cpu"], figures[f"{kind}_restarted"] = spent(kind)
        figures["app_served"] = last["app_lines"] - first["app_lines"]
        figures["hello_served"] = last["hello_lines"] - first["hello_lines"]
        total = last["total"] - first["total"]
        figures["machine_busy"] = (last["busy"] - first["busy"]) / total if total else 0.0
        ours = sum(
            figures[f"{kind}_cpu"]
            for kind in ("app", "hello", "celery", "database", "redis", "locust")
        )
        # CPU time the machine spent on processes not started by this run (others' work).
        figures["others_cpu"] = max(0.0, (last["busy"] - first["busy"]) - ours)
        figures["load_average"] = last["load"]
        return figures


# -- client-side figures -------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of the values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def client_figures(samples: list[list], start: float, end: float, kind: str) -> dict:
    # Requests completed in the window: the rate served, and none cut off at the end.
    chosen = [s for s in samples if s[6] == kind and start <= s[1] + s[2] / 1000 < end]
    seconds = max(end - start, 1e-9)
    by_name: dict[str, list[list]] = defaultdict(list)
    for sample in chosen:
        by_name[sample[0]].append(sample)
    pages = [s for s in chosen if s[0] not in ("login", "login-page")]

    def summary(rows: list[list]) -> dict:
        times = [row[2] for row in rows]
        return {
            "count": len(rows),
            "per_second": len(rows) / seconds,
            "errors": sum(1 for row in rows if not row[4]),
            "refused_429": sum(1 for row in rows if row[3] == 429),
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
            "max": max(times) if times else float("nan"),
            "mean": statistics.fmean(times) if times else float("nan"),
        }

    return {
        "seconds": seconds,
        "all": summary(pages),
        "endpoints": {name: summary(rows) for name, rows in sorted(by_name.items())},
    }


# -- printing ------------------------------------------------------------------------------
def ms(value: float) -> str:
    if value != value:  # NaN
        return "-"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def cpu_line(label: str, cpu: float, served: int) -> str:
    per = cpu * 1000 / served if served else float("nan")
    return f"  {label:<22} {per:7.2f} ms CPU/request  ({cpu:.2f} CPU-s over {served} requests)"


def print_steady(window: dict, client: dict, hello: dict, server: dict, args, cores: int) -> dict:
    every, app = client["all"], server
    app_per = app["app_cpu"] * 1000 / app["app_served"] if app["app_served"] else float("nan")
    hello_per = (
        app["hello_cpu"] * 1000 / app["hello_served"] if app["hello_served"] else float("nan")
    )
    print()
    print(
        f"== {window['users']} users (half managers, half CIOs), measured "
        f"{client['seconds']:.0f} s "
        f"after {window['warmup']:.0f} s of log-ins and settling; machine: {cores} CPUs, "
        f"{app['machine_busy'] * 100:.0f}% busy in the window, load average "
        f"{app['load_average']:.1f} at its end"
    )
    print(
        f"  throughput: {every['per_second']:.1f} page requests/s (client); server served "
        f"{app['app_served'] / app['seconds']:.1f} requests/s (redirects included)"
    )
    print(
        f"  errors: {every['errors']} of {every['count']}"
        + (
            f"; projection quota refusals (429, expected): {every['refused_429']}"
            if every["refused_429"]
            else ""
        )
    )
    print(
        f"  client latency, all pages: p50 {ms(every['p50'])}, p95 {ms(every['p95'])}, "
        f"p99 {ms(every['p99'])}, max {ms(every['max'])}"
    )
    print()
    print(
        f"  {'endpoint (URL name)':<32}{'count':>7}{'req/s':>8}{'p50':>9}{'p95':>9}"
        f"{'p99':>9}{'errors':>8}"
    )
    for name, row in client["endpoints"].items():
        print(
            f"  {name:<32}{row['count']:>7}{row['per_second']:>8.2f}{ms(row['p50']):>9}"
            f"{ms(row['p95']):>9}{ms(row['p99']):>9}{row['errors']:>8}"
        )
    if hello["all"]["count"]:
        row = hello["all"]
        print(
            f"  {'hello-world (port 8202)':<32}{row['count']:>7}{row['per_second']:>8.2f}"
            f"{ms(row['p50']):>9}{ms(row['p95']):>9}{ms(row['p99']):>9}{row['errors']:>8}"
        )
    print()
    print(
        f"  server CPU (user + system of the {GUNICORN_WORKERS} gunicorn sync workers) "
        "per request served:"
    )
    print(cpu_line("app (8201)", app["app_cpu"], app["app_served"]))
    print(cpu_line("hello-world (8202)", app["hello_cpu"], app["hello_served"]))
    ratio = app_per / hello_per if hello_per and hello_per == hello_per else float("nan")
    print(f"  {'ratio app / hello':<22} {ratio:7.1f} x")
    if app_per == app_per:
        print(
            f"  CPU-bound ceiling on {cores} CPUs (CPUs / CPU per request): app "
            f"{cores * 1000 / app_per:.0f} req/s"
            + (
                f", hello-world {cores * 1000 / hello_per:.0f} req/s"
                if hello_per == hello_per and hello_per
                else ""
            )
        )
    if app["app_served"]:
        print(
            cpu_line("PostgreSQL (sw_load)", app["database_cpu"], app["app_served"]).replace(
                "CPU/request", "CPU/app request"
            )
        )
    print(
        f"  other CPU in the window: celery worker+beat {app['celery_cpu']:.2f} s, "
        f"redis {app['redis_cpu']:.2f} s, locust (the client) {app['locust_cpu']:.2f} s; "
        f"processes not of this run {app['others_cpu']:.1f} s "
        f"({app['others_cpu'] / (app['seconds'] * cores) * 100:.0f}% of the machine)"
    )
    if app["app_restarted"] or app["hello_restarted"]:
        print(
            "  WARNING: a gunicorn worker was replaced during the window (timeout?); "
            "its CPU before that is not counted"
        )
    return {
        "users": window["users"],
        "seconds": client["seconds"],
        "warmup_seconds": window["warmup"],
        "requests_per_second": every["per_second"],
        "server_requests_per_second": app["app_served"] / app["seconds"],
        "requests": every["count"],
        "errors": every["errors"],
        "refused_429": every["refused_429"],
        "p50_ms": every["p50"],
        "p95_ms": every["p95"],
        "p99_ms": every["p99"],
        "max_ms": every["max"],
        "app_cpu_ms_per_request": app_per,
        "hello_cpu_ms_per_request": hello_per,
        "ratio": ratio,
        "database_cpu_ms_per_request": app["database_cpu"] * 1000 / app["app_served"]
        if app["app_served"]
        else None,
        "machine_busy": app["machine_busy"],
        "load_average": app["load_average"],
        "others_cpu_share": app["others_cpu"] / (app["seconds"] * cores),
        "endpoints": client["endpoints"],
        "hello": hello["all"],
    }


def print_ramp(rows: list[dict]) -> None:
    print()
    print("== ramp")
    print(
        f"  {'users':>5}{'req/s':>8}{'p50':>9}{'p95':>9}{'p99':>9}{'errors':>8}"
        f"{'app CPU/req':>13}{'hello CPU/req':>15}{'busy':>7}{'load':>6}{'warm-up':>9}"
    )
    for row in rows:
        print(
            f"  {row['users']:>5}{row['requests_per_second']:>8.1f}{ms(row['p50_ms']):>9}"
            f"{ms(row['p95_ms']):>9}{ms(row['p99_ms']):>9}{row['errors']:>8}"
            f"{row['app_cpu_ms_per_request']:>10.1f} ms{row['hello_cpu_ms_per_request']:>12.2f}"
            f" ms{row['machine_busy'] * 100:>6.0f}%{row['load_average']:>6.1f}"
            f"{row['warmup_seconds']:>8.0f}s"
        )


# -- the run -------------------------------------------------------------------------------
def run_locust(stack: Stack, args, out: Path) -> tuple[subprocess.Popen, Sampler]:
    steps = list(RAMP_STEPS) if args.ramp else [args.users]
    env = dict(stack.env)
    env.update(
        {
            "LOAD_STEPS": ",".join(map(str, steps)),
            "LOAD_STEP_SECONDS": str(args.duration),
            "LOAD_SPAWN_RATE": str(args.spawn_rate),
            "LOAD_SETTLE": str(args.settle),
            "LOAD_HELLO_USERS": str(args.hello_users),
            "LOAD_HELLO_RATE": str(args.hello_rate),
            "LOAD_PROJECTION_EVERY": str(args.projection_every),
            "LOAD_BOARD_PACK_EVERY": str(args.board_pack_every),
            "LOAD_OUT": str(out),
        }
    )
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
        "--exit-code-on-error",
        "0",
    ]
    logfile = open(stack.tmp / "locust.log", "wb")  # noqa: SIM115 - closed below
    locust = subprocess.Popen(
        command,
        cwd=HERE,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    logfile.close()
    stack.processes["locust"] = locust  # stopped with the rest on any exit
    sampler = Sampler(stack, locust)
    sampler.start()
    bound = len(steps) * (args.duration + args.settle + 180 + 30) + 60  # warm-up cap, margin
    log(f"locust: {steps} users, {args.duration:.0f} s measured per step, at most {bound:.0f} s")
    try:
        locust.wait(timeout=bound)
    except subprocess.TimeoutExpired:
        log("locust overran its bound: stopping it")
        os.killpg(locust.pid, signal.SIGTERM)
        locust.wait(timeout=30)
    sampler.stop()
    return locust, sampler


def main() -> int:
    args = parse_args()
    cores = psutil.cpu_count() or 1
    with Stack(snapshot=args.snapshot, source=args.source, keep_tmp=args.keep_logs) as stack:
        log(
            f"stack ready (app :{APP_PORT}, hello-world :{HELLO_PORT}); temporary folder "
            f"{stack.tmp}"
        )
        out = stack.tmp / "locust-samples.json"
        locust, sampler = run_locust(stack, args, out)
        if not out.exists():
            print((stack.tmp / "locust.log").read_text()[-5000:], file=sys.stderr)
            log(f"locust wrote no samples (exit {locust.returncode})")
            return 1
        result = json.loads(out.read_text())
        samples, windows = result["samples"], result["windows"]
        if result["login_failures"]:
            log(f"{result['login_failures']} log-ins failed")
        rows = []
        for window in windows:
            client = client_figures(samples, window["start"], window["end"], "app")
            hello = client_figures(samples, window["start"], window["end"], "hello")
            server = sampler.between(window["start"], window["end"])
            rows.append(print_steady(window, client, hello, server, args, cores))
        if not windows:
            log("no measured window (the run was cut short)")
        everything = client_figures(samples, 0, float("inf"), "app")
        logins = everything["endpoints"].get("login")
        print()
        print(
            f"== whole run, log-ins included: {len(samples)} requests, "
            f"{sum(1 for s in samples if not s[4] and s[3] != 429)} errors; all pages p50 "
            f"{ms(everything['all']['p50'])}, p95 {ms(everything['all']['p95'])}, p99 "
            f"{ms(everything['all']['p99'])}"
            + (f"; log-in p50 {ms(logins['p50'])}, p95 {ms(logins['p95'])}" if logins else "")
        )
        if args.ramp:
            print_ramp(rows)
        if args.keep_logs:
            log(f"logs kept in {stack.tmp}")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "windows": rows,
                        "args": {key: str(value) for key, value in vars(args).items()},
                    },
                    indent=2,
                )
            )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted: everything stopped, database dropped")
        sys.exit(130)
