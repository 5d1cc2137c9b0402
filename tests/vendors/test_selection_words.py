"""Vendor selection in plain words: AHP messages that agree, awards before the deadline
with a recorded reason, labels for codes, and vendor-form lists that grow in the page."""

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from vendors import services
from vendors.engine.criteria import consistency_message, stakeholders_judgements
from vendors.models import Award, Vendor
from vendors.models.curation import CURATORS_GROUP

from .factories import make_assessment, proposal_of, scored_event

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# --- AHP messages -------------------------------------------------------------------------


def pairs(criteria_set, **overrides) -> dict[str, str]:
    n = criteria_set.criteria.count()
    data = {f"pair_{i}_{j}": "1" for i in range(n) for j in range(i + 1, n)}
    data.update(overrides)
    return data


def matrix_of(data: dict[str, str], n: int) -> list[list[float]]:
    from fractions import Fraction

    matrix = [[1.0] * n for _ in range(n)]
    for name, value in data.items():
        i, j = (int(k) for k in name.split("_")[1:])
        matrix[i][j] = float(Fraction(value))
        matrix[j][i] = 1 / matrix[i][j]
    return matrix


def test_stakeholders_judgements_are_pluralised_properly():
    assert stakeholders_judgements(1) == "1 stakeholder's judgements"
    assert stakeholders_judgements(3) == "3 stakeholders' judgements"


def test_the_live_panel_and_the_saved_message_name_the_same_pair(cast):
    criteria_set = services.criteria_set_default(organisation=cast.org)
    client = cast.client_for("manager")
    # A cycle plus a few other strong views: inconsistent, with one pair to revisit.
    data = pairs(criteria_set, pair_0_1="9", pair_1_2="9", pair_0_2="1/9", pair_3_4="5")
    n = criteria_set.criteria.count()
    preview = client.post(
        reverse("vendors:ahp-preview", kwargs={"pk": criteria_set.pk}),
        {"matrix": matrix_of(data, n)},
        content_type="application/json",
    ).json()
    assert not preview["consistent"]
    live = preview["message"]
    assert (
        "Revisit the comparison of \u201cCost\u201d vs \u201cCapability and expertise\u201d" in live
    )
    saved = client.post(
        reverse("vendors:criteria-judgement", kwargs={"pk": criteria_set.pk}), data, follow=True
    )
    content = text_of(saved)
    assert f"Your judgements were saved. {live}" in content
    assert "1 stakeholder's judgements" in content
    assert "stakeholder' " not in content and "stakeholder(s)" not in content


def test_a_consistent_preview_reads_as_the_saved_message_does():
    assert consistency_message(0.031, [], consistent=True) == (
        "Consistency ratio 0.03 (limit 0.10): consistent."
    )


def test_the_panel_knows_when_it_shows_the_saved_judgements(cast):
    criteria_set = services.criteria_set_default(organisation=cast.org)
    client = cast.client_for("manager")
    url = reverse("vendors:criteria-detail", kwargs={"pk": criteria_set.pk})
    assert 'data-saved="false"' in client.get(url).content.decode()
    client.post(
        reverse("vendors:criteria-judgement", kwargs={"pk": criteria_set.pk}),
        pairs(criteria_set, pair_0_1="3"),
    )
    assert 'data-saved="true"' in client.get(url).content.decode()
    # Someone else has no judgements of their own yet.
    assert 'data-saved="false"' in cast.client_for("admin").get(url).content.decode()


# --- Awards before the deadline -------------------------------------------------------------


def award_post(event, reason: str | None = None) -> dict[str, str]:
    data = {"proposal": str(proposal_of(event, "Alpha Services").pk), "rationale": "Best value"}
    if reason is not None:
        data["early_reason"] = reason
    return data


def test_an_award_before_the_deadline_warns_and_needs_a_reason(cast):
    event = scored_event(cast, deadline_passed=False)
    client = cast.client_for("manager")
    url = reverse("vendors:event-award", kwargs={"pk": event.pk})
    page = text_of(client.get(url))
    assert "The deadline for proposals has not passed." in page
    assert event.deadline.strftime("%-d %b %Y") in page
    response = client.post(url, award_post(event, reason="  "))
    assert response.status_code == 400
    assert "Say why you award before it" in text_of(response)
    assert not Award.objects.exists()


