"""Savings projection: the deterministic run and the tornado (METHODOLOGY section 5).

Pure: no Django. The Monte Carlo run is in ``projection_mc``; the cash model itself in
``projection_kernels``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assessments.engine.assumptions import INFLATION_IN, INFLATION_VENDOR
from assessments.engine.projection_drivers import DRIVERS, ProjectedProcess, build_portfolio
from assessments.engine.projection_kernels import (
    discount_factors,
    net_by_wave,
    process_components,
)
from assessments.engine.ties import tie_ranks

__all__ = [
    "DeterministicProjection",
    "MonthlyComponents",
    "ProjectedProcess",
    "TornadoBar",
    "YearFigures",
    "deterministic_projection",
    "payback_month",
    "tornado",
]

DRIVER_LABELS = {
    "saving": "Gross saving",
    "transition_months": "Transition months",
    "one_time_cost": "One-time transition cost",
    "governance": "Governance cost",
    "dip": "Productivity dip",
}


def payback_month(cumulative: np.ndarray) -> int | None:
    """The first month of the final run of months with cumulative net >= 0.

    None when the cumulative net ends the horizon negative (never recovers), and None
    when it is never negative at all: there was no outlay to pay back.
    """
    negative = np.flatnonzero(np.asarray(cumulative) < 0)
    if negative.size == 0:
        return None
    last_negative = int(negative[-1])
    if last_negative == len(cumulative) - 1:
        return None
    return last_negative + 1


@dataclass(frozen=True, eq=False)
class MonthlyComponents:
    """Portfolio totals per month, each of shape (horizon,); all positive amounts."""

    in_house_avoided: np.ndarray
    vendor_fee: np.ndarray
    governance: np.ndarray
    dip: np.ndarray
    one_time: np.ndarray


@dataclass(frozen=True)
class YearFigures:
    """One contract year (months 12 (year - 1) to 12 year - 1); the last may be partial."""

    year: int
    in_house_avoided: float
    vendor_fee: float
    governance: float
    dip: float
    one_time: float
    net: float


@dataclass(frozen=True, eq=False)
class DeterministicProjection:
    """The projection at the modes.

    Arrays: ``process_net`` (processes, horizon); ``net`` and ``cumulative`` (horizon,);
    ``wave_net`` and ``wave_cumulative`` (waves, horizon), rows in the order of ``waves``.
    Payback months are month indices (0 = first month) or None, see ``payback_month``.
    """

    horizon: int
    discount_rate: float
    process_names: tuple[str, ...]
    waves: tuple[int, ...]
    process_net: np.ndarray
    net: np.ndarray
    cumulative: np.ndarray
    wave_net: np.ndarray
    wave_cumulative: np.ndarray
    npv: float
    payback_month: int | None
    wave_npv: dict[int, float]
    wave_payback_month: dict[int, int | None]
    components: MonthlyComponents

    def yearly(self) -> list[YearFigures]:
        years = []
        for year, first in enumerate(range(0, self.horizon, 12), start=1):
            window = slice(first, first + 12)
            c = self.components
            years.append(
                YearFigures(
                    year=year,
                    in_house_avoided=float(c.in_house_avoided[window].sum()),
                    vendor_fee=float(c.vendor_fee[window].sum()),
                    governance=float(c.governance[window].sum()),
                    dip=float(c.dip[window].sum()),
                    one_time=float(c.one_time[window].sum()),
                    net=float(self.net[window].sum()),
                )
            )
        return years

    def to_dict(self) -> dict[str, Any]:
        """Plain floats, ints and lists, ready for JSON (wave keys become strings)."""
        return {
            "horizon": self.horizon,
            "discount_rate": self.discount_rate,
            "npv": self.npv,
            "payback_month": self.payback_month,
            "net": self.net.tolist(),
            "cumulative": self.cumulative.tolist(),
            "waves": [
                {
                    "wave": wave,
                    "npv": self.wave_npv[wave],
                    "payback_month": self.wave_payback_month[wave],
                    "net": self.wave_net[i].tolist(),
                }
                for i, wave in enumerate(self.waves)
            ],
            "processes": [
                {"name": name, "net": self.process_net[i].tolist()}
                for i, name in enumerate(self.process_names)
            ],
            "yearly": [vars(y) for y in self.yearly()],
        }


def _check_horizon(horizon: int, discount_rate: float) -> None:
    if horizon < 1:
        raise ValueError("The horizon must be at least one month.")
    if discount_rate <= -1:
        raise ValueError("The discount rate must be above -100 %.")


def deterministic_projection(
    processes: Sequence[ProjectedProcess],
    *,
    horizon: int,
    discount_rate: float,
    inflation_in: float = INFLATION_IN,
    inflation_vendor: float = INFLATION_VENDOR,
) -> DeterministicProjection:
    """Every driver at its mode; ``discount_rate`` is annual (0.08 for 8 %)."""
    _check_horizon(horizon, discount_rate)
    portfolio = build_portfolio(processes)
    parts = process_components(
        portfolio,
        portfolio.at(1),
        horizon=horizon,
        inflation_in=inflation_in,
        inflation_vendor=inflation_vendor,
    )
    process_net = parts.net[0]
    net = process_net.sum(axis=0)
    cumulative = np.cumsum(net)
    discount = discount_factors(discount_rate, horizon)

    wave_net = np.zeros((len(portfolio.waves), horizon))
    np.add.at(wave_net, portfolio.wave_index, process_net)
    wave_cumulative = np.cumsum(wave_net, axis=1)
    wave_npv_values = wave_net @ discount

    return DeterministicProjection(
        horizon=horizon,
        discount_rate=discount_rate,
        process_names=portfolio.names,
        waves=portfolio.waves,
        process_net=process_net,
        net=net,
        cumulative=cumulative,
        wave_net=wave_net,
        wave_cumulative=wave_cumulative,
        npv=float(net @ discount),
        payback_month=payback_month(cumulative),
        wave_npv={w: float(v) for w, v in zip(portfolio.waves, wave_npv_values, strict=True)},
        wave_payback_month={
            w: payback_month(wave_cumulative[i]) for i, w in enumerate(portfolio.waves)
        },
        components=MonthlyComponents(
            in_house_avoided=parts.in_house_avoided[0].sum(axis=0),
            vendor_fee=parts.vendor_fee[0].sum(axis=0),
            governance=parts.governance[0].sum(axis=0),
            dip=parts.dip[0].sum(axis=0),
            one_time=parts.one_time[0].sum(axis=0),
        ),
    )


@dataclass(frozen=True)
class TornadoBar:
    """NPV with one driver at its low and at its high value for every process."""

    driver: str
    label: str
    npv_at_low: float
    npv_at_high: float
    swing: float


def tornado(
    processes: Sequence[ProjectedProcess],
    *,
    horizon: int,
    discount_rate: float,
    inflation_in: float = INFLATION_IN,
    inflation_vendor: float = INFLATION_VENDOR,
) -> list[TornadoBar]:
    """One bar per driver, largest swing first (swings tied under the engines' tie rule,
    ``engine/ties.py``, keep the order of DRIVERS)."""
    _check_horizon(horizon, discount_rate)
    portfolio = build_portfolio(processes)
    # Ten variants (low and high of five drivers) run as ten trials of the fast path.
    net = net_by_wave(
        portfolio,
        portfolio.tornado_draws(),
        horizon=horizon,
        inflation_in=inflation_in,
        inflation_vendor=inflation_vendor,
    ).sum(axis=1)
    npv = net @ discount_factors(discount_rate, horizon)
    bars = [
        TornadoBar(
            driver=driver,
            label=DRIVER_LABELS[driver],
            npv_at_low=float(npv[2 * i]),
            npv_at_high=float(npv[2 * i + 1]),
            swing=float(abs(npv[2 * i + 1] - npv[2 * i])),
        )
        for i, driver in enumerate(DRIVERS)
    ]
    # Swings equal in exact arithmetic may differ in the last bits (summation order, BLAS
    # kernel): the one tie rule decides, then the order of DRIVERS.
    ranks = tie_ranks([bar.swing for bar in bars])
    return [bar for _, _, bar in sorted(zip(ranks, range(len(bars)), bars, strict=True))]
