"""Data stamps: for each kind of record an organisation's pages read, a short text that
changes whenever one of those records is added, changed or removed.

A stamp is the kind's count and its newest change time (``"12@2026-12-02 10:00:00+00"``),
read for every kind in one query. A cached read keys itself on the stamps of the kinds it
reads (the dashboard's figures, a contract's scorecard rows), so nothing has to remember
to invalidate it: a change shows on the next request, in every process. Removing a record
lowers the count; adding or changing one moves the count or the newest time (every kind
has an ``auto_now`` time or one set when it is computed).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import CharField, Count, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from accounts.models import Organisation
from assessments.models import Assessment, Projection, ProjectionStatus
from contracts.models import (
    Contract,
    ContractForecast,
    ExitPlan,
    GovernanceReview,
    Issue,
    RealisedSaving,
    ServiceCredit,
    Sla,
)
from vendors.models import Vendor


def _latest(queryset: QuerySet[Any], field: str) -> Subquery:
    """A subquery giving the count and the newest ``field`` of ``queryset``, as text."""
    return Subquery(
        queryset.order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(
            stamp=Concat(
                Cast(Count("pk"), CharField()),
                Value("@"),
                Coalesce(Cast(Max(field), CharField()), Value("-")),
            )
        )
        .values("stamp")[:1],
        output_field=CharField(),
    )


# The kinds of record, each with its stamp (see ``data_stamps``).
STAMP_KINDS = (
    "assessments",
    "projections",
    "contracts",
    "credits",
    "issues",
    "savings",
    "reviews",
    "forecasts",
    "exit_plans",
    "vendors",
)


def _stamps_query(organisation_id: int) -> QuerySet:
    org = OuterRef("pk")
    stamps = {
        "assessments": _latest(Assessment.objects.filter(organisation=org), "updated_at"),
        "projections": _latest(
            Projection.objects.filter(assessment__organisation=org, status=ProjectionStatus.DONE),
            "finished_at",
        ),
        "contracts": _latest(Contract.objects.filter(organisation=org), "updated_at"),
        "credits": _latest(
            ServiceCredit.objects.filter(contract__organisation=org), "computation__computed_at"
        ),
        "issues": _latest(Issue.objects.filter(contract__organisation=org), "updated_at"),
        "savings": _latest(
            RealisedSaving.objects.filter(contract__organisation=org), "recorded_at"
        ),
        "reviews": _latest(
            GovernanceReview.objects.filter(contract__organisation=org), "updated_at"
        ),
        "forecasts": _latest(
            ContractForecast.objects.filter(contract__organisation=org), "computed_at"
        ),
        "exit_plans": _latest(ExitPlan.objects.filter(contract__organisation=org), "updated_at"),
        # The shared registry's records of the organisation's vendors: a curator's rename
        # shows in the organisation's figures.
        "vendors": _latest(
            Vendor.objects.filter(
                pk__in=Contract.objects.filter(organisation=OuterRef(org)).values("vendor")
            ),
            "updated_at",
        ),
    }
    return (
        Organisation.objects.filter(pk=organisation_id)
        .annotate(**{f"stamp_{kind}": stamps[kind] for kind in STAMP_KINDS})
        .values_list(*(f"stamp_{kind}" for kind in STAMP_KINDS))
    )


@functools.lru_cache(maxsize=8)
def _compiled_stamps(alias: str) -> tuple[str, tuple[Any, ...], int] | None:
    """The stamps query as SQL, compiled once per process: building it through the ORM
    costs some 50 times what running it does. The organisation's id is its one parameter
    that depends on the organisation; None if that cannot be told (then the ORM runs)."""
    first, second = (_stamps_query(pk).query.get_compiler(alias).as_sql() for pk in (-1, -2))
    varying = [i for i, (a, b) in enumerate(zip(first[1], second[1], strict=True)) if a != b]
    if first[0] != second[0] or len(varying) != 1:
        return None
    return first[0], tuple(first[1]), varying[0]


def data_stamps(organisation: Organisation) -> dict[str, str]:
    """Per kind of record (``STAMP_KINDS``), a stamp that changes whenever one of them
    is added, changed or removed: its count and newest change, as text. A cached read's
    key carries the stamps of the kinds it reads, so nothing needs to remember to
    invalidate it. One query: a subquery per kind.

    Assessments stand for their processes and recommendations too (a change to those
    touches the assessment); forecasts are the stored projected savings of each contract.
    """
    compiled = _compiled_stamps(DEFAULT_DB_ALIAS)
    if compiled is None:
        row = _stamps_query(organisation.pk).get()
    else:
        sql, params, position = compiled
        values = list(params)
        values[position] = organisation.pk
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, values)
            row = cursor.fetchone()
        if row is None:
            raise Organisation.DoesNotExist(f"No organisation {organisation.pk}.")
    return {kind: str(value) for kind, value in zip(STAMP_KINDS, row, strict=True)}


def stamps_digest(stamps: dict[str, str], kinds: Iterable[str]) -> str:
    """A short digest of the stamps of ``kinds``: the part of a cache key that says which
    state of those records a cached value was read from."""
    text = "|".join(f"{kind}={stamps[kind]}" for kind in sorted(kinds))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def contract_history_stamp(contract_pk: int) -> str:
    """A stamp of the contract's change history and its SLAs' (``simple_history``'s
    tables): their counts and newest history ids, in one query. History rows are only
    added, so a change anywhere in the contract's record moves it.

    Plain SQL on the two history tables' indexed columns: building the same query
    through the ORM cost several times what running it does, on every contract page."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    parts = []
    for model, column in ((Contract.history.model, "id"), (Sla.history.model, "contract_id")):
        table = quote(model._meta.db_table)
        for aggregate in ("COUNT(*)", f"MAX({quote('history_id')})"):
            parts.append(f"(SELECT {aggregate} FROM {table} WHERE {quote(column)} = %s)")
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", [contract_pk] * len(parts))
        contract_count, contract_last, sla_count, sla_last = cursor.fetchone()
    return f"{contract_count}@{contract_last}/{sla_count}@{sla_last}"
