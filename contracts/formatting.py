"""How money and shares read on the pages. Pure: no Django."""

from __future__ import annotations

import math
from decimal import Decimal


def money(value: Decimal | float | int | None, currency: str = "", places: int = 2) -> str:
    """``GBP 12,345.67``; an en dash for an unknown amount; a minus sign for losses."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    amount = f"{abs(value):,.{places}f}"
    sign = "−" if value < 0 and float(amount.replace(",", "")) != 0 else ""
    return f"{currency} {sign}{amount}".strip()


def percent(value: Decimal | float | None, places: int = 0, *, fraction: bool = True) -> str:
    """``87 %`` from 0.87 (or from 87 with ``fraction=False``); an en dash when unknown."""
    if value is None:
        return "–"
    number = float(value) * (100 if fraction else 1)
    return f"{number:.{places}f} %"


def measure(value: Decimal | float | None) -> str:
    """A measured value without trailing zeros: 99.5000 reads 99.5, 100.0000 reads 100."""
    if value is None:
        return "–"
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "") else text
