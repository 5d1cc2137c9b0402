"""A plain-Python version of the monthly cash model, one month at a time.

Slow on purpose: it reads line by line like METHODOLOGY section 5, so the vectorised
paths are tested against it on small cases and the benchmark reports how much faster
they are.
"""

from __future__ import annotations

from assessments.engine.projection_drivers import Draws, Portfolio


def net_by_process_loop(
    portfolio: Portfolio,
    draws: Draws,
    *,
    horizon: int,
    inflation_in: float,
    inflation_vendor: float,
) -> list[list[list[float]]]:
    """Net saving indexed [trial][process][month]."""
    result = []
    for trial in range(draws.trials):
        per_process = []
        for p in range(portfolio.size):
            annual = float(portfolio.annual_cost[p])
            start = int(portfolio.start_month[p])
            transition = int(draws.transition_months[trial, p])
            saving_eff = float(draws.saving_eff[trial, p])
            tau = float(draws.one_time_cost[trial, p])
            gamma = float(draws.governance[trial, p])
            d0 = float(draws.dip[trial, p])
            dip_months = int(portfolio.dip_months[p])
            months = []
            for t in range(horizon):
                if t < start:
                    net = 0.0
                elif t < start + transition:
                    net = -tau * annual / transition
                else:
                    k = t - start - transition
                    avoided = annual / 12 * (1 + inflation_in) ** (t / 12)
                    fee = (1 - saving_eff) * annual / 12 * (1 + inflation_vendor) ** (k / 12)
                    governance = gamma * fee
                    dip = d0 * avoided * max(0.0, 1 - k / dip_months)
                    net = avoided - fee - governance - dip
                months.append(net)
            per_process.append(months)
        result.append(per_process)
    return result


def npv_loop(net: list[float], discount_rate: float) -> float:
    return sum(value / (1 + discount_rate) ** ((t + 1) / 12) for t, value in enumerate(net))
