"""Contracts with realised savings beside a stored forecast of known percentiles, for the
calibration tests: no Monte Carlo run, so every figure is known in advance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import Membership
from assessments.models import Assessment, Projection, ProjectionStatus
from contracts.models import Contract, ContractForecast, ForecastOutcome, RealisedSaving
from contracts.selectors.savings import processes_key
from tests.contracts.builders import make_assessment, make_contract

HORIZON = 60


def finished_projection(assessment: Assessment) -> Projection:
    return Projection.objects.create(
        assessment=assessment,
        status=ProjectionStatus.DONE,
        trials=1000,
        seed=7,
        horizon_months=HORIZON,
        discount_rate=0.08,
        inputs={"processes": []},
        result={"nothing_to_project": False, "monte_carlo": {}},
        finished_at=timezone.now(),
    )


def contract_with_evidence(
    member: Membership,
    *,
    title: str,
    band: tuple[int, int, int],
    vendor_cost: str = "80000",
    months: int = 6,
    model: str = "ITO",
    location: str = "offshore",
    process: str = "Service desk",
) -> Contract:
    """A contract covering one process of a fresh assessment, whose forecast saves
    ``band`` (P10, P50, P90) every month, with ``months`` months of realised savings from
    January 2025. The baseline is GBP 1,200,000 a year, so 80,000 a month paid to the
    vendor realises a little over 20,000 a month."""
    assessment = make_assessment(member, processes=((process, 1_200_000, model, 0, 0),))
    projection = finished_projection(assessment)
    contract = make_contract(
        member,
        title=title,
        model=model,
        location=location,
        baseline_annual_cost=Decimal("1200000"),
    )
    contract.processes.set(assessment.processes.all())
    ContractForecast.objects.update_or_create(
        contract=contract,
        defaults={
            "projection": projection,
            "processes_key": processes_key([process]),
            "outcome": ForecastOutcome.BAND,
            "covered": [process],
            "first_start_month": 0,
            "trials": 1000,
            "cumulative_p10": [band[0] * (m + 1) for m in range(HORIZON)],
            "cumulative_p50": [band[1] * (m + 1) for m in range(HORIZON)],
            "cumulative_p90": [band[2] * (m + 1) for m in range(HORIZON)],
        },
    )
    RealisedSaving.objects.bulk_create(
        [
            RealisedSaving(
                contract=contract,
                period=dt.date(2025, m + 1, 1),
                vendor_cost=Decimal(vendor_cost),
                governance_cost=Decimal("0"),
                recorded_by=member.user,
            )
            for m in range(months)
        ]
    )
    return contract
