"""The audit trail as CSV: one row per changed field, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import UTC

from accounts.audit.changes import ChangeRow, change_rows, kind_label
from accounts.audit.models import AuditEntry
from accounts.engine.text_cells import neutralise

HEADER = (
    "Time (UTC)",
    "Person",
    "Action",
    "Kind of record",
    "Record",
    "Record id",
    "Field",
    "Before",
    "After",
    "Address",
)


class _Line:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, text: str) -> str:
        return text


def csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    """UTF-8 CSV text, line by line, starting with a BOM (so Excel reads accents right)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(HEADER)
    for entry in entries:
        for change in change_rows(entry) or [ChangeRow("", "", "")]:
            yield writer.writerow([neutralise(cell) for cell in _row(entry, change)])


def _row(entry: AuditEntry, change: ChangeRow) -> list:
    return [
        entry.timestamp.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor.get_username() if entry.actor else "",
        entry.get_action_display(),
        kind_label(entry),
        entry.object_repr,
        entry.object_pk,
        change.field,
        change.before,
        change.after,
        entry.remote_addr or "",
    ]
