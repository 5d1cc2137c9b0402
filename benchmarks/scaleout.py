"""Do more workers finish projections sooner, and does combining stay small?
Run: .venv/bin/python benchmarks/scaleout.py [--rounds N] [--skip-celery] [--skip-memory]

Throughput: one large projection (40,000 trials x 2,000 processes x 60 months, 40 chunks)
through real Celery workers, first with one worker process, then with two (separate
``celery worker`` processes, concurrency 1 each), in alternating rounds; and, in the same
rounds, the same engine work in one and in two bare Python processes (no Celery, no
database): what two processes can gain on this machine at that moment. Prints trials x
processes per second, the two-to-one ratios (target: at least 1.8 for the workers) and how
much of the machine's gain the workers keep.

Memory: the combining step of the largest projection allowed (200,000 trials x 240
months) in a fresh process, as a worker runs it: its peak resident memory (target: under
500 MB), then the same chunks combined as before (every chunk held at once), and whether
the two results are identical.

Everything runs against a private ``redis-server`` (started here on a spare port, or
``SCALEOUT_REDIS_PORT``) and a private database: the empty database named by
``BENCHMARK_DATABASE_URL``, else a new one on the local PostgreSQL (dropped at the end),
else a SQLite file (which serialises the workers' writes: slower).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# One BLAS thread per process, as the workers have (outsourcing/celery.py), set before numpy
# loads: the bare processes then do the same work the same way.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

from assessments.engine.projection import ProjectedProcess  # noqa: E402
from assessments.engine.projection_mc import simulate_blocks  # noqa: E402
from benchmarks.projection import sample_portfolio  # noqa: E402
from outsourcing.allocator import keep_freed_memory  # noqa: E402

TRIALS, PROCESSES, HORIZON = 40_000, 2_000, 60
MAX_TRIALS, MAX_HORIZON, MEMORY_PROCESSES = 200_000, 240, 3
TARGET_RATIO = 1.8
TARGET_MB = 500.0
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432"


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would
    carry over the peak of the process that forked this one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux


# Bare processes ---------------------------------------------------------------------------

_PORTFOLIO: list[ProjectedProcess] = []


def _chunk_of_work(block: int) -> int:
    """One chunk's engine work (1,000 trials, as a projection chunk of the large run)."""
    if not _PORTFOLIO:
        _PORTFOLIO.extend(sample_portfolio(PROCESSES))
    simulate_blocks(
        _PORTFOLIO,
        seed=1,
        total_trials=TRIALS,
        blocks=[2 * block, 2 * block + 1],
        horizon=HORIZON,
        discount_rate=0.08,
    )
    return block


def bare_throughput(pool: ProcessPoolExecutor, processes: int, chunks: int = 8) -> float:
    """Trials x processes per second of ``chunks`` chunks in 1 or 2 bare processes."""
    started = time.perf_counter()
    if processes == 1:
        for block in range(chunks):
            pool.submit(_chunk_of_work, block).result()  # one at a time
    else:
        list(pool.map(_chunk_of_work, range(chunks)))  # both pool processes at once
    return chunks * 1000 * PROCESSES / (time.perf_counter() - started)


