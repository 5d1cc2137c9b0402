"""Writes to the shared vendor registry and to an organisation's notes about vendors."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import models, transaction

from accounts.models import Organisation
from vendors.models import (
    Certification,
    DeliveryCentre,
    Vendor,
    VendorLanguage,
    VendorNote,
    VendorServiceLine,
)
from vendors.services.errors import SelectionError

# The rows that describe a vendor, each kept with its history.
Describing = VendorServiceLine | VendorLanguage | Certification | DeliveryCentre
DescribingRow = TypeVar("DescribingRow", bound=Describing)


@dataclass(frozen=True)
class VendorDetails:
    """A vendor's describing rows, as clean data from a form or an import row."""

    service_lines: Sequence[str]
    languages: Sequence[tuple[str, str]]  # (language, proficiency)
    certifications: Sequence[tuple[str, date]]  # (code, expires on)
    centres: Sequence[tuple[str, str]]  # (country, city)


VENDOR_FIELDS = (
    "name",
    "website",
    "headquarters_country",
    "offers_ito",
    "offers_bpo",
    "offers_kpo",
    "headcount",
    "founded",
    "financial_stability",
    "references",
    "notes",
    "active",
)


def vendor_save(
    *,
    vendor: Vendor | None,
    data: Mapping[str, Any],
    details: VendorDetails,
    user: User | None = None,
    reason: str = "",
) -> Vendor:
    """Create or update a vendor and replace the rows that describe it.

    ``user`` and ``reason`` go into every history record the save writes; without a
    user, the history takes the signed-in person of the current request, if any.
    """
    with transaction.atomic():
        vendor = vendor or Vendor()
        for name in VENDOR_FIELDS:
            if name in data:
                setattr(vendor, name, data[name])
        stamp_history(vendor, user=user, reason=reason)
        vendor.save()
        vendor_replace_details(vendor=vendor, details=details, user=user, reason=reason)
    return vendor


def stamp_history(row: Vendor | Describing, *, user: User | None, reason: str) -> None:
    """Who and why, for the history record django-simple-history writes on the next save."""
    if user is not None:
        row._history_user = user
    if reason:
        row._change_reason = reason


def vendor_replace_details(
    *, vendor: Vendor, details: VendorDetails, user: User | None = None, reason: str = ""
) -> None:
    """Make the vendor's rows match ``details``; unchanged rows are kept (and their history)."""
    with transaction.atomic():
        _sync(
            vendor.service_lines,
            {(code,) for code in details.service_lines},
            lambda key: VendorServiceLine(vendor=vendor, code=key[0]),
            ("code",),
            user=user,
            reason=reason,
        )
        _sync(
            vendor.languages,
            set(details.languages),
            lambda key: VendorLanguage(vendor=vendor, language=key[0], proficiency=key[1]),
            ("language", "proficiency"),
            user=user,
            reason=reason,
        )
        _sync(
            vendor.certifications,
            set(details.certifications),
            lambda key: Certification(vendor=vendor, code=key[0], expires_on=key[1]),
            ("code", "expires_on"),
            user=user,
            reason=reason,
        )
        _sync(
            vendor.delivery_centres,
            set(details.centres),
            lambda key: DeliveryCentre(vendor=vendor, country=key[0], city=key[1]),
            ("country", "city"),
            user=user,
            reason=reason,
        )


def _sync(
    related: models.Manager[DescribingRow],
    wanted: set[tuple[Any, ...]],
    build: Callable[[tuple[Any, ...]], DescribingRow],
    fields: tuple[str, ...],
    *,
    user: User | None,
    reason: str,
) -> None:
    # Row by row rather than in bulk so that django-simple-history records each change.
    existing = {tuple(getattr(row, f) for f in fields): row for row in related.all()}
    for key, row in existing.items():
        if key not in wanted:
            stamp_history(row, user=user, reason=reason)
            row.delete()
    for key in sorted(wanted - set(existing), key=str):
        row = build(key)
        stamp_history(row, user=user, reason=reason)
        row.save()


def vendor_note_add(
    *, organisation: Organisation, vendor: Vendor, author: User, text: str
) -> VendorNote:
    text = text.strip()
    if not text:
        raise SelectionError("Write the note before saving it.")
    with transaction.atomic():
        return VendorNote.objects.create(
            organisation=organisation, vendor=vendor, author=author, text=text
        )
