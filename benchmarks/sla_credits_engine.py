"""Benchmark of the pure credit engine: 200 contracts x 10 SLAs x 36 months.

Times `contracts.engine.credits.compute_credits` alone, on data made up in memory (no database;
the database round trip belongs in benchmarks/sla_credits.py). Run from the project root:

    .venv/bin/python benchmarks/sla_credits_engine.py [--contracts 200 --slas 10 --months 36]

`run()` returns the figures as a dict so another benchmark can reuse it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

# Run as a plain script, the project root is not on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contracts.engine.credits import compute_credits  # noqa: E402

Contract = tuple[list[dict[str, Any]], list[dict[str, Any]], float, float]


def make_contracts(contracts: int, slas: int, months: int, seed: int = 2026) -> list[Contract]:
    """Seeded, plausible portfolios: most months met, some breaches, a few critical.

    Allocations add up to 250 % (the middle of the usual 200 to 300 %) so the cap binds
    in bad months, and 1 % of measurements are missing, as in real data.
    """
    rng = np.random.default_rng(seed)
    portfolio: list[Contract] = []
    for _ in range(contracts):
        allocations = rng.dirichlet(np.ones(slas)) * 2.5
        definitions = []
        for i in range(slas):
            higher = bool(rng.random() < 0.5)
            target = float(rng.uniform(90, 99.9)) if higher else float(rng.uniform(1, 8))
            minimum = target - 2 if higher else target * 2
            definitions.append(
                {
                    "name": f"sla-{i}",
                    "target": target,
                    "direction": "higher" if higher else "lower",
                    "minimum": minimum,
                    "allocation": float(allocations[i]),
                    "earn_back": bool(rng.random() < 0.5),
                }
            )
        # Outcome per SLA-month: 0 met, 1 breach, 2 critical, 3 not measured.
        outcomes = rng.choice(4, size=(months, slas), p=[0.85, 0.10, 0.04, 0.01])
        periods = []
        for month in range(months):
            period: dict[str, Any] = {}
            for i, sla in enumerate(definitions):
                outcome = outcomes[month, i]
                if outcome == 3:
                    continue
                target, minimum = sla["target"], sla["minimum"]
                # On target is met; halfway to the minimum is a breach; past it, critical.
                step = {0: 0.0, 1: 0.5, 2: 1.5}[int(outcome)]
                period[sla["name"]] = target + step * (minimum - target)
            periods.append(period)
        fee = float(rng.uniform(50_000, 2_000_000))
        portfolio.append((definitions, periods, round(fee, 2), float(rng.uniform(0.05, 0.15))))
    return portfolio


def run(
    contracts: int = 200, slas: int = 10, months: int = 36, repeat: int = 5, seed: int = 2026
) -> dict[str, float]:
    """Time compute_credits over the whole portfolio `repeat` times; seconds per run."""
    portfolio = make_contracts(contracts, slas, months, seed)
    compute_credits(*portfolio[0])  # warm-up: imports, Decimal context
    timings = []
    credited = 0
    for _ in range(repeat):
        started = time.perf_counter()
        results = [compute_credits(*contract) for contract in portfolio]
        timings.append(time.perf_counter() - started)
        credited = sum(1 for result in results for period in result if period["total"] > 0)
    best, median = min(timings), statistics.median(timings)
    sla_periods = contracts * slas * months
    return {
        "contracts": contracts,
        "slas": slas,
        "months": months,
        "sla_periods": sla_periods,
        "periods_with_credit": credited,
        "best_s": best,
        "median_s": median,
        "per_contract_ms": best / contracts * 1_000,
        "per_sla_period_us": best / sla_periods * 1_000_000,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=200)
    parser.add_argument("--slas", type=int, default=10)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    figures = run(args.contracts, args.slas, args.months, args.repeat)
    print(
        f"compute_credits: {figures['contracts']} contracts x {figures['slas']} SLAs x "
        f"{figures['months']} months = {figures['sla_periods']:,} SLA-periods "
        f"({figures['periods_with_credit']:,} contract-months with a credit)"
    )
    print(
        f"best {figures['best_s']:.3f} s, median {figures['median_s']:.3f} s over "
        f"{args.repeat} runs; {figures['per_contract_ms']:.2f} ms per contract, "
        f"{figures['per_sla_period_us']:.2f} us per SLA-period"
    )


if __name__ == "__main__":
    main()
