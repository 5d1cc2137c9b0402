"""Reads for the contract list and the contract page (its history included)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models
from django.db.models import Count, Q

from accounts.models import Organisation
from assessments.chart_cache import code_version
from assessments.models import Process
from contracts.models import (
    Contract,
    ContractDocument,
    GovernanceReview,
    ImprovementAction,
    Issue,
    IssueStatus,
    ServiceCredit,
    Sla,
)
from contracts.selectors.renewals import RenewalRow, renewal_action
from contracts.selectors.savings import SavingsSummary, savings_frame
from contracts.selectors.scorecards import ScorecardView, stamped_contract_rows
from contracts.selectors.slas import (
    CreditTotals,
    SlaSummary,
    credit_totals,
    credits_frame,
    latest_computation,
    sla_summaries,
)
from contracts.selectors.stamps import contract_history_stamp
from vendors.models import SourcingEvent, Vendor

HISTORY_LIMIT = 100
HISTORY_CACHE_SECONDS = 60 * 60
_SKIP = {"id", "updated_at", "created_at", "contract", "position"}


def contract_list(
    organisation: Organisation, *, status: str | None = None, today: dt.date
) -> models.QuerySet[Contract]:
    """The organisation's contracts with what the list shows, in one query."""
    queryset = (
        Contract.objects.for_org(organisation)
        .select_related("vendor", "owner")
        .annotate(
            sla_count=Count("slas", distinct=True),
            open_issues=Count(
                "issues",
                distinct=True,
                filter=Q(issues__status__in=[IssueStatus.OPEN, IssueStatus.IN_PROGRESS]),
            ),
            overdue_issues=Count(
                "issues",
                distinct=True,
                filter=Q(
                    issues__status__in=[IssueStatus.OPEN, IssueStatus.IN_PROGRESS],
                    issues__due_on__lt=today,
                ),
            ),
        )
        .order_by("status", "end_date", "pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def credits_by_contract(contracts: list[Contract]) -> dict[int, CreditTotals]:
    """Each listed contract's credits (gross, earned back, net), added up by the same
    ``credit_totals`` as its own page; one query. A contract with nothing measured is
    left out."""
    rows: dict[int, list[ServiceCredit]] = defaultdict(list)
    for row in (
        ServiceCredit.objects.filter(contract__in=contracts)
        .only("contract_id", "period", "total", "earned_back", "net_total")
        .order_by("contract_id", "period")
    ):
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


def _entries(
    records: list[Any],
    model: type[models.Model],
    label: Callable[[Any], str],
    names: dict[str, dict[Any, str]],
) -> list[HistoryEntry]:
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
                    changes.append(
                        (str(f.verbose_name), _display(f, old, names), _display(f, new, names))
                    )
            if not changes:
                previous[record.id] = record
                continue
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.get_username())
                if user
                else "Sourcewise (automatic)",
                what=label(record),
                action={"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous[record.id] = record
    return entries


def contract_history(contract: Contract) -> list[HistoryEntry]:
    """Who changed what and when, on the contract and its SLAs, newest first: read once
    per change of that history. Cached under the contract, the stamp of its history
    tables (``contract_history_stamp``, one query) and the version of the code that reads
    it; the names shown are those at the time of reading, for at most an hour."""
    key = (
        f"contract-history:{contract.pk}:{contract_history_stamp(contract.pk)}:"
        f"{code_version(__name__)}"
    )
    entries = cache.get(key)
    if not isinstance(entries, list):
        entries = _read_history(contract)
        cache.set(key, entries, HISTORY_CACHE_SECONDS)
    return entries


def _read_history(contract: Contract) -> list[HistoryEntry]:
    """Who changed what and when, on the contract and its SLAs, newest first.

    A fixed number of queries: both history tables, and the names of the people,
    vendors and events the changes refer to that are not loaded already (the people who
    made the changes, and the contract's own owner, vendor and event when ``contract``
    was read with them): usually none.
    """
    contract_records = list(
        Contract.history.filter(id=contract.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    sla_records = list(
        Sla.history.filter(contract_id=contract.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    people = {
        r.history_user_id: r.history_user
        for r in (*contract_records, *sla_records)
        if r.history_user is not None
    }
    vendors: dict[Any, str] = {}
    events: dict[Any, str] = {}
    if Contract.owner.is_cached(contract):
        people[contract.owner_id] = contract.owner
    if Contract.vendor.is_cached(contract):
        vendors[contract.vendor_id] = contract.vendor.name
    event = contract.sourcing_event if Contract.sourcing_event.is_cached(contract) else None
    if contract.sourcing_event_id and event is not None:
        events[contract.sourcing_event_id] = event.name
    owners = {r.owner_id for r in contract_records}
    missing_vendors = {r.vendor_id for r in contract_records} - set(vendors)
    missing_events = {r.sourcing_event_id for r in contract_records if r.sourcing_event_id} - set(
        events
    )
    people.update(
        (u.pk, u) for u in get_user_model().objects.filter(pk__in=owners - set(people))
    )  # an empty list runs no query
    vendors.update(Vendor.objects.filter(pk__in=missing_vendors).values_list("pk", "name"))
    events.update(SourcingEvent.objects.filter(pk__in=missing_events).values_list("pk", "name"))
    names = {
        "owner": {
            pk: (people[pk].get_full_name() or people[pk].get_username())
            for pk in owners
            if pk in people
        },
        "vendor": vendors,
        "sourcing_event": events,
    }
    entries = _entries(contract_records, Contract, lambda r: "Contract", names)
    entries += _entries(sla_records, Sla, lambda r: f"SLA “{r.name}”", names)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:HISTORY_LIMIT]


@dataclass(frozen=True)
class ContractPage:
    """Everything the contract page shows, read in a fixed number of queries (about 14:
    the scorecard's six reads, the SLAs and the latest credit computation, the actions,
    the documents, and the history's five) and nothing computed beyond arithmetic: the
    projected savings are the stored forecast's (``savings``)."""

    contract: Contract
    today: dt.date
    processes: list[Process]
    renewal: RenewalRow | None
    slas: list[SlaSummary]
    credits: pd.DataFrame
    credit_totals: CreditTotals
    scorecard: ScorecardView
    savings: SavingsSummary
    savings_table: pd.DataFrame
    reviews: list[GovernanceReview]
    issues: list[tuple[Issue, bool]]
    actions: list[tuple[ImprovementAction, bool]]
    documents: list[ContractDocument]
    history: list[HistoryEntry]


def contract_page(contract: Contract, today: dt.date) -> ContractPage:
    """The contract page's reads for ``contract`` (already read, with its parties)."""
    rows = stamped_contract_rows(
        contract.organisation,
        f"contract:{contract.pk}",
        Contract.objects.filter(pk=contract.pk),
        today,
        loaded=[contract],
    )
    credits = rows.credits[contract.pk]
    savings = rows.savings[contract.pk]
    actions = list(
        ImprovementAction.objects.filter(contract=contract)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    return ContractPage(
        contract=contract,
        today=today,
        processes=rows.processes[contract.pk],
        renewal=renewal_action(contract, today) if contract.is_live else None,
        slas=sla_summaries(list(contract.slas.all()), latest_computation(contract), today),
        credits=credits_frame(credits),
        credit_totals=credit_totals(credits),
        scorecard=rows.scorecard([contract.pk], today),
        savings=savings,
        savings_table=savings_frame(savings),
        reviews=rows.reviews[contract.pk],
        issues=[(issue, issue.is_overdue(today)) for issue in rows.issues[contract.pk]],
        actions=[(action, action.is_overdue(today)) for action in actions],
        documents=list(contract.documents.select_related("uploaded_by")),
        history=contract_history(contract),
    )
