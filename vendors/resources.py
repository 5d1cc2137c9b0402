"""CSV/XLSX import and export of the vendor registry (django-import-export).

One row per vendor, matched to an existing vendor by name (case-insensitive). A file is
all or nothing: any bad row, an unknown or missing column, a vendor listed twice or
more than ``MAX_IMPORT_ROWS`` rows, and nothing is imported; the preview lists the first
``MAX_LISTED_PROBLEMS`` bad rows and why, then how many more there are. Cell formats are in
``vendors.engine.cells``.

The file is read by ``VendorCSV`` and ``VendorXLSX`` through the shared
``accounts.engine.spreadsheets``, with the same limits as every other import (size, rows,
columns, and for workbooks the checks against decompression bombs), instead of
django-import-export's readers, which load a whole workbook into memory.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import resources
from import_export.fields import Field
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import InvalidRow

from accounts.engine.formatting import count_of
from accounts.engine.spreadsheets import (
    MAX_LISTED_PROBLEMS,
    MEGABYTE,
    SheetLimits,
    csv_rows,
    looks_like_formula,
    shorten,
    xlsx_rows,
)
from accounts.engine.text_cells import neutralise
from assessments.engine.vocabulary import OUTSOURCED_MODELS
from vendors.engine import cells
from vendors.models import Vendor
from vendors.services import VendorDetails, vendor_replace_details

MAX_IMPORT_ROWS = 10_000
MAX_IMPORT_BYTES = 5 * MEGABYTE
# 14 columns are read; room for as many unknown ones, which the column check then names.
MAX_IMPORT_COLUMNS = 32
LIMITS = SheetLimits(
    max_bytes=MAX_IMPORT_BYTES, max_rows=MAX_IMPORT_ROWS, max_columns=MAX_IMPORT_COLUMNS
)
MAX_NAMED = 10  # column names or row numbers quoted in one message
COLUMNS = (
    "name",
    "website",
    "headquarters_country",
    "models",
    "service_lines",
    "languages",
    "certifications",
    "delivery_centres",
    "headcount",
    "founded",
    "financial_stability",
    "references",
    "notes",
    "active",
)
REQUIRED_COLUMNS = ("name", "headquarters_country")
DETAIL_COLUMNS = ("service_lines", "languages", "certifications", "delivery_centres")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; the message says why."""


def _header(name: object) -> str:
    return "_".join(cells.text(name).casefold().replace("-", " ").split())


def _names(columns: list[str]) -> str:
    shown = ", ".join(shorten(column) for column in columns[:MAX_NAMED])
    more = len(columns) - MAX_NAMED
    return shown + (f" and {more:,} more" if more > 0 else "")


def _dataset(rows: list[tuple]) -> tablib.Dataset:
    """A dataset whose header is the first row, every row as wide as the widest."""
    width = max((len(row) for row in rows), default=0)
    dataset = tablib.Dataset()
    if rows:
        dataset.headers = [*rows[0], *[None] * (width - len(rows[0]))]
    for row in rows[1:]:
        dataset.append([*row, *[None] * (width - len(row))])
    return dataset


class VendorCSV(CSV):
    """CSV read like tablib reads it (comma separated, the first line is the header, blank
    lines skipped, short rows padded), with the shared limits."""

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        text = (
            in_stream.decode(self.encoding or "utf-8-sig")
            if isinstance(in_stream, bytes)
            else in_stream
        )
        rows = [row.cells for row in csv_rows(text, LIMITS, delimiter=",") if row.cells]
        if not rows:
            return tablib.Dataset()
        width = len(rows[0])
        dataset = tablib.Dataset(headers=list(rows[0]))
        for row in rows[1:]:
            # A longer row fails here as it did in tablib ("every row the same columns").
            dataset.append([*row, *[""] * (width - len(row))])
        return dataset


class VendorXLSX(XLSX):
    """The sheet that was active when the workbook was saved (as django-import-export
    reads it), values rather than formulas, with the shared limits; the header is the
    first row that holds a value."""

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        rows = [row.cells for row in xlsx_rows(in_stream, LIMITS, sheet="active")]
        while rows and not any(cell is not None for cell in rows[0]):
            rows.pop(0)
        return _dataset(rows)


