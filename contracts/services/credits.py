"""Computing and storing service credits: the engine's inputs and results, together.

A save recomputes the contract's whole measured history (earn-back looks three months
ahead, so one new month can change an earlier credit). ``credits_recompute_many`` does
it for any number of contracts in a fixed number of queries; it is also what a
portfolio-wide recompute runs, so it is written for speed (benchmarks/sla_credits.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from auditlog.context import disable_auditlog
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import FloatField, Max
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.audit.bulk import record_bulk
from accounts.audit.models import Action
from accounts.webhooks.services import emit
from contracts.engine.cents import to_decimal
from contracts.engine.credit_records import pack_result
from contracts.engine.credits import RULES_VERSION, compute_credits_by_row, monthly_fee_from_annual
from contracts.engine.periods import month_range
from contracts.models import Contract, CreditComputation, Measurement, ServiceCredit, Sla
from contracts.services.bulk import insert_rows, row_writer

_ID_BATCH = 500  # keeps IN (...) lists under SQLite's variable limit
COMPUTATION_FIELDS = (
    "contract_id",
    "inputs",
    "rules_version",
    "reason",
    "computed_by_id",
    "computed_at",
)
CREDIT_FIELDS = (
    "contract_id",
    "computation_id",
    "period",
    "measured",
    "breaches",
    "critical",
    "cap_applied",
    "total",
    "earned_back",
    "net_total",
    "result",
)

Actual = tuple[int, dt.date, float]  # (SLA id, period, actual)


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _ID_BATCH] for i in range(0, len(ids), _ID_BATCH)]


def _sla_input(sla: Sla) -> dict[str, Any]:
    """One SLA as ``compute_credits`` reads it, the allocation as a fraction of P.

    Every number is an exact decimal turned into a float once: the engine reads a float
    as its shortest form, which gives back that decimal (true of every decimal of up to
    15 significant digits; the columns hold at most 14). So the allocation is divided in
    Decimal first: 12.3 % -> 0.123, where float(12.3) / 100 is 0.12300000000000001.
    """
    return {
        "name": sla.name,
        "target": float(sla.target),
        "direction": sla.direction,
        "minimum": None if sla.minimum is None else float(sla.minimum),
        "allocation": float(sla.allocation_pct / 100),
        "earn_back": sla.earn_back,
    }


def credit_inputs(
    contract: Contract, slas: Sequence[Sla], measurements: Sequence[Actual]
) -> dict[str, Any] | None:
    """What the engine is called with for one contract, as stored; None when nothing is
    measured (``credit_records.engine_call`` turns it into ``compute_credits``'s own
    arguments; the service passes the rows to ``compute_credits_by_row`` as they are).

    The periods run from the first to the last measured month; a month in between
    without a value is "not measured". ``actuals`` holds one list per month, in the
    order of ``slas`` (None: not measured).
    """
    if not slas or not measurements:
        return None
    column = {sla.pk: i for i, sla in enumerate(slas)}
    first = min(period for _, period, _ in measurements)
    last = max(period for _, period, _ in measurements)
    dates = list(month_range(first, last))
    row_of = {period: i for i, period in enumerate(dates)}
    actuals: list[list[float | None]] = [[None] * len(slas) for _ in dates]
    for sla_id, period, actual in measurements:
        actuals[row_of[period]][column[sla_id]] = float(actual)
    return {
        "slas": [_sla_input(sla) for sla in slas],
        "actuals": actuals,
        "period_dates": [period.isoformat() for period in dates],
        # The fee a month bills (annual / 12, half-up to the cent) and the share at risk
        # as a fraction, both exact decimals: the engine takes P from them exactly.
        "monthly_fee": float(monthly_fee_from_annual(contract.annual_value)),
        "at_risk_pct": float(contract.at_risk_pct / 100),
        "currency": contract.currency,
    }


def _credit_values(
    contract_id: int, computation_id: int, period: dt.date, slas: int, result: dict[str, Any]
) -> tuple:
    """One ``ServiceCredit`` row, in the order of ``CREDIT_FIELDS``."""
    packed = pack_result(result)
    return (
        contract_id,
        computation_id,
        period,
        slas - len(packed["not_measured"]),
        len(packed["breach"]),
        len(packed["critical"]),
        result["cap_applied"],
        to_decimal(result["total"]),
        to_decimal(result["earned_back_total"]),
        to_decimal(result["net_total"]),
        packed,
    )


def _load(ids: list[int]) -> tuple[dict[int, list[Sla]], dict[int, list[Actual]]]:
    """The contracts' SLAs, and their measurements as plain tuples."""
    slas: dict[int, list[Sla]] = defaultdict(list)
    measured: dict[int, list[Actual]] = defaultdict(list)
    for batch in _batches(ids):
        # Lock the contracts: two saves at once must not interleave their rewrites.
        list(Contract.objects.select_for_update().filter(pk__in=batch).values_list("pk"))
        for sla in Sla.objects.filter(contract_id__in=batch).order_by("position", "pk"):
            slas[sla.contract_id].append(sla)
        # Tens of thousands of rows: the ORM builds the query, the cursor fetches it
        # without per-row iterator machinery, and actuals arrive as the engine's floats.
        query = (
            Measurement.objects.filter(sla__contract_id__in=batch)
            .annotate(value=Cast("actual", FloatField()))
            .values_list("sla__contract_id", "sla_id", "period", "value")
        )
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for contract_id, sla_id, period, actual in cursor.fetchall():
                measured[contract_id].append((sla_id, period, actual))
    return slas, measured


