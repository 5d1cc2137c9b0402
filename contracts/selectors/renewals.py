"""Renewals: what each live contract's dates call for today, computed on request.

No scheduler is needed to read this page: it works out deadlines and actions from the
contract's dates each time (the daily job only adds reminders and rolls dates forward).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.models import Organisation
from contracts.engine.renewals import roll_forward
from contracts.models import Contract, ContractStatus, RenewalType

HORIZON_DAYS = 180
THRESHOLDS = (30, 60, 90)


@dataclass(frozen=True)
class RenewalRow:
    contract: Contract
    deadline: dt.date
    days_to_deadline: int
    days_to_end: int
    state: str
    action: str
    urgency: str  # a Bootstrap colour: danger, warning, info or secondary

    @property
    def threshold(self) -> int | None:
        """The reminder band the deadline is in (30, 60, 90), None outside them."""
        if self.days_to_deadline < 0:
            return None
        return next((t for t in THRESHOLDS if self.days_to_deadline <= t), None)


def _d(day: dt.date) -> str:
    return f"{day:%d %b %Y}"


def _upcoming(contract: Contract, deadline: dt.date) -> str:
    months = contract.renewal_term_months
    if contract.renewal_type == RenewalType.AUTO_RENEW:
        return (
            f"Give notice by {_d(deadline)} if it should not renew on "
            f"{_d(contract.end_date + dt.timedelta(days=1))} for another {months} months."
        )
    if contract.renewal_type == RenewalType.OPTION_TO_EXTEND:
        return (
            f"Decide by {_d(deadline)} whether to exercise the option to extend by "
            f"{months} months or let the contract end on {_d(contract.end_date)}."
        )
    return (
        f"Decide by {_d(deadline)}: renegotiate, re-tender or give notice; the contract "
        f"ends on {_d(contract.end_date)}."
    )


def _passed(contract: Contract, deadline: dt.date) -> str:
    if contract.renewal_type == RenewalType.AUTO_RENEW:
        return (
            f"The notice deadline passed on {_d(deadline)}: the contract renews "
            f"automatically on {_d(contract.end_date + dt.timedelta(days=1))} for "
            f"{contract.renewal_term_months} months."
        )
    if contract.renewal_type == RenewalType.OPTION_TO_EXTEND:
        return (
            f"The deadline to exercise the option passed on {_d(deadline)}; the contract "
            f"ends on {_d(contract.end_date)} unless the vendor agrees otherwise."
        )
    return (
        f"The notice deadline passed on {_d(deadline)}; the contract ends on "
        f"{_d(contract.end_date)}. Agree an extension now or complete the exit plan."
    )


def renewal_action(contract: Contract, today: dt.date) -> RenewalRow:
    """The state of ``contract``'s renewal on ``today`` and the action it calls for."""
    deadline = contract.notice_deadline
    days = (deadline - today).days
    to_end = (contract.end_date - today).days
    if contract.status == ContractStatus.IN_NOTICE:
        state, urgency = "Notice given", "secondary"
        action = (
            f"Notice has been given; the contract ends on {_d(contract.end_date)}. "
            "Run the exit or transition plan."
        )
        if to_end < 0:
            state, urgency = "Ended", "danger"
            action = f"Ended on {_d(contract.end_date)}: mark it expired."
    elif to_end < 0:
        urgency = "danger"
        if contract.renewal_type == RenewalType.AUTO_RENEW:
            start, end = roll_forward(
                contract.term_start, contract.end_date, contract.renewal_term_months, today
            )
            state = "Renewed automatically"
            action = (
                f"The term ended on {_d(contract.end_date)} and renewed automatically: "
                f"the current term runs from {_d(start)} to {_d(end)}. The daily job "
                "records the new dates."
            )
        else:
            state = "Past its end date"
            action = (
                f"Ended on {_d(contract.end_date)}: record a renewal or extension, or "
                "mark it expired."
            )
    elif days < 0:
        state, urgency, action = "Notice deadline passed", "danger", _passed(contract, deadline)
    else:
        state = f"Notice deadline in {days} day{'s' if days != 1 else ''}"
        urgency = (
            "danger"
            if days <= 30
            else "warning"
            if days <= 60
            else "info"
            if days <= 90
            else "secondary"
        )
        action = (
            _upcoming(contract, deadline)
            if days <= 90
            else (f"Nothing yet; start preparing the renewal decision before {_d(deadline)}.")
        )
    return RenewalRow(contract, deadline, days, to_end, state, action, urgency)


def renewal_rows(
    organisation: Organisation, today: dt.date, horizon_days: int = HORIZON_DAYS
) -> list[RenewalRow]:
    """Live contracts whose notice deadline is within ``horizon_days`` (or has passed),
    most urgent first. One query."""
    contracts = (
        Contract.objects.for_org(organisation)
        .live()
        .select_related("vendor", "owner")
        .order_by("end_date", "pk")
    )
    rows = [renewal_action(contract, today) for contract in contracts]
    rows = [r for r in rows if r.days_to_deadline <= horizon_days or r.days_to_end < 0]
    return sorted(rows, key=lambda r: (r.deadline, r.contract.pk))