class _Diff(resources.Diff):
    """The preview's before/after columns, including the list cells once the row is saved."""

    @classmethod
    def _read_field_values(cls, resource, instance):
        if instance.pk is None:  # a new vendor has no rows to list yet
            return [field.export(instance) for field in resource.get_import_fields()]
        return [resource.export_field(field, instance) for field in resource.get_import_fields()]


class VendorResource(resources.ModelResource):
    models = Field(column_name="models")
    service_lines = Field(column_name="service_lines")
    languages = Field(column_name="languages")
    certifications = Field(column_name="certifications")
    delivery_centres = Field(column_name="delivery_centres")

    class Meta:
        model = Vendor
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows_by_name: dict[str, list[int]] = {}
        # Each vendor's describing rows as read from its row, until the vendor is saved.
        self._details: dict[int, dict[str, Any]] = {}

    @classmethod
    def get_diff_class(cls) -> type[resources.Diff]:
        return _Diff

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # A curator's export opens in a spreadsheet: text that reads as a formula is
        # neutralised. (Not in export_field, which the import preview's diff reuses.)
        return [
            neutralise(value)
            for value in super().export_resource(instance, selected_fields, **kwargs)
        ]

    # ------------------------------------------------------------ the file

    def import_data(self, dataset, *args, **kwargs):
        # All or nothing: a row that fails validation rolls back every other row too.
        kwargs["rollback_on_validation_errors"] = True
        result = super().import_data(dataset, *args, **kwargs)
        _list_first_invalid_rows(result)
        return result

    def before_import(self, dataset, **kwargs) -> None:
        if len(dataset) > MAX_IMPORT_ROWS:
            count = len(dataset)
            dataset.wipe()
            raise ImportFileError(
                f"The file has {count:,} rows; at most {MAX_IMPORT_ROWS:,} vendors can be "
                "imported at once. Split it into smaller files. Nothing was imported."
            )
        headers = [_header(h) for h in dataset.headers or []]
        problems = []
        unknown = [h for h in headers if h and h not in COLUMNS]
        if unknown:
            columns = "column" if len(unknown) == 1 else "columns"
            problems.append(f"unknown {columns} {_names(unknown)}")
        missing = [c for c in REQUIRED_COLUMNS if c not in headers]
        if missing:
            columns = "column" if len(missing) == 1 else "columns"
            problems.append(f"missing {columns} {', '.join(missing)}")
        repeated = sorted({h for h in headers if h and headers.count(h) > 1})
        if repeated:
            columns = "column" if len(repeated) == 1 else "columns"
            problems.append(f"{columns} listed twice: {_names(repeated)}")
        if problems:
            dataset.wipe()
            raise ImportFileError(
                f"The columns are wrong: {'; '.join(problems)}. The columns are: "
                f"{', '.join(COLUMNS)} (name and headquarters_country are required). "
                "Nothing was imported."
            )
        dataset.headers = headers
        rows: dict[str, list[int]] = defaultdict(list)
        for number, name in enumerate(dataset["name"], start=1):
            if cells.text(name):
                rows[cells.text(name).casefold()].append(number)
        self._rows_by_name = rows

    # ------------------------------------------------------------ one row

    def get_instance(self, instance_loader, row):
        name = cells.text(row.get("name"))
        return Vendor.objects.filter(name__iexact=name).first() if name else None

    def import_instance(self, instance: Vendor, row, **kwargs) -> None:
        """Read every cell into the vendor, collecting each cell's problem in words."""
        errors: dict[str, str] = {}

        def read(column, reader, *args, **kw):
            if column not in row or column in errors:
                return None
            try:
                return reader(row[column], *args, **kw)
            except ValueError as error:
                errors[column] = shorten(error, 300)  # some quote the cell, which may be long
                return None

        for column in COLUMNS:
            if looks_like_formula(row.get(column)):
                errors[column] = (
                    f"\u201c{shorten(row[column])}\u201d looks like a spreadsheet formula; "
                    "write the plain text without a leading =, +, - or @ (formulas are "
                    "refused so they cannot run when the registry is opened in a "
                    "spreadsheet)."
                )
        name = cells.text(row.get("name"))
        rows_named = self._rows_by_name.get(name.casefold(), [])
        if not name and "name" not in errors:
            errors["name"] = "Give the vendor's name."
        elif len(rows_named) > 1 and "name" not in errors:
            numbers = ", ".join(str(n) for n in rows_named[:MAX_NAMED])
            if len(rows_named) > MAX_NAMED:
                numbers += f" and {len(rows_named) - MAX_NAMED:,} more"
            errors["name"] = (
                f"\u201c{shorten(name)}\u201d is on rows {numbers}: list each vendor once per file."
            )
        instance.name = name
        this_year = timezone.localdate().year
        values = {
            "website": read("website", cells.text),
            "headquarters_country": read("headquarters_country", cells.country),
            "headcount": read("headcount", cells.whole_number, what="headcount"),
            "founded": read("founded", cells.year_founded, this_year=this_year),
            "financial_stability": read("financial_stability", cells.financial_stability),
            "references": read("references", cells.text),
            "notes": read("notes", cells.text),
            "active": read("active", cells.yes_no, default=True),
        }
        for field, value in values.items():
            if field in row and field not in errors:
                setattr(instance, field, value)
        if instance.website and "://" not in instance.website:
            instance.website = f"https://{instance.website}"
        offered = read("models", cells.models)
        if offered is not None:
            for model in OUTSOURCED_MODELS:
                setattr(instance, f"offers_{model.lower()}", model in offered)
        readers = {
            "service_lines": cells.service_lines,
            "languages": cells.languages,
            "certifications": cells.certifications,
            "delivery_centres": cells.delivery_centres,
        }
        details = {column: read(column, reader) for column, reader in readers.items()}
        self._details[id(instance)] = details  # saved by after_save_instance
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance: Vendor, row, **kwargs) -> None:
        details = self._details.pop(id(instance))
        current: dict[str, list[Any]] = {
            "service_lines": [line.code for line in instance.service_lines.all()],
            "languages": [(v.language, v.proficiency) for v in instance.languages.all()],
            "certifications": [(c.code, c.expires_on) for c in instance.certifications.all()],
            "delivery_centres": [(c.country, c.city) for c in instance.delivery_centres.all()],
        }
        # A column left out of the file keeps what the vendor has.
        merged: dict[str, Any] = {
            column: details[column] if column in row else current[column]
            for column in DETAIL_COLUMNS
        }
        vendor_replace_details(
            vendor=instance,
            details=VendorDetails(
                service_lines=merged["service_lines"],
                languages=merged["languages"],
                certifications=merged["certifications"],
                centres=merged["delivery_centres"],
            ),
        )

    # ------------------------------------------------------------ export

    def get_queryset(self):
        return Vendor.objects.with_profile().order_by("name")

    def dehydrate_models(self, vendor: Vendor) -> str:
        return cells.join_models(vendor.offered_models)

    def dehydrate_service_lines(self, vendor: Vendor) -> str:
        return cells.join_service_lines(line.code for line in vendor.service_lines.all())

    def dehydrate_languages(self, vendor: Vendor) -> str:
        return cells.join_pairs((v.language, v.proficiency) for v in vendor.languages.all())

    def dehydrate_certifications(self, vendor: Vendor) -> str:
        return cells.join_certifications(
            (c.code, c.expires_on) for c in vendor.certifications.all()
        )

    def dehydrate_delivery_centres(self, vendor: Vendor) -> str:
        return cells.join_pairs((c.country, c.city) for c in vendor.delivery_centres.all())

    def dehydrate_active(self, vendor: Vendor) -> str:
        return "yes" if vendor.active else "no"


def _list_first_invalid_rows(result) -> None:
    """Keep the first MAX_LISTED_PROBLEMS bad rows for the preview, each cell shortened,
    then one line saying how many more there are: the import is rolled back anyway, and
    a preview of 10,000 bad rows of long cells can weigh tens of megabytes."""
    invalid = result.invalid_rows
    for row in invalid[:MAX_LISTED_PROBLEMS]:
        row.values = tuple(
            shorten(value, 80) if isinstance(value, str) else value for value in row.values
        )
    more = len(invalid) - MAX_LISTED_PROBLEMS
    if more > 0:
        del invalid[MAX_LISTED_PROBLEMS:]
        invalid.append(
            InvalidRow(
                number="\u2026",  # type: ignore[arg-type]  # the stubs say int; any label shows
                values=(),
                validation_error=ValidationError(
                    f"{count_of(more, 'more row')} "
                    f"{'has' if more == 1 else 'have'} problems, not listed here. Fix the "
                    "ones above and upload the file again to see the rest."
                ),
            )
        )