def test_the_reason_for_an_early_award_is_kept_and_shown(cast):
    event = scored_event(cast, deadline_passed=False)
    client = cast.client_for("manager")
    client.post(
        reverse("vendors:event-award", kwargs={"pk": event.pk}),
        award_post(event, reason="All three invited vendors have answered; the board meets today."),
    )
    award = Award.objects.get()
    assert award.early_reason.startswith("All three invited vendors have answered")
    cio = cast.client_for("cio")
    award_page = text_of(cio.get(reverse("vendors:award-detail", kwargs={"pk": award.pk})))
    assert "Awarded before the deadline for proposals" in award_page
    assert "the board meets today" in award_page
    event_page = text_of(cio.get(reverse("vendors:event-detail", kwargs={"pk": event.pk})))
    assert "Awarded before the deadline" in event_page and "the board meets today" in event_page


def test_an_award_after_the_deadline_asks_no_reason_and_keeps_none(cast):
    event = scored_event(cast)
    client = cast.client_for("manager")
    url = reverse("vendors:event-award", kwargs={"pk": event.pk})
    assert "deadline for proposals has not passed" not in text_of(client.get(url))
    client.post(url, award_post(event, reason="ignored"))
    assert Award.objects.get().early_reason == ""


def test_an_award_on_the_deadline_day_counts_as_early(cast):
    event = scored_event(cast, deadline_passed=False)
    event.deadline = timezone.localdate()
    event.save()
    assert services.award_is_early(event)
    assert not services.award_is_early(event, timezone.localdate() + timedelta(days=1))


# --- Codes as words ---------------------------------------------------------------------------


def test_a_new_event_names_recommendations_in_words(cast):
    assessment = make_assessment(cast.org, cast.manager.user)
    rec = assessment.processes.get(name="Brand strategy").recommendation
    rec.model = "insufficient_evidence"
    rec.save()
    page = text_of(cast.client_for("manager").get(reverse("vendors:event-create")))
    assert "recommended Insufficient evidence" in page
    assert "recommended insufficient_evidence" not in page
    assert "recommended retain" not in page


# --- The vendor form's lists ----------------------------------------------------------------


@pytest.fixture
def curator_client(cast):
    curator = UserFactory(username="registry-curator")
    curator.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    client = cast.client_for(None)
    client.force_login(curator)
    return client


def test_the_vendor_form_offers_an_add_row_button_and_an_empty_row_to_copy(cast):
    page = cast.client_for("admin").get(reverse("vendors:vendor-create")).content.decode()
    for prefix, what in (
        ("languages", "language"),
        ("certifications", "certification"),
        ("centres", "delivery centre"),
    ):
        assert f'data-formset="{prefix}"' in page
        assert f"Add a {what}</button>" in page
        assert f'name="{prefix}-__prefix__-' in page  # inside the <template>
    assert re.search(r'<script src="/static/vendors/formset[^"]*\.js"', page)


def test_rows_added_in_the_page_are_all_saved(cast, curator_client):
    response = curator_client.post(
        reverse("vendors:vendor-create"),
        {
            "name": "Many Languages Ltd",
            "headquarters_country": "Ireland",
            "models": ["BPO"],
            "service_lines": ["service_desk"],
            "active": "on",
            "languages-TOTAL_FORMS": "4",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": "English",
            "languages-0-proficiency": "native",
            "languages-1-language": "French",
            "languages-1-proficiency": "fluent",
            "languages-2-language": "German",
            "languages-2-proficiency": "fluent",
            "languages-3-language": "Spanish",
            "languages-3-proficiency": "fluent",
            "certifications-TOTAL_FORMS": "0",
            "certifications-INITIAL_FORMS": "0",
            "centres-TOTAL_FORMS": "0",
            "centres-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    vendor = Vendor.objects.get(name="Many Languages Ltd")
    assert vendor.languages.count() == 4
