"""Savings projections over the API: start one (202), poll it, read the same figures and
CSV as the projection page. Tasks run in-process here (tests/conftest.py), so a
projection whose request commits is finished when the callbacks have run."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from assessments.models import Projection, ProjectionStatus
from assessments.projections import results as projection_results
from assessments.projections.services import PROJECTIONS_PER_PERSON, projection_request
from tests.assessments.projection_fixtures import PORTFOLIO, make_assessment

from .conftest import api_client

pytestmark = pytest.mark.django_db

START = {"trials": 500, "seed": 4, "horizon_months": 48, "discount_rate": "0.075"}


@pytest.fixture
def assessment(cast):
    """A submitted assessment of organisation A with five outsourced processes."""
    return make_assessment(cast.org, cast.manager.user)


@pytest.fixture
def finished(assessment, cast, django_capture_on_commit_callbacks) -> Projection:
    with django_capture_on_commit_callbacks(execute=True):
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=500)
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE
    return projection


@pytest.fixture
def queued(assessment, cast, django_capture_on_commit_callbacks) -> Projection:
    with django_capture_on_commit_callbacks():  # never sent: it stays queued
        return projection_request(assessment=assessment, user=cast.manager.user, trials=500)


def start_url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/projections/"


def urls(projection: Projection) -> dict[str, str]:
    base = f"/api/v1/projections/{projection.pk}/"
    return {
        "status": base,
        "result": f"{base}result/",
        "csv": f"{base}result.csv",
        "format": f"{base}result/?format=csv",
    }


def cents(value: float) -> str:
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def page_export(cast, projection: Projection, table: str = "yearly") -> bytes:
    url = reverse(
        "assessments:projection-export",
        kwargs={"pk": projection.assessment_id, "projection_pk": projection.pk, "fmt": "csv"},
    )
    return cast.client_for("manager").get(f"{url}?table={table}").content


def first_error(response) -> dict:
    return response.json()["errors"][0]


# Starting --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "cio", "admin"])
def test_managers_admins_and_cios_start_a_projection_as_on_the_pages(
    assessment, cast, tokens, who, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(tokens[who]).post(start_url(assessment), START, format="json")
    assert response.status_code == 202
    projection = Projection.objects.get()
    body = response.json()
    assert response["Location"] == body["url"]
    assert body["url"].endswith(f"/api/v1/projections/{projection.pk}/")
    assert projection.requested_by == getattr(cast, who).user
    assert (projection.trials, projection.seed, projection.horizon_months) == (500, 4, 48)
    assert projection.discount_rate == pytest.approx(0.075)
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE


def test_an_empty_body_uses_the_assessments_horizon_and_rate(
    assessment, tokens, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = api_client(tokens["manager"]).post(start_url(assessment))
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["progress"], body["trials"]) == ("queued", 0, 10_000)
    assert (body["horizon_months"], body["discount_rate"]) == (60, 0.08)
    assert body["result_url"] is None


def test_anonymous_callers_read_only_tokens_and_outsiders_start_nothing(assessment, tokens):
    assert api_client(None).post(start_url(assessment), START, format="json").status_code == 401
    response = api_client(tokens["read_only"]).post(start_url(assessment), START, format="json")
    assert response.status_code == 403 and "read-only" in first_error(response)["detail"]
    response = api_client(tokens["outsider"]).post(start_url(assessment), START, format="json")
    assert response.status_code == 404
    assert not Projection.objects.exists()


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({**START, "trials": 50}, "trials"),
        ({**START, "trials": 10**30}, "trials"),
        ({**START, "trials": "many"}, "trials"),
        ({**START, "seed": -1}, "seed"),
        ({**START, "seed": 2**31}, "seed"),
        ({**START, "horizon_months": 241}, "horizon_months"),
        ({**START, "discount_rate": "0.6"}, "discount_rate"),
        ({**START, "discount_rate": "0.07251"}, "discount_rate"),
        ({**START, "discount_rate_pct": "8"}, "discount_rate_pct"),
        ({**START, "status": "done"}, "status"),
    ],
)
def test_bad_settings_are_a_400_and_nothing_starts(assessment, tokens, body, attr):
    response = api_client(tokens["manager"]).post(start_url(assessment), body, format="json")
    assert response.status_code == 400
    assert attr in {error["attr"] for error in response.json()["errors"]}
    assert not Projection.objects.exists()


def test_deep_json_is_a_400_and_nothing_starts(assessment, tokens):
    deep = '{"trials": ' + "[" * 5000 + "]" * 5000 + "}"
    response = api_client(tokens["manager"]).post(
        start_url(assessment), deep, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Projection.objects.exists()


def test_a_person_at_the_quota_is_told_to_wait_with_a_429(
    assessment, cast, tokens, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        for _ in range(PROJECTIONS_PER_PERSON):
            projection_request(
                assessment=assessment, user=cast.manager.user, trials=500, quota=True
            )
        response = api_client(tokens["manager"]).post(start_url(assessment), START, format="json")
    assert response.status_code == 429
    error = first_error(response)
    assert error["code"] == "projection_quota"
    assert "You already have 2 projections queued or running" in error["detail"]
    assert Projection.objects.count() == PROJECTIONS_PER_PERSON


# Status ----------------------------------------------------------------------------------


def test_the_status_says_where_the_projection_is(queued, finished, tokens):
    client = api_client(tokens["cio"])
    waiting = client.get(urls(queued)["status"]).json()
    assert (waiting["status"], waiting["progress"]) == ("queued", 0)
    assert waiting["message"] == "Waiting for a worker to start the projection."
    assert waiting["result_url"] is None and waiting["result_csv_url"] is None
    done = client.get(urls(finished)["status"]).json()
    assert (done["status"], done["progress"], done["message"]) == ("done", 100, "Finished.")
    assert done["result_url"].endswith(urls(finished)["result"])
    assert done["result_csv_url"].endswith(urls(finished)["csv"])


def test_the_list_is_scoped_and_filters_by_assessment_and_status(finished, queued, cast, tokens):
    other = make_assessment(cast.org, cast.manager.user, name="Another review")
    theirs = make_assessment(cast.other_org, cast.outsider.user, name="Their review")
    for assessment in (other, theirs):
        projection_request(assessment=assessment, user=None, trials=500)
    client = api_client(tokens["manager"])

    def ids(query: str) -> list[int]:
        results = client.get(f"/api/v1/projections/{query}").json()["results"]
        return sorted(row["id"] for row in results)

    ours = Projection.objects.filter(assessment__organisation=cast.org)
    assert ids("") == sorted(ours.values_list("pk", flat=True)) and len(ids("")) == 3
    assert ids(f"?assessment={finished.assessment_id}") == sorted([finished.pk, queued.pk])
    assert ids("?status=done") == [finished.pk]
    assert ids(f"?assessment={theirs.pk}") == []


def test_another_organisation_gets_404_for_every_projection_url(finished, tokens):
    client = api_client(tokens["outsider"])
    for name, url in urls(finished).items():
        response = client.get(url)
        assert response.status_code == 404, name
        assert response["Content-Type"] == "application/json", name
        assert first_error(response)["code"] == "not_found"


def test_anonymous_callers_get_401_in_json_even_for_the_csv(finished):
    for name, url in urls(finished).items():
        response = api_client(None).get(url)
        assert response.status_code == 401, name
        assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_reading_urls_refuse_changes(finished, tokens):
    client = api_client(tokens["manager"])
    for url in urls(finished).values():
        assert client.post(url, {}, format="json").status_code == 405
        assert client.delete(url).status_code == 405


# Result ----------------------------------------------------------------------------------


def test_the_result_is_the_stored_headline_and_waves_to_the_cent(finished, tokens):
    response = api_client(tokens["cio"]).get(urls(finished)["result"])
    assert response.status_code == 200
    body = response.json()
    headline = projection_results.headline(finished.result)
    money = body["headline"]
    for key in ("npv_p10", "npv_p50", "npv_p90", "npv_mean"):
        assert money[key] == {"amount": cents(headline[key]), "currency": "GBP"}, key
    assert money["npv_at_modes"]["amount"] == cents(headline["npv"])
    assert money["prob_npv_negative"] == headline["prob_npv_negative"]
    assert money["payback_month"] == headline["payback_month"]
    assert (money["trials"], money["seed"]) == (500, 0)
    assert body["nothing_to_project"] is False and body["processes"] == 5
    waves = projection_results.wave_frame(finished.result).to_dict("records")
    assert [w["wave"] for w in body["waves"]] == [1, 2, 3]
    for got, wave in zip(body["waves"], waves, strict=True):
        assert got["model"] == wave["model"] and got["processes"] == wave["processes"]
        assert got["npv_at_modes"]["amount"] == cents(wave["npv"])
        assert got["npv_p50"]["amount"] == cents(wave["npv_p50"])
        assert got["payback_month"] == wave["payback_month"]


def test_a_result_stored_before_the_mean_was_kept_has_a_null_mean(finished, tokens):
    finished.result["monte_carlo"].pop("npv_mean")
    finished.save(update_fields=["result"])
    body = api_client(tokens["cio"]).get(urls(finished)["result"]).json()
    assert body["headline"]["npv_mean"] is None
    assert body["headline"]["npv_p50"]["amount"] == cents(finished.result["monte_carlo"]["npv_p50"])


def test_an_unfinished_projection_has_no_result_yet(queued, tokens):
    client = api_client(tokens["manager"])
    for name in ("result", "csv", "format"):
        response = client.get(urls(queued)[name])
        assert response.status_code == 409, name
        assert response["Content-Type"] == "application/json"
        error = first_error(response)
        assert error["code"] == "conflict" and "queued (0 % done)" in error["detail"]


def test_a_failed_projection_says_why(queued, tokens):
    Projection.objects.filter(pk=queued.pk).update(
        status=ProjectionStatus.FAILED, message="The projection failed: disk full."
    )
    response = api_client(tokens["manager"]).get(urls(queued)["result"])
    assert response.status_code == 409
    assert first_error(response)["detail"] == "The projection failed: disk full."


def test_nothing_to_project_is_a_clear_result(cast, tokens, django_capture_on_commit_callbacks):
    retained = make_assessment(cast.org, cast.manager.user, processes=[PORTFOLIO[-1]])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(tokens["manager"]).post(start_url(retained), format="json")
    projection = Projection.objects.get()
    assert response.status_code == 202 and response.json()["status"] == "done"
    body = api_client(tokens["manager"]).get(urls(projection)["result"]).json()
    assert body["nothing_to_project"] is True and body["headline"] is None
    assert body["message"].startswith("Nothing to project")
    csv = api_client(tokens["manager"]).get(urls(projection)["csv"])
    assert csv.status_code == 409 and "Nothing to project" in first_error(csv)["detail"]


# CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["csv", "format"])
def test_the_csv_is_the_pages_export(finished, cast, tokens, name):
    response = api_client(tokens["cio"]).get(urls(finished)[name])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'-projection-{finished.pk}-yearly.csv"')
    assert response.content == page_export(cast, finished)
    assert response.content.decode("utf-8-sig").startswith("Year,Months,In-house cost avoided")


def test_the_monthly_csv_and_the_accept_header(finished, cast, tokens):
    client = api_client(tokens["manager"])
    monthly = client.get(urls(finished)["csv"] + "?table=monthly")
    assert monthly.content == page_export(cast, finished, "monthly")
    assert len(monthly.content.decode("utf-8-sig").splitlines()) == 61
    accepted = client.get(urls(finished)["result"], HTTP_ACCEPT="text/csv")
    assert accepted["Content-Type"].startswith("text/csv")
    assert accepted.content == page_export(cast, finished)
    json = client.get(urls(finished)["result"], HTTP_ACCEPT="application/json")
    assert json["Content-Type"] == "application/json"


def test_an_unknown_csv_table_or_format_is_refused(finished, tokens):
    client = api_client(tokens["manager"])
    response = client.get(urls(finished)["csv"] + "?table=weekly")
    assert response.status_code == 400 and first_error(response)["attr"] == "table"
    assert client.get(urls(finished)["result"] + "?format=xml").status_code == 404


def test_a_huge_assessment_filter_is_a_400_not_a_crash(tokens):
    from .conftest import api_client

    response = api_client(tokens["manager"]).get(
        "/api/v1/projections/?assessment=99999999999999999999999"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "assessment"
