"""Monte Carlo savings projection, in blocks that can run anywhere (METHODOLOGY section 5).

Trials come in fixed blocks of ``BLOCK_TRIALS``. Block b draws from its own generator,
``PCG64(SeedSequence([seed, b]))``, in the fixed order of ``DRIVERS``, so a block's trials
are the same whichever chunk, process or machine computes them. A chunk (a ``TrialSet``)
is any set of whole blocks; ``summarise`` combines chunks, read once and one at a time,
counting a block delivered twice once, and refuses to summarise when a block is missing.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assessments.engine.assumptions import (
    DEFAULT_SET,
    INFLATION_IN,
    INFLATION_VENDOR,
    RULES_VERSION,
    active_assumptions,
)
from assessments.engine.projection_drivers import ProjectedProcess, build_portfolio
from assessments.engine.projection_kernels import discount_factors, net_by_wave

BLOCK_TRIALS = 500
PERCENTILES = (10.0, 50.0, 90.0)
# The NPV distribution kept with a summary: its percentiles 0, 1, ..., 100 (scenarios
# overlay them).
NPV_QUANTILES = tuple(float(q) for q in range(101))
# A block's drivers and scatter indices are worked out a tile of trials at a time, each
# array about this many values (1 MB): small enough to stay in the processor's cache, which
# made a block some 15 % faster alone and kept two processes from slowing each other down
# (a whole block of 2,000 processes, 8 MB per array, ran 19 % slower beside another).
TILE_VALUES = 131_072
# Combining holds the paths of a band of months for every trial: at most this many bytes
# (200,000 trials x 240 months is 384 MB in all: four bands, three of them in a file).
BAND_BYTES = 100_000_000


def tile_rows(processes: int) -> int:
    """How many trials of a block are drawn and scattered at once: about TILE_VALUES
    values per driver, at least one trial. The result is the same for any tile size."""
    return max(1, TILE_VALUES // max(processes, 1))


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
    """Identifies the run a chunk belongs to, so chunks of different runs never mix (a
    scenario's assumption set, when one is active, is part of the run)."""
    active = active_assumptions()
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
            *(() if active is DEFAULT_SET else (active,)),
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
        """An .npz, for a binary database column; read with ``from_bytes``.

        Not compressed: the paths are random floats, which zlib shrank by 6 % for 25 ms
        of a 0.25 s chunk, and the combining step paid again to inflate them. Chunks
        stored compressed by an earlier release read the same way."""
        meta = {
            "fingerprint": self.fingerprint,
            "seed": self.seed,
            "total_trials": self.total_trials,
            "horizon": self.horizon,
            "waves": list(self.waves),
            "blocks": list(self.blocks),
        }
        buffer = io.BytesIO()
        np.savez(
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
    tile of a block at a time (``tile_rows``); the result holds (trials in these blocks)
    x (horizon + waves + 2)."""
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
    trial_index = np.concatenate([np.arange(r.start, r.stop) for r in ranges] or [np.arange(0)])
    n = trial_index.size
    npv = np.empty(n)
    cumulative = np.empty((n, horizon))
    wave_npv = np.empty((n, len(portfolio.waves)))

    step = tile_rows(portfolio.size)
    row = 0
    for block, trials in zip(chosen, ranges, strict=True):
        source = np.random.PCG64(np.random.SeedSequence([seed, block]))
        net = np.empty((len(trials), len(portfolio.waves), horizon))
        for start in range(0, len(trials), step):
            tile = slice(start, min(start + step, len(trials)))
            net[tile] = net_by_wave(
                portfolio,
                portfolio.draw_rows(source, len(trials), tile),
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
    npv_quantiles: tuple[float, ...] = ()

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
            "npv_quantiles": list(self.npv_quantiles),
        }


def summarise(trial_sets: Iterable[TrialSet], *, band_bytes: int = BAND_BYTES) -> MonteCarloSummary:
    """Combine the chunks of one run, read once and one at a time.

    A block present in several chunks counts once (and must be identical in each);
    ValueError when chunks of different runs are mixed or a block is missing.

    Month percentiles need every trial's value for that month. The first months, as many
    as ``band_bytes`` holds for every trial, stay in memory; the later months go to a
    temporary file as the chunks pass, and come back a band at a time. So memory is one
    band plus one chunk whatever the number of trials (the largest run: 384 MB of paths,
    100 MB held), and each chunk is read and decoded once. The result is the same, bit for
    bit, whatever the band size and the order of the chunks: each month's percentiles come
    from the same values.
    """
    with _Paths() as paths:
        first = None
        npv: np.ndarray = np.empty(0)
        wave_npv: np.ndarray = np.empty((0, 0))
        seen: set[int] = set()
        for ts in trial_sets:
            if first is None:
                first = ts
                npv, wave_npv = (
                    np.empty(ts.total_trials),
                    np.empty((ts.total_trials, len(ts.waves))),
                )
                paths.open(ts.total_trials, ts.horizon, band_bytes)
            elif ts.fingerprint != first.fingerprint:
                raise ValueError("These chunks belong to different projection runs.")
            _take(ts, seen, paths, npv, wave_npv)
        if first is None:
            raise ValueError("No chunks to summarise.")
        missing = sorted(set(range(block_count(first.total_trials))) - seen)
        if missing:
            raise ValueError(f"Blocks missing from the run: {missing}.")
        month_pct = paths.percentiles()

    npv_pct = np.percentile(npv, PERCENTILES)
    # One column per wave; no column, no wave figures.
    wave_pct = (
        np.percentile(wave_npv, PERCENTILES, axis=0)
        if wave_npv.shape[-1]
        else np.empty((len(PERCENTILES), 0))
    )
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
        npv_quantiles=tuple(float(v) for v in np.percentile(npv, NPV_QUANTILES)),
    )


def _take(
    ts: TrialSet, seen: set[int], paths: _Paths, npv: np.ndarray, wave_npv: np.ndarray
) -> None:
    """Put a chunk's blocks in the run's rows (a trial's row is its index); a block seen
    before must hold the same values."""
    row = 0
    for block in ts.blocks:
        trials = block_trials(ts.total_trials, block)
        rows, at = slice(row, row + len(trials)), slice(trials.start, trials.stop)
        row += len(trials)
        cumulative = ts.cumulative[rows]
        if block in seen:
            if not (
                np.array_equal(npv[at], ts.npv[rows])
                and np.array_equal(wave_npv[at], ts.wave_npv[rows])
                and paths.holds(at, cumulative)
            ):
                raise ValueError(f"Block {block} was delivered twice with different results.")
            continue
        seen.add(block)
        npv[at], wave_npv[at] = ts.npv[rows], ts.wave_npv[rows]
        paths.put(at, cumulative)


class _Paths:
    """Every trial's cumulative path, month by month: the first months in memory, the
    rest in a temporary file (month-major, like the memory), read back a band at a time."""

    def __init__(self) -> None:
        self.file: io.BufferedRandom | None = None
        self.kept = np.empty((0, 0))
        self.trials = self.horizon = self.width = 0

    def __enter__(self) -> _Paths:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()

    def open(self, trials: int, horizon: int, band_bytes: int) -> None:
        self.trials, self.horizon = trials, horizon
        self.width = max(1, min(horizon, band_bytes // (8 * trials)))
        self.kept = np.empty((self.width, trials))
        if self.width < horizon:
            # Closed by __exit__; removed by the system as soon as it is closed.
            self.file = tempfile.TemporaryFile(prefix="sourcewise-paths-")  # noqa: SIM115
            self.file.truncate(8 * trials * (horizon - self.width))

    def _offset(self, month: int, trial: int) -> int:
        return 8 * ((month - self.width) * self.trials + trial)

    def put(self, at: slice, cumulative: np.ndarray) -> None:
        self.kept[:, at] = cumulative[:, : self.width].T
        if self.file is None:
            return
        fd = self.file.fileno()
        for month in range(self.width, self.horizon):
            os.pwrite(
                fd,
                np.ascontiguousarray(cumulative[:, month]).tobytes(),
                self._offset(month, at.start),
            )

    def holds(self, at: slice, cumulative: np.ndarray) -> bool:
        if not np.array_equal(self.kept[:, at], cumulative[:, : self.width].T):
            return False
        count = at.stop - at.start
        fd = self.file.fileno() if self.file is not None else -1
        return all(
            np.array_equal(
                np.frombuffer(
                    os.pread(fd, 8 * count, self._offset(month, at.start)), dtype=np.float64
                ),
                cumulative[:, month],
            )
            for month in range(self.width, self.horizon)
        )

    def percentiles(self) -> np.ndarray:
        """Percentiles month by month; the bands are ours, so they are ordered in place."""
        result = np.empty((len(PERCENTILES), self.horizon))
        result[:, : self.width] = np.percentile(
            self.kept, PERCENTILES, axis=1, overwrite_input=True
        )
        self.kept = np.empty((0, 0))
        for start in range(self.width, self.horizon, self.width):
            stop = min(start + self.width, self.horizon)
            band = np.empty((stop - start, self.trials))
            assert self.file is not None  # months past the kept width are in the file
            self.file.seek(self._offset(start, 0))
            if self.file.readinto(memoryview(band.data).cast("B")) != band.nbytes:
                raise ValueError("The temporary file of trial paths was cut short.")
            result[:, start:stop] = np.percentile(band, PERCENTILES, axis=1, overwrite_input=True)
            del band
        return result


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
    chunks = (
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
    )
    return summarise(chunks)  # computed and combined one chunk at a time
