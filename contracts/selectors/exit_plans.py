"""Reads for exit plans: one contract's plan with its score and transition-out cost, and
the scores of many contracts at once (the dashboard's "needs attention").

A contract whose plan was never saved has its default plan (the engine's
``default_items``): shown, scored and costed like a saved one, and written only when
someone saves it. Reads never write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from accounts.models import Organisation
from assessments.models import Process
from contracts.engine import exit_readiness as rules
from contracts.models import Contract, ContractStatus, ExitPlan, ExitPlanItem
from contracts.selectors.savings import baseline_annual_cost


@dataclass(frozen=True)
class ExitItemRow:
    """One checklist line as the pages show it."""

    spec: rules.ExitItem
    status: str
    owner: User | None
    due_on: dt.date | None
    notes: str
    overdue: bool

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def owner_name(self) -> str:
        return _name(self.owner)


@dataclass(frozen=True)
class ExitPlanView:
    """A contract's exit plan, its readiness and its transition-out cost.

    ``saved``: False while the plan is the default one. ``cost_basis`` says in words which
    annual cost the transition-out cost starts from.
    """

    contract: Contract
    saved: bool
    notes: str
    updated_at: dt.datetime | None
    items: list[ExitItemRow]
    terms: rules.ContractTerms
    readiness: rules.Readiness
    cost: rules.TransitionOutCost
    cost_basis: str
    exit_months: int

    @property
    def owners(self) -> dict[str, int]:
        """Each item's owner as the plan shows it (saved, or the default), by item key."""
        return {row.spec.key: row.owner.pk for row in self.items if row.owner is not None}


def contract_terms(contract: Contract) -> rules.ContractTerms:
    return rules.ContractTerms(
        model=contract.model,
        notice_days=contract.notice_days,
        notice_deadline=contract.notice_deadline,
        end_date=contract.end_date,
        has_termination_terms=bool(contract.termination_terms.strip()),
        in_notice=contract.status == ContractStatus.IN_NOTICE,
    )


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _states(
    contract: Contract, items: list[ExitPlanItem] | None, today: dt.date
) -> list[tuple[rules.ItemState, User | None, str]]:
    """The plan's items in checklist order: the saved ones, the default for the rest."""
    defaults = {s.key: s for s in rules.default_items(contract_terms(contract), today)}
    saved = {item.item: item for item in items or []}
    rows = []
    for spec in rules.ITEMS:
        item = saved.get(spec.key)
        if item is None:
            state = defaults[spec.key]
            owner = contract.owner if items is None else None
            rows.append(
                (rules.ItemState(spec.key, state.status, state.due_on, _name(owner)), owner, "")
            )
        else:
            rows.append(
                (
                    rules.ItemState(spec.key, item.status, item.due_on, _name(item.owner)),
                    item.owner,
                    item.notes,
                )
            )
    return rows


def _cost_basis(contract: Contract, processes: list[Process]) -> tuple[Decimal, str]:
    baseline = baseline_annual_cost(contract, processes)
    if baseline is not None:
        source = (
            "the in-house baseline recorded on the contract"
            if contract.baseline_annual_cost is not None
            else "the assessed annual cost of the processes it covers"
        )
        return baseline, source
    return contract.annual_value, (
        "the vendor's annual fee (no in-house baseline is recorded, so what the vendor "
        "charges stands in for what running it yourself would cost)"
    )


def exit_plan_view(
    contract: Contract, today: dt.date, processes: list[Process] | None = None
) -> ExitPlanView:
    """The plan of ``contract`` (read with its parties): three queries, two when the
    processes it covers are given."""
    plan = ExitPlan.objects.filter(contract=contract).first()
    items = list(plan.items.select_related("owner")) if plan is not None else None
    states = _states(contract, items, today)
    terms = contract_terms(contract)
    annual, basis = _cost_basis(
        contract, list(contract.processes.all()) if processes is None else processes
    )
    return ExitPlanView(
        contract=contract,
        saved=plan is not None,
        notes=plan.notes if plan is not None else "",
        updated_at=plan.updated_at if plan is not None else None,
        items=[
            ExitItemRow(
                spec=rules.ITEMS_BY_KEY[state.key],
                status=state.status,
                owner=owner,
                due_on=state.due_on,
                notes=notes,
                overdue=state.status not in (rules.DONE, rules.NOT_APPLICABLE)
                and state.due_on is not None
                and state.due_on < today,
            )
            for state, owner, notes in states
        ],
        terms=terms,
        readiness=rules.exit_readiness([s for s, _, _ in states], terms, today),
        cost=rules.transition_out_cost(annual, contract.model),
        cost_basis=basis,
        exit_months=rules.exit_transition_months(contract.model),
    )


def readiness_by_contract(
    contracts: Iterable[Contract], today: dt.date, *, organisation: Organisation | None = None
) -> dict[int, rules.Readiness]:
    """Each contract's exit readiness, saved plan or default, in one query however many
    contracts there are (``contracts`` read with their owner). A saved plan always holds
    every item, so a contract with no saved item has its default plan.

    ``organisation``: read the plans of all its contracts instead, so that the query runs
    even when ``contracts`` is empty (a page's query count then never depends on it).
    """
    contracts = list(contracts)
    items: dict[int, list[ExitPlanItem]] = defaultdict(list)
    scope: dict[str, Any] = (
        {"plan__contract__organisation": organisation}
        if organisation is not None
        else {"plan__contract__in": [c.pk for c in contracts]}
    )
    for item in ExitPlanItem.objects.filter(**scope).select_related("owner", "plan").order_by("pk"):
        items[item.plan.contract_id].append(item)
    return {
        c.pk: rules.exit_readiness(
            [s for s, _, _ in _states(c, items.get(c.pk), today)], contract_terms(c), today
        )
        for c in contracts
    }
