"""The calibration report page, the choice of calibrated assumptions, and the command."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import CalibratedAssumptions
from assessments.projections.selectors import projection_inputs
from tests.contracts.builders import make_assessment
from tests.contracts.calibration_world import contract_with_evidence

REPORT = reverse("contracts:calibration")
CHOOSE = reverse("contracts:calibration-assumptions")


@pytest.fixture
def evidence(cast):
    """Two ITO contracts: one inside its band every month, one far above it."""
    inside = contract_with_evidence(cast.manager, title="Inside", band=(10000, 20000, 30000))
    above = contract_with_evidence(
        cast.manager, title="Above", band=(2000, 5000, 8000), process="Payroll"
    )
    return inside, above


def calibration_json(name: str) -> dict:
    out = StringIO()
    call_command("calibration", "--organisation", name, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


# The page ----------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in(cast):
    response = cast.client_for(None).get(REPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_cio_reads_the_report_with_the_contracts_that_drive_the_miss(cast, evidence):
    inside, above = evidence
    page = cast.client_for("cio").get(REPORT)
    assert page.status_code == 200
    text = page.content.decode()
    assert "50 %" in text  # one contract of two inside its band
    assert reverse("contracts:detail", args=[above.pk]) in text
    report = page.context["report"]
    assert [c.contract_id for c in report.drivers] == [above.pk]
    assert [t["type"] for t in page.context["chart"]["data"]] == ["bar", "bar"]
    assert "A manager or an administrator chooses" in text  # the CIO reads only


def test_an_outsider_sees_only_their_own_organisations_evidence(cast, evidence):
    page = cast.client_for("outsider").get(REPORT)
    assert page.status_code == 200
    assert page.context["report"].contracts == 0
    assert "No evidence yet" in page.content.decode()
    assert "Inside" not in page.content.decode()


def test_the_report_answers_only_get_and_the_choice_only_post(cast):
    client = cast.client_for("manager")
    assert client.post(REPORT).status_code == 405
    assert client.get(CHOOSE).status_code == 405


def test_a_cio_may_not_choose_the_assumptions(cast, evidence):
    response = cast.client_for("cio").post(CHOOSE, {"action": "use"})
    assert response.status_code == 403
    assert not CalibratedAssumptions.objects.exists()


def test_a_made_up_choice_is_refused_in_words_and_nothing_is_stored(cast, evidence):
    response = cast.client_for("manager").post(CHOOSE, {"action": "=cmd|' /C calc'!A0"})
    assert response.status_code == 400
    assert "Choose one of the buttons" in response.content.decode()
    assert not CalibratedAssumptions.objects.exists()


def test_a_manager_starts_new_projections_from_the_calibrated_assumptions(cast, evidence):
    response = cast.client_for("manager").post(CHOOSE, {"action": "use"})
    assert response.status_code == 302
    stored = CalibratedAssumptions.objects.get(organisation=cast.org)
    assert stored.use_for_projections and stored.contracts == 2
    assert stored.chosen_by == cast.manager.user
    # Both contracts saved more than forecast: the ITO mode moves up from 20 %, a little.
    low, mode, high = (float(v) for v in stored.saving["ITO"])
    assert 0.20 < mode <= 0.20 * 1.5 and low <= mode <= high
    assert stored.saving["BPO"] == ["0.1000", "0.2500", "0.4000"]  # no BPO evidence

    inputs = projection_inputs(assessment=make_assessment(cast.manager))
    assert inputs["assumption_set"]["name"] == "calibrated"
    assert "2 contracts" in inputs["assumption_set"]["reason"]
    assert inputs["assumptions"]["models"]["ITO"]["saving"][1] == mode


def test_going_back_to_the_defaults_keeps_the_set_but_stops_using_it(cast, evidence):
    client = cast.client_for("manager")
    client.post(CHOOSE, {"action": "use"})
    client.post(CHOOSE, {"action": "stop"})
    stored = CalibratedAssumptions.objects.get(organisation=cast.org)
    assert not stored.use_for_projections and stored.saving
    inputs = projection_inputs(assessment=make_assessment(cast.manager))
    assert inputs["assumption_set"]["name"] == "published" and "assumptions" not in inputs


def test_another_organisations_choice_does_not_change_our_projections(cast, evidence):
    cast.client_for("outsider").post(CHOOSE, {"action": "use"})
    inputs = projection_inputs(assessment=make_assessment(cast.manager))
    assert inputs["assumption_set"]["name"] == "published"


# The command ---------------------------------------------------------------------------


def test_the_command_prints_the_report_as_json(cast, evidence):
    data = calibration_json("Organisation A")
    assert data["contracts"] == 2
    assert data["coverage_p10_p90"] == 0.5
    assert set(data["bias_by_model"]) == {"ITO"} and data["bias_by_model"]["ITO"] > 0
    assert data["drivers"] == [evidence[1].pk]


def test_the_command_says_null_when_there_is_no_evidence(cast):
    data = calibration_json("Organisation B")
    assert data["contracts"] == 0
    assert data["coverage_p10_p90"] is None and data["bias_by_model"] == {}


def test_the_command_refuses_an_unknown_organisation_in_words(cast):
    with pytest.raises(CommandError, match="No organisation is named 'Nowhere Ltd'"):
        call_command("calibration", "--organisation", "Nowhere Ltd", "--format", "json")


# Projections that start from the calibrated set ----------------------------------------


def test_a_new_projection_says_it_used_the_calibrated_assumptions_and_why(
    cast, evidence, django_capture_on_commit_callbacks
):
    from assessments.projections.services import projection_request

    cast.client_for("manager").post(CHOOSE, {"action": "use"})
    assessment = make_assessment(cast.manager)
    with django_capture_on_commit_callbacks(execute=True):
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=200)
    projection.refresh_from_db()
    assert projection.status == "done"
    page = cast.client_for("cio").get(
        reverse("assessments:projection-detail", args=[assessment.pk, projection.pk])
    )
    text = page.content.decode()
    assert "Calibrated assumptions (your organisation" in text
    assert "from 2 contracts with realised savings" in text


def test_a_projection_of_an_organisation_that_did_not_choose_says_so(cast):
    from assessments.projections.services import projection_request

    assessment = make_assessment(cast.manager)
    projection = projection_request(assessment=assessment, user=cast.manager.user, trials=200)
    page = cast.client_for("manager").get(
        reverse("assessments:projection-detail", args=[assessment.pk, projection.pk])
    )
    assert "Published default assumptions" in page.content.decode()


def test_a_contracts_forecast_reruns_its_projection_with_the_projections_own_set(cast):
    from dataclasses import replace

    from assessments.engine.assumptions import DEFAULT_SET, AssumptionSet, Triangle
    from assessments.engine.scenarios import assumptions_to_json
    from contracts.forecasts.services import compute_band
    from tests.contracts.calibration_world import finished_projection

    assessment = make_assessment(cast.manager)
    processes = list(assessment.processes.all())
    rows = [
        {
            "name": p.name,
            "model": "ITO",
            "location": "offshore",
            "annual_cost": float(p.annual_cost),
            "start_month": 0,
            "wave": 1,
        }
        for p in processes
    ]
    generous = AssumptionSet(
        models={
            **DEFAULT_SET.models,
            "ITO": replace(DEFAULT_SET.models["ITO"], saving=Triangle(0.3, 0.4, 0.5)),
        },
        location_factors=DEFAULT_SET.location_factors,
    )
    plain = finished_projection(assessment)
    plain.inputs = {"processes": rows}
    calibrated = finished_projection(assessment)
    calibrated.inputs = {"processes": rows, "assumptions": assumptions_to_json(generous)}
    assert (
        compute_band(calibrated, processes).cumulative_p50[-1]
        > compute_band(plain, processes).cumulative_p50[-1]
    )
