"""Time the vendor-ranking engine: 200 proposals on 12 criteria, and AHP on 12 x 12.

Run from the project root: .venv/bin/python -m benchmarks.ranking
Target: ranking by both methods under 10 ms (median), so a sourcing event page can
rank on request instead of queueing a task.
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

# Allow "python benchmarks/ranking.py" as well as "-m": the project root holds vendors/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vendors.engine.ranking import ahp, ranks, topsis, weight_sensitivity, weighted_sum  # noqa: E402

PROPOSALS, CRITERIA, RUNS = 200, 12, 500
TARGET_MS = 10.0


def _median_ms(task: Callable[[], object], runs: int = RUNS) -> float:
    task()  # warm up numpy's code paths before timing
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _saaty_matrix(rng: np.random.Generator, n: int) -> np.ndarray:
    scale = np.array([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9])
    a = np.ones((n, n))
    upper = np.triu_indices(n, k=1)
    a[upper] = rng.choice(scale, size=len(upper[0]))
    a[upper[1], upper[0]] = 1 / a[upper]
    return a


def main() -> None:
    rng = np.random.default_rng(2026)
    scores = rng.integers(1, 11, size=(PROPOSALS, CRITERIA)).astype(float)
    weights = rng.random(CRITERIA)
    weights /= weights.sum()
    matrix = _saaty_matrix(rng, CRITERIA)

    def both_methods() -> None:
        ranks(weighted_sum(scores, weights))
        ranks(topsis(scores, weights))

    figures = {
        f"weighted sum + ranks, {PROPOSALS} x {CRITERIA}": _median_ms(
            lambda: ranks(weighted_sum(scores, weights))
        ),
        f"TOPSIS + ranks, {PROPOSALS} x {CRITERIA}": _median_ms(
            lambda: ranks(topsis(scores, weights))
        ),
        "both methods together": _median_ms(both_methods),
        f"AHP, {CRITERIA} x {CRITERIA} matrix": _median_ms(lambda: ahp(matrix)),
        f"weight sensitivity, {PROPOSALS} x {CRITERIA}": _median_ms(
            lambda: weight_sensitivity(scores, weights), runs=100
        ),
    }
    print(f"median of {RUNS} runs (sensitivity: 100), milliseconds")
    for name, ms in figures.items():
        print(f"  {name:<40} {ms:8.3f} ms")
    verdict = "meets" if figures["both methods together"] < TARGET_MS else "MISSES"
    print(f"ranking by both methods {verdict} the {TARGET_MS:g} ms target")


if __name__ == "__main__":
    main()
