"""Demo scenarios for ``manage.py seed_demo``: the demo assessment's base and two
alternatives, "Cautious savings" and "No offshore", each projected.

Running it twice changes nothing: a scenario that exists is left as it is, and one that
has a projection is not projected again.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accounts.models import Organisation
from assessments.demo import DEMO_ASSESSMENT
from assessments.engine.scenarios import parse_scenario
from assessments.models import Assessment, Scenario
from assessments.scenarios.services import scenario_base, scenario_project, scenario_save

DEMO_SCENARIO_TRIALS = 10_000

# Savings at the cautious end of the published ranges (METHODOLOGY 5: the defaults' lows
# pulled in), transitions a little longer, and a higher discount rate for the risk.
CAUTIOUS = {
    "discount_rate": 0.10,
    "drivers": {
        "gross_saving": {
            "ITO": [0.03, 0.12, 0.25],
            "BPO": [0.05, 0.15, 0.30],
            "KPO": [0.0, 0.08, 0.25],
        },
        "transition_months": {"ITO": [4, 6, 10], "BPO": [4, 8, 14], "KPO": [5, 8, 14]},
    },
}
NO_OFFSHORE = {"allowed_locations": ["onshore", "nearshore"]}

DEMO_SCENARIOS = (
    (
        "Cautious savings",
        "Savings at the low end of published ranges, longer transitions.",
        CAUTIOUS,
    ),
    ("No offshore", "Delivery kept onshore or nearshore only.", NO_OFFSHORE),
)


def seed_scenarios(organisations: dict[str, Organisation]) -> list[Scenario]:
    """Create and project the demo scenarios of the demo assessment (Acme Holdings)."""
    assessment = Assessment.objects.filter(
        organisation=organisations["Acme Holdings"], name=DEMO_ASSESSMENT
    ).first()
    if assessment is None:
        return []
    user = get_user_model().objects.filter(username="manager").first()
    scenarios = [scenario_base(assessment=assessment, user=user)]
    for name, description, changes in DEMO_SCENARIOS:
        existing = assessment.scenarios.filter(name=name).first()
        scenarios.append(
            existing
            or scenario_save(
                assessment=assessment,
                user=user,
                name=name,
                description=description,
                changes=parse_scenario(changes),
            )
        )
    for scenario in scenarios:
        if not scenario.projections.exists():
            scenario_project(scenario=scenario, user=user, trials=DEMO_SCENARIO_TRIALS, quota=False)
    return scenarios
