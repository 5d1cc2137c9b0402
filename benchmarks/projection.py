"""How fast is the savings projection engine? Run: .venv/bin/python benchmarks/projection.py

Prints the engine's wall time and peak memory for 10,000 trials x 500 processes x 60
months (target: at most 1.0 s and 500 MB), and how much faster the vectorised paths are
than the plain-Python loop on a small case. A projection through Celery workers, with one
worker and with two, is measured by ``benchmarks/scaleout.py``.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
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
from assessments.engine.projection_mc import monte_carlo  # noqa: E402
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


SECTIONS = [engine_figures, loop_comparison]


def main() -> None:
    keep_freed_memory()  # the engine runs in a worker process, which does this
    for section in SECTIONS:
        print("\n".join(section()))
        print()


if __name__ == "__main__":
    main()
