"""Monte Carlo savings projection, in blocks that can run anywhere (METHODOLOGY section 5).

Trials come in fixed blocks of ``BLOCK_TRIALS``. Block b draws from its own generator,
``PCG64(SeedSequence([seed, b]))``, in the fixed order of ``DRIVERS``, so a block's trials
are the same whichever chunk, process or machine computes them. A chunk (a ``TrialSet``)
is any set of whole blocks; ``summarise`` combines chunks, counting a block delivered twice
once, and refuses to summarise when a block is missing.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assessments.engine.assumptions import INFLATION_IN, INFLATION_VENDOR, RULES_VERSION
from assessments.engine.projection_drivers import ProjectedProcess, build_portfolio
from assessments.engine.projection_kernels import discount_factors, net_by_wave

BLOCK_TRIALS = 500
PERCENTILES = (10.0, 50.0, 90.0)


def block_count(total_trials: int) -> int:
    if total_trials < 1:
        raise ValueError("A Monte Carlo run needs at least one trial.")
    return -(-total_trials // BLOCK_TRIALS)


def block_trials(total_trials: int, block: int) -> range:
    """The trial indices of a block; the last block of a run may be short."""
    return range(block * BLOCK_TRIALS, min((block + 1) * BLOCK_TRIALS, total_trials))


def plan_chunks(total_trials: int, n_chunks: int) -> list[list[int]]:
    """Split the blocks into at most ``n_chunks`` runs of consecutive blocks, sizes
    differing by at most one block (fewer chunks when there are fewer blocks)."""
    if n_chunks < 1:
        raise ValueError("Plan at least one chunk.")
    blocks = block_count(total_trials)
    n_chunks = min(n_chunks, blocks)
    edges = [blocks * i // n_chunks for i in range(n_chunks + 1)]
    return [list(range(edges[i], edges[i + 1])) for i in range(n_chunks)]


def run_fingerprint(
    processes: Sequence[ProjectedProcess],
    *,
    seed: int,
    total_trials: int,
    horizon: int,
    discount_rate: float,
    inflation_in: float,
    inflation_vendor: float,
) -> str:
    """Identifies the run a chunk belongs to, so chunks of different runs never mix."""
    text = repr(
        (
            RULES_VERSION,
            BLOCK_TRIALS,
            tuple(processes),
            seed,
            total_trials,
            horizon,
            discount_rate,
            inflation_in,
            inflation_vendor,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True, eq=False)
class TrialSet:
    """The results of whole blocks of one run.

    ``trial_index`` (trials,), ``npv`` (trials,), ``cumulative`` (trials, horizon) cumulative
    net per month, ``wave_npv`` (trials, waves) in the order of ``waves``. Rows are in
    trial order; ``blocks`` is sorted.
    """

    fingerprint: str
    seed: int
    total_trials: int
    horizon: int
    waves: tuple[int, ...]
    blocks: tuple[int, ...]
    trial_index: np.ndarray
    npv: np.ndarray
    cumulative: np.ndarray
    wave_npv: np.ndarray

    def to_bytes(self) -> bytes:
        """A compressed .npz, for a binary database column; read with ``from_bytes``."""
        meta = {
            "fingerprint": self.fingerprint,
            "seed": self.seed,
            "total_trials": self.total_trials,
            "horizon": self.horizon,
            "waves": list(self.waves),
            "blocks": list(self.blocks),
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.array(json.dumps(meta)),
            trial_index=self.trial_index,
            npv=self.npv,
            cumulative=self.cumulative,
            wave_npv=self.wave_npv,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TrialSet:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            meta = json.loads(str(stored["meta"]))
            return cls(
                fingerprint=meta["fingerprint"],
                seed=meta["seed"],
                total_trials=meta["total_trials"],
                horizon=meta["horizon"],
                waves=tuple(meta["waves"]),
                blocks=tuple(meta["blocks"]),
                trial_index=stored["trial_index"],
                npv=stored["npv"],
                cumulative=stored["cumulative"],
                wave_npv=stored["wave_npv"],
            )


def simulate_blocks(
    processes: Sequence[ProjectedProcess],
    *,
    seed: int,
    total_trials: int,
    blocks: Sequence[int],
    horizon: int,
    discount_rate: float,
    inflation_in: float = INFLATION_IN,
    inflation_vendor: float = INFLATION_VENDOR,
) -> TrialSet:
    """Run the given blocks of a run of ``total_trials`` trials. Working memory is one
    block at a time; the result holds (trials in these blocks) x (horizon + waves + 2)."""
    if seed < 0:
        raise ValueError("The seed must be a non-negative integer.")
    if horizon < 1:
        raise ValueError("The horizon must be at least one month.")
    n_blocks = block_count(total_trials)
    chosen = sorted(set(blocks))
    if chosen and not 0 <= chosen[0] <= chosen[-1] < n_blocks:
        raise ValueError(f"Blocks must lie between 0 and {n_blocks - 1}.")

    portfolio = build_portfolio(processes)
    discount = discount_factors(discount_rate, horizon)
    ranges = [block_trials(total_trials, b) for b in chosen]
    trial_index = np.concatenate([np.arange(r.start, r.stop) for r in ranges] or [np.zeros(0)])
    n = trial_index.size
    npv = np.empty(n)
    cumulative = np.empty((n, horizon))
    wave_npv = np.empty((n, len(portfolio.waves)))

    row = 0
    for block, trials in zip(chosen, ranges, strict=True):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, block])))
        net = net_by_wave(
            portfolio,
            portfolio.draw(rng, len(trials)),
            horizon=horizon,
            inflation_in=inflation_in,
            inflation_vendor=inflation_vendor,
        )
        rows = slice(row, row + len(trials))
        wave_npv[rows] = net @ discount
        portfolio_net = net.sum(axis=1)
        npv[rows] = portfolio_net @ discount
        np.cumsum(portfolio_net, axis=1, out=cumulative[rows])
        row += len(trials)

    return TrialSet(
        fingerprint=run_fingerprint(
            processes,
            seed=seed,
            total_trials=total_trials,
            horizon=horizon,
            discount_rate=discount_rate,
            inflation_in=inflation_in,
            inflation_vendor=inflation_vendor,
        ),
        seed=seed,
        total_trials=total_trials,
        horizon=horizon,
        waves=portfolio.waves,
        blocks=tuple(chosen),
        trial_index=trial_index.astype(np.int64),
        npv=npv,
        cumulative=cumulative,
        wave_npv=wave_npv,
    )


@dataclass(frozen=True)
class WaveRisk:
    wave: int
    npv_p10: float
    npv_p50: float
    npv_p90: float
    prob_npv_negative: float


@dataclass(frozen=True, eq=False)
class MonteCarloSummary:
    """Percentiles are numpy's default (linear interpolation between order statistics).

    ``npv_mean`` is the expected NPV: the mean over every trial, summed with
    ``math.fsum`` (correctly rounded, so it does not depend on the order of the trials or
    on numpy's summation kernel).

    ``cumulative_p10`` and friends have shape (horizon,): percentiles month by month, so a
    line joins different trials and is not itself one trial's path.
    """

    trials: int
    seed: int
    horizon: int
    cumulative_p10: np.ndarray
    cumulative_p50: np.ndarray
    cumulative_p90: np.ndarray
    npv_p10: float
    npv_p50: float
    npv_p90: float
    npv_mean: float
    prob_npv_negative: float
    waves: tuple[WaveRisk, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "trials": self.trials,
            "seed": self.seed,
            "horizon": self.horizon,
            "cumulative_p10": self.cumulative_p10.tolist(),
            "cumulative_p50": self.cumulative_p50.tolist(),
            "cumulative_p90": self.cumulative_p90.tolist(),
            "npv_p10": self.npv_p10,
            "npv_p50": self.npv_p50,
            "npv_p90": self.npv_p90,
            "npv_mean": self.npv_mean,
            "prob_npv_negative": self.prob_npv_negative,
            "waves": [vars(w) for w in self.waves],
        }


def summarise(trial_sets: Iterable[TrialSet]) -> MonteCarloSummary:
    """Combine the chunks of one run. A block present in several chunks counts once (and
    must be identical in each); ValueError when chunks of different runs are mixed or a
    block is missing."""
    trial_sets = list(trial_sets)
    if not trial_sets:
        raise ValueError("No chunks to summarise.")
    first = trial_sets[0]
    if any(ts.fingerprint != first.fingerprint for ts in trial_sets):
        raise ValueError("These chunks belong to different projection runs.")

    parts: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for ts in trial_sets:
        row = 0
        for block in ts.blocks:
            size = len(block_trials(ts.total_trials, block))
            rows = slice(row, row + size)
            part = (ts.npv[rows], ts.cumulative[rows], ts.wave_npv[rows])
            row += size
            if block in parts:
                if not all(np.array_equal(a, b) for a, b in zip(parts[block], part, strict=True)):
                    raise ValueError(f"Block {block} was delivered twice with different results.")
                continue
            parts[block] = part

    missing = sorted(set(range(block_count(first.total_trials))) - parts.keys())
    if missing:
        raise ValueError(f"Blocks missing from the run: {missing}.")
    ordered = [parts[b] for b in sorted(parts)]
    npv = np.concatenate([p[0] for p in ordered])
    cumulative = np.concatenate([p[1] for p in ordered])
    wave_npv = np.concatenate([p[2] for p in ordered])

    month_pct = np.percentile(cumulative, PERCENTILES, axis=0)
    npv_pct = np.percentile(npv, PERCENTILES)
    wave_pct = np.percentile(wave_npv, PERCENTILES, axis=0) if wave_npv.shape[1] else None
    return MonteCarloSummary(
        trials=int(npv.size),
        seed=first.seed,
        horizon=first.horizon,
        cumulative_p10=month_pct[0],
        cumulative_p50=month_pct[1],
        cumulative_p90=month_pct[2],
        npv_p10=float(npv_pct[0]),
        npv_p50=float(npv_pct[1]),
        npv_p90=float(npv_pct[2]),
        npv_mean=math.fsum(npv.tolist()) / npv.size,
        prob_npv_negative=float(np.mean(npv < 0)),
        waves=tuple(
            WaveRisk(
                wave=wave,
                npv_p10=float(wave_pct[0, i]),
                npv_p50=float(wave_pct[1, i]),
                npv_p90=float(wave_pct[2, i]),
                prob_npv_negative=float(np.mean(wave_npv[:, i] < 0)),
            )
            for i, wave in enumerate(first.waves)
        ),
    )


def monte_carlo(
    processes: Sequence[ProjectedProcess],
    *,
    trials: int,
    seed: int,
    horizon: int,
    discount_rate: float,
    chunk_blocks: int | None = None,
    inflation_in: float = INFLATION_IN,
    inflation_vendor: float = INFLATION_VENDOR,
) -> MonteCarloSummary:
    """Run and summarise in one process. ``chunk_blocks`` blocks per chunk (None: one
    chunk); the result does not depend on it."""
    n_blocks = block_count(trials)
    per_chunk = n_blocks if chunk_blocks is None else chunk_blocks
    if per_chunk < 1:
        raise ValueError("A chunk needs at least one block.")
    chunks = [
        simulate_blocks(
            processes,
            seed=seed,
            total_trials=trials,
            blocks=range(first, min(first + per_chunk, n_blocks)),
            horizon=horizon,
            discount_rate=discount_rate,
            inflation_in=inflation_in,
            inflation_vendor=inflation_vendor,
        )
        for first in range(0, n_blocks, per_chunk)
    ]
    return summarise(chunks)
