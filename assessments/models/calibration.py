"""An organisation's calibrated assumption set: the savings ranges its own record suggests.

Written by the contracts app (``contracts.calibration.services``), which holds the
evidence (realised savings against forecasts); read here, left of contracts, by new
projections when the organisation chose to use it (``use_for_projections``). The method
is in docs/methodology-calibration.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from assessments.engine.assumptions import Triangle


class CalibratedAssumptions(models.Model):
    """One row per organisation at most.

    ``saving``: sourcing model -> [low, mode, high] gross saving as decimal strings (four
    places). ``evidence``: model -> what moved it (contracts, bias, spread, weight,
    shift, widen, the default), as decimal strings, for the pages to explain it.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="calibrated_assumptions"
    )
    use_for_projections = models.BooleanField(
        default=False, help_text="New projections start from these ranges instead of the defaults."
    )
    saving = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    contracts = models.PositiveIntegerField(
        default=0, help_text="Contracts with realised savings the set was computed from."
    )
    computed_at = models.DateTimeField(default=timezone.now)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "calibrated assumption set"

    def __str__(self) -> str:
        return f"Calibrated assumptions of {self.organisation}"

    def saving_triangle(self, model: str) -> Triangle | None:
        """The stored gross saving triangle of a model; None when none is stored or it
        is unreadable (the projection then keeps the default)."""
        try:
            low, mode, high = (float(v) for v in self.saving[model])
            return Triangle(low, mode, high)
        except (KeyError, TypeError, ValueError):
            return None
