"""Reads for the contract list and the contract page's history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Q

from accounts.models import Organisation
from contracts.models import Contract, IssueStatus, ServiceCredit, Sla
from contracts.selectors.slas import CreditTotals, credit_totals
from vendors.models import SourcingEvent, Vendor

HISTORY_LIMIT = 100
_SKIP = {"id", "updated_at", "created_at", "contract", "position"}


def contract_list(organisation: Organisation, *, status: str | None = None,
                  today: dt.date) -> models.QuerySet[Contract]:
    """The organisation's contracts with what the list shows, in one query."""
    queryset = (Contract.objects.for_org(organisation).select_related("vendor", "owner")
                .annotate(sla_count=Count("slas", distinct=True),
                          open_issues=Count("issues", distinct=True, filter=Q(
                              issues__status__in=[IssueStatus.OPEN, IssueStatus.IN_PROGRESS])),
                          overdue_issues=Count("issues", distinct=True, filter=Q(
                              issues__status__in=[IssueStatus.OPEN, IssueStatus.IN_PROGRESS],
                              issues__due_on__lt=today)))
                .order_by("status", "end_date", "pk"))
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def credits_by_contract(contracts: list[Contract]) -> dict[int, CreditTotals]:
    """Each listed contract's credits (gross, earned back, net), added up by the same
    ``credit_totals`` as its own page; one query. A contract with nothing measured is
    left out."""
    rows: dict[int, list[ServiceCredit]] = defaultdict(list)
    for row in (ServiceCredit.objects.filter(contract__in=contracts)
                .only("contract_id", "period", "total", "earned_back", "net_total")
                .order_by("contract_id", "period")):
        rows[row.contract_id].append(row)
    return {pk: credit_totals(months) for pk, months in rows.items()}


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    what: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in _SKIP]


def _display(model_field: models.Field, value: Any, names: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "":
        return "–"
    if model_field.is_relation:
        return names.get(model_field.name, {}).get(value, f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _entries(records: list[Any], model: type[models.Model], label, names) -> list[HistoryEntry]:
    fields = _fields(model)
    previous: dict[int, Any] = {}
    entries = []
    for record in records:
        before = previous.get(record.id)
        changes = []
        if record.history_type == "~" and before is not None:
            for f in fields:
                old, new = getattr(before, f.attname), getattr(record, f.attname)
                if old != new:
                    changes.append((str(f.verbose_name), _display(f, old, names),
                                    _display(f, new, names)))
            if not changes:
                previous[record.id] = record
                continue
        user = record.history_user
        entries.append(HistoryEntry(
            when=record.history_date,
            who=(user.get_full_name() or user.get_username()) if user else "Sourcewise (automatic)",
            what=label(record),
            action={"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
            reason=record.history_change_reason or "", changes=changes))
        previous[record.id] = record
    return entries


def contract_history(contract: Contract) -> list[HistoryEntry]:
    """Who changed what and when, on the contract and its SLAs, newest first.

    A fixed number of queries: both history tables, and the names of the people,
    vendors and events the changes refer to.
    """
    contract_records = list(Contract.history.filter(id=contract.pk)
                            .select_related("history_user").order_by("history_date",
                                                                      "history_id"))
    sla_records = list(Sla.history.filter(contract_id=contract.pk)
                       .select_related("history_user").order_by("history_date", "history_id"))
    owners = {r.owner_id for r in contract_records}
    vendors = {r.vendor_id for r in contract_records}
    events = {r.sourcing_event_id for r in contract_records if r.sourcing_event_id}
    names = {
        "owner": {u.pk: (u.get_full_name() or u.get_username())
                  for u in get_user_model().objects.filter(pk__in=owners)},
        "vendor": dict(Vendor.objects.filter(pk__in=vendors).values_list("pk", "name")),
        "sourcing_event": dict(SourcingEvent.objects.filter(pk__in=events)
                               .values_list("pk", "name")),
    }
    entries = _entries(contract_records, Contract, lambda r: "Contract", names)
    entries += _entries(sla_records, Sla, lambda r: f"SLA “{r.name}”", names)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:HISTORY_LIMIT]
