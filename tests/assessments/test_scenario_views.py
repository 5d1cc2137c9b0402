"""Scenario pages: who may see and change them, the form's refusals, the comparison and its
exports, and that a scenario's projection never stands in for the assessment's own."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.engine.scenarios import parse_scenario
from assessments.models import Projection, ProjectionStatus, Scenario
from assessments.projections.selectors import latest_projection
from assessments.projections.services import projection_request
from assessments.scenarios.demo import NO_OFFSHORE
from assessments.scenarios.selectors import pack_comparison
from assessments.scenarios.services import (
    ScenarioInputError,
    scenario_base,
    scenario_delete,
    scenario_project,
    scenario_save,
)
from outsourcing.dashboard.boardpacks.documents import build_xlsx, pdf_context
from outsourcing.dashboard.boardpacks.summary import PackInputs
from outsourcing.dashboard.selectors import DashboardFilters, dashboard_data
from tests.assessments.factories import scored_assessment

TRIALS = 500


@pytest.fixture
def assessment(cast):
    return scored_assessment(cast.org, cast.manager.user)


@pytest.fixture
def projected(assessment, cast, django_capture_on_commit_callbacks):
    """The base and "No offshore", both projected (tasks run in-process in tests)."""
    user = cast.manager.user
    no_offshore = scenario_save(
        assessment=assessment,
        user=user,
        name="No offshore",
        description="",
        changes=parse_scenario(NO_OFFSHORE),
    )
    base = scenario_base(assessment=assessment)
    with django_capture_on_commit_callbacks(execute=True):
        for scenario in (base, no_offshore):
            scenario_project(scenario=scenario, user=user, trials=TRIALS, quota=False)
    assert set(Projection.objects.values_list("status", flat=True)) == {ProjectionStatus.DONE}
    return base, no_offshore


def url(name, assessment, **kwargs):
    return reverse(f"assessments:{name}", kwargs={"pk": assessment.pk, **kwargs})


def compare_query(*scenarios):
    return "?" + "&".join(f"scenarios={s.pk}" for s in scenarios)


# Access ------------------------------------------------------------------------------------


def test_another_organisation_sees_none_of_it(cast, assessment, projected):
    base, other = projected
    client = cast.client_for("outsider")
    for address in (
        url("scenarios", assessment),
        url("scenario-new", assessment),
        url("scenario-compare", assessment) + compare_query(base, other),
        url("scenario-compare-export", assessment, fmt="csv") + compare_query(base, other),
    ):
        assert client.get(address).status_code == 404
    assert client.post(url("scenario-delete", assessment, scenario_pk=other.pk)).status_code == 404
    assert Scenario.objects.filter(pk=other.pk).exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(cast, assessment):
    response = cast.client_for(None).get(url("scenarios", assessment))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_cio_reads_and_projects_but_may_not_create_or_delete(cast, assessment, projected):
    base, other = projected
    client = cast.client_for("cio")
    assert client.get(url("scenarios", assessment)).status_code == 200
    assert client.get(url("scenario-new", assessment)).status_code == 403
    assert client.post(url("scenario-new", assessment), {"name": "Mine"}).status_code == 403
    assert client.post(url("scenario-delete", assessment, scenario_pk=other.pk)).status_code == 403
    response = client.post(url("scenario-project", assessment, scenario_pk=other.pk))
    assert response.status_code == 302
    assert other.projections.count() == 2


def test_a_scenario_of_another_assessment_is_missing_here(cast, assessment, projected):
    elsewhere = scored_assessment(cast.org, cast.manager.user, name="Another review")
    base, other = projected
    response = cast.client_for("manager").post(
        url("scenario-delete", elsewhere, scenario_pk=other.pk)
    )
    assert response.status_code == 404


# The form ----------------------------------------------------------------------------------


def test_a_manager_creates_a_scenario_and_it_is_projected(
    cast, assessment, django_capture_on_commit_callbacks
):
    client = cast.client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("scenario-new", assessment),
            {
                "name": "Cautious",
                "discount_rate": "10",
                "max_concurrent": "2",
                "gate_on_payback": "no",
                "gross_saving__BPO__low": "5",
                "gross_saving__BPO__mode": "12",
                "gross_saving__BPO__high": "20",
                "transition_months__KPO__low": "6",
                "transition_months__KPO__mode": "9",
                "transition_months__KPO__high": "15",
                "allowed_locations": ["onshore", "nearshore"],
            },
        )
    assert response.status_code == 302
    scenario = Scenario.objects.get(assessment=assessment, name="Cautious")
    assert scenario.changes == {
        "discount_rate": 0.1,
        "drivers": {
            "gross_saving": {"BPO": [0.05, 0.12, 0.2]},
            "transition_months": {"KPO": [6.0, 9.0, 15.0]},
        },
        "waves": {"gate_on_payback": False, "max_concurrent": 2},
        "allowed_locations": ["onshore", "nearshore"],
    }
    assert assessment.scenarios.filter(is_base=True).count() == 1
    projection = scenario.projections.get()
    assert (projection.status, projection.discount_rate) == (ProjectionStatus.DONE, 0.1)
    assert projection.inputs["assumptions"]["models"]["BPO"]["saving"] == [0.05, 0.12, 0.2]
    assert all(p["location"] != "offshore" for p in projection.inputs["processes"])


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"name": ""}, "Give the scenario a name"),
        ({"name": "X", "discount_rate": "900"}, "Enter a number from 0 to 50"),
        ({"name": "X", "discount_rate": "NaN"}, "Enter a number from 0 to 50"),
        ({"name": "X", "horizon": "1e9"}, "Enter the horizon in whole months"),
        ({"name": "X", "gross_saving__ITO__low": "5"}, "fill in low, most likely and high"),
        (
            {
                "name": "X",
                "gross_saving__ITO__low": "30",
                "gross_saving__ITO__mode": "20",
                "gross_saving__ITO__high": "40",
            },
            "low must not be above the most likely value",
        ),
        ({"name": "X", "governance__KPO__high": "9" * 40}, "Enter a number from 0 to 100"),
        ({"name": "X", "allowed_locations": ["moon"]}, "Select a valid choice"),
        ({"name": "x" * 81}, "at most 80 characters"),
    ],
)
def test_a_bad_scenario_is_refused_in_words_keeping_what_was_typed(cast, assessment, data, words):
    response = cast.client_for("manager").post(url("scenario-new", assessment), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page
    if data.get("name") == "X":
        assert 'value="X"' in page
    assert not Scenario.objects.exists()


def test_a_name_taken_is_refused(cast, assessment):
    client = cast.client_for("manager")
    assert client.post(url("scenario-new", assessment), {"name": "Fast"}).status_code == 302
    response = client.post(url("scenario-new", assessment), {"name": "fast"})
    assert response.status_code == 400
    assert "already has a scenario called fast" in response.content.decode()
    assert assessment.scenarios.filter(is_base=False).count() == 1


def test_formula_like_text_is_kept_as_text(cast, assessment):
    client = cast.client_for("manager")
    client.post(url("scenario-new", assessment), {"name": "=HYPERLINK(1)", "description": "<b>x"})
    scenario = assessment.scenarios.get(is_base=False)
    page = client.get(url("scenarios", assessment)).content.decode()
    assert "&lt;b&gt;x" in page and "<b>x" not in page
    assert scenario.name == "=HYPERLINK(1)"


def test_the_base_cannot_be_deleted_or_changed(cast, assessment, projected):
    base, _ = projected
    with pytest.raises(ScenarioInputError, match="base scenario stays"):
        scenario_delete(scenario=base)
    client = cast.client_for("manager")
    response = client.get(url("scenario-edit", assessment, scenario_pk=base.pk))
    assert response.status_code == 302
    client.post(url("scenario-delete", assessment, scenario_pk=base.pk))
    assert Scenario.objects.filter(pk=base.pk).exists()


def test_an_override_of_a_process_the_assessment_lacks_is_refused(cast, assessment):
    with pytest.raises(ScenarioInputError, match="does not have: Catering"):
        scenario_save(
            assessment=assessment,
            user=cast.manager.user,
            name="Odd",
            description="",
            changes=parse_scenario({"overrides": {"Catering": {"model": "BPO"}}}),
        )


# The comparison ----------------------------------------------------------------------------


def test_the_comparison_shows_figures_differences_and_the_overlay(cast, assessment, projected):
    base, other = projected
    response = cast.client_for("cio").get(
        url("scenario-compare", assessment) + compare_query(base, other)
    )
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.names == ("Base", "No offshore")
    assert all(f.projected for f in comparison.figures)
    assert any("nearshore" in d.values[1] for d in comparison.recommendations)
    assert [t["name"] for t in response.context["overlay"]["data"]] == ["Base", "No offshore"]
    page = response.content.decode()
    assert 'id="npv-overlay"' in page and "Probability NPV &lt; 0" in page


@pytest.mark.parametrize(
    "query",
    ["", "?scenarios=1", "?scenarios=abc&scenarios=2", "?scenarios=999999&scenarios=999998"],
)
def test_a_comparison_of_fewer_than_two_of_its_scenarios_is_refused(
    cast, assessment, projected, query
):
    response = cast.client_for("cio").get(url("scenario-compare", assessment) + query)
    assert response.status_code == 400
    assert b"Choose" in response.content


def test_five_scenarios_are_too_many(cast, assessment, projected):
    user = cast.manager.user
    extra = [
        scenario_save(
            assessment=assessment,
            user=user,
            name=f"S{i}",
            description="",
            changes=parse_scenario({"horizon": 30 + i}),
        )
        for i in range(3)
    ]
    response = cast.client_for("cio").get(
        url("scenario-compare", assessment) + compare_query(*projected, *extra)
    )
    assert response.status_code == 400
    assert "you chose 5" in response.content.decode()


def test_the_csv_and_xlsx_exports_hold_the_comparison(cast, assessment, projected):
    base, other = projected
    client = cast.client_for("cio")
    query = compare_query(base, other)
    response = client.get(url("scenario-compare-export", assessment, fmt="csv") + query)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Scenario", "NPV P10 (GBP)", "NPV P50 (GBP)"]
    assert [r[0] for r in rows[1:]] == ["Base", "No offshore"]
    recs = client.get(
        url("scenario-compare-export", assessment, fmt="csv") + query + "&table=recommendations"
    )
    assert recs.content.decode("utf-8-sig").splitlines()[0] == "Process,Base,No offshore"
    assert (
        client.get(
            url("scenario-compare-export", assessment, fmt="csv") + query + "&table=nope"
        ).status_code
        == 404
    )
    book = load_workbook(
        io.BytesIO(
            client.get(url("scenario-compare-export", assessment, fmt="xlsx") + query).content
        )
    )
    assert book.sheetnames == ["Scenario figures", "Scenario recommendations", "Scenario roadmap"]
    assert (
        client.get(url("scenario-compare-export", assessment, fmt="pdf") + query).status_code == 404
    )


def test_a_scenarios_projection_never_stands_in_for_the_assessments_own(
    cast, assessment, projected, django_capture_on_commit_callbacks
):
    assert latest_projection(assessment) is None
    with django_capture_on_commit_callbacks(execute=True):
        own = projection_request(assessment=assessment, user=cast.manager.user, trials=TRIALS)
    base, _ = projected
    scenario_project(scenario=base, user=cast.manager.user, trials=TRIALS, quota=False)
    assert latest_projection(assessment) == own


def test_the_base_scenario_projects_the_same_figures_as_the_assessment(
    cast, assessment, projected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        own = projection_request(assessment=assessment, user=cast.manager.user, trials=TRIALS)
    own.refresh_from_db()
    base = projected[0].projections.get()
    assert base.result is not None and own.result is not None
    assert base.inputs["processes"] == own.inputs["processes"]
    assert base.result["monte_carlo"]["npv_p50"] == own.result["monte_carlo"]["npv_p50"]


# The board pack -----------------------------------------------------------------------------


def test_the_board_pack_includes_the_comparison_once_two_scenarios_are_projected(
    cast, assessment, projected
):
    comparison = pack_comparison(assessment.pk)
    assert comparison is not None and comparison.names == ("Base", "No offshore")
    data = dashboard_data(cast.org, DashboardFilters(assessment_id=assessment.pk), dt.date.today())
    book = load_workbook(io.BytesIO(build_xlsx(data, PackInputs(scenarios=comparison))))
    assert "Scenario figures" in book.sheetnames
    context = pdf_context(data, PackInputs(scenarios=comparison), images={})
    assert [row[0] for row in context["scenario_rows"]] == ["Base", "No offshore"]


def test_the_board_pack_has_no_comparison_with_one_projected_scenario(cast, assessment):
    scenario_base(assessment=assessment)
    assert pack_comparison(assessment.pk) is None
    assert pack_comparison(None) is None


def test_a_scenario_overriding_a_process_since_deleted_is_refused_in_words(
    cast, assessment, projected
):
    base, _ = projected
    odd = scenario_save(
        assessment=assessment,
        user=cast.manager.user,
        name="Keep payroll",
        description="",
        changes=parse_scenario({"overrides": {"Payroll processing": {"model": "retain"}}}),
    )
    assessment.processes.get(name="Payroll processing").delete()
    response = cast.client_for("cio").get(
        url("scenario-compare", assessment) + compare_query(base, odd)
    )
    assert response.status_code == 400
    assert "cannot be compared now" in response.content.decode()
    assert "does not have: Payroll processing" in response.content.decode()


# Calibrated ranges ---------------------------------------------------------------------------


def test_scenarios_start_from_the_calibrated_ranges_the_organisation_chose(
    cast, assessment, django_capture_on_commit_callbacks
):
    from assessments.models import CalibratedAssumptions

    CalibratedAssumptions.objects.create(
        organisation=cast.org,
        use_for_projections=True,
        saving={"ITO": ["0.0800", "0.2300", "0.3600"]},
        evidence={"ITO": {"default": ["0.05", "0.20", "0.35"], "contracts": 3}},
        contracts=3,
    )
    user = cast.manager.user
    cautious = scenario_save(
        assessment=assessment,
        user=user,
        name="Cautious BPO",
        description="",
        changes=parse_scenario({"drivers": {"gross_saving": {"BPO": [0.05, 0.12, 0.2]}}}),
    )
    base = scenario_base(assessment=assessment)
    with django_capture_on_commit_callbacks(execute=True):
        for scenario in (base, cautious):
            scenario_project(scenario=scenario, user=user, trials=TRIALS, quota=False)
        own = projection_request(assessment=assessment, user=user, trials=TRIALS)
    base_run, cautious_run = base.projections.get(), cautious.projections.get()
    # The base scenario is the organisation's own projection, calibrated ranges and all.
    assert base_run.inputs["assumptions"] == own.inputs["assumptions"]
    assert base_run.inputs["assumptions"]["models"]["ITO"]["saving"] == [0.08, 0.23, 0.36]
    # A scenario's own triangle replaces one value; the calibrated ones stay beside it.
    models = cautious_run.inputs["assumptions"]["models"]
    assert models["ITO"]["saving"] == [0.08, 0.23, 0.36]
    assert models["BPO"]["saving"] == [0.05, 0.12, 0.2]
    assert "calibrated" in cautious_run.inputs["assumption_set"]["label"]
    assert base_run.inputs["processes"] == own.inputs["processes"]
    own.refresh_from_db()
    base_run.refresh_from_db()
    assert base_run.result["monte_carlo"]["npv_p50"] == own.result["monte_carlo"]["npv_p50"]
