"""Numbers as the results pages show them. Pure: no Django (the template filters wrap these).

Python's own formatting is used on purpose: ``floatformat|intcomma`` costs tens of
microseconds a cell, which a 500-row table feels.
"""

from __future__ import annotations

from decimal import Decimal

DASH = "\u2013"


def money(value: Decimal | float | int | None) -> str:
    """Whole currency units with thousands separators: 1234567.8 -> "1,234,568"; None -> "–"."""
    if value is None:
        return DASH
    return f"{value:,.0f}"


def percent(share: float | None) -> str:
    """A 0-to-1 share as a whole percentage: 0.257 -> "26 %"; None -> "–"."""
    if share is None:
        return DASH
    return f"{share * 100:.0f} %"
