"""Computing and storing service credits: the engine's inputs and results, together."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..credits import RULES_VERSION, compute_credits
from ..models import Contract, CreditComputation, Measurement, ServiceCredit, Sla
from ..periods import month_range

CENT = Decimal("0.01")
_ID_BATCH = 500  # keeps IN (...) lists under SQLite's variable limit


def _money(amount: float) -> Decimal:
    return Decimal(repr(amount)).quantize(CENT)


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[i:i + _ID_BATCH] for i in range(0, len(ids), _ID_BATCH)]


def credit_inputs(contract: Contract, slas: Sequence[Sla],
                  measurements: Sequence[tuple[int, Any, Decimal]]) -> dict[str, Any] | None:
    """The engine's arguments for one contract, or None when nothing is measured.

    ``measurements`` are (sla id, period, actual). The periods run from the first to the
    last measured month; a month in between without a value is "not measured".
    """
    if not slas or not measurements:
        return None
    names = {sla.pk: sla.name for sla in slas}
    first = min(period for _, period, _ in measurements)
    last = max(period for _, period, _ in measurements)
    dates = list(month_range(first, last))
    index = {period: i for i, period in enumerate(dates)}
    periods: list[dict[str, float]] = [{} for _ in dates]
    for sla_id, period, actual in measurements:
        periods[index[period]][names[sla_id]] = float(actual)
    return {
        "slas": [sla.engine_input() for sla in slas],
        "periods": periods,
        "period_dates": [period.isoformat() for period in dates],
        "monthly_fee": float(contract.annual_value) / 12,
        "at_risk_pct": float(contract.at_risk_pct) / 100,
        "currency": contract.currency,
    }


def _credit_row(contract_id: int, period: Any, result: dict[str, Any]) -> ServiceCredit:
    return ServiceCredit(
        contract_id=contract_id,
        period=period,
        measured=sum(result["measured"].values()),
        breaches=sum(result["breach"].values()),
        critical=sum(result["critical"].values()),
        cap_applied=result["cap_applied"],
        total=_money(result["total"]),
        earned_back=_money(result["earned_back_total"]),
        net_total=_money(result["net_total"]),
        result=result,
    )


def credits_recompute_many(*, contracts: Sequence[Contract], user: AbstractBaseUser | None = None,
                           reason: str = "") -> dict[int, CreditComputation | None]:
    """Recompute every listed contract's credits over its whole measured history.

    A fixed number of queries whatever the number of contracts, SLAs or months: load
    SLAs and measurements, compute, then replace the contracts' ``ServiceCredit`` rows
    and add one ``CreditComputation`` per contract holding the exact inputs. Returns
    contract id -> computation (None when the contract has nothing measured).
    """
    ids = [contract.pk for contract in contracts]
    slas: dict[int, list[Sla]] = defaultdict(list)
    measured: dict[int, list[tuple[int, Any, Decimal]]] = defaultdict(list)
    with transaction.atomic():
        for batch in _batches(ids):
            # Lock the contracts: two saves at once must not interleave their rewrites.
            list(Contract.objects.select_for_update().filter(pk__in=batch).values_list("pk"))
            for sla in Sla.objects.filter(contract_id__in=batch).order_by("position", "pk"):
                slas[sla.contract_id].append(sla)
            rows = Measurement.objects.filter(sla__contract_id__in=batch).values_list(
                "sla__contract_id", "sla_id", "period", "actual")
            for contract_id, sla_id, period, actual in rows:
                measured[contract_id].append((sla_id, period, actual))

        computations: dict[int, CreditComputation | None] = {}
        results: dict[int, tuple[list[str], list[dict[str, Any]]]] = {}
        for contract in contracts:
            inputs = credit_inputs(contract, slas[contract.pk], measured[contract.pk])
            if inputs is None:
                computations[contract.pk] = None
                continue
            results[contract.pk] = (inputs["period_dates"], compute_credits(
                inputs["slas"], inputs["periods"], inputs["monthly_fee"], inputs["at_risk_pct"]))
            computations[contract.pk] = CreditComputation(
                contract=contract, inputs=inputs, rules_version=RULES_VERSION,
                reason=reason[:200], computed_by=user)

        for batch in _batches(ids):
            ServiceCredit.objects.filter(contract_id__in=batch).delete()
        CreditComputation.objects.bulk_create([c for c in computations.values() if c])
        rows = []
        for contract_id, (dates, periods) in results.items():
            computation_id = computations[contract_id].pk
            for period, result in zip(dates, periods, strict=True):
                row = _credit_row(contract_id, dt.date.fromisoformat(period), result)
                row.computation_id = computation_id
                rows.append(row)
        ServiceCredit.objects.bulk_create(rows, batch_size=2_000)
    return computations


def credits_recompute(*, contract: Contract, user: AbstractBaseUser | None = None,
                      reason: str = "") -> CreditComputation | None:
    return credits_recompute_many(contracts=[contract], user=user, reason=reason)[contract.pk]
