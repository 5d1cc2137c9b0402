"""Each import's file reader, called the way its page calls it, with a one-line outcome.

- inventory: the assessment wizard's upload and `manage.py assess/project` (read_inventory);
- measurements: the SLA measurement upload (read_rows);
- vendors: the Django admin import, at the step where django-import-export reads the
  upload (the formats VendorAdmin declares).
"""

from __future__ import annotations

REFUSED = "refused: "
READ = "read: "


def read_with(importer: str, filename: str, data: bytes) -> str:
    """ "refused: <the message the person sees>" or "read: <what was read>"."""
    return {"inventory": _inventory, "measurements": _measurements, "vendors": _vendors}[importer](
        filename, data
    )


def _inventory(filename: str, data: bytes) -> str:
    from assessments.engine.inventory import read_inventory

    inventory = read_inventory(data, filename)
    if inventory.errors:
        return REFUSED + " | ".join(str(error) for error in inventory.errors)
    return READ + f"{len(inventory.rows)} process(es): {[r.name for r in inventory.rows]}"


def _measurements(filename: str, data: bytes) -> str:
    from contracts.engine.measurement_files import FileProblem, read_rows

    try:
        rows = read_rows(filename, data)
    except FileProblem as problem:
        return REFUSED + str(problem)
    return READ + f"{len(rows)} row(s): {[dict(row.values) for row in rows]}"


def _vendors(filename: str, data: bytes) -> str:
    from accounts.engine.spreadsheets import SpreadsheetProblem
    from vendors.resources import VendorCSV, VendorXLSX

    try:
        if filename.endswith(".csv"):
            # The admin decodes a CSV upload before handing it to the format.
            dataset = VendorCSV(encoding="utf-8-sig").create_dataset(data.decode("utf-8-sig"))
        else:
            dataset = VendorXLSX().create_dataset(data)
    except SpreadsheetProblem as problem:
        return REFUSED + str(problem)
    return READ + f"{len(dataset)} row(s): headers {dataset.headers}, {list(dataset)}"
