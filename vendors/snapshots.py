"""A vendor record as plain JSON data: what a change proposal stores and compares.

A snapshot holds every field of the vendor form and every describing row, in a canonical
order (sorted lists), so two snapshots are equal exactly when the records say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vendors.models import Vendor
from vendors.models.registry import CERTIFICATION_CHOICES, SERVICE_LINE_CHOICES

Snapshot = dict[str, Any]

SCALAR_FIELDS = (
    "name",
    "website",
    "headquarters_country",
    "headcount",
    "founded",
    "financial_stability",
    "references",
    "notes",
    "active",
)
LIST_FIELDS = ("models", "service_lines", "languages", "certifications", "centres")
LABELS = {
    "name": "Name",
    "website": "Website",
    "headquarters_country": "Headquarters",
    "headcount": "Headcount",
    "founded": "Year founded",
    "financial_stability": "Financial stability",
    "references": "References",
    "notes": "Curators' notes",
    "active": "Active",
    "models": "Sourcing models",
    "service_lines": "Service lines",
    "languages": "Languages",
    "certifications": "Certifications",
    "centres": "Delivery centres",
}
_SERVICE_LINES = dict(SERVICE_LINE_CHOICES)
_CERTIFICATIONS = dict(CERTIFICATION_CHOICES)


def vendor_snapshot(vendor: Vendor) -> Snapshot:
    """The record as it stands (reads the describing rows: prefetch ``with_profile``)."""
    return canonical(
        {
            **{name: getattr(vendor, name) for name in SCALAR_FIELDS},
            "models": list(vendor.offered_models),
            "service_lines": [line.code for line in vendor.service_lines.all()],
            "languages": [[row.language, row.proficiency] for row in vendor.languages.all()],
            "certifications": [
                [row.code, row.expires_on.isoformat()] for row in vendor.certifications.all()
            ],
            "centres": [[row.country, row.city] for row in vendor.delivery_centres.all()],
        }
    )


def canonical(snapshot: Snapshot) -> Snapshot:
    """Lists sorted and pairs as lists, so equal records give equal snapshots."""
    result = {name: snapshot.get(name) for name in SCALAR_FIELDS}
    for name in LIST_FIELDS:
        rows = snapshot.get(name) or []
        result[name] = sorted(list(row) if isinstance(row, list | tuple) else row for row in rows)
    return result


def changed_fields(base: Snapshot, proposed: Snapshot) -> list[str]:
    """The names of the fields ``proposed`` changes, in form order."""
    return [name for name in (*SCALAR_FIELDS, *LIST_FIELDS) if proposed.get(name) != base.get(name)]


def apply_changes(current: Snapshot, base: Snapshot, proposed: Snapshot) -> Snapshot:
    """``current`` with only the fields the proposer changed (from ``base``) replaced."""
    return {**current, **{name: proposed[name] for name in changed_fields(base, proposed)}}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    changed_since: bool  # the record no longer holds the value the proposer saw


def describe_changes(
    base: Snapshot, proposed: Snapshot, current: Snapshot | None = None
) -> list[FieldChange]:
    """What a proposal changes, in words; ``changed_since`` compares with today's record."""
    return [
        FieldChange(
            LABELS[name],
            show(name, base.get(name)),
            show(name, proposed[name]),
            current is not None and current.get(name) != base.get(name),
        )
        for name in changed_fields(base, proposed)
    ]


def show(name: str, value: Any) -> str:
    """A snapshot value in words, as a person reads it."""
    if value in (None, "", []):
        return "\u2013"
    if name == "active":
        return "yes" if value else "no"
    if name == "service_lines":
        return ", ".join(_SERVICE_LINES.get(code, code) for code in value)
    if name == "models":
        return ", ".join(value)
    if name == "languages":
        return ", ".join(f"{language} ({proficiency})" for language, proficiency in value)
    if name == "certifications":
        return ", ".join(f"{_CERTIFICATIONS.get(code, code)} until {day}" for code, day in value)
    if name == "centres":
        return ", ".join(f"{city}, {country}" for country, city in value)
    return str(value)
