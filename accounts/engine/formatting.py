"""Numbers as every page, chart, board pack and command shows them. Pure: no Django.

The template filters in ``accounts/templatetags/formatting.py`` wrap these. The rules, the
same everywhere:

- halves round up, on the decimal a float prints as (2.675 shows as 2.68, 12344.5 as
  12,345), never Python's round-half-even;
- thousands are grouped with commas;
- a loss reads with a minus sign (U+2212, "−1,500"), and nothing rounds to "−0";
- an unknown amount (None, NaN, infinity) reads as an en dash ("–").

Python's own formatting is used on purpose: ``floatformat|intcomma`` costs tens of
microseconds a cell, which a 500-row table feels.
"""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_UP, Decimal

DASH = "\u2013"  # en dash: the figure is not known
MINUS = "\u2212"  # minus sign: a loss

Number = Decimal | float | int


def _missing(value: object) -> bool:
    """None, or a number that is not finite (a NaN or an infinity, as float, numpy or
    Decimal)."""
    return value is None or (
        isinstance(value, numbers.Number)
        and not isinstance(value, numbers.Integral)
        and not math.isfinite(value)  # type: ignore[arg-type]
    )


def half_up(value: Number, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, as every figure is shown (a float
    is read as the decimal it prints as, so 2.675 gives 2.68)."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, numbers.Integral):
        number = Decimal(int(value))
    else:  # a float, numpy's included ("np.float64(2.675)" is its repr, 2.675 its value's)
        number = Decimal(repr(float(value)))
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value: Number | None, places: int = 0) -> str:
    """``1234567.8`` -> "1,234,568" (or "1,234,567.80" with ``places=2``); a minus sign
    for a negative number; an en dash when unknown."""
    if value is None or _missing(value):
        return DASH
    rounded = half_up(value, places)
    sign = MINUS if rounded < 0 else ""  # -0.00 is not below zero: never "−0"
    return f"{sign}{abs(rounded):,.{places}f}"


def money(value: Number | None, currency: str = "", places: int = 2) -> str:
    """``GBP 12,345.67``; without a currency just ``12,345.67``; ``GBP −1,500.00`` for a
    loss; an en dash (without the currency) when the amount is unknown."""
    if _missing(value):
        return DASH
    return f"{currency} {number(value, places)}".strip()


def money0(value: Number | None, currency: str = "") -> str:
    """Whole currency units: ``GBP 1,234,568`` from 1234567.8; as ``money`` otherwise."""
    return money(value, currency, places=0)


def percent_text(rate: Number) -> str:
    """A rate (0.08) as the per cent typed in a form field: "8", "7.25", never "1E+1"."""
    return format((Decimal(str(rate)) * 100).quantize(Decimal("0.01")).normalize(), "f")


def percent(value: Number | None, places: int = 0, *, fraction: bool = True) -> str:
    """``87 %`` from the fraction 0.87 (or from 87 with ``fraction=False``), to ``places``
    decimals; an en dash when unknown."""
    if value is None or _missing(value):
        return DASH
    shown = half_up(value, places + 2) * 100 if fraction else half_up(value, places)
    return f"{half_up(shown, places):.{places}f} %"


def measure(value: Decimal | float | None) -> str:
    """A measured value without trailing zeros: 99.5000 reads 99.5, 100.0000 reads 100."""
    if value is None:
        return DASH
    figure = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = f"{figure.normalize():f}"
    return "0" if text in ("-0", "") else text


def count_of(count: int, word: str, plural: str = "") -> str:
    """ "1 measurement", "2,950 measurements": a count (its thousands grouped, as every
    number is shown) with its noun in the right number (``plural`` for an irregular one:
    ``count_of(2, "person", "people")``)."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"
