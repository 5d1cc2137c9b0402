"""Projection pages: the ladder for every URL, the start form, status JSON, exports."""

import csv
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Projection, ProjectionStatus
from assessments.projections.services import projection_request
from tests.assessments.projection_fixtures import PORTFOLIO, make_assessment


@pytest.fixture
def assessment(cast):
    """A submitted assessment of organisation A with five outsourced processes."""
    return make_assessment(cast.org, cast.manager.user)


VALID = {"trials": "500", "seed": "4", "horizon_months": "48", "discount_rate_pct": "7.5"}


@pytest.fixture
def finished(assessment, cast, django_capture_on_commit_callbacks) -> Projection:
    with django_capture_on_commit_callbacks(execute=True):
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=500)
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE
    return projection


def urls(projection: Projection) -> dict[str, str]:
    ids = {"pk": projection.assessment_id, "projection_pk": projection.pk}
    return {
        "detail": reverse("assessments:projection-detail", kwargs=ids),
        "status": reverse("assessments:projection-status", kwargs=ids),
        "csv": reverse("assessments:projection-export", kwargs={**ids, "fmt": "csv"}),
        "xlsx": reverse("assessments:projection-export", kwargs={**ids, "fmt": "xlsx"}),
    }


def start_url(of) -> str:
    return reverse("assessments:projection-start", kwargs={"pk": of.pk})


# The ladder ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "status", "csv", "xlsx"])
def test_anonymous_people_are_sent_to_log_in(finished, cast, name):
    response = cast.client_for(None).get(urls(finished)[name])
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_anonymous_people_cannot_start_a_projection(assessment, cast):
    response = cast.client_for(None).post(start_url(assessment), VALID)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Projection.objects.exists()


@pytest.mark.parametrize("name", ["detail", "status", "csv", "xlsx"])
def test_an_outsider_gets_404_for_another_organisations_projection(finished, cast, name):
    assert cast.client_for("outsider").get(urls(finished)[name]).status_code == 404


def test_an_outsider_cannot_start_a_projection_of_another_organisation(assessment, cast):
    response = cast.client_for("outsider").post(start_url(assessment), VALID)
    assert response.status_code == 404
    assert not Projection.objects.exists()


def test_a_projection_is_not_found_under_another_assessment(finished, cast):
    other = make_assessment(cast.org, cast.manager.user, name="Another review")
    url = reverse(
        "assessments:projection-detail", kwargs={"pk": other.pk, "projection_pk": finished.pk}
    )
    assert cast.client_for("manager").get(url).status_code == 404


@pytest.mark.parametrize("name", ["detail", "status", "csv", "xlsx"])
def test_reading_pages_refuse_other_methods(finished, cast, name):
    assert cast.client_for("manager").post(urls(finished)[name]).status_code == 405


def test_starting_needs_post(assessment, cast):
    assert cast.client_for("cio").get(start_url(assessment)).status_code == 405
    assert not Projection.objects.exists()


