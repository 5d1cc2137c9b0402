"""Writing SLAs and measurements. Every change that can move a credit recomputes the
contract's credits in the same transaction, so the stored credits always match."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.audit.bulk import record_bulk
from accounts.audit.models import Action
from accounts.engine.formatting import count_of
from contracts.engine.actuals import actual_problem
from contracts.engine.measurement_files import CheckedRow
from contracts.engine.periods import period_label, period_problem
from contracts.models import Contract, CreditComputation, Measurement, MeasurementSource, Sla
from contracts.services.credits import credits_recompute

SLA_FIELDS = (
    "name",
    "category",
    "target",
    "unit",
    "direction",
    "period",
    "allocation_pct",
    "minimum",
    "earn_back",
)


class MeasurementError(ValueError):
    """Measurements that cannot be recorded; the message says why, in words."""


class MeasurementProblems(MeasurementError):
    """Everything wrong with a batch of measurements given by SLA name, found at once.

    ``problems`` maps a field to its messages: ``period`` to a list of them, and
    ``measurements`` to one dict per item (empty for an item that is fine), each mapping
    ``sla`` to a list of messages.
    """

    def __init__(self, problems: dict[str, Any]) -> None:
        super().__init__("The measurements cannot be recorded.")
        self.problems = problems


def _stamp(sla: Sla, user: User | None) -> None:
    # The history records who changed the SLA even outside a web request (API, tasks).
    if user is not None:
        sla._history_user = user


def sla_create(*, contract: Contract, data: Mapping[str, Any], user: User | None = None) -> Sla:
    with transaction.atomic():
        position = contract.slas.count() + 1
        sla = Sla(
            contract=contract, position=position, **{k: data[k] for k in SLA_FIELDS if k in data}
        )
        _stamp(sla, user)
        sla.save()
        credits_recompute(contract=contract, user=user, reason=f"SLA {sla.name} added")
    return sla


def sla_update(*, sla: Sla, data: Mapping[str, Any], user: User | None = None) -> Sla:
    with transaction.atomic():
        for field in SLA_FIELDS:
            if field in data:
                setattr(sla, field, data[field])
        _stamp(sla, user)
        sla.save()
        credits_recompute(contract=sla.contract, user=user, reason=f"SLA {sla.name} changed")
    return sla


def sla_delete(*, sla: Sla, user: User | None = None) -> None:
    with transaction.atomic():
        contract, name = sla.contract, sla.name
        _stamp(sla, user)
        sla.delete()
        credits_recompute(contract=contract, user=user, reason=f"SLA {name} removed")


def _period_problem(contract: Contract, period: dt.date, today: dt.date | None) -> str | None:
    return period_problem(
        period,
        start=contract.start_date,
        end=contract.end_date,
        today=today or timezone.localdate(),
    )


def _check_period(contract: Contract, period: dt.date, today: dt.date | None) -> None:
    problem = _period_problem(contract, period, today)
    if problem:
        raise MeasurementError(problem)


def _upsert(
    contract: Contract, rows: Iterable[tuple[int, dt.date, Decimal]], user: User | None, source: str
) -> int:
    """Insert or replace (sla id, period, actual) rows of ``contract``; returns the count."""
    rows = list(rows)
    # Loaded (not only their ids) so each measurement's audit entry names its SLA.
    known = {sla.pk: sla for sla in contract.slas.all()}
    strangers = {sla_id for sla_id, _, _ in rows} - known.keys()
    if strangers:
        raise MeasurementError("Those SLAs do not belong to this contract.")
    refused = [
        f"{known[sla_id].name} for {period_label(period)}: {problem}"
        for sla_id, period, actual in rows
        if (problem := actual_problem(actual, known[sla_id].unit))
    ]
    if refused:
        raise MeasurementError("Nothing was saved. " + "; ".join(refused) + ".")
    existing = {
        (m.sla_id, m.period): m
        for m in Measurement.objects.filter(
            sla_id__in={r[0] for r in rows}, period__in={r[1] for r in rows}
        )
    }
    now = timezone.now()
    changed, new, before = [], [], {}
    for sla_id, period, actual in rows:
        measurement = existing.get((sla_id, period))
        if measurement is None:
            new.append(
                Measurement(
                    sla=known[sla_id], period=period, actual=actual, source=source, recorded_by=user
                )
            )
            continue
        measurement.sla = known[sla_id]
        before[measurement.pk] = copy(measurement)
        measurement.actual, measurement.source = actual, source
        measurement.recorded_by, measurement.recorded_at = user, now
        changed.append(measurement)
    Measurement.objects.bulk_update(changed, ["actual", "source", "recorded_by", "recorded_at"])
    Measurement.objects.bulk_create(new)
    record_bulk(
        changed,
        action=Action.UPDATE,
        before=before,
        fields=["actual", "source", "recorded_by", "recorded_at"],
    )
    record_bulk(new, action=Action.CREATE)
    return len(rows)


def measurements_record(
    *,
    contract: Contract,
    period: dt.date,
    actuals: Mapping[int, Decimal],
    user: User | None,
    source: str = MeasurementSource.FORM,
    today: dt.date | None = None,
) -> CreditComputation | None:
    """Record one month's actuals (SLA id -> actual) and recompute the credits.

    SLAs left out keep whatever they had. Raises MeasurementError for a month outside
    the contract's term or in the future, a negative actual, or another contract's SLA.
    """
    _check_period(contract, period, today)
    if not actuals:
        raise MeasurementError("Enter at least one actual value.")
    if any(actual < 0 for actual in actuals.values()):
        raise MeasurementError("Actual values cannot be negative.")
    with transaction.atomic():
        count = _upsert(
            contract, ((sla_id, period, actual) for sla_id, actual in actuals.items()), user, source
        )
        return credits_recompute(
            contract=contract,
            user=user,
            reason=(
                f"{count_of(count, 'measurement')} recorded for {period_label(period)} "
                f"({MeasurementSource(source).label.lower()})"
            ),
        )


def measurements_record_by_name(
    *,
    contract: Contract,
    period: dt.date,
    actuals: Sequence[tuple[str, Decimal]],
    user: User | None,
    source: str,
    today: dt.date | None = None,
) -> CreditComputation | None:
    """Record one month's actuals given as (SLA name, actual) pairs, then the credits.

    Names match the contract's SLAs in any case, spaces around them ignored. Nothing is
    saved unless everything is right: raises MeasurementProblems naming every problem
    (a month outside the term or to come, an unknown SLA, an SLA given twice, an actual
    that is negative or above 100 for an SLA in per cent).
    """
    problems: dict[str, Any] = {}
    problem = _period_problem(contract, period, today)
    if problem:
        problems["period"] = [problem]
    by_lower = {sla.name.lower(): sla for sla in contract.slas.all()}
    items, seen = [], set()
    for name, actual in actuals:
        key = name.strip().lower()
        if key not in by_lower:
            known = ", ".join(sla.name for sla in by_lower.values()) or "none yet"
            items.append({"sla": [f"Unknown SLA {name!r}; this contract's SLAs: {known}."]})
        elif key in seen:
            items.append({"sla": [f"{name!r} is given twice."]})
        elif problem := actual_problem(actual, by_lower[key].unit):
            items.append({"actual": [f"{problem[0].upper()}{problem[1:]}."]})
        else:
            items.append({})
        seen.add(key)
    if any(items):
        problems["measurements"] = items
    if problems:
        raise MeasurementProblems(problems)
    return measurements_record(
        contract=contract,
        period=period,
        user=user,
        source=source,
        today=today,
        actuals={by_lower[name.strip().lower()].pk: actual for name, actual in actuals},
    )


def sla_record_measurement(
    *,
    sla: Sla,
    period: dt.date,
    actual: Decimal,
    user: User | None,
    source: str = MeasurementSource.FORM,
    today: dt.date | None = None,
) -> CreditComputation | None:
    return measurements_record(
        contract=sla.contract,
        period=period,
        actuals={sla.pk: actual},
        user=user,
        source=source,
        today=today,
    )


def measurements_import(
    *,
    contract: Contract,
    rows: Iterable[CheckedRow],
    user: User | None,
    today: dt.date | None = None,
) -> CreditComputation | None:
    """Record every checked row of a file, all or nothing, then recompute once."""
    rows = list(rows)
    if not rows:
        raise MeasurementError("The file has no measurements.")
    by_name = {sla.name: sla.pk for sla in contract.slas.all()}
    for row in rows:
        _check_period(contract, row.period, today)
        if row.sla not in by_name:
            raise MeasurementError(f"Line {row.line}: unknown SLA {row.sla!r}.")
    with transaction.atomic():
        count = _upsert(
            contract,
            ((by_name[r.sla], r.period, r.actual) for r in rows),
            user,
            MeasurementSource.IMPORT,
        )
        return credits_recompute(
            contract=contract, user=user, reason=f"{count_of(count, 'measurement')} imported"
        )
