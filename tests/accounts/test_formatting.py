"""Numbers as every page shows them: one module, ``accounts.engine.formatting``, and the
template filters that wrap it (``{% load formatting %}``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from accounts.engine.formatting import (
    DASH,
    MINUS,
    count_of,
    half_up,
    measure,
    money,
    money0,
    number,
    percent,
)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (2.675, 2, Decimal("2.68")),  # the decimal a float prints as, not its binary value
        (0.125, 2, Decimal("0.13")),
        (12344.5, 0, Decimal("12345")),
        (-12344.5, 0, Decimal("-12345")),  # halves away from zero
        (Decimal("1.005"), 2, Decimal("1.01")),
        (7, 0, Decimal("7")),
    ],
)
def test_halves_round_up(value, places, expected):
    assert half_up(value, places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), "GBP 1,234.50"),
        (2.675, "GBP 2.68"),
        (-1500.0, "GBP −1,500.00"),
        (-0.004, "GBP 0.00"),
        (None, DASH),
        (float("nan"), DASH),
        (float("inf"), DASH),
    ],
)
def test_money_to_the_cent_reads_as_people_write_it(value, expected):
    assert money(value, "GBP") == expected


def test_money_without_a_currency_is_the_amount_alone():
    assert money(Decimal("1234567.891")) == "1,234,567.89"
    assert money(None) == DASH


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234567.80"), "1,234,568"),
        (1_000_000, "1,000,000"),
        (12344.5, "12,345"),
        (Decimal("12344.50"), "12,345"),
        (-2500.4, "−2,500"),
        (-0.5, "−1"),
        (-0.4, "0"),
        (0, "0"),
        (None, DASH),
        (float("nan"), DASH),
    ],
)
def test_whole_money_rounds_halves_up_and_never_shows_minus_zero(value, expected):
    assert money0(value) == expected
    assert money(value, places=0) == expected


def test_whole_money_with_a_currency():
    assert money0(1234.5, "EUR") == "EUR 1,235"
    assert money0(-1234.5, "EUR") == f"EUR {MINUS}1,235"
    assert money0(None, "EUR") == DASH  # an unknown amount has no currency to show


@pytest.mark.parametrize(
    ("share", "places", "expected"),
    [
        (0.257, 0, "26 %"),
        (1.0, 0, "100 %"),
        (0, 0, "0 %"),
        (0.0, 0, "0 %"),
        (0.125, 0, "13 %"),
        (0.845, 0, "85 %"),
        (0.875, 0, "88 %"),
        (0.0005, 1, "0.1 %"),
        (0.0423, 1, "4.2 %"),
        (Decimal("0.08"), 1, "8.0 %"),
        (None, 0, DASH),
        (float("nan"), 1, DASH),
    ],
)
def test_a_fraction_reads_as_a_percentage(share, places, expected):
    assert percent(share, places) == expected


def test_a_number_already_in_per_cent():
    assert percent(87.5, fraction=False) == "88 %"
    assert percent(Decimal("12.25"), 1, fraction=False) == "12.3 %"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (1234567, 0, "1,234,567"),
        (2.5, 0, "3"),
        (1234.5678, 2, "1,234.57"),
        (-3.5, 0, "−4"),
        (None, 0, DASH),
    ],
)
def test_numbers_have_thousands_separators(value, places, expected):
    assert number(value, places) == expected


def test_measures_read_without_noise():
    assert measure(Decimal("100.0000")) == "100"
    assert measure(Decimal("99.5000")) == "99.5"
    assert measure(0.0) == "0"
    assert measure(None) == DASH


def render(source: str, **context) -> str:
    return Template("{% load formatting %}" + source).render(Context(context))


def test_the_template_filters_wrap_the_module():
    assert render("{{ v|money:c }}", v=Decimal("1234.5"), c="GBP") == "GBP 1,234.50"
    assert render("{{ v|money }}", v=Decimal("-1234.5")) == "−1,234.50"
    assert render("{{ v|money0:c }}", v=12344.5, c="GBP") == "GBP 12,345"
    assert render("{{ v|money0 }}", v=None) == DASH
    assert render("{{ v|percent }} {{ v|percent:1 }}", v=0.8745) == "87 % 87.5 %"
    assert render("{{ v|percent_value:'1' }}", v=12.25) == "12.3 %"
    assert render("{{ v|number }}", v=250000) == "250,000"
    assert render("{{ v|measure }}", v=Decimal("99.5000")) == "99.5"


def test_numpy_floats_from_frames_read_as_the_floats_they_are():
    """Figures read out of pandas frames are numpy floats; they format like floats."""
    import numpy as np

    assert percent(np.float64(0.875), 1) == percent(0.875, 1) == "87.5 %"
    assert money(np.float64(2.675), "GBP") == "GBP 2.68"
    assert number(np.float32(1234.5)) == number(float(np.float32(1234.5)))


@pytest.mark.parametrize(
    ("count", "word", "plural", "expected"),
    [
        (0, "row", "", "0 rows"),
        (1, "row", "", "1 row"),
        (2, "row", "", "2 rows"),
        (1, "process", "processes", "1 process"),
        (7, "process", "processes", "7 processes"),
        (1, "SLA breach", "SLA breaches", "1 SLA breach"),
        (2, "SLA breach", "SLA breaches", "2 SLA breaches"),
        (3000, "row", "", "3,000 rows"),
        (9950, "more problem", "", "9,950 more problems"),
        (1_234_567, "process", "processes", "1,234,567 processes"),
    ],
)
def test_a_count_reads_with_its_noun_in_the_right_number(count, word, plural, expected):
    assert count_of(count, word, plural) == expected
