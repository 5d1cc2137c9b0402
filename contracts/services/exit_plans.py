"""Writing exit plans: the whole checklist is saved at once, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from contracts.engine import exit_readiness as rules
from contracts.models import Contract, ExitPlan, ExitPlanItem
from contracts.selectors.exit_plans import contract_terms


def exit_plan_save(
    *,
    contract: Contract,
    items: Sequence[Mapping[str, Any]],
    notes: str,
    user: User | None,
    today: dt.date,
) -> ExitPlan:
    """Store the plan of ``contract`` with every checklist item: the ones given (each a
    mapping with ``key``, ``status``, ``owner``, ``due_on`` and ``notes``), and the
    default for any left out (due dates from ``today``). ValueError for an unknown item
    or status (the form refuses both first; this guards callers other than the page)."""
    changes = {change["key"]: change for change in items}
    for change in changes.values():
        rules.ItemState(change["key"], change["status"])  # raises ValueError when unknown
    with transaction.atomic():
        plan, _ = ExitPlan.objects.select_for_update().get_or_create(contract=contract)
        plan.notes = notes
        plan.updated_by = user
        plan.save()
        existing = {item.item: item for item in plan.items.all()}
        defaults = {s.key: s for s in rules.default_items(contract_terms(contract), today)}
        for spec in rules.ITEMS:
            item = existing.get(spec.key) or ExitPlanItem(plan=plan, item=spec.key)
            given = changes.get(spec.key)
            if given is not None:
                item.status = given["status"]
                item.owner = given.get("owner")
                item.due_on = given.get("due_on")
                item.notes = given.get("notes", "")
            elif item.pk is None:
                item.status = defaults[spec.key].status
                item.owner = contract.owner
                item.due_on = defaults[spec.key].due_on
            item.save()
    return plan
