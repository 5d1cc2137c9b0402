"""``manage.py assess FILE [--format json|csv]``: recommendations for an inventory file.

Reads a CSV or XLSX in the import format (METHODOLOGY section 2), scores and sequences
it with the same pipeline the app uses, and prints one recommendation per process. It
never touches the database.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.engine.pipeline import ProcessInput, assess
from assessments.engine.vocabulary import MODELS
from assessments.management.commands._inventory_file import inventory_from

CSV_COLUMNS = (
    "name",
    "model",
    "location",
    "confidence",
    *(f"score_{model}" for model in MODELS),
    "wave",
    "start_month",
    "flags",
    "reasons",
)


class Command(BaseCommand):
    help = (
        "Print the recommendation for every process in an inventory file (CSV or XLSX, "
        "the import format) without touching the database."
    )
    requires_system_checks: list[str] = []  # pure computation: no checks, no database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The inventory, .csv or .xlsx.")
        parser.add_argument(
            "--format",
            choices=("json", "csv"),
            default="json",
            help="Output format (default json).",
        )
        parser.add_argument(
            "--horizon",
            type=int,
            default=60,
            help="Months of the roadmap's projection (default 60).",
        )
        parser.add_argument(
            "--discount-rate",
            type=float,
            default=0.08,
            help="Annual discount rate for the roadmap gate (default 0.08).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        inventory = inventory_from(path, action="assessed")
        if not 1 <= options["horizon"] <= 240:
            raise CommandError("--horizon must be 1 to 240 months.")
        result = assess(
            [
                ProcessInput(name=row.name, annual_cost=float(row.annual_cost), answers=row.answers)
                for row in inventory.rows
            ],
            horizon=options["horizon"],
            discount_rate=options["discount_rate"],
        )
        processes = [process.to_dict() for process in result.processes]
        if options["format"] == "json":
            self.stdout.write(json.dumps(processes, indent=2, ensure_ascii=False))
        else:
            self._write_csv(processes)
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")

    def _write_csv(self, processes: list[dict[str, Any]]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for process in processes:
            writer.writerow(
                [
                    process["name"],
                    process["model"],
                    _cell(process["location"]),
                    _cell(process["confidence"]),
                    *(process["scores"][model] for model in MODELS),
                    _cell(process["wave"]),
                    _cell(process["start_month"]),
                    "; ".join(process["flags"]),
                    "; ".join(process["reasons"]),
                ]
            )
        self.stdout.write(buffer.getvalue(), ending="")


def _cell(value: Any) -> Any:
    return "" if value is None else value
