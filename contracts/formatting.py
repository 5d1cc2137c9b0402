"""How money and shares read on the pages. Pure: no Django."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def half_up(value: Decimal | float | int, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, as every figure is shown (a float
    is read as the decimal it prints as, so 2.675 shows as 2.68)."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value: Decimal | float | int | None, currency: str = "", places: int = 2) -> str:
    """``GBP 12,345.67``; an en dash for an unknown amount; a minus sign for losses."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    rounded = half_up(value, places)
    amount = f"{abs(rounded):,.{places}f}"
    sign = "−" if rounded < 0 else ""
    return f"{currency} {sign}{amount}".strip()


def percent(value: Decimal | float | None, places: int = 0, *, fraction: bool = True) -> str:
    """``87 %`` from 0.87 (or from 87 with ``fraction=False``); an en dash when unknown."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    number = half_up(value, places + 2) * 100 if fraction else half_up(value, places)
    return f"{half_up(number, places):.{places}f} %"


def measure(value: Decimal | float | None) -> str:
    """A measured value without trailing zeros: 99.5000 reads 99.5, 100.0000 reads 100."""
    if value is None:
        return "–"
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "") else text
