"""A stored computation explains itself: the stored form unpacks to exactly what the
engine returned, and recomputing from the stored inputs gives the stored results."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from contracts.engine.credit_records import engine_call, pack_actuals, pack_result, unpack_result
from contracts.engine.credits import compute_credits
from contracts.models import CreditComputation, ServiceCredit
from tests.contracts.builders import add_worked_slas, make_contract, measure, month

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from sla_credits_engine import make_contracts  # noqa: E402


def test_the_stored_form_unpacks_to_the_engines_own_result():
    for slas, periods, fee, pct in make_contracts(20, 10, 36, seed=11):
        names = [sla["name"] for sla in slas]
        for result in compute_credits(slas, periods, fee, pct):
            assert unpack_result(pack_result(result), names) == result


def test_stored_inputs_give_back_the_exact_call():
    slas, periods, fee, pct = make_contracts(1, 4, 6, seed=3)[0]
    names = [sla["name"] for sla in slas]
    inputs = {
        "slas": slas,
        "actuals": pack_actuals(names, periods),
        "monthly_fee": fee,
        "at_risk_pct": pct,
    }
    assert engine_call(inputs) == (slas, periods, fee, pct)


@pytest.mark.django_db
def test_recomputing_from_what_was_stored_reproduces_every_stored_month(cast):
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    for index, (availability, response, csat) in enumerate(
        [(99.6, 5, 80), (98.5, 3, 70), (99.7, 3, 90), (99.7, 3, 90), (99.7, 3, 90)]
    ):
        measure(
            contract,
            month(index),
            {"Availability": availability, "Response hours": response, "CSAT": csat},
        )
    computation = CreditComputation.objects.filter(contract=contract).first()
    again = compute_credits(*engine_call(computation.inputs))
    stored = list(ServiceCredit.objects.for_contract(contract))
    assert [row.computation_id for row in stored] == [computation.pk] * 5
    assert [pack_result(result) for result in again] == [row.result for row in stored]


def test_computing_by_rows_gives_the_same_results_as_by_names():
    from contracts.engine.credits import compute_credits_by_row

    for slas, periods, fee, pct in make_contracts(20, 10, 36, seed=5):
        names = [sla["name"] for sla in slas]
        rows = pack_actuals(names, periods)
        assert compute_credits_by_row(slas, rows, fee, pct) == compute_credits(
            slas, periods, fee, pct
        )


def test_a_row_of_the_wrong_length_is_refused():
    from contracts.engine.credits import compute_credits_by_row

    slas, periods, fee, pct = make_contracts(1, 3, 2, seed=1)[0]
    with pytest.raises(ValueError, match="Period 0 has 2 actuals for 3 SLAs"):
        compute_credits_by_row(slas, [[99.0, 98.0]], fee, pct)
    with pytest.raises(ValueError, match="must be a finite number"):
        compute_credits_by_row(slas, [[99.0, float("nan"), None]], fee, pct)
