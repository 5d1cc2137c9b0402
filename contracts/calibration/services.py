"""Store the organisation's calibrated assumption set, and its choice to use it.

The set is computed from the calibration report (``selectors.calibration_for``) by the
pure update rule (``contracts.engine.calibration_update``) and stored in the assessments
app (``CalibratedAssumptions``), where new projections read it when the organisation
chose to (``assessments.projections.assumption_sets``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from assessments.models import CalibratedAssumptions
from contracts.calibration.selectors import calibrated_ranges, calibration_for
from contracts.engine.calibration import CalibrationReport
from contracts.engine.calibration_update import CalibratedRange


def _evidence_json(ranges: dict[str, CalibratedRange], report: CalibrationReport) -> dict:
    return {
        model: {
            "contracts": r.contracts,
            "bias": None if model not in report.by_model else str(report.by_model[model].bias),
            "spread": (
                None
                if model not in report.by_model or report.by_model[model].spread is None
                else str(report.by_model[model].spread)
            ),
            "weight": str(r.weight),
            "shift": str(r.shift),
            "widen": str(r.widen),
            "default": [str(v) for v in r.default],
        }
        for model, r in ranges.items()
    }


def calibrated_assumptions_store(
    *,
    organisation: Organisation,
    user: User | AnonymousUser | None,
    use_for_projections: bool | None = None,
    today: dt.date | None = None,
) -> CalibratedAssumptions:
    """Compute the set from the organisation's current record and store it; with
    ``use_for_projections`` also record whether new projections start from it (None
    keeps the choice as it is)."""
    report = calibration_for(organisation, today or timezone.localdate()).report
    ranges = calibrated_ranges(report)
    values = {
        "saving": {model: r.as_list() for model, r in ranges.items()},
        "evidence": _evidence_json(ranges, report),
        "contracts": report.contracts,
        "computed_at": timezone.now(),
        "chosen_by": user if user is not None and user.is_authenticated else None,
    }
    if use_for_projections is not None:
        values["use_for_projections"] = use_for_projections
    with transaction.atomic():
        stored, _ = CalibratedAssumptions.objects.select_for_update().update_or_create(
            organisation=organisation, defaults=values
        )
    return stored


def calibrated_assumptions_stop(
    *, organisation: Organisation, user: User | AnonymousUser | None
) -> bool:
    """New projections start from the published defaults again; the stored set stays.
    False when there was no set to stop using."""
    with transaction.atomic():
        stored = (
            CalibratedAssumptions.objects.select_for_update()
            .filter(organisation=organisation)
            .first()
        )
        if stored is None:
            return False
        stored.use_for_projections = False
        stored.chosen_by = user if user is not None and user.is_authenticated else None
        stored.save(update_fields=["use_for_projections", "chosen_by"])
    return True
