"""Benefits realisation, as in METHODOLOGY section 8.

Pure: no Django. Amounts are plain floats in the contract's currency, unrounded; the
caller rounds for display and stores Decimals.
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal

from assessments.engine.vocabulary import ITO, OUTSOURCED_MODELS

DEFAULT_INFL_IN = 0.035
BELOW_PLAN = "below plan"
ON_PLAN = "on plan"
ABOVE_PLAN = "above plan"


def _finite(value: float | Decimal, what: str) -> float:
    # Decimal comes straight from model fields; bool would be a mistake.
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def escalated_baseline(
    baseline_annual_cost: float | Decimal,
    months_since_baseline: float,
    infl_in: float = DEFAULT_INFL_IN,
) -> float:
    """The in-house cost one month would have had, escalated as in METHODOLOGY section 5.

    `A / 12 * (1 + infl_in) ** (t / 12)` with t = `months_since_baseline` (0 for the
    baseline month itself; fractions allowed). `infl_in` is a yearly rate as a fraction.
    """
    annual = _finite(baseline_annual_cost, "baseline_annual_cost")
    months = _finite(months_since_baseline, "months_since_baseline")
    rate = _finite(infl_in, "infl_in")
    if annual < 0:
        raise ValueError(f"baseline_annual_cost must be zero or more, got {annual:g}")
    if months < 0:
        raise ValueError(
            f"months_since_baseline must be zero or more (the baseline comes first), got {months:g}"
        )
    if rate <= -1:
        raise ValueError(f"infl_in must be above -1 (a yearly rate as a fraction), got {rate:g}")
    return annual / 12 * (1 + rate) ** (months / 12)


def realised_saving(
    baseline_annual_cost: float | Decimal,
    months_since_baseline: float,
    actual_vendor_cost: float | Decimal,
    actual_governance_cost: float | Decimal,
    infl_in: float = DEFAULT_INFL_IN,
) -> float:
    """Saving realised in one month: escalated in-house baseline minus what was paid.

    The vendor and governance costs are the actual amounts for that one month (the
    governance cost is the retained organisation's cost of managing the contract).
    Negative when the month cost more than the in-house baseline would have.
    """
    vendor = _finite(actual_vendor_cost, "actual_vendor_cost")
    governance = _finite(actual_governance_cost, "actual_governance_cost")
    if vendor < 0 or governance < 0:
        raise ValueError(
            "actual_vendor_cost and actual_governance_cost must be zero or more, "
            f"got {vendor:g} and {governance:g}"
        )
    return escalated_baseline(baseline_annual_cost, months_since_baseline, infl_in) - (
        vendor + governance
    )


def variance_vs_plan(
    realised: float, projected_p10: float, projected_p50: float
) -> tuple[float, str]:
    """Realised minus projected P50, and where that puts the contract against plan.

    "below plan" when realised is strictly below P10 (METHODOLOGY 8). The methodology
    names no upper band and P90 is not passed in, so "above plan" mirrors the lower band
    about the median: realised strictly above P50 + (P50 - P10). Anything between is
    "on plan". Compare like with like: the same processes and the same period (or the
    same cumulative span) for all three numbers.
    """
    actual = _finite(realised, "realised")
    p10 = _finite(projected_p10, "projected_p10")
    p50 = _finite(projected_p50, "projected_p50")
    if p10 > p50:
        raise ValueError(
            f"projected_p10 ({p10:g}) must not be above projected_p50 ({p50:g}); "
            "were the two swapped?"
        )
    variance = actual - p50
    if actual < p10:
        return variance, BELOW_PLAN
    if actual > p50 + (p50 - p10):
        return variance, ABOVE_PLAN
    return variance, ON_PLAN


def no_financial_difference(
    model: str, months_since_start: int, ramp_months: int, cumulative_realised: float
) -> bool:
    """True for an ITO contract past its ramp whose cumulative realised saving is <= 0.

    The guide: "unless financial savings are uncovered ... an ITO provider has not made
    a difference". Past the ramp means at least one whole month after it:
    `months_since_start > ramp_months` (at exactly `ramp_months` no post-ramp month has
    been measured yet). BPO and KPO aim at efficiency and insight, so never flagged.
    """
    if not isinstance(model, str) or model.upper() not in OUTSOURCED_MODELS:
        raise ValueError(f"model must be one of {', '.join(OUTSOURCED_MODELS)}, got {model!r}")
    for what, value in (("months_since_start", months_since_start), ("ramp_months", ramp_months)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            raise ValueError(
                f"{what} must be a whole number of months, zero or more, got {value!r}"
            )
    cumulative = _finite(cumulative_realised, "cumulative_realised")
    return model.upper() == ITO and months_since_start > ramp_months and cumulative <= 0
