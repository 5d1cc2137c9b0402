"""The monthly cash model of METHODOLOGY section 5, computed two ways.

``process_components`` evaluates every term on a (trials, processes, months) grid: easy to
read against the formulas, used for the deterministic projection (one trial) and as the
reference the fast path is tested against.

``net_by_wave`` is the fast path for many trials. Every term is a per-process amount that
switches on or off at a month (t0, go-live g = t0 + T, end of the dip g + R) times a curve
of t shared by all processes:

- one-time cost: -tau A / T on [t0, g), curve 1;
- in-house cost avoided: A/12 from g, curve Gin(t) = (1 + infl_in) ** (t / 12);
- vendor fee and governance: -(1 + gamma)(1 - s_eff) A/12 (1 + infl_v) ** (-g / 12) from g,
  curve Gv(t) = (1 + infl_v) ** (t / 12);
- dip: d0 A/12 Gin(t) (1 - (t - g) / R) on [g, g + R), which is
  Gin(t) * (b0 - b1 t) with b0 = d0 A/12 (1 + g / R) and b1 = d0 A / (12 R).

So the amounts are scattered into (trial, wave, month) bins with ``np.bincount``, summed
cumulatively over months (an amount placed at its switch-on month and subtracted at its
switch-off month is then "on" in between) and multiplied by the curves: work of order
trials x processes + trials x waves x months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assessments.engine.projection_drivers import Draws, Portfolio


@dataclass(frozen=True, eq=False)
class Components:
    """Monthly amounts, each of shape (trials, processes, months). All are positive costs
    or savings; ``net = in_house_avoided - vendor_fee - governance - dip - one_time``."""

    in_house_avoided: np.ndarray
    vendor_fee: np.ndarray
    governance: np.ndarray
    dip: np.ndarray
    one_time: np.ndarray

    @property
    def net(self) -> np.ndarray:
        return self.in_house_avoided - self.vendor_fee - self.governance - self.dip - self.one_time


def growth(rate: float, months: np.ndarray) -> np.ndarray:
    """(1 + rate) ** (months / 12): annual escalation applied monthly."""
    return (1.0 + rate) ** (months / 12.0)


def process_components(
    portfolio: Portfolio,
    draws: Draws,
    *,
    horizon: int,
    inflation_in: float,
    inflation_vendor: float,
) -> Components:
    """Every term of every process in every month, straight from the formulas."""
    t = np.arange(horizon, dtype=float)
    cost = portfolio.annual_cost
    monthly = cost / 12.0
    transition = draws.transition_months
    go_live = (portfolio.start_month + transition)[..., None]
    months_live = t - go_live
    live = months_live >= 0
    in_transition = (t >= portfolio.start_month[:, None]) & ~live

    avoided = np.where(live, monthly[:, None] * growth(inflation_in, t), 0.0)
    fee = np.where(
        live,
        ((1.0 - draws.saving_eff) * monthly)[..., None]
        * growth(inflation_vendor, np.maximum(months_live, 0.0)),
        0.0,
    )
    fade = np.clip(1.0 - months_live / portfolio.dip_months[:, None], 0.0, None)
    return Components(
        in_house_avoided=avoided,
        vendor_fee=fee,
        governance=draws.governance[..., None] * fee,
        dip=draws.dip[..., None] * avoided * fade,
        one_time=np.where(in_transition, (draws.one_time_cost * cost / transition)[..., None], 0.0),
    )


def net_by_wave(
    portfolio: Portfolio,
    draws: Draws,
    *,
    horizon: int,
    inflation_in: float,
    inflation_vendor: float,
) -> np.ndarray:
    """Net saving per trial, wave and month: shape (trials, waves, horizon)."""
    trials = draws.trials
    n_waves = len(portfolio.waves)
    bins = horizon + 1  # the last bin collects switches beyond the horizon, then is dropped
    cost = portfolio.annual_cost
    monthly = cost / 12.0

    transition = draws.transition_months
    go_live = portfolio.start_month + transition
    go_live_bin = np.minimum(go_live, horizon)
    dip_end_bin = np.minimum(go_live + portfolio.dip_months, horizon)
    start_bin = np.minimum(portfolio.start_month, horizon)

    row = (np.arange(trials)[:, None] * n_waves + portfolio.wave_index) * bins
    at_start = (row + start_bin).ravel()
    at_go_live = (row + go_live_bin).ravel()
    at_dip_end = (row + dip_end_bin).ravel()

    one_time = draws.one_time_cost * cost / transition
    slope = draws.dip * (monthly / portfolio.dip_months)
    level = draws.dip * monthly + slope * go_live
    # The vendor curve is shared from month 0, so each fee is scaled back by its go-live
    # month; go-live months past the horizon fall in the dropped bin, so clipping is safe.
    vendor_back = growth(inflation_vendor, -np.arange(bins, dtype=float))
    fee = (1.0 + draws.governance) * (1.0 - draws.saving_eff) * monthly * vendor_back[go_live_bin]

    size = trials * n_waves * bins

    def scatter(index: np.ndarray, amount: np.ndarray) -> np.ndarray:
        return np.bincount(index, amount.ravel(), minlength=size)

    flat = scatter(at_go_live, one_time)
    flat -= scatter(at_start, one_time)
    inhouse = scatter(at_go_live, monthly - level)
    inhouse += scatter(at_dip_end, level)
    inhouse_t = scatter(at_go_live, slope)
    inhouse_t -= scatter(at_dip_end, slope)
    vendor = scatter(at_go_live, fee)

    shape = (trials, n_waves, bins)
    t = np.arange(horizon, dtype=float)
    g_in = growth(inflation_in, t)
    net = np.cumsum(flat.reshape(shape), axis=2)[..., :horizon]
    net += np.cumsum(inhouse.reshape(shape), axis=2)[..., :horizon] * g_in
    net += np.cumsum(inhouse_t.reshape(shape), axis=2)[..., :horizon] * (t * g_in)
    net -= np.cumsum(vendor.reshape(shape), axis=2)[..., :horizon] * growth(inflation_vendor, t)
    return net


def discount_factors(discount_rate: float, horizon: int) -> np.ndarray:
    """1 / (1 + r) ** ((t + 1) / 12): each month's net is counted at the month's end."""
    return (1.0 + discount_rate) ** (-(np.arange(horizon, dtype=float) + 1.0) / 12.0)
