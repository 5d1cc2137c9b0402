"""``manage.py calibration --organisation NAME [--format json]``: the calibration report.

Where each contract's realised savings fell within the forecast made for it, the share
inside P10 to P90, the bias by model and location, and the calibrated gross saving ranges
the record gives (docs/methodology-calibration.md). Reads only; stores nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.engine.formatting import count_of, percent
from accounts.models import Organisation
from contracts.calibration.selectors import calibrated_ranges, calibration_for


class Command(BaseCommand):
    help = (
        "Print an organisation's calibration report: where realised savings fell within "
        "their forecasts, and the calibrated savings ranges its record gives."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's name.")
        parser.add_argument(
            "--format", choices=("text", "json"), default="text", help="Output format."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["organisation"].strip()
        organisation = Organisation.objects.filter(name=name).first() or (
            Organisation.objects.filter(name__iexact=name).order_by("pk").first()
        )
        if organisation is None:
            raise CommandError(f"No organisation is named {name!r}: check the spelling.")
        calibration = calibration_for(organisation, timezone.localdate())
        report = calibration.report
        data = {
            "organisation": organisation.name,
            **report.as_dict(),
            "calibrated_gross_saving": {
                model: {
                    "default": [float(v) for v in r.default],
                    "calibrated": [float(r.low), float(r.mode), float(r.high)],
                    "contracts": r.contracts,
                    "weight": float(r.weight),
                }
                for model, r in calibrated_ranges(report).items()
            },
            "not_counted": [
                {"contract": w.contract.pk, "title": w.contract.title, "reason": w.reason}
                for w in calibration.waiting
            ],
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"Calibration of {organisation.name}'s savings forecasts")
        if not report.contracts:
            self.stdout.write("No evidence yet: no contract has realised savings and a forecast.")
            return
        self.stdout.write(
            f"{count_of(report.contracts, 'contract')}, "
            f"{count_of(report.outcomes, 'contract-month')}; inside "
            f"P10 to P90: {percent(report.coverage)} (80 % is calibrated)."
        )
        for model, bias in report.bias_by_model.items():
            self.stdout.write(f"Bias {model}: {percent(bias, 1)} of the forecast")
        for where, bias in report.bias_by_location.items():
            self.stdout.write(f"Bias {where}: {percent(bias, 1)} of the forecast")
        for c in report.drivers:
            self.stdout.write(f"Outside the band: {c.title} (percentile {percent(c.latest_pit)})")
