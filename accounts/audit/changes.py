"""An audit entry's changes as rows a person can read: field, before, after."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist

from accounts.audit.models import SIGN_IN_ACTIONS, AuditEntry

# django-auditlog writes a missing value as the text "None".
EMPTY = "None"


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: str
    after: str


def change_rows(entry: AuditEntry) -> list[ChangeRow]:
    """Each changed field with its value before and after (blank when there was none).

    For a many-to-many field, "before" lists what was removed and "after" what was added.
    A log-in, log-out or failure has one row: its outcome.
    """
    if entry.action in SIGN_IN_ACTIONS:
        outcome = (entry.additional_data or {}).get("outcome", "")
        return [ChangeRow("Outcome", "", str(outcome))]
    model = entry.content_type.model_class() if entry.content_type_id else None
    rows = []
    for name, change in sorted((entry.changes or {}).items()):
        label = _label(model, name)
        if isinstance(change, dict):  # many-to-many: {"operation": "add", "objects": [...]}
            objects = ", ".join(str(item) for item in change.get("objects", []))
            added = change.get("operation") == "add"
            rows.append(ChangeRow(label, "" if added else objects, objects if added else ""))
        elif isinstance(change, list | tuple) and len(change) == 2:
            rows.append(ChangeRow(label, _shown(change[0]), _shown(change[1])))
    return rows


def _label(model, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field removed since the entry was written
        return name
    return str(getattr(field, "verbose_name", name)).capitalize()


def _shown(value) -> str:
    return "" if value is None or value == EMPTY else str(value)


def kind_label(entry: AuditEntry) -> str:
    """What kind of record the entry is about ("Contract", "Log-in")."""
    if entry.action in SIGN_IN_ACTIONS:
        return "Log-in"
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else entry.content_type.model
