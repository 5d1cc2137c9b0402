"""The wizard: every step saves the draft, validates in words and checks org and role."""

import html

import pytest
from django.urls import reverse

from assessments.models import Assessment, Process, Recommendation, Status, WizardStep
from tests.assessments.builders import CORE_RD, NETWORK, PAYROLL, add_process, make_assessment

CONTEXT = {
    "name": "Back office 2027",
    "objectives": ["cost_reduction", "innovation"],
    "home_country": "United Kingdom",
    "customer_languages": ["English"],
    "currency": "GBP",
    "horizon_months": "60",
    "discount_rate_pct": "8",
}


@pytest.fixture
def draft(cast):
    assessment = make_assessment(cast.manager, wizard_step=WizardStep.INVENTORY)
    add_process(assessment, "Payroll", PAYROLL)
    return assessment


def wizard_urls(assessment: Assessment) -> dict[str, str]:
    process = assessment.processes.first()
    return {
        "context": reverse("assessments:context", args=[assessment.pk]),
        "inventory": reverse("assessments:inventory", args=[assessment.pk]),
        "questionnaire": reverse("assessments:questionnaire", args=[assessment.pk]),
        "review": reverse("assessments:review", args=[assessment.pk]),
        "process-edit": reverse("assessments:process-edit", args=[assessment.pk, process.pk]),
        "process-delete": reverse("assessments:process-delete", args=[assessment.pk, process.pk]),
    }


POST_ONLY = ["inventory-import", "submit", "reopen"]


def post_only_url(name: str, assessment: Assessment) -> str:
    args = [assessment.pk]
    if name == "process-delete":
        args.append(assessment.processes.first().pk)
    return reverse(f"assessments:{name}", args=args)


def test_the_list_shows_only_our_organisations_assessments(cast, draft):
    theirs = make_assessment(cast.outsider, name="Their secret review")
    page = cast.client_for("cio").get(reverse("assessments:list")).content.decode()
    assert draft.name in page and theirs.name not in page