def credits_recompute_many(
    *, contracts: Sequence[Contract], user: User | None = None, reason: str = ""
) -> dict[int, CreditComputation | None]:
    """Recompute every listed contract's credits over its whole measured history.

    A fixed number of queries whatever the number of contracts, SLAs or months: load
    SLAs and measurements, compute, then replace the contracts' ``ServiceCredit`` rows
    and add one ``CreditComputation`` per contract holding the exact inputs. Returns
    contract id -> computation (None when the contract has nothing measured).
    """
    ids = [contract.pk for contract in contracts]
    now = timezone.now()
    with transaction.atomic():
        slas, measured = _load(ids)
        inputs: dict[int, dict[str, Any]] = {}
        for contract in contracts:
            stored = credit_inputs(contract, slas[contract.pk], measured[contract.pk])
            if stored is not None:
                inputs[contract.pk] = stored
        # Credits are computed: the trail records the computation (who, when, why) and
        # the measurements it follows from, not each month's figures (which, followed,
        # would cost one entry per row and make a recompute fifteen times slower).
        with disable_auditlog():
            for batch in _batches(ids):
                ServiceCredit.objects.filter(contract_id__in=batch).delete()
        user_id = user.pk if user is not None else None
        insert_rows(
            CreditComputation,
            COMPUTATION_FIELDS,
            [(pk, i, RULES_VERSION, reason[:200], user_id, now) for pk, i in inputs.items()],
        )
        # The contracts are locked, so each one's newest computation is the one just made.
        latest: dict[int, int] = {}
        for batch in _batches(list(inputs)):
            latest.update(
                CreditComputation.objects.filter(contract_id__in=batch)
                .values("contract_id")
                .annotate(newest=Max("pk"))
                .values_list("contract_id", "newest")
            )
        # Compute contract by contract, streaming each month's row to the database.
        with row_writer(ServiceCredit, CREDIT_FIELDS) as write:
            for pk, stored in inputs.items():
                results = compute_credits_by_row(
                    stored["slas"], stored["actuals"], stored["monthly_fee"], stored["at_risk_pct"]
                )
                for period, result in zip(stored["period_dates"], results, strict=True):
                    write(
                        _credit_values(
                            pk,
                            latest[pk],
                            dt.date.fromisoformat(period),
                            len(stored["slas"]),
                            result,
                        )
                    )
        computations = {
            c.pk: c
            for batch in _batches(list(latest.values()))
            for c in CreditComputation.objects.filter(pk__in=batch).defer("inputs")
        }
        by_id = {contract.pk: contract for contract in contracts}
        for computation in computations.values():
            computation.contract = by_id[computation.contract_id]
        record_bulk(computations.values(), action=Action.CREATE)
        for pk, computation_id in latest.items():
            contract = by_id[pk]
            emit(
                organisation_id=contract.organisation_id,
                event="credit.computed",
                data={
                    "contract": pk,
                    "title": contract.title,
                    "computation": computation_id,
                    "months": len(inputs[pk]["period_dates"]),
                    "rules_version": RULES_VERSION,
                    "reason": reason[:200],
                },
            )
    return {pk: computations.get(latest[pk]) if pk in latest else None for pk in ids}


def credits_recompute(
    *, contract: Contract, user: User | None = None, reason: str = ""
) -> CreditComputation | None:
    return credits_recompute_many(contracts=[contract], user=user, reason=reason)[contract.pk]
