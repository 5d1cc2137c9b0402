"""Writing contracts: create, update, create a draft from an award, and documents."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from accounts.models import Organisation
from contracts.engine.periods import add_months
from contracts.models import (
    Contract,
    ContractDocument,
    ContractStatus,
    DeliveryLocation,
    RenewalType,
)
from contracts.services.credits import credits_recompute
from vendors.models import Award, EventProcess

CONTRACT_FIELDS = (
    "title",
    "reference",
    "vendor",
    "sourcing_event",
    "model",
    "location",
    "start_date",
    "end_date",
    "annual_value",
    "currency",
    "payment_terms",
    "renewal_type",
    "renewal_term_months",
    "notice_days",
    "termination_terms",
    "owner",
    "status",
    "at_risk_pct",
    "baseline_annual_cost",
    "ramp_months",
)
# A change to any of these changes what the credits are worth.
_CREDIT_FIELDS = ("annual_value", "at_risk_pct")
DEFAULT_NOTICE_DAYS = 90
DEFAULT_AT_RISK_PCT = Decimal("12")


def contract_create(
    *, organisation: Organisation, data: Mapping[str, Any], user: User | None = None
) -> Contract:
    with transaction.atomic():
        contract = Contract(
            organisation=organisation, **{k: data[k] for k in CONTRACT_FIELDS if k in data}
        )
        if user is not None:
            contract._history_user = user
        contract.save()
        contract.processes.set(data.get("processes", []))
    return contract


def contract_update(
    *, contract: Contract, data: Mapping[str, Any], user: User | None = None
) -> Contract:
    """Save the changed terms (the history keeps the old ones) and refresh the credits
    when the fee or the at-risk share changed."""
    with transaction.atomic():
        before = {field: getattr(contract, field) for field in _CREDIT_FIELDS}
        for field in CONTRACT_FIELDS:
            if field in data:
                setattr(contract, field, data[field])
        if contract.current_term_start and contract.current_term_start > contract.end_date:
            contract.current_term_start = None
        if user is not None:
            contract._history_user = user
        contract.save()
        if "processes" in data:
            contract.processes.set(data["processes"])
        if any(getattr(contract, field) != value for field, value in before.items()):
            credits_recompute(contract=contract, user=user, reason="Contract terms changed")
    return contract


def _award_location(scope: list[EventProcess]) -> str:
    counts = Counter(item.location for item in scope if item.location in DeliveryLocation.values)
    return counts.most_common(1)[0][0] if counts else DeliveryLocation.ONSHORE


def award_contract_terms(award: Award) -> dict[str, Any]:
    """The draft contract's terms, prefilled from the award's winning proposal."""
    event, proposal = award.event, award.proposal
    start: dt.date = event.planned_start
    end = add_months(start, proposal.term_months, keep_month_end=True) - dt.timedelta(days=1)
    term_days = (end - start).days + 1
    return {
        "title": f"{event.name}: {award.vendor.name}"[:200],
        "vendor": award.vendor,
        "sourcing_event": event,
        "model": event.model,
        "start_date": start,
        "end_date": end,
        "annual_value": proposal.annual_price,
        "currency": event.assessment.currency,
        "renewal_type": RenewalType.FIXED_TERM,
        "notice_days": min(DEFAULT_NOTICE_DAYS, term_days),
        "status": ContractStatus.DRAFT,
        "at_risk_pct": DEFAULT_AT_RISK_PCT,
    }


def contract_create_from_award(*, award: Award, user: User) -> tuple[Contract, bool]:
    """The award's draft contract, created once: (contract, created).

    Prefilled from the winning proposal: vendor, event, processes in scope, model,
    the most common recommended location, annual value, term (end date) and the
    assessment's currency. A second call returns the contract made by the first.
    """
    existing = Contract.objects.filter(award=award).first()
    if existing is not None:
        return existing, False
    scope = list(EventProcess.objects.filter(event=award.event).select_related("process"))
    terms = award_contract_terms(award)
    try:
        with transaction.atomic():
            contract = Contract(
                organisation=award.event.organisation,
                award=award,
                owner=user,
                location=_award_location(scope),
                **terms,
            )
            contract._history_user = user
            contract._change_reason = "Drafted from the award"
            contract.save()
            contract.processes.set([item.process for item in scope])
    except IntegrityError:
        # Two clicks raced past the first check; the other one created it.
        existing = Contract.objects.filter(award=award).first()
        if existing is None:
            raise
        return existing, False
    return contract, True


def document_upload(
    *, contract: Contract, file: UploadedFile, kind: str, description: str, user: User
) -> ContractDocument:
    """Store the (already checked) file under MEDIA_ROOT with an unguessable name."""
    if file.name is None or file.size is None:
        raise ValueError("An uploaded file has a name and a size.")
    with transaction.atomic():
        document = ContractDocument(
            contract=contract,
            original_name=file.name[:255],
            kind=kind,
            size=file.size,
            description=description,
            uploaded_by=user,
        )
        document.file.save(file.name, file, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
    return document


def document_delete(*, document: ContractDocument) -> None:
    with transaction.atomic():
        storage, name = document.file.storage, document.file.name
        document.delete()
        # Remove the file only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))