@pytest.mark.parametrize("who", ["manager", "cio", "admin"])
def test_managers_admins_and_cios_may_start_a_projection(
    assessment, cast, who, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for(who).post(start_url(assessment), VALID)
    projection = Projection.objects.get()
    assert response.status_code == 302
    assert response.url == urls(projection)["detail"]
    assert projection.requested_by == getattr(cast, who).user
    assert (projection.trials, projection.seed, projection.horizon_months) == (500, 4, 48)
    assert projection.discount_rate == pytest.approx(0.075)
    assert projection.status == ProjectionStatus.DONE


@pytest.mark.parametrize("who", ["manager", "cio", "admin"])
def test_every_member_reads_a_projection(finished, cast, who):
    client = cast.client_for(who)
    for name in ("detail", "status", "csv", "xlsx"):
        assert client.get(urls(finished)[name]).status_code == 200


# The start form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("trials", "50", "Choose between 100 and 200,000 trials."),
        ("trials", "200001", "Choose between 100 and 200,000 trials."),
        ("trials", "many", "Enter the number of trials as a whole number"),
        ("trials", "", "Enter how many trials to run"),
        ("seed", "-3", "The seed is a whole number from 0 to"),
        ("horizon_months", "0", "The horizon is 1 to 240 months."),
        ("horizon_months", "241", "The horizon is 1 to 240 months."),
        ("discount_rate_pct", "50.5", "The discount rate is 0 to 50 % a year."),
        ("discount_rate_pct", "-1", "The discount rate is 0 to 50 % a year."),
        ("discount_rate_pct", "8.125", "Use at most two decimals"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(assessment, cast, field, typed, message):
    response = cast.client_for("cio").post(start_url(assessment), {**VALID, field: typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Nothing was started" in page
    assert f'name="{field}" value="{typed}"' in page or (typed == "" and f'name="{field}"' in page)
    assert 'aria-invalid="true"' in page
    assert f'value="{VALID["seed"] if field != "seed" else typed}"' in page
    assert not Projection.objects.exists()


# Detail and status -----------------------------------------------------------------------


def test_a_finished_projection_shows_its_figures_charts_and_tables(finished, cast):
    response = cast.client_for("cio").get(urls(finished)["detail"])
    page = response.content.decode()
    result = finished.result
    assert "NPV P10 / P50 / P90" in page
    assert f"{result['monte_carlo']['npv_p50']:,.0f}" in page
    assert response.context["headline"]["npv_mean"] == result["monte_carlo"]["npv_mean"]
    assert 'aria-valuenow="100"' in page
    fan = response.context["fan_chart"]
    assert [trace["name"] for trace in fan["data"]] == [
        "P10",
        "P10 to P90 (8 in 10 trials)",
        "P50 (median)",
        "At the modes",
    ]
    assert len(fan["data"][2]["y"]) == 60
    assert response.context["waterfall_chart"]["data"][0]["measure"][-1] == "total"
    assert len(response.context["tornado_table"]) == 5
    assert 'id="fan-data"' in page and "vendor/plotly/plotly-sourcewise.min.js" in page
    assert "assessments/projection.js" in page
    assert [row[0] for row in response.context["yearly_rows"]] == [1, 2, 3, 4, 5]
    assert 'name="trials" value="500"' in page  # run it again with the same settings


def test_an_unfinished_projection_shows_a_progress_bar_that_polls(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        projection = projection_request(assessment=assessment, user=cast.manager.user)
    page = cast.client_for("manager").get(urls(projection)["detail"]).content.decode()
    assert f'data-status-url="{urls(projection)["status"]}"' in page
    assert 'role="progressbar"' in page and 'aria-valuenow="0"' in page
    assert "Waiting for a worker" in page
    assert 'id="fan-data"' not in page


def test_the_status_endpoint_is_small_json(
    finished, cast, assessment, django_capture_on_commit_callbacks
):
    response = cast.client_for("manager").get(urls(finished)["status"])
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "done",
        "status_label": "Done",
        "stalled": False,
        "stalled_message": None,
        "progress": 100,
        "message": "Finished.",
        "result_url": urls(finished)["detail"],
    }
    with django_capture_on_commit_callbacks():
        queued = projection_request(assessment=assessment, user=cast.manager.user)
    assert cast.client_for("manager").get(urls(queued)["status"]).json() == {
        "status": "queued",
        "status_label": "Queued",
        "stalled": False,
        "stalled_message": None,
        "progress": 0,
        "message": "Waiting for a worker to start the projection.",
        "result_url": None,
    }


def test_nothing_to_project_is_a_clear_result_not_an_error(cast):
    retained = make_assessment(cast.org, cast.manager.user, processes=[PORTFOLIO[-1]])
    response = cast.client_for("cio").post(start_url(retained), VALID, follow=True)
    assert response.status_code == 200
    assert "Nothing to project" in response.content.decode()
    projection = Projection.objects.get()
    assert cast.client_for("cio").get(urls(projection)["csv"]).status_code == 404


# Exports ---------------------------------------------------------------------------------


def test_the_csv_exports_hold_yearly_figures_and_monthly_percentiles(finished, cast):
    client = cast.client_for("manager")
    yearly = client.get(urls(finished)["csv"])
    assert yearly["Content-Disposition"].endswith('-yearly.csv"')
    rows = list(csv.reader(io.StringIO(yearly.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Year", "Months", "In-house cost avoided (GBP)"] and len(rows) == 6
    p50 = finished.result["monte_carlo"]["cumulative_p50"][59]
    assert rows[0][-2] == "Cumulative net P50 (GBP)"
    assert Decimal(rows[5][-2]) == Decimal(repr(p50)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    monthly = client.get(urls(finished)["csv"] + "?table=monthly")
    rows = list(csv.reader(io.StringIO(monthly.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Month",
        "Net saving, at the modes (GBP)",
        "Cumulative net, at the modes (GBP)",
        "Cumulative net P10 (GBP)",
        "Cumulative net P50 (GBP)",
        "Cumulative net P90 (GBP)",
    ]
    assert len(rows) == 61
    # money to the cent: no float noise such as 716251.2809106167
    assert all(re.fullmatch(r"-?\d+\.\d\d", cell) for row in rows[1:] for cell in row[1:])
    assert client.get(urls(finished)["csv"] + "?table=other").status_code == 404


def test_the_workbook_neutralises_text_that_a_spreadsheet_would_run(
    cast, django_capture_on_commit_callbacks
):
    risky = make_assessment(cast.org, cast.manager.user, name='=HYPERLINK("http://x","y")')
    with django_capture_on_commit_callbacks(execute=True):
        projection = projection_request(assessment=risky, user=cast.manager.user, trials=500)
    response = cast.client_for("manager").get(urls(projection)["xlsx"])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Yearly", "Monthly", "Waves", "Tornado"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Assessment"] == '\'=HYPERLINK("http://x","y")'
    assert summary["Trials"] == 500
    assert isinstance(book["Monthly"]["F2"].value, float)
    assert book["Waves"].max_row == 4  # header and three waves


def test_the_workbook_rounds_money_to_the_cent_and_names_every_unit(finished, cast):
    response = cast.client_for("manager").get(urls(finished)["xlsx"])
    book = load_workbook(io.BytesIO(response.content))
    mc = finished.result["monte_carlo"]
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    median = summary["NPV, median of the trials (P50) (GBP)"]
    assert median.value == pytest.approx(round(mc["npv_p50"], 2), abs=0.005)
    assert median.number_format == "#,##0.00"
    assert summary["Expected NPV, mean of the trials (GBP)"].value == pytest.approx(
        mc["npv_mean"], abs=0.005
    )
    modes = summary["NPV at the modes: every driver at its most likely value (GBP)"]
    assert modes.value == pytest.approx(finished.result["deterministic"]["npv"], abs=0.005)
    chance = summary["Probability NPV < 0 (%)"]
    assert chance.value == mc["prob_npv_negative"] and chance.number_format == "0.0%"
    assert summary["Discount rate a year (%)"].number_format == "0.0%"
    waves = book["Waves"]
    header = [cell.value for cell in waves[1]]
    assert header == [
        "Wave",
        "Model",
        "Processes",
        "NPV at the modes (GBP)",
        "NPV P10 (GBP)",
        "NPV P50 (GBP)",
        "NPV P90 (GBP)",
        "Probability NPV < 0 (%)",
        "Payback month, at the modes",
    ]
    assert waves["F2"].number_format == "#,##0.00" and waves["H2"].number_format == "0.0%"
    for sheet in ("Yearly", "Monthly", "Waves", "Tornado"):
        for row in book[sheet].iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float) and cell.number_format == "#,##0.00":
                    assert cell.value == round(cell.value, 2)


def test_an_unknown_export_format_or_an_unfinished_projection_is_not_found(
    finished, assessment, cast, django_capture_on_commit_callbacks
):
    client = cast.client_for("manager")
    assert client.get(urls(finished)["csv"].replace(".csv", ".pdf")).status_code == 404
    with django_capture_on_commit_callbacks():
        queued = projection_request(assessment=assessment, user=cast.manager.user)
    assert client.get(urls(queued)["xlsx"]).status_code == 404


# The panel on the results page -----------------------------------------------------------


def test_the_results_panel_shows_the_headline_and_a_start_form(finished, cast, assessment, rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = cast.cio.user
    html = render_to_string(
        "assessments/_projection_panel.html",
        {"assessment": assessment, "projection": finished, "can_edit": False},
        request=request,
    )
    assert 'name="csrfmiddlewaretoken"' in html
    mc = finished.result["monte_carlo"]
    assert f"{mc['npv_p10']:,.0f}" in html and f"{mc['npv_p90']:,.0f}" in html
    assert "Probability that NPV &lt; 0" in html and "Payback" in html
    assert urls(finished)["detail"] in html
    assert f'action="{start_url(assessment)}"' in html
    assert 'name="horizon_months" value="60"' in html
    assert 'name="discount_rate_pct" value="8"' in html


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"[^>]*>([^<]+)<', html)
    assert match, f"no {name} in the headline"
    return match.group(1).strip()


def test_the_headline_npv_is_the_median_with_its_range_and_the_modes_labelled(finished, assessment):
    from django.template.loader import render_to_string

    html = render_to_string(
        "assessments/_projection_headline.html", {"assessment": assessment, "projection": finished}
    )
    mc, modes = finished.result["monte_carlo"], finished.result["deterministic"]["npv"]
    assert "Projected NPV, median of 500 trials (P50)" in html
    assert _figure(html, "npv_p50") == f"GBP {mc['npv_p50']:,.0f}"
    assert _figure(html, "npv_p10") == f"GBP {mc['npv_p10']:,.0f}"
    assert _figure(html, "npv_p90") == f"GBP {mc['npv_p90']:,.0f}"
    assert _figure(html, "npv_mean") == f"GBP {mc['npv_mean']:,.0f}"
    assert "NPV at the modes: every driver at its most likely value" in html
    assert _figure(html, "npv_at_modes") == f"GBP {modes:,.0f}"
    # the big number comes first, the modes later
    assert html.index('data-figure="npv_p50"') < html.index('data-figure="npv_at_modes"')


def test_a_result_stored_before_the_mean_was_kept_says_so(finished, assessment):
    from django.template.loader import render_to_string

    finished.result["monte_carlo"].pop("npv_mean")
    html = render_to_string(
        "assessments/_projection_headline.html", {"assessment": assessment, "projection": finished}
    )
    assert _figure(html, "npv_mean").startswith("not kept for this run")
    assert _figure(html, "npv_p50") == f"GBP {finished.result['monte_carlo']['npv_p50']:,.0f}"


def test_the_results_panel_without_a_projection_offers_to_start_one(assessment):
    from django.template.loader import render_to_string

    html = render_to_string(
        "assessments/_projection_panel.html",
        {"assessment": assessment, "projection": None, "can_edit": True},
    )
    assert "No projection yet" in html
    assert f'action="{start_url(assessment)}"' in html


def test_starting_while_the_task_queue_is_down_says_it_will_start_later(
    transactional_db, assessment, cast
):
    """Committed for real, so the hand-off runs when the request's transaction commits."""
    from outsourcing.celery import app
    from tests.realparts import point_celery_at

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    point_celery_at("redis://127.0.0.1:1/0")  # nothing listens there
    client = cast.client_for("manager")
    try:
        response = client.post(start_url(assessment), VALID)
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None
    page = client.get(response.url).content.decode()
    assert page.count("will start by itself when the task queue is back") == 2  # flash, status
    assert "alert-warning" in page
    projection = Projection.objects.get()
    assert projection.status == ProjectionStatus.QUEUED and projection.send_failures == 1
