"""Template filters for numbers: ``{% load formatting %}``. Each wraps
``accounts.engine.formatting``, so a page reads a figure as a chart, a board pack or an
export does.

- ``{{ amount|money:currency }}``: to the cent, "GBP 12,345.67" (no currency: "12,345.67");
- ``{{ amount|money0:currency }}``: whole units, "GBP 12,346" (no currency: "12,346");
- ``{{ fraction|percent }}``, ``{{ fraction|percent:1 }}``: 0.875 -> "88 %", "87.5 %";
- ``{{ per_cent|percent_value:1 }}``: a number already in per cent, 12.5 -> "12.5 %";
- ``{{ count|number }}``, ``{{ value|number:2 }}``: 1234567 -> "1,234,567";
- ``{{ measured|measure }}``: 99.5000 -> "99.5".

Halves round up; a loss reads "−1,500"; an unknown figure reads "–".
"""

from django import template

from accounts.engine import formatting

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    return formatting.money(value, currency)


@register.filter
def money0(value, currency: str = "") -> str:
    return formatting.money0(value, currency)


@register.filter
def percent(value, places: int = 0) -> str:
    """A fraction (0.87) as ``87 %``."""
    return formatting.percent(value, int(places))


@register.filter
def percent_value(value, places: int = 0) -> str:
    """A number already in per cent (12.5) as ``12.5 %``."""
    return formatting.percent(value, int(places), fraction=False)


@register.filter
def number(value, places: int = 0) -> str:
    """A count or a figure without a unit, with thousands separators."""
    return formatting.number(value, int(places))


@register.filter
def measure(value) -> str:
    return formatting.measure(value)
