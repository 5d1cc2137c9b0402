"""Money in the credit engine is exact: P, every credit and every total are worked out
from the decimal inputs and rounded half-up to the cent on the exact value.

Every case starts from decimal strings (or the Decimals a model field holds), never from
a float product, and the expected figures are worked by hand or by Decimal arithmetic,
which the engine does not use.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from contracts.engine.credits import at_risk_amount, compute_credits, monthly_fee_from_annual
from contracts.models import CreditComputation, ServiceCredit
from tests.contracts.builders import add_sla, make_contract, measure, month

CENT = Decimal("0.01")

# Monthly fee x at-risk share whose exact product ends in half a cent. The first ten
# came out a cent low when P was a float product (50,000.10 x 0.15 = 7,500.014999...
# in binary); all twenty must round up.
HALF_CENT_CASES = [
    ("50000.10", "0.15", "7500.02"),
    ("1489945.70", "0.15", "223491.86"),
    ("1929662.20", "0.075", "144724.67"),
    ("8526199.70", "0.15", "1278929.96"),
    ("6698418.10", "0.15", "1004762.72"),
    ("9366004.50", "0.35", "3278101.58"),
    ("2146162.30", "0.35", "751156.81"),
    ("1089245.40", "0.075", "81693.41"),
    ("414328.20", "0.075", "31074.62"),
    ("6940933.50", "0.15", "1041140.03"),
    ("4120503.50", "0.05", "206025.18"),
    ("3958619.88", "0.125", "494827.49"),
    ("6680276.50", "0.13", "868435.95"),
    ("4525362.50", "0.15", "678804.38"),
    ("738478.02", "0.25", "184619.51"),
    ("500343.70", "0.25", "125085.93"),
    ("5863654.28", "0.125", "732956.79"),
    ("4105275.00", "0.075", "307895.63"),
    ("8093557.56", "0.125", "1011694.70"),
    ("100.10", "0.05", "5.01"),
]


def uptime(allocation: str = "1", *, earn_back: bool = False, minimum: float | None = None) -> dict:
    return {
        "name": "uptime",
        "target": 99.0,
        "direction": "higher",
        "minimum": minimum,
        "allocation": Decimal(allocation),
        "earn_back": earn_back,
    }


def test_the_cases_are_exact_half_cent_ties():
    for fee, pct, expected in HALF_CENT_CASES:
        product = Decimal(fee) * Decimal(pct)
        assert product * 1000 % 10 == 5, (fee, pct)
        assert Decimal(expected) == product.quantize(CENT, rounding=ROUND_HALF_UP)
        assert Decimal(expected) - product == Decimal("0.005")  # rounded up, not down


@pytest.mark.parametrize(("fee", "pct", "expected"), HALF_CENT_CASES)
def test_the_at_risk_amount_rounds_an_exact_half_cent_up(fee, pct, expected):
    assert at_risk_amount(Decimal(fee), Decimal(pct)) == Decimal(expected)
    result = compute_credits([uptime()], [{"uptime": 90.0}], Decimal(fee), Decimal(pct))[0]
    assert Decimal(repr(result["at_risk_amount"])) == Decimal(expected)
    # The whole pool is this SLA's credit, so the credit is P to the cent as well.
    assert Decimal(repr(result["credits"]["uptime"])) == Decimal(expected)
    assert Decimal(repr(result["total"])) == Decimal(expected)


@pytest.mark.parametrize(("fee", "pct", "expected"), HALF_CENT_CASES)
def test_a_float_input_is_read_as_the_decimal_it_prints_as(fee, pct, expected):
    result = compute_credits([uptime()], [{}], float(fee), float(pct))[0]
    assert Decimal(repr(result["at_risk_amount"])) == Decimal(expected)


def test_fifty_thousand_and_ten_pence_at_fifteen_percent_puts_7500_02_at_risk():
    assert at_risk_amount(Decimal("50000.10"), Decimal("0.15")) == Decimal("7500.02")
    assert compute_credits([uptime()], [{}], 50_000.10, 0.15)[0]["at_risk_amount"] == 7_500.02


def test_a_credit_of_exactly_half_a_cent_more_rounds_up():
    # P = 1,000.01; half of it is 500.005.
    result = compute_credits([uptime("0.5")], [{"uptime": 90.0}], Decimal("1000.01"), 1)[0]
    assert result["raw_credits"] == {"uptime": 500.01}
    assert result["credits"] == {"uptime": 500.01}
    assert result["total"] == result["raw_total"] == 500.01


def test_below_the_cap_the_total_is_the_exact_sum_rounded_once():
    # P = 1,000.00 and three credits of 1.004 each: 3.012 in all, so the month owes 3.01.
    # Rounding each credit first would bill 3.00; the missing cent goes to the first SLA
    # (equal remainders), and each credit before the cap still reads 1.00 on its own.
    slas = [{**uptime("0.001004"), "name": name} for name in "abc"]
    result = compute_credits(slas, [{"a": 0, "b": 0, "c": 0}], Decimal("1000.00"), 1)[0]
    assert result["cap_applied"] is False
    assert result["credits"] == {"a": 1.01, "b": 1.00, "c": 1.00}
    assert result["total"] == result["raw_total"] == 3.01
    assert result["raw_credits"] == {"a": 1.00, "b": 1.00, "c": 1.00}


def test_a_capped_month_shares_the_pool_to_the_cent_with_ties_to_the_first_sla():
    # P = 0.05 shared equally by two SLAs: 2.5 cents each, so one gets 3 and one 2,
    # the earlier SLA winning the tie.
    slas = [{**uptime("1"), "name": "a"}, {**uptime("1"), "name": "b"}]
    result = compute_credits(slas, [{"a": 0, "b": 0}], Decimal("0.50"), Decimal("0.1"))[0]
    assert result["cap_applied"] is True
    assert result["credits"] == {"a": 0.03, "b": 0.02}
    assert result["total"] == result["at_risk_amount"] == 0.05


def test_shares_that_add_up_to_exactly_the_pool_do_not_bind_the_cap():
    # 0.1 + 0.2 + 0.7 is exactly 1 as decimals (not as binary floats).
    slas = [{**uptime(w), "name": n} for n, w in (("a", "0.1"), ("b", "0.2"), ("c", "0.7"))]
    result = compute_credits(slas, [{"a": 0, "b": 0, "c": 0}], Decimal("1000.10"), 1)[0]
    assert result["cap_applied"] is False
    assert result["credits"] == {"a": 100.01, "b": 200.02, "c": 700.07}
    assert result["total"] == 1_000.10


def test_earned_back_and_net_are_whole_cents_of_the_credits():
    slas = [uptime("0.5", earn_back=True), {**uptime("0.5"), "name": "csat", "earn_back": False}]
    met = {"uptime": 99.5, "csat": 99.5}
    periods = [{"uptime": 90.0, "csat": 90.0}, met, met, met]
    first = compute_credits(slas, periods, Decimal("1000.01"), 1)[0]
    assert first["credits"] == {"uptime": 500.01, "csat": 500.0}  # 500.005 each: 1,000.01
    assert first["earned_back"] == {"uptime": 500.01}
    assert first["earned_back_total"] == 500.01 and first["net_total"] == 500.0


def test_the_monthly_fee_is_a_twelfth_of_the_annual_value_half_up_to_the_cent():
    assert monthly_fee_from_annual(Decimal("600001.20")) == Decimal("50000.10")
    assert monthly_fee_from_annual(Decimal("0.30")) == Decimal("0.03")  # 0.025 rounds up
    assert monthly_fee_from_annual(Decimal("100000")) == Decimal("8333.33")


@pytest.mark.django_db
def test_the_service_stores_the_exact_pool_and_credit_as_decimals(cast):
    contract = make_contract(
        cast.manager, annual_value=Decimal("600001.20"), at_risk_pct=Decimal("15")
    )
    add_sla(contract, "Availability", allocation="100")
    measure(contract, month(0), {"Availability": "98.5"})
    credit = ServiceCredit.objects.get(contract=contract)
    assert credit.period == dt.date(2025, 1, 1)
    assert credit.total == Decimal("7500.02") and credit.net_total == Decimal("7500.02")
    assert credit.result["at_risk_amount"] == 7_500.02


@pytest.mark.django_db
def test_the_service_passes_shares_as_the_exact_decimals_stored(cast):
    # 12.3 % as float(12.3) / 100 would be 0.12300000000000001.
    contract = make_contract(
        cast.manager, annual_value=Decimal("1200000"), at_risk_pct=Decimal("12.3")
    )
    add_sla(contract, "Availability", allocation="12.30")
    measure(contract, month(0), {"Availability": "99.6"})
    inputs = CreditComputation.objects.get(contract=contract).inputs
    assert repr(inputs["at_risk_pct"]) == "0.123"
    assert repr(inputs["slas"][0]["allocation"]) == "0.123"
    assert repr(inputs["monthly_fee"]) == "100000.0"


@pytest.mark.parametrize(
    ("annual", "pct", "fee", "pool"),
    [
        ("600003.60", "15", "50000.30", "7500.05"),  # 7,500.045: half-up, not half-even
        ("1000.14", "12", "83.35", "10.00"),  # 83.345 a month
        ("1200000", "12", "100000.00", "12000.00"),
    ],
)
def test_the_terms_panel_shows_the_fee_and_pool_the_credits_are_billed_on(
    cast, annual, pct, fee, pool
):
    contract = make_contract(cast.manager, annual_value=Decimal(annual), at_risk_pct=Decimal(pct))
    contract.refresh_from_db()
    assert contract.monthly_fee == Decimal(fee) == monthly_fee_from_annual(Decimal(annual))
    assert (
        contract.at_risk_amount
        == Decimal(pool)
        == at_risk_amount(contract.monthly_fee, Decimal(pct) / 100)
    )
