"""Small pieces the vendor forms share."""

from __future__ import annotations

from django import forms

from accounts.fields import DecimalShape

MONEY: DecimalShape = {"max_digits": 14, "decimal_places": 2}


def date_input() -> forms.DateInput:
    # A browser's date picker reads and writes ISO dates whatever the locale.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def blank(choices) -> list[tuple[str, str]]:
    return [("", "\u2014"), *choices]
