"""What a contract's realised savings are compared with, stored when it is computed.

The comparison re-runs the assessment's latest finished projection for the processes the
contract covers (a Monte Carlo run: too slow for a page). A Celery task
(``contracts.forecasts``) stores its outcome here when the projection finishes or the
contract's processes change; the pages only read it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from assessments.models import Projection
from contracts.models.contracts import Contract


class ForecastOutcome(models.TextChoices):
    BAND = "band", "Projected savings of the covered processes"
    NOT_COVERED = "not_covered", "The projection does not include the covered processes"
    NOTHING = "nothing", "The projection has nothing to project"


class ContractForecast(models.Model):
    """The projected saving of one contract's covered processes, under one projection.

    One row per contract: the outcome for ``projection`` (the assessment's latest finished
    one when it was computed) and the contract's processes of that time, named by
    ``processes_key``. A page uses it only while both still hold, and otherwise says the
    forecast is being prepared.

    ``cumulative_p10``/``p50``/``p90``: the Monte Carlo percentiles of the cumulative
    saving, one per month of the projection's horizon from its month 0 (floats, as the
    engine gives them); ``first_start_month``: the earliest start month of the covered
    processes on the projection's roadmap.
    """

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="forecast")
    projection = models.ForeignKey(
        Projection, on_delete=models.CASCADE, related_name="contract_forecasts"
    )
    processes_key = models.CharField(
        max_length=64, help_text="SHA-256 of the names of the contract's processes."
    )
    outcome = models.CharField(max_length=12, choices=ForecastOutcome.choices)
    covered = models.JSONField(
        default=list, blank=True, help_text="Names of the covered processes the projection has."
    )
    first_start_month = models.PositiveSmallIntegerField(null=True, blank=True)
    trials = models.PositiveIntegerField(default=0)
    cumulative_p10 = models.JSONField(default=list, blank=True)
    cumulative_p50 = models.JSONField(default=list, blank=True)
    cumulative_p90 = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Forecast of contract {self.contract_id} under projection {self.projection_id}"
