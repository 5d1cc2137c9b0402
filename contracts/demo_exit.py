"""Demo exit plans for ``manage.py seed_demo``, in several states. Running it twice changes
nothing: a contract that already has a saved plan keeps it.

Acme Holdings' live contracts, soonest notice deadline still to come first, get:
- the first (near renewal): a plan barely started, items overdue, so it shows on the
  dashboard's "needs attention" as low exit readiness near renewal;
- the second: a plan about half done;
- the third: a plan almost complete (ready).
Any other contract (the draft, Globex's) keeps the default plan every contract starts with.
The contracts are chosen by their dates, not their titles, so the demo's wording can change.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, Role
from contracts.engine.exit_readiness import DONE, MISSING, NOT_APPLICABLE, PARTIAL
from contracts.models import Contract, ExitPlan
from contracts.services.exit_plans import exit_plan_save

DEMO_ORGANISATION = "Acme Holdings"

# Per state: item -> (status, due in days from today (None: no date), owner "cio" or the
# contract's owner, notes).
Plan = dict[str, tuple[str, int | None, str, str]]

BARELY_STARTED: Plan = {
    "knowledge_transfer": (MISSING, -10, "owner", ""),
    "data_return": (MISSING, -5, "owner", "Vendor asked for the export formats; no answer yet."),
    "tooling_licences": (PARTIAL, 20, "cio", "Ticketing tool licensed to the vendor."),
    "people": (MISSING, 30, "owner", ""),
    "parallel_run": (MISSING, 45, "owner", ""),
    "termination_assistance": (MISSING, -20, "cio", "Clause not found in the signed terms."),
    "notice_period": (DONE, None, "owner", "Recorded in the contract."),
}
HALF_DONE: Plan = {
    "knowledge_transfer": (PARTIAL, 60, "owner", "Runbooks for the top 20 processes written."),
    "data_return": (DONE, None, "owner", "Monthly CSV extracts plus a final full export."),
    "tooling_licences": (PARTIAL, 90, "cio", "Two of five tools are ours."),
    "people": (NOT_APPLICABLE, None, "owner", "No staff transferred to the vendor."),
    "parallel_run": (PARTIAL, 120, "owner", "Four weeks proposed; acceptance tests to write."),
    "termination_assistance": (PARTIAL, 30, "cio", "Six months of assistance; price not set."),
    "notice_period": (DONE, None, "owner", ""),
}
NEARLY_READY: Plan = {
    "knowledge_transfer": (DONE, None, "owner", "Shadowing plan agreed at the last review."),
    "data_return": (DONE, None, "owner", "Full export in the agreed schema, certified deletion."),
    "tooling_licences": (DONE, None, "cio", "All licences in our name."),
    "people": (PARTIAL, 150, "owner", "Key staff list agreed; terms to confirm."),
    "parallel_run": (DONE, None, "owner", "Eight weeks side by side."),
    "termination_assistance": (DONE, None, "cio", "Twelve months at current rates."),
    "notice_period": (DONE, None, "owner", ""),
}
STATES: tuple[Plan, ...] = (BARELY_STARTED, HALF_DONE, NEARLY_READY)
NOTES = (
    "Exit not yet planned: raise at the next tactical review.",
    "Fallback is the shared-services centre; plan to be finished before the notice date.",
    "Exit strategy agreed: re-tender to a second vendor, in-house team as fallback.",
)


def seed_exit_plans(organisations: dict[str, Organisation]) -> list[ExitPlan]:
    """Plans in three states on the demo organisation's live contracts (see the module)."""
    organisation = organisations.get(DEMO_ORGANISATION)
    if organisation is None:
        return []
    today = timezone.localdate()
    cio = (
        Membership.objects.filter(organisation=organisation, role=Role.CIO)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    live = sorted(
        Contract.objects.for_org(organisation).live().select_related("owner"),
        key=lambda c: (c.notice_deadline < today, c.notice_deadline, c.pk),
    )
    plans = []
    with transaction.atomic():
        for contract, state, notes in zip(live, STATES, NOTES, strict=False):
            if ExitPlan.objects.filter(contract=contract).exists():
                continue
            items = [
                {
                    "key": key,
                    "status": status,
                    "due_on": None if due is None else today + dt.timedelta(days=due),
                    "owner": cio.user if who == "cio" and cio is not None else contract.owner,
                    "notes": text,
                }
                for key, (status, due, who, text) in state.items()
            ]
            plans.append(
                exit_plan_save(
                    contract=contract, items=items, notes=notes, user=contract.owner, today=today
                )
            )
    return plans
