"""The assessments API: the wizard, the results and the roadmap over HTTP, with the pages'
access rules, forms and services (another organisation's ids are 404, CIOs and read-only
tokens cannot change anything, a submitted assessment is locked until it is reopened)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assessments.engine.inventory import template_csv
from assessments.engine.questions import QUESTION_KEYS
from assessments.models import Assessment, Process, Projection, Recommendation, Status
from assessments.selectors import recommendations as selectors
from tests.assessments.builders import CORE_RD, NETWORK, PAYROLL, add_process, make_assessment
from tests.assessments.factories import scored_assessment

from .conftest import api_client

pytestmark = pytest.mark.django_db

API = "/api/v1/assessments/"
NEW = {
    "name": "Back office 2027",
    "objectives": ["cost_reduction", "innovation"],
    "customer_languages": ["English"],
    "horizon_months": 48,
    "discount_rate": "0.075",
}
ANSWERS = dict(zip(QUESTION_KEYS, PAYROLL, strict=True))


@pytest.fixture
def draft(cast) -> Assessment:
    assessment = make_assessment(cast.manager, name="Draft review")
    add_process(assessment, "Payroll", PAYROLL)
    return assessment


@pytest.fixture
def submitted(cast) -> Assessment:
    return scored_assessment(cast.org, cast.manager.user)


def urls(assessment: Assessment) -> dict[str, str]:
    base = f"{API}{assessment.pk}/"
    process = assessment.processes.first()
    return {
        "detail": base,
        "processes": f"{base}processes/",
        "process": f"{base}processes/{process.pk}/",
        "answers": f"{base}processes/{process.pk}/answers/",
        "recommendations": f"{base}recommendations/",
        "roadmap": f"{base}roadmap/",
        "submit": f"{base}submit/",
        "reopen": f"{base}reopen/",
        "inventory": f"{base}inventory/",
    }


READS = ["detail", "processes", "process", "recommendations", "roadmap"]
WRITES = [
    ("post", "processes"),
    ("patch", "process"),
    ("put", "process"),
    ("delete", "process"),
    ("put", "answers"),
    ("post", "submit"),
    ("post", "reopen"),
    ("post", "inventory"),
]


def errors(response) -> dict[str, list[str]]:
    body = response.json()
    found: dict[str, list[str]] = {}
    for error in body["errors"]:
        found.setdefault(error["attr"] or "", []).append(error["detail"])
    return found


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def state(assessment: Assessment) -> list[tuple]:
    """What a refused request must leave as it was."""
    assessment.refresh_from_db()
    return [
        (assessment.status, assessment.name, assessment.updated_at),
        *Process.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("name", "annual_cost", "fte", *QUESTION_KEYS),
    ]


# The ladder ------------------------------------------------------------------------------


def test_anonymous_callers_get_401_everywhere(draft):
    client = api_client(None)
    assert client.get(API).status_code == 401
    for name in READS:
        response = client.get(urls(draft)[name])
        assert response.status_code == 401, name
        assert response.json()["errors"][0]["code"] == "not_authenticated"
    for method, name in WRITES:
        assert getattr(client, method)(urls(draft)[name], {}, format="json").status_code == 401
    assert client.post(API, NEW, format="json").status_code == 401
    assert Assessment.objects.count() == 1


def test_another_organisations_ids_are_404_for_every_url(draft, tokens):
    client = api_client(tokens["outsider"])
    before = state(draft)
    for name in READS:
        assert client.get(urls(draft)[name]).status_code == 404, name
    for method, name in WRITES:
        response = getattr(client, method)(urls(draft)[name], {}, format="json")
        assert response.status_code == 404, (method, name)
    assert state(draft) == before


def test_a_process_is_not_found_under_another_assessment(draft, cast, tokens):
    other = make_assessment(cast.manager, name="Another")
    process = draft.processes.get()
    url = f"{API}{other.pk}/processes/{process.pk}/"
    assert api_client(tokens["manager"]).get(url).status_code == 404


@pytest.mark.parametrize("who", ["cio", "read_only"])
def test_cios_and_read_only_tokens_read_but_never_change(draft, tokens, who):
    client = api_client(tokens[who])
    for name in READS:
        assert client.get(urls(draft)[name]).status_code == 200, name
    before = state(draft)
    for method, name in WRITES:
        response = getattr(client, method)(urls(draft)[name], {}, format="json")
        assert response.status_code == 403, (method, name)
        assert response.json()["errors"][0]["code"] == "permission_denied"
    assert client.post(API, NEW, format="json").status_code == 403
    assert state(draft) == before and Assessment.objects.count() == 1


def test_the_list_holds_only_our_organisations_assessments(draft, cast, tokens):
    make_assessment(cast.outsider, name="Their secret review")
    body = api_client(tokens["cio"]).get(API).json()
    assert [row["name"] for row in body["results"]] == ["Draft review"]
    assert body["results"][0]["process_count"] == 1
    assert body["results"][0]["total_cost"] == {"amount": "1000000.00", "currency": "GBP"}


def test_the_list_filters_by_status_and_searches_names(draft, submitted, tokens):
    client = api_client(tokens["manager"])

    def names(query: str) -> list[str]:
        return [row["name"] for row in client.get(API + query).json()["results"]]

    assert names("?status=submitted") == ["Review 2027"]
    assert names("?status=draft") == ["Draft review"]
    assert names("?search=review draft") == ["Draft review"]
    assert sorted(names("?search=REVIEW")) == ["Draft review", "Review 2027"]
    assert client.get(API + "?status=archived").status_code == 400


# Creating a draft ------------------------------------------------------------------------


def test_a_manager_creates_a_draft_with_the_organisations_defaults(cast, tokens):
    cast.org.home_country, cast.org.currency = "Germany", "EUR"
    cast.org.save()
    response = api_client(tokens["manager"]).post(API, NEW, format="json")
    assert response.status_code == 201
    assessment = Assessment.objects.get()
    assert response["Location"].endswith(f"{API}{assessment.pk}/")
    assert (assessment.organisation, assessment.owner) == (cast.org, cast.manager.user)
    assert (assessment.home_country, assessment.home_continent, assessment.currency) == (
        "Germany",
        "Europe",
        "EUR",
    )
    assert assessment.status == Status.DRAFT and assessment.horizon_months == 48
    assert assessment.discount_rate == Decimal("0.0750")
    assert assessment.objectives == ["cost_reduction", "innovation"]
    body = response.json()
    assert body["discount_rate"] == "0.0750" and body["process_count"] == 0
    assert body["links"]["processes"].endswith(f"{API}{assessment.pk}/processes/")


@pytest.mark.parametrize(
    ("body", "attr", "words"),
    [
        ({**NEW, "colour": "red"}, "colour", "Unknown field 'colour'"),
        ({**NEW, "id": 5}, "id", "unknown"),
        ({**NEW, "horizon_months": "sixty"}, "horizon_months", "valid integer"),
        ({**NEW, "horizon_months": 10**30}, "horizon_months", "less than or equal to 240"),
        ({**NEW, "discount_rate": "0.51"}, "discount_rate", "less than or equal to 0.5"),
        ({**NEW, "discount_rate": "1e400"}, "discount_rate", ""),
        ({**NEW, "objectives": []}, "objectives", "empty"),
        ({**NEW, "objectives": ["world_peace"]}, "objectives.0", "not a valid choice"),
        ({**NEW, "name": ""}, "name", "blank"),
        ({**NEW, "name": {"nested": "object"}}, "name", "valid string"),
        ({**NEW, "currency": "XXX"}, "currency", "not a valid choice"),
    ],
)
def test_a_bad_body_is_a_400_naming_the_field_and_nothing_is_saved(tokens, body, attr, words):
    response = api_client(tokens["manager"]).post(API, body, format="json")
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    found = errors(response)
    assert attr in found, found
    assert words.lower() in " ".join(found[attr]).lower()
    assert not Assessment.objects.exists()


def test_deep_or_broken_json_is_a_400_and_nothing_is_saved(tokens):
    client = api_client(tokens["manager"])
    deep = '{"name": ' + "[" * 5000 + "]" * 5000 + "}"
    for raw in (deep, '{"name": NaN}', "{not json"):
        response = client.post(API, raw, content_type="application/json")
        assert response.status_code == 400, raw[:20]
        assert response.json()["errors"][0]["detail"]
    assert not Assessment.objects.exists()


# Processes -------------------------------------------------------------------------------


def test_a_manager_adds_changes_and_removes_processes_of_a_draft(draft, tokens):
    client = api_client(tokens["manager"])
    created = client.post(
        urls(draft)["processes"],
        {
            "name": "  Service desk ",
            "business_function": "IT",
            "annual_cost": "250000.50",
            "fte": "3.5",
        },
        format="json",
    )
    assert created.status_code == 201
    desk = draft.processes.get(name="Service desk")
    assert created["Location"].endswith(f"/processes/{desk.pk}/")
    assert (desk.annual_cost, desk.fte, desk.position) == (Decimal("250000.50"), Decimal("3.50"), 1)
    assert created.json()["annual_cost"] == {"amount": "250000.50", "currency": "GBP"}
    assert created.json()["unanswered"] == list(QUESTION_KEYS)

    url = f"{urls(draft)['processes']}{desk.pk}/"
    patched = client.patch(url, {"annual_cost": "260000"}, format="json")
    assert patched.status_code == 200
    desk.refresh_from_db()
    assert (desk.name, desk.annual_cost, desk.business_function) == (
        "Service desk",
        Decimal("260000.00"),
        "IT",
    )
    put = client.put(
        url, {"name": "IT service desk", "annual_cost": "1", "fte": "0"}, format="json"
    )
    assert put.status_code == 200 and put.json()["business_function"] == "other"
    assert client.delete(url).status_code == 204
    assert list(draft.processes.values_list("name", flat=True)) == ["Payroll"]


@pytest.mark.parametrize(
    ("body", "attr", "words"),
    [
        ({"name": "PAYROLL", "annual_cost": "5"}, "name", "already a process called"),
        ({"name": "New", "annual_cost": "0"}, "annual_cost", "must be more than zero"),
        ({"name": "New", "annual_cost": "5", "fte": "-1"}, "fte", "greater than or equal to 0"),
        ({"name": "New", "annual_cost": "5.001"}, "annual_cost", "2 decimal places"),
        ({"name": "New", "annual_cost": "1" + "0" * 20}, "annual_cost", "digits"),
        (
            {"name": "New", "annual_cost": 5, "strategic_importance": 3},
            "strategic_importance",
            "Unknown field",
        ),
        ({"name": "New"}, "annual_cost", "required"),
        ({"name": "x" * 201, "annual_cost": "5"}, "name", "200 characters"),
        (
            {"name": "New", "annual_cost": "5", "business_function": "space"},
            "business_function",
            "not a valid choice",
        ),
    ],
)
def test_a_bad_process_is_refused_with_the_pages_words(draft, tokens, body, attr, words):
    before = state(draft)
    response = api_client(tokens["manager"]).post(urls(draft)["processes"], body, format="json")
    assert response.status_code == 400
    found = errors(response)
    assert attr in found and words.lower() in " ".join(found[attr]).lower(), found
    assert state(draft) == before


def test_renaming_a_process_to_a_name_in_use_is_refused(draft, tokens):
    network = add_process(draft, "Network", NETWORK)
    response = api_client(tokens["manager"]).patch(
        f"{urls(draft)['processes']}{network.pk}/", {"name": "payroll"}, format="json"
    )
    assert response.status_code == 400 and "name" in errors(response)
    network.refresh_from_db()
    assert network.name == "Network"


def test_answers_are_saved_for_every_question_and_dont_know_is_zero(draft, tokens):
    process = add_process(draft, "Network", answers=None)
    url = f"{urls(draft)['processes']}{process.pk}/answers/"
    response = api_client(tokens["manager"]).put(url, {**ANSWERS, "volume": 0}, format="json")
    assert response.status_code == 200
    process.refresh_from_db()
    assert process.stored_answers == {**ANSWERS, "volume": 0}
    assert response.json()["answers"]["volume"] == 0 and response.json()["is_complete"]
    draft.refresh_from_db()
    assert draft.wizard_step == "questionnaire"


@pytest.mark.parametrize(
    ("change", "attr"),
    [
        ({"volume": 6}, "volume"),
        ({"volume": -1}, "volume"),
        ({"volume": None}, "volume"),
        ({"volume": "many"}, "volume"),
        ({"volume": 10**40}, "volume"),
        ({"mood": 3}, "mood"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(draft, tokens, change, attr):
    process = add_process(draft, "Network", answers=None)
    url = f"{urls(draft)['processes']}{process.pk}/answers/"
    response = api_client(tokens["manager"]).put(url, {**ANSWERS, **change}, format="json")
    assert response.status_code == 400 and attr in errors(response)
    process.refresh_from_db()
    assert process.unanswered == list(QUESTION_KEYS)


def test_answers_must_cover_every_question(draft, tokens):
    partial = dict.fromkeys(QUESTION_KEYS[:5], 3)
    response = api_client(tokens["manager"]).put(urls(draft)["answers"], partial, format="json")
    assert response.status_code == 400
    assert set(errors(response)) == set(QUESTION_KEYS[5:])


def test_a_submitted_assessment_is_locked_until_it_is_reopened(submitted, tokens):
    client = api_client(tokens["manager"])
    before = state(submitted)
    bodies = {
        "processes": {"name": "New", "annual_cost": "5"},
        "process": {"fte": "1"},
        "answers": ANSWERS,
        "inventory": {"processes": [{"name": "B", "annual_cost": 1}]},
    }
    for method, name in WRITES:
        if name == "reopen":
            continue
        response = getattr(client, method)(
            urls(submitted)[name], bodies.get(name, {}), format="json"
        )
        assert response.status_code == 409, (method, name)
        error = response.json()["errors"][0]
        assert error["code"] == "assessment_submitted" and "Reopen it" in error["detail"]
    assert state(submitted) == before

    assert client.post(urls(submitted)["reopen"]).json()["status"] == "draft"
    assert Recommendation.objects.filter(process__assessment=submitted).count() == 6
    response = client.patch(urls(submitted)["process"], {"fte": "1"}, format="json")
    assert response.status_code == 200


# Importing an inventory ------------------------------------------------------------------


def test_a_csv_file_is_imported_with_the_wizards_reader(draft, tokens):
    csv = (
        b"name,annual_cost,business_function,strategic_importance,standardisation\n"
        b'Invoices,100000,finance,1,5\nTravel desk,"50,000",other,,\n'
    )
    response = api_client(tokens["manager"]).post(
        urls(draft)["inventory"], {"file": upload("inventory.csv", csv)}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json()["imported"] == 2 and response.json()["process_count"] == 3
    travel = draft.processes.get(name="Travel desk")
    assert travel.annual_cost == Decimal("50000.00") and travel.volume == 0  # don't know


def test_an_xlsx_file_can_replace_the_inventory(draft, tokens):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "annual_cost", "fte"])
    sheet.append(["Accounts payable", 120000, 2])
    content = io.BytesIO()
    book.save(content)
    response = api_client(tokens["manager"]).post(
        urls(draft)["inventory"],
        {"file": upload("inventory.xlsx", content.getvalue()), "replace": "true"},
        format="multipart",
    )
    assert response.status_code == 201
    assert list(draft.processes.values_list("name", flat=True)) == ["Accounts payable"]


def test_the_template_imports_cleanly(draft, tokens):
    response = api_client(tokens["manager"]).post(
        urls(draft)["inventory"],
        {"file": upload("t.csv", template_csv().encode("utf-8-sig"))},
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["imported"] == 3


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        (
            "bad.csv",
            b"name,annual_cost,strategic_importnce\nA,100,1\nA,-5,2\nB,=SUM(A1),9\n",
            "strategic_importnce",
        ),
        ("dup.csv", b"name,annual_cost\nPAYROLL,5\nNew,5\n", "already in this assessment"),
        ("notes.txt", b"hello", "Upload a .csv or .xlsx file"),
        ("zip.csv", b"PK\x03\x04" + b"\0" * 100, "looks like an Excel workbook"),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", ""),
        ("latin.csv", "name,annual_cost\nCaf\u00e9,5\n".encode("latin-1"), "not UTF-8"),
        ("big.csv", b"name,annual_cost\n" + b"x" * (5 * 1024 * 1024), "the limit is 5 MB"),
    ],
)
def test_a_bad_or_hostile_file_imports_nothing_and_says_why(draft, tokens, name, content, words):
    before = state(draft)
    response = api_client(tokens["manager"]).post(
        urls(draft)["inventory"], {"file": upload(name, content)}, format="multipart"
    )
    assert response.status_code == 400
    found = errors(response)
    assert set(found) == {"file"}
    assert words in " ".join(found["file"])
    assert state(draft) == before


def test_an_upload_needs_a_file_and_no_other_fields(draft, tokens):
    client = api_client(tokens["manager"])
    assert "file" in errors(client.post(urls(draft)["inventory"], {}, format="multipart"))
    response = client.post(
        urls(draft)["inventory"],
        {"file": upload("a.csv", b"name,annual_cost\nA,5\n"), "overwrite": "yes"},
        format="multipart",
    )
    assert response.status_code == 400 and "overwrite" in errors(response)
    assert draft.processes.count() == 1


def test_a_json_list_of_processes_is_imported_all_or_nothing(draft, tokens):
    client = api_client(tokens["manager"])
    good = {
        "processes": [
            {
                "name": "Invoices",
                "business_function": "finance",
                "annual_cost": "100000",
                **ANSWERS,
            },
            {"name": "Travel desk", "annual_cost": 50000, "volume": None, "description": "a\nb"},
        ]
    }
    response = client.post(urls(draft)["inventory"], good, format="json")
    assert response.status_code == 201 and response.json()["imported"] == 2
    invoices = draft.processes.get(name="Invoices")
    assert invoices.stored_answers == ANSWERS and invoices.business_function == "finance"
    travel = draft.processes.get(name="Travel desk")
    assert travel.description == "a\nb" and travel.volume == 0 and travel.fte == 0

    before = state(draft)
    bad = {
        "processes": [
            {"name": "New one", "annual_cost": "5"},
            {"name": "new  ONE", "annual_cost": "5"},
            {"name": "Payroll", "annual_cost": "5"},
        ]
    }
    response = client.post(urls(draft)["inventory"], bad, format="json")
    assert response.status_code == 400
    found = errors(response)
    assert "used twice" in " ".join(found["processes.1.name"])
    assert state(draft) == before
    response = client.post(
        urls(draft)["inventory"],
        {"processes": [{"name": "Payroll", "annual_cost": "5"}]},
        format="json",
    )
    assert "already in this assessment" in " ".join(errors(response)["processes.0.name"])


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"processes": []}, "processes"),
        ({"processes": [{"name": "A", "annual_cost": "5", "colour": "red"}]}, "processes.0.colour"),
        ({"processes": [{"name": "A", "annual_cost": "5", "volume": 9}]}, "processes.0.volume"),
        ({"processes": [{"name": "A", "annual_cost": "-5"}]}, "processes.0.annual_cost"),
        ({"processes": [{"name": "A"}]}, "processes.0.annual_cost"),
        ({"processes": "A,5"}, "processes"),
        ({"processes": [{"name": "A", "annual_cost": 5}], "mode": "merge"}, "mode"),
    ],
)
def test_a_bad_json_import_is_a_400_naming_the_item(draft, tokens, body, attr):
    before = state(draft)
    response = api_client(tokens["manager"]).post(urls(draft)["inventory"], body, format="json")
    assert response.status_code == 400
    assert attr in errors(response), errors(response)
    assert state(draft) == before


# Submit and reopen -----------------------------------------------------------------------


def test_submitting_an_incomplete_draft_says_what_is_missing(draft, tokens):
    add_process(draft, "Network", answers=None)
    response = api_client(tokens["manager"]).post(urls(draft)["submit"])
    assert response.status_code == 400
    assert "unanswered questions: Network" in errors(response)["non_field_errors"][0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not Recommendation.objects.exists()


def test_submitting_scores_every_process_and_starts_a_projection(
    draft, tokens, django_capture_on_commit_callbacks
):
    add_process(draft, "Core R&D", CORE_RD, function="R&D")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(tokens["manager"]).post(urls(draft)["submit"])
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.submitted_at is not None
    assert Recommendation.objects.filter(process__assessment=draft).count() == 2
    assert Projection.objects.get(assessment=draft).status == "done"
    again = api_client(tokens["manager"]).post(urls(draft)["submit"])
    assert again.status_code == 409


# Recommendations and the roadmap ---------------------------------------------------------


def test_recommendations_carry_the_reasons_the_results_page_shows(submitted, tokens, cast):
    response = api_client(tokens["cio"]).get(urls(submitted)["recommendations"])
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    rows = selectors.records(
        selectors.recommendation_rows(selectors.recommendations_for(submitted))
    )
    assert [r["name"] for r in body["results"]] == [row["name"] for row in rows]
    for result, row in zip(body["results"], rows, strict=True):
        assert result["reasons"] == row["reasons"] and result["reasons"]
        assert result["model"] == row["chosen_model"]
        assert result["model_label"] == row["chosen_model_label"]
        assert result["wave"] == row["wave"] and result["start_month"] == row["start_month"]
        assert [flag["label"] for flag in result["flags"]] == row["flag_labels"]
        assert Decimal(result["annual_cost"]["amount"]) == row["annual_cost"]


def test_an_override_is_the_decided_model_with_the_engines_beside_it(submitted, tokens, cast):
    rec = Recommendation.objects.get(process__name="Payroll processing")
    Recommendation.objects.filter(pk=rec.pk).update(
        override_model="retain",
        override_location="in_house",
        override_justification="Works council agreement",
        overridden_by=cast.manager.user,
    )
    body = (
        api_client(tokens["cio"]).get(urls(submitted)["recommendations"] + "?model=retain").json()
    )
    payroll = next(r for r in body["results"] if r["name"] == "Payroll processing")
    assert payroll["model"] == "retain" and payroll["engine_model"] == rec.model
    assert payroll["override"]["justification"] == "Works council agreement"
    assert payroll["override"]["by"] == cast.manager.user.username


@pytest.mark.parametrize(
    "query",
    [
        "model=BPO",
        "location=offshore",
        "wave=1",
        "business_function=HR",
        "flag=data",
        "q=payroll",
        "model=ITO&wave=1",
        "sort=-cost",
    ],
)
def test_recommendation_filters_match_the_results_page(submitted, cast, tokens, query):
    api = api_client(tokens["manager"]).get(f"{urls(submitted)['recommendations']}?{query}")
    page_query = query.replace("business_function=", "function=")
    page = cast.client_for("manager").get(f"/assessments/{submitted.pk}/results/?{page_query}")
    expected = [row["name"] for row in page.context["page"]]
    assert expected, "the filter should match something in the worked cases"
    assert api.status_code == 200
    assert [r["name"] for r in api.json()["results"]] == expected


def test_a_bad_filter_value_is_a_400(submitted, tokens):
    response = api_client(tokens["manager"]).get(
        urls(submitted)["recommendations"] + "?model=outsource-everything"
    )
    assert response.status_code == 400 and "model" in errors(response)


def test_the_roadmap_has_the_pages_waves_and_start_months(submitted, cast, tokens):
    body = api_client(tokens["cio"]).get(urls(submitted)["roadmap"]).json()
    page = cast.client_for("cio").get(f"/assessments/{submitted.pk}/roadmap/").context
    assert [
        (
            w["wave"],
            w["model"],
            w["processes"],
            w["start_month"],
            w["end_month"],
            w["payback_month"],
        )
        for w in body["waves"]
    ] == [
        (w.wave, w.model, w.processes, w.start_month, w.end_month, w.payback_month)
        for w in page["waves"]
    ]
    assert [w["spend"]["amount"] for w in body["waves"]] == [
        f"{Decimal(str(w.spend)):.2f}" for w in page["waves"]
    ]
    assert [(e["name"], e["wave"], e["start_month"]) for e in body["scheduled"]] == [
        (row["name"], row["wave"], row["start_month"]) for row in page["scheduled"]
    ]
    assert [e["name"] for e in body["unscheduled"]] == [r["name"] for r in page["unscheduled"]]
    assert body["horizon_months"] == 60


def test_a_never_submitted_draft_has_no_recommendations_and_an_empty_roadmap(draft, tokens):
    client = api_client(tokens["manager"])
    assert client.get(urls(draft)["recommendations"]).json()["count"] == 0
    assert client.get(urls(draft)["roadmap"]).json() == {
        "horizon_months": 60,
        "waves": [],
        "scheduled": [],
        "unscheduled": [],
        "warnings": [],
    }
