"""Vendor scorecard from 0 to 100, as in METHODOLOGY section 8.

Pure: no Django. Four parts, each a value from 0 to 1 with a weight:

- SLA attainment (40 %): share of SLA-periods met. The caller counts the last 12 months.
- Governance review rating (20 %): mean rating, scaled from 1..5 to 0..1.
- Savings realisation (20 %): realised / projected P50, capped at 1 and floored at 0.
- Issue health (20 %): 1 minus (issues open past due, critical ones counting twice)
  divided by the number of issues, floored at 0.

A part without data (no SLA-periods, no reviews, no positive projected saving, no issues)
is left out and the remaining weights are rescaled to sum to 1, so a new vendor is not
marked down (or up) for what nobody has measured yet; the result says so in words.
With no data at all the total is None.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

RULES_VERSION = "2026.1"
WEIGHTS = {
    "sla_attainment": 0.40,
    "review_rating": 0.20,
    "savings_realisation": 0.20,
    "issue_health": 0.20,
}
LABELS = {
    "sla_attainment": "SLA attainment",
    "review_rating": "Governance review rating",
    "savings_realisation": "Savings realisation",
    "issue_health": "Issue health",
}
RATING_MIN, RATING_MAX = 1.0, 5.0
CRITICAL_ISSUE_WEIGHT = 2


@dataclass(frozen=True)
class IssueState:
    """One issue on the relationship's log, as far as the scorecard cares."""

    open_past_due: bool
    critical: bool


@dataclass(frozen=True)
class ScorecardPart:
    """One part of the scorecard.

    `value` is 0..1, or None when the part has no data. `weight` is the methodology's
    weight; `effective_weight` the weight after parts without data were left out (0 for
    those); `points` = value * effective_weight * 100, so the parts' points sum to the
    total. `note` is a plain sentence explaining the value or why it is missing.
    """

    key: str
    label: str
    value: float | None
    weight: float
    effective_weight: float
    points: float
    note: str


@dataclass(frozen=True)
class Scorecard:
    total: float | None
    parts: tuple[ScorecardPart, ...]
    rescaled: bool
    summary: str
    rules_version: str = RULES_VERSION


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def sla_attainment(met: int, measured: int) -> float | None:
    """The share of SLA-periods met, 0..1; None when nothing was measured.

    The one rule for SLA attainment over any span (a quarter, 12 months, one month):
    pages, exports and the scorecard all call it with the counts the credit engine
    stored. Raises ValueError for counts below zero or more met than measured.
    """
    for what, value in (("sla_periods_met", met), ("sla_periods_total", measured)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            raise ValueError(f"{what} must be a whole number, zero or more, got {value!r}")
    if met > measured:
        raise ValueError(f"sla_periods_met ({met}) cannot exceed sla_periods_total ({measured})")
    return met / measured if measured else None


def _sla_part(met: int, total: int) -> tuple[float | None, str]:
    value = sla_attainment(met, total)
    if value is None:
        return None, "No SLA measurements in the last 12 months, so SLA attainment is left out."
    return value, f"{met} of {_plural(total, 'SLA-period')} met in the last 12 months."


def _review_part(ratings: Sequence[float]) -> tuple[float | None, str]:
    for rating in ratings:
        if (
            isinstance(rating, bool)
            or not isinstance(rating, numbers.Real | Decimal)
            or not math.isfinite(rating)
            or not RATING_MIN <= rating <= RATING_MAX
        ):
            raise ValueError(f"review ratings must be numbers from 1 to 5, got {rating!r}")
    if not ratings:
        return None, "No governance reviews rated yet, so the review rating is left out."
    mean = math.fsum(ratings) / len(ratings)
    value = (mean - RATING_MIN) / (RATING_MAX - RATING_MIN)
    return value, f"Mean rating {mean:.2f} of 5 over {_plural(len(ratings), 'review')}."


def _savings_part(realised: float | None, projected_p50: float | None) -> tuple[float | None, str]:
    for what, value in (("realised", realised), ("projected_p50", projected_p50)):
        if value is None:
            continue
        is_real = isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool)
        if not is_real or not math.isfinite(value):
            raise ValueError(f"{what} must be a finite number or None, got {value!r}")
    if realised is None or projected_p50 is None:
        return None, "No savings figures yet, so savings realisation is left out."
    if projected_p50 <= 0:
        # A ratio to a zero or negative plan has no meaning (and would flip sign).
        return None, (
            "The projection expected no saving for this period, so savings realisation is left out."
        )
    ratio = float(realised) / float(projected_p50)
    value = min(1.0, max(0.0, ratio))
    return value, f"Realised {ratio * 100:.0f} % of the projected median saving (capped at 100 %)."


def _issue_part(issues: Sequence[IssueState]) -> tuple[float | None, str]:
    if not issues:
        # 0 / 0: nothing is overdue, but nothing was tracked either; scoring it 1 would
        # lift a vendor with no history to a full mark on this part.
        return None, "No issues recorded, so issue health is left out."
    overdue = [i for i in issues if i.open_past_due]
    weighted = sum(CRITICAL_ISSUE_WEIGHT if i.critical else 1 for i in overdue)
    value = max(0.0, 1.0 - weighted / len(issues))
    critical = sum(1 for i in overdue if i.critical)
    extra = f" ({critical} critical, counted twice)" if critical else ""
    return value, f"{len(overdue)} of {_plural(len(issues), 'issue')} open past due{extra}."


def vendor_scorecard(
    *,
    sla_periods_met: int,
    sla_periods_total: int,
    review_ratings: Sequence[float],
    realised: float | None,
    projected_p50: float | None,
    issues: Sequence[IssueState],
) -> Scorecard:
    """Score a vendor from 0 to 100 with each part shown beside the total.

    `realised` and `projected_p50` are cumulative savings over the same span (None when
    not known yet). Raises ValueError for counts below zero, more periods met than
    measured, or a rating outside 1..5.
    """
    found = {
        "sla_attainment": _sla_part(sla_periods_met, sla_periods_total),
        "review_rating": _review_part(review_ratings),
        "savings_realisation": _savings_part(realised, projected_p50),
        "issue_health": _issue_part(issues),
    }
    present = math.fsum(WEIGHTS[k] for k, (value, _) in found.items() if value is not None)
    parts = []
    for key, (value, note) in found.items():
        effective = WEIGHTS[key] / present if value is not None else 0.0
        points = 100 * value * effective if value is not None else 0.0
        parts.append(ScorecardPart(key, LABELS[key], value, WEIGHTS[key], effective, points, note))
    missing = [p.label.lower() for p in parts if p.value is None]
    if len(missing) == len(parts):
        return Scorecard(
            total=None,
            parts=tuple(parts),
            rescaled=False,
            summary="No data yet for any part, so there is no score.",
        )
    # Clamp: the weights sum to 1 only up to float rounding, and the UI shows 0..100.
    total = min(100.0, max(0.0, math.fsum(p.points for p in parts)))
    if not missing:
        summary = "All four parts have data; weights as in the methodology."
    else:
        summary = (
            f"No data for {' and '.join(missing)}: left out, and the other weights "
            "rescaled in proportion so they sum to 100 %."
        )
    return Scorecard(total=total, parts=tuple(parts), rescaled=bool(missing), summary=summary)
