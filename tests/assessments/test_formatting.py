"""Money and percentages as the results pages show them."""

from decimal import Decimal

import pytest

from assessments.formatting import money, percent


def test_money_is_whole_units_with_thousands_separators():
    assert money(Decimal("1234567.80")) == "1,234,568"
    assert money(1_000_000) == "1,000,000"
    assert money(-2500.4) == "-2,500"


def test_a_missing_amount_or_share_shows_a_dash():
    assert money(None) == "\u2013"
    assert percent(None) == "\u2013"


def test_a_share_shows_as_a_whole_percentage():
    assert percent(0.257) == "26 %"
    assert percent(1.0) == "100 %"
    assert percent(0) == "0 %"


@pytest.mark.parametrize(("value", "shown"), [
    (12344.5, "12,345"), (Decimal("12344.50"), "12,345"), (-0.4, "0"), (-0.5, "-1"),
    (float("nan"), "–")])
def test_money_rounds_halves_up_like_every_other_page(value, shown):
    assert money(value) == shown


@pytest.mark.parametrize(("share", "shown"), [(0.125, "13 %"), (0.845, "85 %"), (0.0, "0 %")])
def test_percentages_round_halves_up(share, shown):
    assert percent(share) == shown
