"""Money to the cent, as the credit engine rounds it (see docs/methodology-contracts.md).

Pure: no Django. Amounts are floats in the contract's currency and never negative.
Rounding works on the shortest decimal form of each float (``repr``), so 2.675 rounds
to 2.68 as a person expects. Floats decide wherever they can, and exact Decimals decide
the rest: an amount within a few parts in 1e15 of a half cent (for half-up rounding) or
of a whole cent (for a floor), or two remainders too close to order. The results are
those of all-Decimal arithmetic (tests/contracts/test_credit_rounding.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal


def to_cents(amount: float) -> Decimal:
    # repr() is the shortest string that round-trips, so 2.675 rounds as the 2.675 a
    # person reads, not as its binary neighbour 2.67499999...
    return Decimal(repr(amount)) * 100


def _tolerance(cents: float) -> float:
    """How far ``amount * 100`` (a float) may be from the exact cents of repr(amount).

    repr() is within half an ulp of the float, and the multiplication adds half an ulp
    of the product: a few parts in 1e16 of the value. Within this distance of a tie (or
    of a whole cent, for floors) the fast float paths defer to exact Decimal arithmetic.
    """
    return abs(cents) * 1e-15 + 1e-9


def round_half_up_cents(amount: float) -> int:
    if amount == 0:  # most SLA-periods carry no credit; skip the Decimal work
        return 0
    cents = amount * 100.0
    floor = math.floor(cents)
    fraction = cents - floor
    if abs(fraction - 0.5) > _tolerance(cents):
        return int(floor) + (fraction > 0.5)
    return int(to_cents(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def sum_half_up_cents(amounts: Sequence[float]) -> int:
    """The exact sum of the amounts' cents, rounded half-up (a float path away from ties)."""
    cents = math.fsum(a * 100.0 for a in amounts if a)
    floor = math.floor(cents)
    fraction = cents - floor
    if abs(fraction - 0.5) > _tolerance(cents) * (len(amounts) + 1):
        return int(floor) + (fraction > 0.5)
    return int(sum((to_cents(a) for a in amounts if a), Decimal(0)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP))


def allocate_cents(amounts: Sequence[float], total_cents: int) -> list[int]:
    """Round amounts to whole cents that sum exactly to `total_cents`.

    Largest remainder: floor every amount, then give the missing cents to the largest
    fractional parts (earlier SLAs first on a tie). Rounding each credit on its own could
    make a capped period sum to P plus a cent. Floats decide unless a floor or the order
    of two remainders is too close to call, then exact Decimals do.
    """
    cents: list[int] = []
    remainders: list[float] = []
    slack = 0.0
    for amount in amounts:
        if not amount:
            cents.append(0)
            remainders.append(0.0)
            continue
        value = amount * 100.0
        floor = math.floor(value)
        remainder = value - floor
        tolerance = _tolerance(value)
        if remainder < tolerance or remainder > 1.0 - tolerance:
            return allocate_cents_exact(amounts, total_cents)
        slack = max(slack, tolerance)
        cents.append(int(floor))
        remainders.append(remainder)
    short = max(0, min(len(cents), total_cents - sum(cents)))
    if short == 0:
        return cents
    order = sorted(range(len(cents)), key=lambda i: (-remainders[i], i))
    # Equal floats may hide unequal decimals: a cut that close goes to Decimals.
    if short < len(order) and remainders[order[short - 1]] - remainders[order[short]] <= \
            2 * slack:
        return allocate_cents_exact(amounts, total_cents)
    for i in order[:short]:
        cents[i] += 1
    return cents


def allocate_cents_exact(amounts: Sequence[float], total_cents: int) -> list[int]:
    exact = [to_cents(a) if a else Decimal(0) for a in amounts]
    cents = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    short = max(0, min(len(cents), total_cents - sum(cents)))
    by_remainder = sorted(range(len(cents)), key=lambda i: (-(exact[i] - cents[i]), i))
    for i in by_remainder[:short]:
        cents[i] += 1
    return cents