def test_anonymous_people_are_sent_to_login_from_every_wizard_url(cast, draft):
    client = cast.client_for(None)
    for url in [
        *wizard_urls(draft).values(),
        reverse("assessments:create"),
        reverse("assessments:resume", args=[draft.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    for name in POST_ONLY:
        assert client.post(post_only_url(name, draft)).status_code == 302


def test_another_organisation_gets_404_on_every_wizard_url(cast, draft):
    client = cast.client_for("outsider")
    for url in [*wizard_urls(draft).values(), reverse("assessments:resume", args=[draft.pk])]:
        assert client.get(url).status_code == 404, url
    for name in POST_ONLY:
        assert client.post(post_only_url(name, draft)).status_code == 404, name
    assert draft.processes.count() == 1


def test_a_cio_reads_but_cannot_use_the_wizard(cast, draft):
    client = cast.client_for("cio")
    assert client.get(reverse("assessments:create")).status_code == 403
    for url in wizard_urls(draft).values():
        assert client.get(url).status_code == 403, url
    for name in POST_ONLY:
        assert client.post(post_only_url(name, draft)).status_code == 403, name
    assert draft.processes.count() == 1


def test_post_only_actions_refuse_get(cast, draft):
    client = cast.client_for("manager")
    for name in POST_ONLY:
        assert client.get(post_only_url(name, draft)).status_code == 405, name


def test_a_manager_creates_an_assessment_and_lands_on_the_inventory(cast):
    response = cast.client_for("manager").post(reverse("assessments:create"), CONTEXT)
    assessment = Assessment.objects.get(name="Back office 2027")
    assert response.url == reverse("assessments:inventory", args=[assessment.pk])
    assert assessment.organisation == cast.org
    assert assessment.objectives == ["cost_reduction", "innovation"]
    assert str(assessment.discount_rate) == "0.0800"
    assert assessment.home_continent == "Europe"
    assert assessment.wizard_step == WizardStep.INVENTORY


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("horizon_months", "500", "less than or equal to 240"),
        ("discount_rate_pct", "75", "less than or equal to 50"),
        ("discount_rate_pct", "abc", "Enter a number"),
        ("objectives", [], "This field is required"),
    ],
)
def test_bad_context_is_refused_in_words_and_keeps_what_was_typed(cast, field, value, message):
    data = {**CONTEXT, field: value}
    response = cast.client_for("manager").post(reverse("assessments:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Back office 2027"' in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_manager_adds_edits_and_removes_a_process(cast, draft):
    client = cast.client_for("manager")
    urls = wizard_urls(draft)
    client.post(
        urls["inventory"],
        {"name": "Order entry", "business_function": "sales", "annual_cost": "250000", "fte": "3"},
    )
    process = draft.processes.get(name="Order entry")
    assert process.annual_cost == 250000 and process.unanswered == list(process.stored_answers)
    edit = reverse("assessments:process-edit", args=[draft.pk, process.pk])
    client.post(
        edit,
        {
            "name": "Order entry (EDI)",
            "business_function": "sales",
            "annual_cost": "260000",
            "fte": "3",
        },
    )
    process.refresh_from_db()
    assert process.name == "Order entry (EDI)" and process.annual_cost == 260000
    client.post(reverse("assessments:process-delete", args=[draft.pk, process.pk]))
    assert not draft.processes.filter(pk=process.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "payroll", "annual_cost": "100"}, "already a process called"),
        ({"name": "Audit", "annual_cost": "-5"}, "must be more than zero"),
        ({"name": "Audit", "annual_cost": "lots"}, "Enter a number"),
        ({"name": "Audit", "annual_cost": "100", "fte": "-1"}, "greater than or equal to 0"),
    ],
)
def test_a_bad_process_is_refused_with_a_reason(cast, draft, data, message):
    data = {"business_function": "finance", "fte": "0", **data}
    response = cast.client_for("manager").post(wizard_urls(draft)["inventory"], data)
    assert message in response.content.decode()
    assert draft.processes.count() == 1


def test_a_good_csv_import_adds_every_row(cast, draft):
    csv = (
        "name,annual_cost,business_function,strategic_importance,standardisation\n"
        "Invoices,100000,finance,1,5\nTravel desk,50000,other,,\n"
    )
    upload = _upload("inventory.csv", csv.encode())
    response = cast.client_for("manager").post(
        reverse("assessments:inventory-import", args=[draft.pk]), {"file": upload}, follow=True
    )
    assert response.redirect_chain[0][1] == 302
    assert "Imported 2 processes from inventory.csv." in response.content.decode()
    travel = draft.processes.get(name="Travel desk")
    assert travel.strategic_importance == 0  # empty = don't know
    assert travel.volume == 0
    assert draft.processes.count() == 3


def test_importing_one_process_says_one_process(cast, draft):
    response = cast.client_for("manager").post(
        reverse("assessments:inventory-import", args=[draft.pk]),
        {"file": _upload("one.csv", b"name,annual_cost\nInvoices,100000\n")},
        follow=True,
    )
    assert "Imported 1 process from one.csv." in response.content.decode()
    assert draft.processes.count() == 2


def test_a_file_with_one_problem_says_one_problem(cast, draft):
    response = cast.client_for("manager").post(
        reverse("assessments:inventory-import", args=[draft.pk]),
        {"file": _upload("bad.csv", b"name,annual_cost\nInvoices,-5\n")},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Nothing was imported: 1 problem found in the file. Fix it and upload the file again."
    ) in page
    assert draft.processes.count() == 1


