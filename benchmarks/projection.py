"""How fast is the savings projection? Run: .venv/bin/python benchmarks/projection.py

Prints the engine's wall time and peak memory for 10,000 trials x 500 processes x 60
months (target: at most 1.0 s and 500 MB), how much faster the vectorised paths are than
the plain-Python loop on a small case, and the wall time of one projection through Celery
with one worker and with two (target: two workers at least 1.6 times faster). The Celery
section needs Redis (``REDIS_URL``, default redis://127.0.0.1:6379/14) and runs its
workers against a throw-away SQLite database of its own (or the empty database named by
``BENCHMARK_DATABASE_URL``).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from assessments.engine.projection import ProjectedProcess  # noqa: E402
from assessments.engine.projection_drivers import build_portfolio  # noqa: E402
from assessments.engine.projection_kernels import (  # noqa: E402
    net_by_wave,
    process_components,
)
from assessments.engine.projection_mc import monte_carlo, simulate_blocks  # noqa: E402
from assessments.engine.projection_reference import net_by_process_loop  # noqa: E402
from outsourcing.allocator import keep_freed_memory  # noqa: E402

TRIALS = 10_000
PROCESSES = 500
HORIZON = 60
TARGET_SECONDS = 1.0
TARGET_MB = 500.0
ESCALATION = {"inflation_in": 0.035, "inflation_vendor": 0.04}


def sample_portfolio(n: int, seed: int = 0) -> list[ProjectedProcess]:
    """A mixed portfolio: the three models and locations, starts spread over three waves."""
    rng = np.random.default_rng(seed)
    models = ("ITO", "BPO", "KPO")
    locations = ("onshore", "nearshore", "offshore")
    return [
        ProjectedProcess(
            name=f"process {i}",
            model=models[i % 3],
            location=locations[int(rng.integers(3))],
            annual_cost=float(rng.uniform(100_000, 5_000_000)),
            start_month=(i % 3) * 12 + int(rng.integers(0, 12)),
            wave=i % 3 + 1,
        )
        for i in range(n)
    ]


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux


def engine_figures(repeats: int = 3) -> list[str]:
    processes = sample_portfolio(PROCESSES)
    run = {"trials": TRIALS, "seed": 2026, "horizon": HORIZON, "discount_rate": 0.08}
    monte_carlo(processes, **{**run, "trials": 500})  # warm up imports and allocator

    rss_before = _max_rss_mb()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        summary = monte_carlo(processes, **run)
        times.append(time.perf_counter() - started)
    rss_delta = _max_rss_mb() - rss_before

    tracemalloc.start()
    monte_carlo(processes, **run)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 2**20

    best, median = min(times), statistics.median(times)
    verdict = "within" if median <= TARGET_SECONDS and peak_mb <= TARGET_MB else "OUTSIDE"
    return [
        f"Monte Carlo engine, {TRIALS:,} trials x {PROCESSES} processes x {HORIZON} months "
        f"({os.cpu_count()} CPUs):",
        f"  wall time: best {best:.3f} s, median {median:.3f} s of {repeats} runs "
        "(drawing, cash model, percentiles)",
        f"  peak memory: {peak_mb:.1f} MB traced by tracemalloc; "
        f"max RSS grew by {rss_delta:.1f} MB",
        f"  {verdict} the target of {TARGET_SECONDS} s and {TARGET_MB:.0f} MB",
        f"  NPV P10 / P50 / P90: {summary.npv_p10:,.0f} / {summary.npv_p50:,.0f} / "
        f"{summary.npv_p90:,.0f}; P(NPV < 0) = {summary.prob_npv_negative:.3f}",
    ]


def _timed(function, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def loop_comparison(trials: int = 50, processes: int = 20) -> list[str]:
    portfolio = build_portfolio(sample_portfolio(processes, seed=1))
    draws = portfolio.draw(np.random.default_rng(1), trials)
    kwargs = {"horizon": HORIZON, **ESCALATION}
    loop = _timed(lambda: net_by_process_loop(portfolio, draws, **kwargs), 1)
    tensor = _timed(lambda: process_components(portfolio, draws, **kwargs), 5)
    fast = _timed(lambda: net_by_wave(portfolio, draws, **kwargs), 20)
    return [
        f"Cash model only, {trials} trials x {processes} processes x {HORIZON} months:",
        f"  plain-Python loop {loop * 1e3:.1f} ms; full tensor {tensor * 1e3:.2f} ms; "
        f"scatter and cumulative sum {fast * 1e3:.2f} ms",
        f"  the scatter path is {loop / fast:,.0f} times faster than the loop and "
        f"{tensor / fast:,.1f} times faster than the tensor",
    ]


CELERY_TRIALS = 20_000
CELERY_PROCESSES = 2_000
CELERY_TARGET_SPEEDUP = 1.6
ROOT = Path(__file__).resolve().parents[1]


def _start_workers(count: int, env: dict[str, str], log_dir: Path) -> list[subprocess.Popen]:
    """``count`` separate worker processes (concurrency 1 each), as on separate machines."""
    workers = []
    for i in range(count):
        log = (log_dir / f"worker-{count}-{i}.log").open("ab")
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "outsourcing",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=WARNING",
                    "-n",
                    f"bench-{count}-{i}-{os.getpid()}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return workers


def _stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _wait_until_ready(app, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(app.control.ping(timeout=0.5) or []) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{count} worker(s) did not answer within {timeout:.0f} s.")


def _run_projection(assessment, user, trials: int, timeout: float = 600) -> tuple[float, object]:
    """Request one projection and wait until it is finished; (wall seconds, projection)."""
    from assessments.projections.services import projection_request

    started = time.perf_counter()
    projection = projection_request(assessment=assessment, user=user, trials=trials, seed=1)
    while True:
        projection.refresh_from_db()
        if projection.is_finished:
            return time.perf_counter() - started, projection
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"Projection {projection.pk} did not finish in {timeout:.0f} s.")
        time.sleep(0.1)


def _benchmark_assessment(processes: int):
    """A throw-away organisation and assessment whose roadmap holds ``processes`` rows."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from accounts.models import Organisation
    from assessments.models import Assessment, Process, Recommendation, Status

    user = get_user_model().objects.create_user("benchmark")
    organisation = Organisation.objects.create(name="Benchmark")
    assessment = Assessment.objects.create(
        organisation=organisation,
        owner=user,
        name="Benchmark",
        home_country="United Kingdom",
        status=Status.SUBMITTED,
    )
    rows = sample_portfolio(processes)
    created = Process.objects.bulk_create(
        [
            Process(
                assessment=assessment,
                position=i,
                name=row.name,
                annual_cost=Decimal(f"{row.annual_cost:.2f}"),
            )
            for i, row in enumerate(rows)
        ]
    )
    Recommendation.objects.bulk_create(
        [
            Recommendation(
                process=process,
                model=row.model,
                location=row.location,
                confidence=0.8,
                wave=row.wave,
                start_month=row.start_month,
                engine_version="benchmark",
            )
            for process, row in zip(created, rows, strict=True)
        ]
    )
    return assessment, user


