"""A scenario with its own scoring weights, through the pages: the form's weight table, its
refusals, the rescored recommendations and the comparison showing what they change."""

import pytest
from django.urls import reverse

from assessments.engine.questions import QUESTION_KEYS
from assessments.models import ProjectionStatus, Scenario
from assessments.scenarios.services import scenario_base
from tests.assessments.factories import scored_assessment

# Technology intensity, standardisation and volume 4, the rest 3: ITO with the published
# weights; BPO once technology intensity's BPO weight is +0.40 (hand-checked in
# tests/assessments/engine/test_scenario_weights.py).
SERVICE_DESK = tuple(
    4 if key in ("technology_intensity", "standardisation", "volume") else 3
    for key in QUESTION_KEYS
)
PROCESSES = (
    ("Service desk", "IT", SERVICE_DESK),
    ("Payroll processing", "HR", (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2)),
)


@pytest.fixture
def assessment(cast):
    return scored_assessment(cast.org, cast.manager.user, processes=PROCESSES)


def url(name, assessment, **kwargs):
    return reverse(f"assessments:{name}", kwargs={"pk": assessment.pk, **kwargs})


def test_the_form_shows_the_published_weights_greyed(cast, assessment):
    page = cast.client_for("manager").get(url("scenario-new", assessment)).content.decode()
    assert 'id="weight-grid"' in page
    assert 'name="weight__technology_intensity__ITO"' in page
    assert 'placeholder="+0.50"' in page


def test_a_scenario_with_a_weight_is_rescored_and_the_comparison_shows_the_change(
    cast, assessment, django_capture_on_commit_callbacks
):
    client = cast.client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("scenario-new", assessment),
            {"name": "Service-led IT", "weight__technology_intensity__BPO": "0.40"},
        )
    assert response.status_code == 302
    scenario = Scenario.objects.get(assessment=assessment, name="Service-led IT")
    assert scenario.changes == {"weights": {"technology_intensity": {"BPO": 0.4}}}
    projection = scenario.projections.get()
    assert projection.status == ProjectionStatus.DONE
    plan = {p["name"]: p["model"] for p in projection.inputs["plan"]}
    assert plan == {"Service desk": "BPO", "Payroll processing": "BPO"}

    base = scenario_base(assessment=assessment)
    response = client.get(
        url("scenario-compare", assessment) + f"?scenarios={base.pk}&scenarios={scenario.pk}"
    )
    assert response.status_code == 200
    changed = {d.name: d.values for d in response.context["comparison"].recommendations}
    assert list(changed) == ["Service desk"]
    assert "ITO" in changed["Service desk"][0] and "BPO" in changed["Service desk"][1]
    page = response.content.decode()
    assert "Scoring weight of technology intensity for BPO: +0.40 (published -0.20)" in page

    edit = client.get(url("scenario-edit", assessment, scenario_pk=scenario.pk)).content.decode()
    assert 'name="weight__technology_intensity__BPO" value="0.40"' in edit


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("0.33", "weights go in steps of 0.05, as the published ones do (e.g. +0.35)"),
        ("1.5", "Enter a number from -1 to 1"),
        ("1e9", "Enter a number from -1 to 1"),
        ("NaN", "Enter a number from -1 to 1"),
        ("=1+1", "Enter a number from -1 to 1"),
    ],
)
def test_a_bad_weight_is_refused_in_words_keeping_what_was_typed(cast, assessment, typed, words):
    response = cast.client_for("manager").post(
        url("scenario-new", assessment),
        {"name": "Odd weights", "weight__volume__KPO": typed, "horizon": "36"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page
    assert 'value="Odd weights"' in page and 'value="36"' in page
    assert not Scenario.objects.exists()