def test_a_bad_import_saves_nothing_and_lists_every_problem(cast, draft):
    csv = "name,annual_cost,strategic_importnce\nA,100,1\nA,-5,2\n<b>B</b>,=SUM(A1),9\n"
    response = cast.client_for("manager").post(
        reverse("assessments:inventory-import", args=[draft.pk]),
        {"file": _upload("bad.csv", csv.encode())},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: 4 problems found in the file. Fix them and upload" in page
    assert "strategic_importnce" in page
    assert draft.processes.count() == 1


def test_importing_a_name_already_in_the_assessment_is_refused(cast, draft):
    response = cast.client_for("manager").post(
        reverse("assessments:inventory-import", args=[draft.pk]),
        {"file": _upload("dup.csv", b"name,annual_cost\nPAYROLL,5\nNew,5\n")},
    )
    assert response.status_code == 400
    assert "already in this assessment" in response.content.decode()
    assert draft.processes.count() == 1


def test_replacing_the_inventory_swaps_every_process(cast, draft):
    cast.client_for("manager").post(
        reverse("assessments:inventory-import", args=[draft.pk]),
        {"file": _upload("new.csv", b"name,annual_cost\nPayroll,5\nNew,5\n"), "replace": "on"},
    )
    assert sorted(draft.processes.values_list("name", flat=True)) == ["New", "Payroll"]


def test_a_file_of_the_wrong_type_is_refused(cast, draft):
    response = cast.client_for("manager").post(
        reverse("assessments:inventory-import", args=[draft.pk]),
        {"file": _upload("notes.txt", b"hello")},
    )
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file" in response.content.decode()


def test_the_template_downloads_and_imports_cleanly(cast, draft):
    client = cast.client_for("manager")
    template = client.get(reverse("assessments:inventory-template"))
    assert template["Content-Type"].startswith("text/csv")
    response = client.post(
        reverse("assessments:inventory-import", args=[draft.pk]),
        {"file": _upload("t.csv", template.content), "replace": "on"},
    )
    assert response.status_code == 302
    assert draft.processes.count() >= 3


def test_the_questionnaire_saves_answers_and_moves_on(cast, draft):
    second = add_process(draft, "Network", answers=None)
    client = cast.client_for("manager")
    url = wizard_urls(draft)["questionnaire"] + f"?process={second.pk}"
    answers = {
        f"q-{key}": str(value) for key, value in zip(second.stored_answers, NETWORK, strict=True)
    }
    answers["q-volume"] = "0"  # don't know
    response = client.post(url, {**answers, "move": "review"})
    assert response.url == reverse("assessments:review", args=[draft.pk])
    second.refresh_from_db()
    assert second.technology_intensity == 5 and second.volume == 0
    draft.refresh_from_db()
    assert draft.wizard_step == WizardStep.REVIEW


def partial_answers(process, count: int) -> dict[str, str]:
    """The first ``count`` answers of NETWORK, as the questionnaire posts them."""
    keys = list(process.stored_answers)[:count]
    return {f"q-{key}": str(value) for key, value in zip(keys, NETWORK, strict=False)}


@pytest.mark.parametrize("move", ["stay", "next"])
def test_saving_six_of_eleven_answers_keeps_them_as_a_draft_and_names_the_rest(cast, draft, move):
    second = add_process(draft, "Network", answers=None)
    add_process(draft, "Third", answers=None)
    client = cast.client_for("manager")
    url = wizard_urls(draft)["questionnaire"] + f"?process={second.pk}"
    response = client.post(url, {**partial_answers(second, 6), "move": move}, follow=True)
    second.refresh_from_db()
    assert second.answered_count == 6
    assert (second.strategic_importance, second.onsite_need) == (2, None)
    page = html.unescape(response.content.decode())
    assert "Saved 6 of 11 answers for \u201cNetwork\u201d as a draft" in page
    assert "Still to answer: Customer contact, On-site need" in page
    # Coming back shows the six answers and marks the five still open.
    page = client.get(url).content.decode()
    assert 'value="2" checked' in page
    assert page.count("not answered yet") == 5
    assert "6/11" in page


def test_a_partly_answered_process_still_stops_the_submission(cast, draft):
    second = add_process(draft, "Network", answers=None)
    client = cast.client_for("manager")
    url = wizard_urls(draft)["questionnaire"] + f"?process={second.pk}"
    client.post(url, {**partial_answers(second, 6), "move": "review"})
    response = client.post(reverse("assessments:submit", args=[draft.pk]), follow=True)
    assert "1 process still has unanswered questions: Network" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_answer_off_the_scale_is_refused_and_nothing_is_saved(cast, draft):
    second = add_process(draft, "Network", answers=None)
    url = wizard_urls(draft)["questionnaire"] + f"?process={second.pk}"
    response = cast.client_for("manager").post(
        url, {"q-strategic_importance": "4", "q-volume": "9", "move": "next"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose an answer from 1 to 5" in page
    assert 'value="4" checked' in page  # what was typed is kept
    second.refresh_from_db()
    assert second.strategic_importance is None


def test_leaving_and_coming_back_resumes_at_the_step_last_saved(cast, draft):
    client = cast.client_for("manager")
    resume_url = reverse("assessments:resume", args=[draft.pk])
    client.get(wizard_urls(draft)["questionnaire"])  # only looking saves nothing
    assert client.get(resume_url).url == wizard_urls(draft)["inventory"]
    process = draft.processes.get()
    answers = {
        f"q-{key}": str(value) for key, value in zip(process.stored_answers, PAYROLL, strict=True)
    }
    client.post(wizard_urls(draft)["questionnaire"], {**answers, "move": "stay"})
    assert client.get(resume_url).url == wizard_urls(draft)["questionnaire"]


def test_submitting_needs_every_answer(cast, draft):
    add_process(draft, "Unanswered", answers=None)
    response = cast.client_for("manager").post(
        reverse("assessments:submit", args=[draft.pk]), follow=True
    )
    assert "1 process still has unanswered questions: Unanswered" in response.content.decode()
    add_process(draft, "Also unanswered", answers=None)
    response = cast.client_for("manager").post(
        reverse("assessments:submit", args=[draft.pk]), follow=True
    )
    page = response.content.decode()
    assert "2 processes still have unanswered questions: Unanswered, Also unanswered" in page
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not Recommendation.objects.exists()


def test_an_empty_inventory_cannot_be_submitted(cast):
    assessment = make_assessment(cast.manager)
    response = cast.client_for("manager").post(
        reverse("assessments:submit", args=[assessment.pk]), follow=True
    )
    assert "Add at least one process" in response.content.decode()


def test_submitting_scores_every_process_and_builds_the_roadmap(cast, draft):
    add_process(draft, "Core R&D", CORE_RD, function="R&D")
    add_process(draft, "Network", NETWORK, function="IT")
    response = cast.client_for("manager").post(reverse("assessments:submit", args=[draft.pk]))
    assert response.url == reverse("assessments:results", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.engine_version == "2026.1"
    recs = {r.process.name: r for r in Recommendation.objects.select_related("process")}
    assert (recs["Payroll"].model, recs["Payroll"].location, recs["Payroll"].wave) == (
        "BPO",
        "nearshore",
        2,
    )
    assert recs["Core R&D"].model == "retain" and recs["Core R&D"].guard_rail
    assert recs["Network"].wave == 1 and recs["Network"].start_month == 0
    assert recs["Payroll"].start_month > recs["Network"].start_month
    assert recs["Payroll"].inputs["answers"]["standardisation"] == 5


def test_a_submitted_assessment_is_read_only_until_reopened(cast, draft):
    client = cast.client_for("manager")
    client.post(reverse("assessments:submit", args=[draft.pk]))
    assert client.get(wizard_urls(draft)["inventory"]).status_code == 403
    client.post(reverse("assessments:reopen", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert client.get(wizard_urls(draft)["inventory"]).status_code == 200


REOPEN_FORM = 'id="reopen-form"'


@pytest.mark.parametrize("step", ["review", "questionnaire", "inventory", "context"])
def test_a_submitted_assessments_wizard_pages_offer_the_reopen_button(cast, draft, step):
    client = cast.client_for("manager")
    client.post(reverse("assessments:submit", args=[draft.pk]))
    response = client.get(wizard_urls(draft)[step])
    page = response.content.decode()
    assert response.status_code == 403
    assert "Reopen it to change it" in page and REOPEN_FORM in page
    assert reverse("assessments:reopen", args=[draft.pk]) in page
    assert "ask your organisation" not in page.lower()


def test_the_results_page_of_a_submitted_assessment_offers_reopen_to_editors_only(cast, draft):
    cast.client_for("manager").post(reverse("assessments:submit", args=[draft.pk]))
    results = reverse("assessments:results", args=[draft.pk])
    for who in ("manager", "admin"):
        assert REOPEN_FORM in cast.client_for(who).get(results).content.decode(), who
    assert REOPEN_FORM not in cast.client_for("cio").get(results).content.decode()
    roadmap = reverse("assessments:roadmap", args=[draft.pk])
    assert REOPEN_FORM in cast.client_for("manager").get(roadmap).content.decode()


def test_pressing_reopen_returns_the_assessment_to_the_wizard(cast, draft):
    client = cast.client_for("manager")
    client.post(reverse("assessments:submit", args=[draft.pk]))
    response = client.post(reverse("assessments:reopen", args=[draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == wizard_urls(draft)["inventory"]
    assert "Reopened as a draft" in response.content.decode()


def test_a_cio_who_cannot_reopen_is_told_to_ask_the_admin(cast, draft):
    cast.client_for("manager").post(reverse("assessments:submit", args=[draft.pk]))
    response = cast.client_for("cio").get(wizard_urls(draft)["review"])
    page = response.content.decode()
    assert response.status_code == 403
    assert "admin" in page and REOPEN_FORM not in page
    assert (
        cast.client_for("cio").post(reverse("assessments:reopen", args=[draft.pk])).status_code
        == 403
    )


def test_remove_asks_for_confirmation_before_deleting_a_process(cast, draft):
    process = add_process(draft, "Network", NETWORK)
    client = cast.client_for("manager")
    url = reverse("assessments:process-delete", args=[draft.pk, process.pk])
    inventory = client.get(wizard_urls(draft)["inventory"]).content.decode()
    assert f'href="{url}"' in inventory  # a link to the question, not a delete button
    page = html.unescape(client.get(url).content.decode())
    assert "Remove \u201cNetwork\u201d from this assessment?" in page
    assert "the 11 of 11 questionnaire answers" in page
    assert "Keep it" in page
    assert draft.processes.filter(pk=process.pk).exists()
    response = client.post(url)
    assert response.url == wizard_urls(draft)["inventory"]
    assert not draft.processes.filter(pk=process.pk).exists()


def test_the_review_step_shows_objectives_in_words(cast, draft):
    draft.objectives = ["cost_reduction", "access_to_skills"]
    draft.save()
    page = cast.client_for("manager").get(wizard_urls(draft)["review"]).content.decode()
    assert "Cost reduction, Access to skills" in page
    assert "cost_reduction" not in page and "access_to_skills" not in page


def test_html_in_a_process_name_is_shown_escaped(cast, draft):
    add_process(draft, "<script>alert(1)</script>", PAYROLL)
    page = cast.client_for("manager").get(wizard_urls(draft)["inventory"]).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_questionnaire_query_count_does_not_grow_with_processes(cast, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.client_for("manager")
    url = wizard_urls(draft)["questionnaire"]
    client.get(url)  # the first visit also records the wizard step
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        add_process(draft, f"Extra {i}", PAYROLL)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert Process.objects.filter(assessment=draft).count() == 31


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