# Private Redis and database ---------------------------------------------------------------


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    port = int(os.environ.get("SCALEOUT_REDIS_PORT") or _spare_port())
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=(folder / "redis.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    import redis

    client = redis.Redis(port=port, socket_connect_timeout=1)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            return process, f"redis://127.0.0.1:{port}/0"
        except redis.RedisError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {port}") from None
            time.sleep(0.05)


def private_database(folder: Path) -> tuple[str, str | None]:
    """(DATABASE_URL, name of a PostgreSQL database created here or None)."""
    if os.environ.get("BENCHMARK_DATABASE_URL"):
        return os.environ["BENCHMARK_DATABASE_URL"], None
    try:
        import psycopg

        name = f"sourcewise_scaleout_{os.getpid()}"
        with psycopg.connect(
            f"{LOCAL_POSTGRES}/postgres", autocommit=True, connect_timeout=2
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"{LOCAL_POSTGRES}/{name}", name
    except Exception:  # no server, no rights: a SQLite file
        return f"sqlite:///{folder / 'scaleout.sqlite3'}", None


def drop_database(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{LOCAL_POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Celery workers ---------------------------------------------------------------------------


def start_worker(name: str, env: dict[str, str], folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
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
            f"{name}-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=(folder / f"{name}.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _worker_names(app) -> list[str]:
    return sorted(name for reply in (app.control.ping(timeout=1.0) or []) for name in reply)


def run_projection(assessment, user, trials: int, timeout: float = 900) -> tuple[float, object]:
    from django.db import connection

    from assessments.models import Projection, ProjectionStatus
    from assessments.projections.services import projection_request

    started = time.perf_counter()
    projection = projection_request(assessment=assessment, user=user, trials=trials, seed=1)
    finished = (ProjectionStatus.DONE, ProjectionStatus.FAILED)
    table = connection.ops.quote_name(Projection._meta.db_table)

    def status() -> str:
        # The status alone, in plain SQL: reloading the row (its inputs and result), or
        # even the ORM's own work, 20 times a second took CPU from the workers being
        # measured, most of all when both cores run one.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT status FROM {table} WHERE id = %s", [projection.pk])  # noqa: S608
            return cursor.fetchone()[0]

    while status() not in finished:
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"Projection {projection.pk} did not finish in {timeout:.0f} s")
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    projection.refresh_from_db()
    return seconds, projection


def make_assessment(processes: int, horizon: int = HORIZON):
    """A throw-away organisation and submitted assessment with ``processes`` on its roadmap."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from accounts.models import Organisation
    from assessments.models import Assessment, Process, Recommendation, Status

    tag = f"{os.getpid()}-{time.time_ns()}"
    user = get_user_model().objects.create_user(f"scaleout-{tag}")
    organisation = Organisation.objects.create(name=f"Scale-out {tag}")
    assessment = Assessment.objects.create(
        organisation=organisation,
        owner=user,
        name="Scale-out",
        home_country="United Kingdom",
        status=Status.SUBMITTED,
        horizon_months=horizon,
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


def throughput(pool: ProcessPoolExecutor, rounds: int, folder: Path) -> list[str]:
    from django.conf import settings

    from outsourcing.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "outsourcing.settings",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": settings.REDIS_URL,
    }
    assessment, user = make_assessment(PROCESSES)
    workers = [start_worker("scaleout-a", env, folder), start_worker("scaleout-b", env, folder)]
    try:
        deadline = time.monotonic() + 90
        while len(names := _worker_names(app)) < 2:
            if time.monotonic() > deadline:
                raise RuntimeError("The two workers did not answer within 90 s.")
        second = names[1]
        run_projection(assessment, user, 2000)  # warm up both workers
        figures: dict[str, list[float]] = {
            "bare 1": [],
            "bare 2": [],
            "celery 1": [],
            "celery 2": [],
        }
        results = []
        work = TRIALS * PROCESSES
        for _ in range(rounds):
            figures["bare 1"].append(bare_throughput(pool, 1))
            figures["bare 2"].append(bare_throughput(pool, 2))
            app.control.cancel_consumer(
                app.conf.task_default_queue, destination=[second], reply=True, timeout=5
            )
            seconds, one = run_projection(assessment, user, TRIALS)
            figures["celery 1"].append(work / seconds)
            app.control.add_consumer(
                app.conf.task_default_queue, destination=[second], reply=True, timeout=5
            )
            seconds, two = run_projection(assessment, user, TRIALS)
            figures["celery 2"].append(work / seconds)
            results.append(one.result["monte_carlo"] == two.result["monte_carlo"])
    finally:
        stop_workers(workers)
    median = {key: statistics.median(values) for key, values in figures.items()}
    celery_ratio = median["celery 2"] / median["celery 1"]
    bare_ratio = median["bare 2"] / median["bare 1"]
    verdict = "meets" if celery_ratio >= TARGET_RATIO else "MISSES"
    load = os.getloadavg()[0]
    return [
        f"Throughput, {TRIALS:,} trials x {PROCESSES:,} processes x {HORIZON} months in "
        f"{one.chunk_count} chunks, median of {rounds} alternating rounds "
        f"({os.cpu_count()} CPUs, load average {load:.1f}):",
        *(
            f"  {key:>8}: {median[key] / 1e6:6.2f} million trial-processes per second "
            f"(rounds: {', '.join(f'{v / 1e6:.2f}' for v in values)})"
            for key, values in figures.items()
        ),
        f"  two workers / one worker: {celery_ratio:.2f}x ({verdict} the target of "
        f"{TARGET_RATIO}x); identical results: {all(results)}",
        "  round by round: "
        + ", ".join(
            f"{two / one:.2f}x"
            for one, two in zip(figures["celery 1"], figures["celery 2"], strict=True)
        ),
        f"  two bare processes / one, at the same moments: {bare_ratio:.2f}x; the workers "
        f"keep {celery_ratio / bare_ratio:.0%} of what the machine could gain",
        f"  one worker runs at {median['celery 1'] / median['bare 1']:.0%} of a bare process "
        "(the rest: the queue, the database, starting and combining)",
    ]


# Memory of the combining step ---------------------------------------------------------------


def memory(folder: Path) -> list[str]:
    """Store every chunk of the largest projection, then combine it in fresh processes."""
    from django.db import reset_queries

    from assessments.projections import services

    assessment, user = make_assessment(MEMORY_PROCESSES, horizon=MAX_HORIZON)
    # No worker runs now: the hand-off waits in the queue and this process computes.
    projection = services.projection_request(
        assessment=assessment, user=user, trials=MAX_TRIALS, seed=5
    )
    started = time.perf_counter()
    for index in services.projection_begin(projection_id=projection.pk) or []:
        services.projection_run_chunk(projection_id=projection.pk, index=index)
        reset_queries()  # DEBUG keeps every query, the chunks' bytes among them
    computed = time.perf_counter() - started
    lines = [
        f"Combining the largest projection, {MAX_TRIALS:,} trials x {MAX_HORIZON} months "
        f"x {MEMORY_PROCESSES} processes, {projection.chunk_count} chunks (computed here "
        f"in {computed:.0f} s), each way in a fresh process:"
    ]
    before = _combine_in_fresh_process("before", projection.pk)
    after = _combine_in_fresh_process("after", projection.pk)  # finishes the projection
    for label, (base, peak, seconds, _) in (
        ("as before, every chunk held", before),
        ("projection_finish, streamed", after),
    ):
        verdict = "within" if peak <= TARGET_MB else "OVER"
        lines.append(
            f"  {label}: peak RSS {peak:.0f} MB ({peak - base:.0f} MB above the "
            f"{base:.0f} MB the process held before), {seconds:.1f} s: {verdict} "
            f"{TARGET_MB:.0f} MB"
        )
    lines.append(f"  identical results: {before[3] == after[3]}")
    return lines


def _combine_in_fresh_process(way: str, projection_id: int) -> tuple[float, float, float, str]:
    output = subprocess.run(
        [sys.executable, __file__, "--combine", way, str(projection_id)],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    base, peak, seconds, digest = output.strip().splitlines()[-1].split()
    return float(base), float(peak), float(seconds), digest


def combine(way: str, projection_id: int) -> None:
    """In a fresh process: combine the stored chunks ``way`` ("after": the service,
    ``projection_finish``, as a worker runs it; "before": every chunk held at once, as the
    service did before); print the RSS before, the peak, the seconds and a digest of the
    Monte Carlo summary."""
    import hashlib
    import json

    import django

    django.setup()
    from assessments.models import Projection, ProjectionChunk
    from assessments.projections import services

    keep_freed_memory()  # as a worker process does
    ProjectionChunk.objects.filter(projection_id=projection_id).count()  # connect first
    base = _peak_mb()
    started = time.perf_counter()
    if way == "after":
        services.projection_finish(projection_id=projection_id)
        summary = Projection.objects.get(pk=projection_id).result["monte_carlo"]
    else:
        data = list(
            ProjectionChunk.objects.filter(projection_id=projection_id)
            .order_by("index")
            .values_list("data", flat=True)
        )
        summary = json.loads(json.dumps(_summary_as_before(data)))
    seconds = time.perf_counter() - started
    digest = hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:16]
    print(f"{base:.1f} {_peak_mb():.1f} {seconds:.2f} {digest}")


def _summary_as_before(data: list) -> dict:
    """The combining step as it was: every chunk read and decoded at once, the paths
    joined into one array and copied again by the percentiles."""
    import math

    from assessments.engine.projection_mc import NPV_QUANTILES, PERCENTILES, TrialSet

    sets = [TrialSet.from_bytes(bytes(chunk)) for chunk in data]
    npv = np.concatenate([s.npv for s in sets])
    cumulative = np.concatenate([s.cumulative for s in sets])
    wave_npv = np.concatenate([s.wave_npv for s in sets])
    months = np.percentile(cumulative, PERCENTILES, axis=0)
    npv_pct = np.percentile(npv, PERCENTILES)
    wave_pct = np.percentile(wave_npv, PERCENTILES, axis=0)
    first = sets[0]
    return {
        "trials": int(npv.size),
        "seed": first.seed,
        "horizon": first.horizon,
        "cumulative_p10": months[0].tolist(),
        "cumulative_p50": months[1].tolist(),
        "cumulative_p90": months[2].tolist(),
        "npv_p10": float(npv_pct[0]),
        "npv_p50": float(npv_pct[1]),
        "npv_p90": float(npv_pct[2]),
        "npv_mean": math.fsum(npv.tolist()) / npv.size,
        "prob_npv_negative": float(np.mean(npv < 0)),
        "waves": [
            {
                "wave": wave,
                "npv_p10": float(wave_pct[0, i]),
                "npv_p50": float(wave_pct[1, i]),
                "npv_p90": float(wave_pct[2, i]),
                "prob_npv_negative": float(np.mean(wave_npv[:, i] < 0)),
            }
            for i, wave in enumerate(first.waves)
        ],
        "npv_quantiles": [float(v) for v in np.percentile(npv, NPV_QUANTILES)],
    }


# Main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-celery", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--combine", nargs=2, metavar=("WAY", "PROJECTION"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.combine:
        combine(arguments.combine[0], int(arguments.combine[1]))
        return
    if not shutil.which("redis-server"):
        print("Skipped: the benchmark needs redis-server (apt-get install redis-server).")
        return
    folder = Path(tempfile.mkdtemp(prefix="sourcewise-scaleout-"))
    # Forked before Django and numpy threads; each keeps freed memory as a worker does.
    pool = ProcessPoolExecutor(max_workers=2, initializer=keep_freed_memory)
    list(pool.map(_chunk_of_work, range(2)))
    redis_process, redis_url = start_redis(folder)
    database_url, created = private_database(folder)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "outsourcing.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
        }
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
        print(f"Private Redis {redis_url}, {connection.vendor} database.\n")
        if not arguments.skip_celery:
            print("\n".join(throughput(pool, arguments.rounds, folder)), end="\n\n")
        if not arguments.skip_memory:
            print("\n".join(memory(folder)))
    finally:
        pool.shutdown()
        if created:
            drop_database(created)
        redis_process.terminate()
        redis_process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
