"""Numbers as the results pages show them. Pure: no Django (the template filters wrap these).

Python's own formatting is used on purpose: ``floatformat|intcomma`` costs tens of
microseconds a cell, which a 500-row table feels. Halves round up, as on every other page.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

DASH = "\u2013"


def money(value: Decimal | float | int | None) -> str:
    """Whole currency units with thousands separators: 1234567.8 -> "1,234,568"; None -> "–"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return DASH
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    rounded = number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{rounded if rounded else abs(rounded):,.0f}"  # never "-0"


def percent(share: float | None) -> str:
    """A 0-to-1 share as a whole percentage: 0.257 -> "26 %"; None -> "–"."""
    if share is None or (isinstance(share, float) and not math.isfinite(share)):
        return DASH
    number = Decimal(repr(share)) if isinstance(share, float) else Decimal(share)
    return f"{(number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP):.0f} %"
