"""Template filters that format money and shares (each wraps contracts.formatting)."""

from django import template

from contracts import formatting

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    return formatting.money(value, currency)


@register.filter
def money0(value, currency: str = "") -> str:
    return formatting.money(value, currency, places=0)


@register.filter
def percent(value, places: int = 0) -> str:
    """A fraction (0.87) as ``87 %``."""
    return formatting.percent(value, int(places))


@register.filter
def percent_value(value, places: int = 0) -> str:
    """A number already in per cent (12.5) as ``12.5 %``."""
    return formatting.percent(value, int(places), fraction=False)


@register.filter
def measure(value) -> str:
    return formatting.measure(value)
