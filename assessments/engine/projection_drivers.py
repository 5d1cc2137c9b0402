"""Inputs of the savings projection: the processes, and the drivers of each trial.

A ``Portfolio`` holds what is fixed across trials (annual cost, start month, wave, dip
duration and each driver's triangle per process, as arrays). ``Draws`` holds the drivers of
one or more trials as arrays of shape (trials, processes): the modes for the deterministic
projection, one value moved for the tornado, random draws for the Monte Carlo run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assessments.engine.assumptions import (
    Triangle,
    assumptions_for,
    location_factor,
    saving_triangle,
)
from assessments.engine.vocabulary import DELIVERY_LOCATIONS, OUTSOURCED_MODELS

# The drivers drawn per trial, in the order the Monte Carlo run draws them. Changing this
# order changes every seeded result, so it is part of the method (see the docs).
DRIVERS = ("saving", "transition_months", "one_time_cost", "governance", "dip")


@dataclass(frozen=True)
class ProjectedProcess:
    """One outsourced process as the projection sees it.

    ``annual_cost``: in-house cost per year (currency of the assessment). ``start_month``:
    t0, the month its transition starts (0 = the first month of the horizon). ``saving``:
    the manager's override of the gross saving triangle, if any.
    """

    name: str
    model: str
    location: str
    annual_cost: float
    start_month: int
    wave: int
    saving: Triangle | None = None

    def __post_init__(self) -> None:
        if self.model not in OUTSOURCED_MODELS:
            raise ValueError(
                f"{self.name}: only ITO, BPO and KPO are projected, not {self.model!r}."
            )
        if self.location not in DELIVERY_LOCATIONS:
            raise ValueError(f"{self.name}: unknown delivery location {self.location!r}.")
        if self.annual_cost < 0:
            raise ValueError(f"{self.name}: annual cost must not be negative.")
        if self.start_month < 0:
            raise ValueError(f"{self.name}: start month must not be negative.")


@dataclass(frozen=True, eq=False)
class Draws:
    """Drivers of ``trials`` trials, each an array of shape (trials, processes).

    ``saving_eff`` already includes the location factor; ``transition_months`` is whole
    months, at least one.
    """

    saving_eff: np.ndarray
    transition_months: np.ndarray
    one_time_cost: np.ndarray
    governance: np.ndarray
    dip: np.ndarray

    @property
    def trials(self) -> int:
        return self.saving_eff.shape[0]


@dataclass(frozen=True, eq=False)
class Portfolio:
    """What stays fixed across trials, one entry per process.

    ``triangles[driver]`` is an array (3, processes) of low, mode and high.
    ``wave_index`` points into ``waves`` (the sorted distinct wave numbers).
    """

    names: tuple[str, ...]
    annual_cost: np.ndarray
    start_month: np.ndarray
    dip_months: np.ndarray
    location_factor: np.ndarray
    waves: tuple[int, ...]
    wave_index: np.ndarray
    triangles: dict[str, np.ndarray]

    @property
    def size(self) -> int:
        return len(self.names)

    def at(self, position: int) -> Draws:
        """Every driver at its low (0), mode (1) or high (2) value: one trial."""
        return self._assemble({d: self.triangles[d][position][None, :] for d in DRIVERS})

    def tornado_draws(self) -> Draws:
        """Two trials per driver, low then high, in the order of DRIVERS; others at mode."""
        mode = self.triangles
        rows = {d: np.repeat(mode[d][1][None, :], 2 * len(DRIVERS), axis=0) for d in DRIVERS}
        for i, driver in enumerate(DRIVERS):
            rows[driver][2 * i] = mode[driver][0]
            rows[driver][2 * i + 1] = mode[driver][2]
        return self._assemble(rows)

    def draw(self, rng: np.random.Generator, trials: int) -> Draws:
        """Random drivers for ``trials`` trials, drawn in the fixed order of DRIVERS."""
        return self._assemble({d: triangular(rng, self.triangles[d], trials) for d in DRIVERS})

    def draw_rows(self, source: np.random.PCG64, trials: int, rows: slice) -> Draws:
        """Rows ``rows`` of what ``draw`` gives for ``trials`` trials from the PCG64
        generator ``source`` (which is left as it is): the same values, bit for bit.

        ``draw`` takes one uniform per value: driver k of trial i and process j is output
        number ``k * trials * processes + i * processes + j`` of the generator (numpy's
        ``Generator.random`` turns each 64-bit output into one double). So each driver's
        rows are read from a copy of the generator moved ahead to them
        (``PCG64.advance``), and a block can be computed a few rows at a time in working
        memory that stays in the processor's cache.
        """
        start, stop, _ = rows.indices(trials)
        processes = self.size
        raw = {}
        for k, driver in enumerate(DRIVERS):
            generator = np.random.PCG64()
            generator.state = source.state
            generator.advance(k * trials * processes + start * processes)
            raw[driver] = triangular(
                np.random.Generator(generator), self.triangles[driver], stop - start
            )
        return self._assemble(raw)

    def _assemble(self, raw: dict[str, np.ndarray]) -> Draws:
        transition = np.maximum(np.rint(raw["transition_months"]), 1.0).astype(np.int64)
        return Draws(
            saving_eff=raw["saving"] * self.location_factor,
            transition_months=transition,
            one_time_cost=raw["one_time_cost"],
            governance=raw["governance"],
            dip=raw["dip"],
        )


def build_portfolio(processes: Sequence[ProjectedProcess]) -> Portfolio:
    waves = tuple(sorted({p.wave for p in processes}))
    triangles: dict[str, list[Triangle]] = {d: [] for d in DRIVERS}
    for p in processes:
        model = assumptions_for(p.model)
        triangles["saving"].append(saving_triangle(p.model, p.saving))
        triangles["transition_months"].append(model.transition_months)
        triangles["one_time_cost"].append(model.one_time_cost)
        triangles["governance"].append(model.governance)
        triangles["dip"].append(model.dip)
    return Portfolio(
        names=tuple(p.name for p in processes),
        annual_cost=np.array([p.annual_cost for p in processes], dtype=float),
        start_month=np.array([p.start_month for p in processes], dtype=np.int64),
        dip_months=np.array(
            [assumptions_for(p.model).dip_months for p in processes], dtype=np.int64
        ),
        location_factor=np.array([location_factor(p.location) for p in processes], dtype=float),
        waves=waves,
        wave_index=np.array([waves.index(p.wave) for p in processes], dtype=np.int64),
        triangles={
            d: np.array([[t.low, t.mode, t.high] for t in ts], dtype=float).reshape(-1, 3).T
            for d, ts in triangles.items()
        },
    )


def triangular(rng: np.random.Generator, triangle: np.ndarray, trials: int) -> np.ndarray:
    """Draws of shape (trials, processes) from per-process triangles (3, processes).

    The inverse CDF on one uniform per value, as numpy's ``Generator.triangular`` does
    (the same values up to rounding), but branch-free, faster, and it accepts a fixed
    value (low == high), which numpy refuses. With L = sqrt(u (mode - low) width) and
    R = sqrt((1 - u) (high - mode) width), the inverse CDF is low + L below the mode's
    quantile and high - R above it; in the first case R >= high - mode, in the second
    L >= mode - low, so low + high - mode + min(L, mode - low) - min(R, high - mode)
    gives the right branch everywhere without a mask.
    """
    low, mode, high = triangle
    width = high - low
    u = rng.random((trials, low.shape[0]))
    left = u * ((mode - low) * width)
    np.sqrt(left, out=left)
    np.minimum(left, mode - low, out=left)
    right = np.subtract(1.0, u, out=u)
    right *= (high - mode) * width
    np.sqrt(right, out=right)
    np.minimum(right, high - mode, out=right)
    left -= right
    left += low + high - mode
    return left