def _engine_work(processes: int) -> float:
    """One chunk's worth of engine work (1,000 trials), timed in this process."""
    portfolio = sample_portfolio(processes)
    started = time.perf_counter()
    simulate_blocks(
        portfolio, seed=0, total_trials=2000, blocks=[0, 1], horizon=HORIZON, discount_rate=0.08
    )
    return time.perf_counter() - started


def _machine_speedup(processes: int, rounds: int = 4) -> float:
    """How much faster two processes do the same engine work than one, right now, without
    Celery: the most two workers can gain on this machine at this moment."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=2, initializer=keep_freed_memory) as pool:
        list(pool.map(_engine_work, [processes] * 2))  # warm up both
        started = time.perf_counter()
        for _ in range(2 * rounds):
            pool.submit(_engine_work, processes).result()  # one at a time
        alone = time.perf_counter() - started
        started = time.perf_counter()
        list(pool.map(_engine_work, [processes] * (2 * rounds)))  # two at a time
        together = time.perf_counter() - started
    return alone / together


LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432"


def _throwaway_postgres() -> str | None:
    """Create an empty PostgreSQL database on the local server (SERVICES.md); None if the
    server is not there. Workers on several machines share PostgreSQL in production, and
    SQLite serialises the workers' writes."""
    try:
        import psycopg

        name = f"sourcewise_benchmark_{os.getpid()}"
        with psycopg.connect(
            f"{LOCAL_POSTGRES}/postgres", autocommit=True, connect_timeout=2
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"{LOCAL_POSTGRES}/{name}"
    except Exception:  # no server, no rights: fall back to SQLite
        return None


def _drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{LOCAL_POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def celery_wall_times(trials: int = CELERY_TRIALS, processes: int = CELERY_PROCESSES) -> list[str]:
    """One projection through real Celery workers on Redis: one worker, then two."""
    workdir = Path(tempfile.mkdtemp(prefix="sourcewise-bench-"))
    created = None if os.environ.get("BENCHMARK_DATABASE_URL") else _throwaway_postgres()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "outsourcing.settings",
        # A throw-away database: an empty one of your own, a new one on the local
        # PostgreSQL, or else a SQLite file.
        "DATABASE_URL": os.environ.get("BENCHMARK_DATABASE_URL")
        or created
        or f"sqlite:///{workdir / 'benchmark.sqlite3'}",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14",
    }
    try:
        return _celery_wall_times(env, workdir, trials, processes)
    finally:
        if created:
            _drop_postgres(created)
        shutil.rmtree(workdir, ignore_errors=True)


def _celery_wall_times(
    env: dict[str, str], workdir: Path, trials: int, processes: int
) -> list[str]:
    import redis

    try:
        redis.Redis.from_url(env["REDIS_URL"], socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return [f"Celery: skipped, Redis is not reachable at {env['REDIS_URL']} ({error})."]
    machine = _machine_speedup(processes)  # before Django starts: the pool forks
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")})
    import django

    django.setup()
    from django.core.management import call_command

    from outsourcing.celery import app

    call_command("migrate", verbosity=0)
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Write-ahead logging (a property of the file, kept by every connection):
            # readers do not block the workers' writes, as with PostgreSQL in production.
            cursor.execute("PRAGMA journal_mode=WAL")
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    assessment, user = _benchmark_assessment(processes)
    load = os.getloadavg()[0]
    times, projections = {}, {}
    for count in (1, 2):
        workers = _start_workers(count, env, workdir)
        try:
            _wait_until_ready(app, count)
            _run_projection(assessment, user, 500)  # warm up every worker
            times[count], projections[count] = _run_projection(assessment, user, trials)
        finally:
            _stop_workers(workers)
    one, two = projections[1], projections[2]
    same = one.result["monte_carlo"] == two.result["monte_carlo"]
    speedup = times[1] / times[2]
    verdict = "meets" if speedup >= CELERY_TARGET_SPEEDUP else "MISSES"
    return [
        f"Through Celery on Redis, {trials:,} trials x {processes:,} processes x "
        f"{one.horizon_months} months in {one.chunk_count} chunks ({os.cpu_count()} CPUs, "
        f"{connection.vendor} database):",
        f"  one worker {times[1]:.2f} s; two workers {times[2]:.2f} s "
        f"(separate processes, concurrency 1 each)",
        f"  two workers are {speedup:.2f} times faster: {verdict} the target of "
        f"{CELERY_TARGET_SPEEDUP}x; identical results: {same}",
        f"  for comparison, two plain processes run the same engine work {machine:.2f} times "
        f"faster than one right now (load average {load:.1f}: other work on the machine "
        "takes CPU from the workers)",
    ]


SECTIONS = [engine_figures, loop_comparison, celery_wall_times]


def main() -> None:
    keep_freed_memory()  # the engine runs in a worker process, which does this
    for section in SECTIONS:
        print("\n".join(section()))
        print()


if __name__ == "__main__":
    main()
