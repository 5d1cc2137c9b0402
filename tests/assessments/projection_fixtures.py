"""Assessments with a stored roadmap, for the projection tests (built directly, no scoring)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from assessments.engine.projection import ProjectedProcess
from assessments.models import Assessment, Process, Recommendation, Status, WizardStep

# name, model, location, annual cost, wave, start month
PORTFOLIO: tuple[tuple[str, str, str, int, int | None, int | None], ...] = (
    ("Service desk", "ITO", "offshore", 1_500_000, 1, 0),
    ("Network infrastructure", "ITO", "nearshore", 1_800_000, 1, 0),
    ("Payroll processing", "BPO", "nearshore", 1_000_000, 2, 14),
    ("Accounts payable", "BPO", "offshore", 1_200_000, 2, 14),
    ("Market research", "KPO", "offshore", 500_000, 3, 20),
    ("Core product R&D", "retain", "in_house", 4_000_000, None, None),
)


def make_assessment(
    organisation,
    owner,
    *,
    name: str = "Back-office review 2027",
    processes: Sequence[tuple] = PORTFOLIO,
    horizon_months: int = 60,
    discount_rate: str = "0.08",
) -> Assessment:
    """A submitted assessment whose recommendations and roadmap are the given rows."""
    assessment = Assessment.objects.create(
        organisation=organisation,
        owner=owner,
        name=name,
        home_country="United Kingdom",
        currency=organisation.currency,
        status=Status.SUBMITTED,
        wizard_step=WizardStep.REVIEW,
        horizon_months=horizon_months,
        discount_rate=Decimal(discount_rate),
    )
    created = Process.objects.bulk_create(
        [
            Process(assessment=assessment, position=i, name=row[0], annual_cost=Decimal(row[3]))
            for i, row in enumerate(processes, start=1)
        ]
    )
    Recommendation.objects.bulk_create(
        [
            Recommendation(
                process=process,
                model=model,
                location=location,
                confidence=0.8,
                wave=wave,
                start_month=start,
                go_live_month=None if start is None else start + 6,
                engine_version="2026.1",
            )
            for process, (_, model, location, _cost, wave, start) in zip(
                created, processes, strict=True
            )
        ]
    )
    return assessment


def projected(processes: Sequence[tuple] = PORTFOLIO) -> list[ProjectedProcess]:
    """The rows the projection should see, in its order (wave, start month, position)."""
    rows = [(i, row) for i, row in enumerate(processes) if row[4] is not None]
    rows.sort(key=lambda item: (item[1][4], item[1][5], item[0]))
    return [
        ProjectedProcess(
            name=r[0],
            model=r[1],
            location=r[2],
            annual_cost=float(r[3]),
            start_month=r[5],
            wave=r[4],
        )
        for _, r in rows
    ]


def wide_portfolio(n: int, *, seed: int = 7) -> list[tuple]:
    """``n`` outsourced processes over three waves: a projection with real work in it."""
    import random

    rng = random.Random(seed)
    models = (("ITO", 1, 0), ("BPO", 2, 14), ("KPO", 3, 20))
    locations = ("onshore", "nearshore", "offshore")
    rows = []
    for i in range(n):
        model, wave, start = models[i % 3]
        rows.append(
            (
                f"Process {i:05d}",
                model,
                locations[rng.randrange(3)],
                rng.randrange(100_000, 5_000_000),
                wave,
                start + 5 * (i // 3 % 4),
            )
        )
    return rows
