"""Money to the cent, exactly, as the credit engine rounds it.

Pure: no Django. Every number arrives as the exact decimal it stands for (a float is
read as its shortest decimal form, ``repr``, so 0.1 is one tenth and 2.675 is 2.675),
and the arithmetic is done on integers: an amount of money is a numerator over a
denominator in cents, and rounding happens once, on the exact value. No float
tolerance decides anything. See docs/methodology-contracts.md for the rules.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any


def exact(value: Any, what: str) -> Fraction:
    """The exact decimal behind a finite number, as a Fraction.

    A float is taken as its shortest decimal form (0.1 -> 1/10, not the binary
    neighbour 0.1000000000000000055...); int, Decimal and Fraction are exact already.
    ValueError names `what` for a bool, a non-number, NaN or an infinity.
    """
    if isinstance(value, bool):  # a numbers.Real, but True as an amount is a mistake
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{what} must be a finite number, got {value!r}")
        return Fraction(float.__repr__(value))
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{what} must be a finite number, got {value!r}")
        return Fraction(value)
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, numbers.Real):  # numpy scalars and the like: as a float
        return exact(float(value), what)
    raise ValueError(f"{what} must be a finite number, got {value!r}")


def half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (zero or more) rounded to the nearest integer, a half
    upwards. Applied to an amount in cents this is half-up rounding to the cent:
    750001.5 cents -> 750002."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("half_up takes an amount of zero or more over a positive denominator")
    return (2 * numerator + denominator) // (2 * denominator)


def cents_half_up(amount: Fraction) -> int:
    """An exact amount of money, half-up to whole cents."""
    scaled = amount * 100
    return half_up(scaled.numerator, scaled.denominator)


def largest_remainder(numerators: Sequence[int], denominator: int, total: int) -> list[int]:
    """Whole cents for the exact amounts ``numerators[i] / denominator`` (in cents, each
    zero or more) that add up to exactly `total`.

    Floor every amount, then give the cents still missing to the largest remainders,
    the earlier position first on a tie. `total` is normally the sum of the amounts
    rounded (half-up, or a cap); it is clamped so that no amount moves by a cent or more.
    """
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    floors = [n // denominator for n in numerators]
    short = max(0, min(len(floors), total - sum(floors)))
    if short:
        order = sorted(range(len(floors)), key=lambda i: (-(numerators[i] % denominator), i))
        for i in order[:short]:
            floors[i] += 1
    return floors


def to_decimal(amount: float) -> Decimal:
    """A money value of a credit result (a float holding a whole number of cents) as the
    exact two-place Decimal it stands for: 5454.55 -> Decimal('5454.55')."""
    return Decimal(round(amount * 100)).scaleb(-2)
