"""The results pages: recommendations, process detail, what-if, override, roadmap, export."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Projection, ProjectionStatus, Recommendation
from tests.assessments.factories import many_processes, scored_assessment

HTML_NAME = "<b>Bold</b><script>alert(1)</script>"


@pytest.fixture
def assessment(cast):
    return scored_assessment(cast.org, cast.manager.user)


def process_named(assessment, name):
    return assessment.processes.get(name=name)


def page_urls(assessment):
    process = process_named(assessment, "Payroll processing")
    return {
        "results": reverse("assessments:results", args=[assessment.pk]),
        "process-detail": reverse("assessments:process-detail", args=[assessment.pk, process.pk]),
        "roadmap": reverse("assessments:roadmap", args=[assessment.pk]),
        "export-csv": reverse("assessments:export", args=[assessment.pk, "csv"]),
        "export-xlsx": reverse("assessments:export", args=[assessment.pk, "xlsx"]),
    }


def what_if_url(assessment, name="Payroll processing"):
    return reverse("assessments:what-if", args=[assessment.pk, process_named(assessment, name).pk])


def override_url(assessment, name="Payroll processing"):
    return reverse("assessments:override", args=[assessment.pk, process_named(assessment, name).pk])


def post_json(client, url, payload):
    return client.post(url, data=json.dumps(payload), content_type="application/json")


def chart_data(response, element_id):
    """The figure JSON a page hands to charts.js (a json_script element)."""
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no {element_id} on the page"
    return json.loads(match.group(1))


PAGES = ["results", "process-detail", "roadmap", "export-csv", "export-xlsx"]


# --- The ladder: anonymous, outsider, wrong method, right people -----------------------


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_people_are_sent_to_login_from_every_results_page(cast, assessment, page):
    response = cast.client_for(None).get(page_urls(assessment)[page])
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("page", PAGES)
def test_an_outsider_gets_404_for_another_organisations_results(cast, assessment, page):
    response = cast.client_for("outsider").get(page_urls(assessment)[page])
    assert response.status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_results_pages_only_answer_get(cast, assessment, page):
    response = cast.client_for("manager").post(page_urls(assessment)[page])
    assert response.status_code == 405


@pytest.mark.parametrize("who", ["manager", "cio", "admin"])
@pytest.mark.parametrize("page", PAGES)
def test_every_member_of_the_organisation_reads_every_results_page(cast, assessment, page, who):
    response = cast.client_for(who).get(page_urls(assessment)[page])
    assert response.status_code == 200


def test_anonymous_people_cannot_ask_what_if(cast, assessment):
    response = post_json(cast.client_for(None), what_if_url(assessment), {"answers": {}})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_an_outsider_gets_404_from_what_if(cast, assessment):
    response = post_json(cast.client_for("outsider"), what_if_url(assessment), {"answers": {}})
    assert response.status_code == 404


def test_what_if_needs_post(cast, assessment):
    assert cast.client_for("manager").get(what_if_url(assessment)).status_code == 405


def test_anonymous_people_cannot_override(cast, assessment):
    response = cast.client_for(None).post(override_url(assessment), {"model": "ITO"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_an_outsider_gets_404_when_overriding(cast, assessment):
    response = cast.client_for("outsider").post(
        override_url(assessment),
        {"model": "ITO", "location": "offshore", "justification": "Ours now"},
    )
    assert response.status_code == 404
    assert not Recommendation.objects.filter(override_model="ITO").exists()


def test_a_cio_may_not_override_and_nothing_changes(cast, assessment):
    response = cast.client_for("cio").post(
        override_url(assessment),
        {"model": "ITO", "location": "offshore", "justification": "Board decision"},
    )
    assert response.status_code == 403
    recommendation = process_named(assessment, "Payroll processing").recommendation
    assert recommendation.override_model == ""


def test_override_needs_post(cast, assessment):
    assert cast.client_for("manager").get(override_url(assessment)).status_code == 405


def test_a_process_of_another_assessment_is_not_found_under_this_one(cast, assessment):
    other = scored_assessment(cast.other_org, cast.outsider.user, name="Theirs")
    theirs = other.processes.first()
    url = reverse("assessments:process-detail", args=[assessment.pk, theirs.pk])
    assert cast.client_for("manager").get(url).status_code == 404


# --- Results page ------------------------------------------------------------------------


def test_the_results_page_lists_every_process_with_its_recommendation(cast, assessment):
    response = cast.client_for("cio").get(page_urls(assessment)["results"])
    rows = response.context["rows"]
    by_name = {row["name"]: row for row in rows}
    assert len(rows) == 6
    assert by_name["Payroll processing"]["chosen_model"] == "BPO"
    assert by_name["Payroll processing"]["chosen_location"] == "nearshore"
    assert by_name["Payroll processing"]["confidence_percent"] == 100
    assert by_name["Network infrastructure"]["flags"] == ["hands_on"]
    assert by_name["Every answer 3"]["chosen_model"] == "insufficient_evidence"
    assert b"Nearshore" in response.content
    assert b"Technology intensity 5/5" in response.content


def test_the_mix_counts_processes_and_spend_per_model(cast, assessment):
    response = cast.client_for("cio").get(page_urls(assessment)["results"])
    mix = {part["model"]: part for part in response.context["mix"]}
    assert mix["BPO"]["count"] == 2
    assert mix["ITO"]["count"] == 1
    assert mix["KPO"]["count"] == 1
    assert mix["retain"]["count"] == 1
    assert mix["insufficient_evidence"]["count"] == 1
    assert mix["BPO"]["spend"] == pytest.approx(1_001_000 + 1_005_000)
    figure = chart_data(response, "mix-chart-data")
    assert [trace["name"] for trace in figure["data"]] == ["Processes", "In-house spend"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"model": "BPO"}, {"Payroll processing", "Customer support hotline"}),
        ({"function": "IT"}, {"Network infrastructure"}),
        ({"location": "onshore"}, {"Network infrastructure", "Customer support hotline"}),
        ({"wave": "3"}, {"Market research"}),
        ({"flag": "language"}, {"Customer support hotline"}),
        ({"flag": "data"}, {"Payroll processing"}),
        ({"q": "payroll"}, {"Payroll processing"}),
        ({"q": "guard rail"}, {"Core product R&D"}),
    ],
)
def test_the_table_filters_by_function_model_location_wave_flag_and_words(
    cast, assessment, query, expected
):
    response = cast.client_for("manager").get(page_urls(assessment)["results"], query)
    assert {row["name"] for row in response.context["rows"]} == expected
    assert response.context["total"] == 6


def test_filters_use_the_overridden_model(cast, assessment):
    recommendation = process_named(assessment, "Payroll processing").recommendation
    recommendation.override_model, recommendation.override_location = "ITO", "offshore"
    recommendation.override_justification = "Part of the ERP deal"
    recommendation.save()
    response = cast.client_for("manager").get(page_urls(assessment)["results"], {"model": "ITO"})
    assert {row["name"] for row in response.context["rows"]} == {
        "Payroll processing",
        "Network infrastructure",
    }


def test_the_table_sorts_by_the_chosen_column_both_ways(cast, assessment):
    client = cast.client_for("manager")
    url = page_urls(assessment)["results"]
    descending = [row["name"] for row in client.get(url, {"sort": "-cost"}).context["rows"]]
    ascending = [row["name"] for row in client.get(url, {"sort": "cost"}).context["rows"]]
    assert descending[0] == "Every answer 3"  # the factory makes later processes dearer
    assert ascending == list(reversed(descending))
    by_model = [row["chosen_model"] for row in client.get(url, {"sort": "model"}).context["rows"]]
    assert by_model == sorted(by_model)


def test_the_sort_heading_links_keep_the_filters_and_flip_direction(cast, assessment):
    response = cast.client_for("manager").get(
        page_urls(assessment)["results"], {"model": "BPO", "sort": "cost"}
    )
    cost = next(c for c in response.context["columns"] if c["key"] == "cost")
    assert cost["aria_sort"] == "ascending"
    assert "sort=-cost" in cost["url"]
    assert "model=BPO" in cost["url"]


def test_an_override_is_shown_beside_the_engines_answer(cast, assessment):
    recommendation = process_named(assessment, "Payroll processing").recommendation
    recommendation.override_model, recommendation.override_location = "retain", "in_house"
    recommendation.override_justification = "Works council agreement"
    recommendation.save()
    response = cast.client_for("cio").get(page_urls(assessment)["results"])
    row = next(r for r in response.context["rows"] if r["name"] == "Payroll processing")
    assert row["chosen_model"] == "retain"
    assert row["model"] == "BPO"
    assert re.search(r"engine: <span[^>]*>BPO</span>", response.content.decode())


def test_objective_fit_says_npv_is_pending_before_a_projection(cast, assessment):
    response = cast.client_for("cio").get(page_urls(assessment)["results"])
    fits = {fit.objective: fit for fit in response.context["objective_fits"]}
    assert fits["cost_reduction"].value is None
    assert "no savings projection has been run yet" in fits["cost_reduction"].sentence
    assert fits["operational_efficiency"].value > 0
    assert b"no savings projection has been run yet" in response.content


def test_objective_fit_warns_when_the_finished_projection_loses_money(cast, assessment):
    Projection.objects.create(
        assessment=assessment,
        status=ProjectionStatus.DONE,
        horizon_months=60,
        discount_rate=0.08,
        result={
            "deterministic": {"npv": 40000.0},
            "monte_carlo": {"npv_p50": -25000.0, "prob_npv_negative": 0.7},
        },
    )
    Projection.objects.create(
        assessment=assessment, status=ProjectionStatus.QUEUED, horizon_months=60, discount_rate=0.08
    )
    response = cast.client_for("cio").get(page_urls(assessment)["results"])
    fits = {fit.objective: fit for fit in response.context["objective_fits"]}
    # The median of the trials is the headline, not the NPV at the modes.
    assert fits["cost_reduction"].value == -25000.0
    assert "median of the simulated outcomes" in fits["cost_reduction"].sentence
    assert fits["cost_reduction"].chance_negative == 0.7
    assert "Cost reduction is not served" in response.content.decode()
    assert response.context["projection"].status == ProjectionStatus.QUEUED
    assert b"Savings projection" in response.content


def test_the_results_page_of_an_unscored_assessment_says_so(cast):
    empty = scored_assessment(cast.org, cast.manager.user, processes=(), name="Empty")
    response = cast.client_for("manager").get(reverse("assessments:results", args=[empty.pk]))
    assert response.status_code == 200
    assert b"No recommendations yet" in response.content


def test_roadmap_warnings_are_shown_on_the_results_page(cast, assessment):
    assessment.roadmap_warnings = ["The ITO wave does not pay back within the horizon."]
    assessment.save()
    response = cast.client_for("cio").get(page_urls(assessment)["results"])
    assert b"The ITO wave does not pay back within the horizon." in response.content


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["results", "roadmap", "export-csv"])
def test_the_query_count_does_not_grow_with_the_number_of_processes(cast, page):
    small = scored_assessment(
        cast.org, cast.manager.user, processes=many_processes(5), name="Small"
    )
    large = scored_assessment(
        cast.org, cast.manager.user, processes=many_processes(40), name="Large"
    )
    client = cast.client_for("manager")
    client.get("/")  # settle the session
    name = {"results": "assessments:results", "roadmap": "assessments:roadmap"}.get(page)
    urls = [
        reverse(name, args=[a.pk]) if name else reverse("assessments:export", args=[a.pk, "csv"])
        for a in (small, large)
    ]
    assert count_queries(client, urls[0]) == count_queries(client, urls[1])


def test_the_filtered_results_page_also_keeps_a_constant_query_count(cast):
    small = scored_assessment(
        cast.org, cast.manager.user, processes=many_processes(5), name="Small"
    )
    large = scored_assessment(
        cast.org, cast.manager.user, processes=many_processes(40), name="Large"
    )
    client = cast.client_for("manager")
    client.get("/")
    query = "?model=BPO&sort=-cost&q=pay"
    assert count_queries(
        client, reverse("assessments:results", args=[small.pk]) + query
    ) == count_queries(client, reverse("assessments:results", args=[large.pk]) + query)


# --- HTML in names -------------------------------------------------------------------------


@pytest.fixture
def html_assessment(cast):
    return scored_assessment(
        cast.org,
        cast.manager.user,
        processes=(
            (HTML_NAME, "IT", (2, 4, 4, 3, 5, 3, 1, 4, 4, 3, 3)),
            ("Payroll processing", "HR", (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2)),
        ),
    )


@pytest.mark.parametrize("page", ["results", "roadmap", "process-detail"])
def test_html_in_a_process_name_is_escaped_on_every_page(cast, html_assessment, page):
    urls = page_urls(html_assessment)
    if page == "process-detail":
        process = process_named(html_assessment, HTML_NAME)
        urls[page] = reverse("assessments:process-detail", args=[html_assessment.pk, process.pk])
    content = cast.client_for("manager").get(urls[page]).content.decode()
    assert HTML_NAME not in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;b&gt;Bold&lt;/b&gt;" in content


def test_html_in_a_process_name_is_escaped_in_chart_hover_text(cast, html_assessment):
    client = cast.client_for("manager")
    roadmap = chart_data(client.get(page_urls(html_assessment)["roadmap"]), "roadmap-chart-data")
    texts = [t for trace in roadmap["data"] for t in trace["hovertext"] + trace["y"]]
    assert any("&lt;b&gt;Bold&lt;/b&gt;&lt;script&gt;" in t for t in texts)
    assert not any("<script>" in t or "<b>" in t for t in texts)

    process = process_named(html_assessment, HTML_NAME)
    detail = client.get(
        reverse("assessments:process-detail", args=[html_assessment.pk, process.pk])
    )
    for element in ("scores-chart-data", "what-if-chart-data"):
        figure = chart_data(detail, element)
        assert "&lt;script&gt;" in figure["layout"]["title"]["text"]
        assert all("<script>" not in t for t in figure["data"][0]["hovertext"])


def test_html_in_a_process_name_is_escaped_in_the_what_if_figure(cast, html_assessment):
    response = post_json(
        cast.client_for("manager"),
        what_if_url(html_assessment, HTML_NAME),
        {"answers": {"technology_intensity": 5}},
    )
    figure = response.json()["scores_figure"]
    assert all("<script>" not in t for t in figure["data"][0]["hovertext"])
    assert "&lt;b&gt;" in figure["layout"]["title"]["text"]


# --- Process page, what-if and override ----------------------------------------------------


def test_the_process_page_shows_scores_every_reason_flags_and_the_inputs(cast, assessment):
    process = process_named(assessment, "Payroll processing")
    response = cast.client_for("cio").get(page_urls(assessment)["process-detail"])
    content = response.content.decode()
    for reason in process.recommendation.reasons:
        assert reason in content
    assert "ISO 27001 or SOC 2" in content  # the data flag's plain-language meaning
    figure = chart_data(response, "scores-chart-data")
    assert figure["data"][0]["x"] == ["Retain", "ITO", "BPO", "KPO"]
    assert "Suitability score" in figure["layout"]["yaxis"]["title"]["text"]
    assert 'id="inputs-snapshot"' in content
    assert "fully documented rules and procedures" in content  # the anchor of answer 5
    assert 'id="what-if-form"' in content
    assert 'id="override-form"' not in content  # a CIO reads; only editors override


def test_managers_see_the_override_form_on_the_process_page(cast, assessment):
    content = cast.client_for("manager").get(page_urls(assessment)["process-detail"]).content
    assert b'id="override-form"' in content


def test_a_cio_tries_answers_in_the_what_if_panel_and_nothing_is_saved(cast, assessment):
    process = process_named(assessment, "Payroll processing")
    before = Recommendation.objects.get(process=process)
    answers = dict(process.engine_answers, technology_intensity=5, standardisation=2)
    response = post_json(cast.client_for("cio"), what_if_url(assessment), {"answers": answers})
    assert response.status_code == 200
    data = response.json()
    assert data["model"] == "ITO"
    assert data["model_label"] == "ITO (IT outsourcing)"
    assert set(data["scores"]) == {"retain", "ITO", "BPO", "KPO"}
    assert data["reasons"] and data["location_label"]
    assert data["scores_figure"]["data"][0]["type"] == "bar"
    process.refresh_from_db()
    assert process.technology_intensity == 2
    after = Recommendation.objects.get(process=process)
    assert (after.pk, after.model, after.scores) == (before.pk, before.model, before.scores)


def test_what_if_treats_null_and_missing_answers_as_dont_know(cast, assessment):
    response = post_json(
        cast.client_for("manager"),
        what_if_url(assessment),
        {"answers": {"strategic_importance": None}},
    )
    assert response.status_code == 200
    assert response.json()["model"] == "insufficient_evidence"
    assert response.json()["confidence_percent"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"answers": {"strategic_importanse": 3}}, "strategic_importanse"),
        ({"answers": {"volume": 6}}, "volume"),
        ({"answers": {"volume": 0}}, "volume"),
        ({"answers": {"volume": "3"}}, "volume"),
        ({"answers": {"volume": 2.5}}, "volume"),
        ({"answers": {"volume": True}}, "volume"),
        ({"answers": [3, 3]}, "answers"),
        ({"nothing": {}}, "answers"),
    ],
)
def test_what_if_rejects_bad_answers_with_a_clear_json_error(cast, assessment, payload, field):
    response = post_json(cast.client_for("manager"), what_if_url(assessment), payload)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert field in response.json()["error"]


def test_what_if_rejects_a_body_that_is_not_json(cast, assessment):
    response = cast.client_for("manager").post(
        what_if_url(assessment), data="answers=3", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]


def test_a_manager_overrides_with_a_justification_and_the_engine_answer_is_kept(cast, assessment):
    response = cast.client_for("manager").post(
        override_url(assessment),
        {"model": "ITO", "location": "offshore", "justification": "  Bundled with the ERP deal  "},
    )
    process = process_named(assessment, "Payroll processing")
    assert response.status_code == 302
    assert response.url == reverse("assessments:process-detail", args=[assessment.pk, process.pk])
    recommendation = Recommendation.objects.get(process=process)
    assert recommendation.model == "BPO"  # the engine's answer stays
    assert recommendation.location == "nearshore"
    assert recommendation.override_model == "ITO"
    assert recommendation.override_location == "offshore"
    assert recommendation.override_justification == "Bundled with the ERP deal"
    assert recommendation.overridden_by == cast.manager.user
    assert recommendation.wave == 1  # the roadmap follows the decision
    page = cast.client_for("cio").get(page_urls(assessment)["process-detail"]).content.decode()
    assert "Bundled with the ERP deal" in page
    assert "The engine's own answer" in page


def test_the_results_and_roadmap_follow_an_override_made_after_they_were_read(cast, assessment):
    """Both pages read the assessment's rows from the cache (``assessment_rows``) until
    the assessment changes: an override touches it, so both show the decision at once."""
    reader = cast.client_for("cio")

    def payroll(page: str) -> dict:
        response = reader.get(page_urls(assessment)[page])
        rows = response.context["rows" if page == "results" else "scheduled"]
        return next(r for r in rows if r["name"] == "Payroll processing")

    assert payroll("results")["chosen_model"] == "BPO"
    assert payroll("roadmap")["chosen_model"] == "BPO"
    response = cast.client_for("manager").post(
        override_url(assessment),
        {"model": "ITO", "location": "offshore", "justification": "Bundled with the ERP deal"},
    )
    assert response.status_code == 302
    assert payroll("results")["chosen_model"] == "ITO"
    assert payroll("roadmap")["chosen_model"] == "ITO"


def test_an_admin_may_override_too(cast, assessment):
    response = cast.client_for("admin").post(
        override_url(assessment),
        {"model": "retain", "justification": "Strategic, whatever the scores"},
    )
    assert response.status_code == 302
    recommendation = process_named(assessment, "Payroll processing").recommendation
    assert recommendation.override_model == "retain"
    assert recommendation.override_location == "in_house"
    assert recommendation.wave is None


def test_an_override_without_justification_is_refused_and_keeps_what_was_typed(cast, assessment):
    response = cast.client_for("manager").post(
        override_url(assessment), {"model": "KPO", "location": "nearshore", "justification": "   "}
    )
    assert response.status_code == 400
    form = response.context["override_form"]
    assert form.errors["justification"]
    assert form["model"].value() == "KPO"
    assert form["location"].value() == "nearshore"
    assert "Say why you override" in response.content.decode()
    assert process_named(assessment, "Payroll processing").recommendation.override_model == ""


def test_an_outsourcing_override_needs_a_location(cast, assessment):
    response = cast.client_for("manager").post(
        override_url(assessment),
        {"model": "KPO", "location": "", "justification": "Analytics partner"},
    )
    assert response.status_code == 400
    assert response.context["override_form"].errors["location"]


def test_a_manager_clears_an_override_and_the_engine_answer_applies_again(cast, assessment):
    client = cast.client_for("manager")
    client.post(
        override_url(assessment),
        {"model": "ITO", "location": "offshore", "justification": "ERP deal"},
    )
    response = client.post(override_url(assessment), {"action": "clear"})
    assert response.status_code == 302
    recommendation = process_named(assessment, "Payroll processing").recommendation
    assert recommendation.override_model == ""
    assert recommendation.override_justification == ""
    assert recommendation.effective_model == "BPO"
    assert recommendation.wave == 2


def test_a_cio_may_not_clear_an_override(cast, assessment):
    cast.client_for("manager").post(
        override_url(assessment),
        {"model": "ITO", "location": "offshore", "justification": "ERP deal"},
    )
    response = cast.client_for("cio").post(override_url(assessment), {"action": "clear"})
    assert response.status_code == 403
    assert process_named(assessment, "Payroll processing").recommendation.override_model == "ITO"


# --- Roadmap -------------------------------------------------------------------------------


def test_the_roadmap_shows_waves_in_order_with_a_timeline_and_a_table(cast, assessment):
    response = cast.client_for("cio").get(page_urls(assessment)["roadmap"])
    waves = response.context["waves"]
    assert [w.model for w in waves] == ["ITO", "BPO", "KPO"]
    assert waves[0].start_month == 0
    assert waves[1].start_month == waves[0].payback_month + 1  # BPO after ITO pays back
    assert waves[2].start_month == waves[1].end_month  # KPO after BPO's transitions
    figure = chart_data(response, "roadmap-chart-data")
    assert [t["name"] for t in figure["data"]] == ["Wave 1: ITO", "Wave 2: BPO", "Wave 3: KPO"]
    network = figure["data"][0]
    assert network["y"] == ["Network infrastructure"]
    assert network["base"] == [0]
    scheduled = {row["name"]: row for row in response.context["scheduled"]}
    assert scheduled["Network infrastructure"]["go_live_month"] == network["x"][0]
    assert {row["name"] for row in response.context["unscheduled"]} == {
        "Core product R&D",
        "Every answer 3",
    }
    assert b'id="schedule-table"' in response.content


# --- Export --------------------------------------------------------------------------------


def test_the_csv_export_has_one_row_per_process_with_numbers_and_the_override(cast, assessment):
    cast.client_for("manager").post(
        override_url(assessment),
        {"model": "ITO", "location": "offshore", "justification": '=HYPERLINK("x")'},
    )
    response = cast.client_for("cio").get(page_urls(assessment)["export-csv"])
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 6
    payroll = next(row for row in rows if row["Process"] == "Payroll processing")
    assert float(payroll["Annual cost (GBP)"]) == 1_001_000
    assert payroll["Model"] == "ITO"
    assert payroll["Engine model"] == "BPO"
    assert payroll["Override justification"] == '\'=HYPERLINK("x")'
    assert payroll["Wave"] == "1"
    assert payroll["Engine version"] == "2026.1"
    assert payroll["Flags"] == "Data"
    assert payroll["Annual cost (GBP)"] == "1001000.00"
    assert payroll["Confidence (0 to 1)"] == "1.0"
    assert list(rows[0])[:7] == [
        "Process",
        "Business function",
        "Annual cost (GBP)",
        "FTE",
        "Model",
        "Location",
        "Confidence (0 to 1)",
    ]


def test_the_exports_show_words_not_codes_for_models_locations_and_flags(cast, assessment):
    cast.client_for("manager").post(
        override_url(assessment),
        {"model": "retain", "location": "", "justification": "Kept for the audit"},
    )
    content = cast.client_for("cio").get(page_urls(assessment)["export-csv"]).content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    payroll = next(row for row in rows if row["Process"] == "Payroll processing")
    assert (payroll["Model"], payroll["Location"]) == ("Retain", "In-house")
    assert payroll["Engine location"] == "Nearshore"
    locations = {row["Location"] for row in rows} | {row["Engine location"] for row in rows}
    assert not locations & {"in_house", "onshore", "nearshore", "offshore"}
    xlsx = cast.client_for("cio").get(page_urls(assessment)["export-xlsx"]).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row}
    assert "In-house" in cells and not cells & {"in_house", "retain", "insufficient_evidence"}


def test_the_xlsx_export_keeps_numbers_numeric(cast, assessment):
    response = cast.client_for("cio").get(page_urls(assessment)["export-xlsx"])
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    first = {title: cell.value for title, cell in zip(header, sheet[2], strict=True)}
    assert first["Process"] == "Payroll processing"
    assert isinstance(first["Annual cost (GBP)"], int | float)
    assert first["Annual cost (GBP)"] == 1_001_000
    assert first["Confidence (%)"] == 1
    assert sheet.cell(2, header.index("Confidence (%)") + 1).number_format == "0.0%"
    assert sheet.cell(2, header.index("Annual cost (GBP)") + 1).number_format == "#,##0.00"
    assert first["Wave"] == 2
    assert sheet.max_row == 7


def test_an_unknown_export_format_is_not_found(cast, assessment):
    url = reverse("assessments:export", args=[assessment.pk, "pdf"])
    assert cast.client_for("manager").get(url).status_code == 404


def test_an_unscored_process_page_still_offers_what_if(cast):
    draft = scored_assessment(cast.org, cast.manager.user, processes=(), name="Draft")
    process = draft.processes.create(
        name="New process", annual_cost=1000, position=1, technology_intensity=5
    )
    response = cast.client_for("cio").get(
        reverse("assessments:process-detail", args=[draft.pk, process.pk])
    )
    assert response.status_code == 200
    assert b"has not been scored yet" in response.content
    assert b'id="what-if-form"' in response.content
    assert response.context["recommendation"] is None


def test_a_roadmap_with_nothing_outsourced_says_so(cast):
    kept = scored_assessment(
        cast.org,
        cast.manager.user,
        name="Kept",
        processes=(("Core product R&D", "R&D", (5, 1, 2, 5, 3, 4, 1, 3, 1, 2, 5)),),
    )
    response = cast.client_for("cio").get(reverse("assessments:roadmap", args=[kept.pk]))
    assert response.status_code == 200
    assert b"No process is recommended for outsourcing" in response.content
    assert response.context["timeline"] is None
    assert [row["name"] for row in response.context["unscheduled"]] == ["Core product R&D"]


def test_a_long_table_is_paged_keeping_filters_and_sort(cast):
    big = scored_assessment(cast.org, cast.manager.user, processes=many_processes(130), name="Big")
    client = cast.client_for("manager")
    url = reverse("assessments:results", args=[big.pk])
    first = client.get(url, {"sort": "name"})
    assert len(first.context["rows"]) == 100
    assert first.context["matching"] == 130
    assert "sort=name" in first.context["page_links"]["next"]
    second = client.get(url + first.context["page_links"]["next"])
    assert len(second.context["rows"]) == 30
    assert second.context["page_links"]["next"] is None
    shown = [r["name"] for r in first.context["rows"] + second.context["rows"]]
    assert len(set(shown)) == 130  # every process once across the pages
    cost = next(c for c in second.context["columns"] if c["key"] == "cost")
    assert "page=" not in cost["url"]  # a new sort starts on the first page
