"""How fast is the scoring engine? Run: .venv/bin/python benchmarks/scoring.py

Scores 100,000 random processes with the vectorised path (median of several runs),
prints processes per second against the target of 1,000,000/s, and compares with the
scalar path timed on a sample and extrapolated. Exits 1 when below target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from assessments.engine.questions import QUESTION_KEYS  # noqa: E402
from assessments.engine.scoring import score_portfolio, score_process  # noqa: E402

TARGET_PER_SECOND = 1_000_000
DONT_KNOW_SHARE = 0.08  # roughly one unanswered question per process, as in real inventories


def random_answers(n: int, seed: int = 2026) -> np.ndarray:
    """(n, 11) int8 answers, 0 = don't know."""
    rng = np.random.default_rng(seed)
    answered = (1 - DONT_KNOW_SHARE) / 5
    return rng.choice(6, size=(n, len(QUESTION_KEYS)), p=[DONT_KNOW_SHARE, *[answered] * 5]).astype(
        np.int8
    )


def median_seconds(task: Callable[[], object], runs: int) -> float:
    task()  # warm-up: first call pays for page faults and lazy imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--scalar-sample", type=int, default=5_000)
    args = parser.parse_args()

    answers = random_answers(args.processes)
    vectorised = median_seconds(lambda: score_portfolio(answers), args.runs)
    per_second = args.processes / vectorised

    frame = pd.DataFrame(answers.astype(float), columns=list(QUESTION_KEYS)).replace(0, np.nan)
    from_frame = median_seconds(lambda: score_portfolio(frame), args.runs)

    sample = [
        {k: (int(v) or None) for k, v in zip(QUESTION_KEYS, row, strict=True)}
        for row in answers[: args.scalar_sample]
    ]
    scalar = median_seconds(lambda: [score_process(a) for a in sample], 3)
    scalar_per_second = len(sample) / scalar
    scalar_extrapolated = args.processes / scalar_per_second

    portfolio = score_portfolio(answers)
    materialise = median_seconds(
        lambda: [portfolio.recommendation(i) for i in range(len(sample))], 3
    )

    counts = np.bincount(portfolio.model_index, minlength=5)
    print(f"Scoring {args.processes:,} random processes ({DONT_KNOW_SHARE:.0%} don't know)")
    print(
        "  models: "
        + ", ".join(
            f"{code} {count:,}"
            for code, count in zip(
                ("retain", "ITO", "BPO", "KPO", "insufficient"), counts, strict=True
            )
        )
    )
    print(
        f"  vectorised, numpy array : {vectorised * 1000:8.1f} ms  "
        f"{per_second:12,.0f} processes/s (median of {args.runs})"
    )
    print(
        f"  vectorised, DataFrame   : {from_frame * 1000:8.1f} ms  "
        f"{args.processes / from_frame:12,.0f} processes/s"
    )
    print(
        f"  scalar, {len(sample):,} sampled   : {scalar * 1000:8.1f} ms  "
        f"{scalar_per_second:12,.0f} processes/s "
        f"(extrapolated {scalar_extrapolated:.2f} s for {args.processes:,})"
    )
    print(f"  vectorised / scalar     : {scalar_extrapolated / vectorised:8.0f}x faster")
    print(
        f"  recommendation(i) x {len(sample):,}: {materialise * 1000:8.1f} ms "
        "(sentences, built only when a page needs them)"
    )
    ok = per_second >= TARGET_PER_SECOND
    print(f"Target {TARGET_PER_SECOND:,} processes/s: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
