"""Proposals, evaluators' scores, the ranking page and the award."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Contract, ContractStatus
from vendors import services
from vendors.models import Award, Evaluation, EventStatus, Proposal

from .factories import ito_vendors, make_event, proposal_of, scored_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_event(cast):
    ito_vendors()
    event = make_event(cast)
    services.shortlist_accept(event=event, user=cast.manager.user)
    return event


def score_data(event, evaluator: str, score: int | str, **overrides) -> dict:
    data = {"evaluator": evaluator}
    for criterion in event.criteria_set.criteria.exclude(code="cost"):
        data[f"score_{criterion.pk}"] = str(score)
        data[f"comment_{criterion.pk}"] = ""
    data.update(overrides)
    return data


def test_a_manager_records_a_proposal_for_an_invited_vendor(cast, open_event):
    candidate = open_event.candidates.get(vendor__name="Alpha Services")
    url = reverse(
        "vendors:proposal-edit", kwargs={"pk": open_event.pk, "candidate_pk": candidate.pk}
    )
    response = cast.client_for("manager").post(
        url,
        {
            "annual_price": "4500000",
            "transition_cost": "250000",
            "term_months": "48",
            "proposed_slas": "P1 in 4 h",
            "notes": "",
        },
    )
    proposal = Proposal.objects.get()
    assert response.url == reverse(
        "vendors:proposal-detail", kwargs={"pk": open_event.pk, "proposal_pk": proposal.pk}
    )
    assert (proposal.annual_price, proposal.term_months, proposal.entered_by) == (
        Decimal("4500000"),
        48,
        cast.manager.user,
    )


def test_a_bad_proposal_says_why_and_keeps_what_was_typed(cast, open_event):
    candidate = open_event.candidates.get(vendor__name="Alpha Services")
    url = reverse(
        "vendors:proposal-edit", kwargs={"pk": open_event.pk, "candidate_pk": candidate.pk}
    )
    response = cast.client_for("manager").post(
        url,
        {
            "annual_price": "-5",
            "transition_cost": "abc",
            "term_months": "0",
            "proposed_slas": "Typed SLA",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The annual price must be above zero." in page
    assert "Enter a number." in page
    assert "The term is at least one month." in page
    assert "Typed SLA" in page
    assert not Proposal.objects.exists()


def test_a_vendor_not_on_the_shortlist_cannot_send_a_proposal(cast, open_event):
    delta = open_event.candidates.get(vendor__name="Delta Payroll")
    url = reverse("vendors:proposal-edit", kwargs={"pk": open_event.pk, "candidate_pk": delta.pk})
    response = cast.client_for("manager").post(
        url, {"annual_price": "1", "transition_cost": "0", "term_months": "12"}
    )
    assert response.status_code == 400
    assert "not on the shortlist" in response.content.decode()
    assert not Proposal.objects.exists()


def test_two_evaluators_score_a_proposal_and_strong_disagreement_is_flagged(cast, open_event):
    alpha = open_event.candidates.get(vendor__name="Alpha Services").vendor
    proposal = services.proposal_save(
        event=open_event,
        vendor=alpha,
        user=cast.manager.user,
        data={"annual_price": Decimal("100"), "term_months": 12},
    )
    url = reverse(
        "vendors:proposal-score", kwargs={"pk": open_event.pk, "proposal_pk": proposal.pk}
    )
    client = cast.client_for("manager")
    capability = open_event.criteria_set.criteria.get(code="capability")
    client.post(url, score_data(open_event, "Ann", 8))
    response = client.post(
        url,
        score_data(
            open_event,
            "Bob",
            7,
            **{f"score_{capability.pk}": "3", f"comment_{capability.pk}": "Thin bench"},
        ),
    )
    assert response.status_code == 302
    assert Evaluation.objects.filter(proposal=proposal).count() == 16
    open_event.refresh_from_db()
    assert open_event.status == EventStatus.EVALUATING
    page = client.get(response.url).content.decode()
    assert "Strong disagreement</strong>: Bob low, Ann high" in page
    assert "Thin bench" in page


def test_an_evaluator_corrects_their_scores_without_duplicating_them(cast, open_event):
    alpha = open_event.candidates.get(vendor__name="Alpha Services").vendor
    proposal = services.proposal_save(
        event=open_event,
        vendor=alpha,
        user=cast.manager.user,
        data={"annual_price": Decimal("100"), "term_months": 12},
    )
    url = reverse(
        "vendors:proposal-score", kwargs={"pk": open_event.pk, "proposal_pk": proposal.pk}
    )
    client = cast.client_for("manager")
    client.post(url, score_data(open_event, "Ann", 8))
    form = client.get(url, {"evaluator": "ann"})
    assert 'value="8"' in form.content.decode()
    client.post(url, score_data(open_event, "Ann", 6))
    assert set(Evaluation.objects.values_list("score", flat=True)) == {6}
    assert Evaluation.objects.count() == 8


def test_scores_out_of_range_are_refused_in_words_and_kept(cast, open_event):
    alpha = open_event.candidates.get(vendor__name="Alpha Services").vendor
    proposal = services.proposal_save(
        event=open_event,
        vendor=alpha,
        user=cast.manager.user,
        data={"annual_price": Decimal("100"), "term_months": 12},
    )
    url = reverse(
        "vendors:proposal-score", kwargs={"pk": open_event.pk, "proposal_pk": proposal.pk}
    )
    capability = open_event.criteria_set.criteria.get(code="capability")
    quality = open_event.criteria_set.criteria.get(code="quality")
    response = cast.client_for("manager").post(
        url,
        score_data(
            open_event, "Ann", 5, **{f"score_{capability.pk}": "11", f"score_{quality.pk}": "0"}
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Scores are 1 to 10; 10 is the highest." in page
    assert "Scores are 1 to 10; 1 is the lowest." in page
    assert 'value="11"' in page and 'value="Ann"' in page
    assert not Evaluation.objects.exists()


def test_the_ranking_page_shows_both_methods_sensitivity_and_risk_flags(cast):
    event = scored_event(cast)
    response = cast.client_for("cio").get(reverse("vendors:event-ranking", kwargs={"pk": event.pk}))
    board = response.context["board"]
    assert [row.vendor_name for row in board.rows] == [
        "Alpha Services",
        "Beta Cloud",
        "Gamma Digital",
    ]
    page = response.content.decode()
    assert "TOPSIS" in page and "Weighted sum" in page
    assert "weak financial-stability rating" in page
    assert "Sensitivity" in page
    assert "Award the event" not in page  # CIOs read


def test_an_award_leads_to_its_draft_contract_through_the_real_pages(cast):
    event = scored_event(cast)
    client = cast.client_for("manager")
    response = client.post(
        reverse("vendors:event-award", kwargs={"pk": event.pk}),
        {
            "proposal": str(proposal_of(event, "Alpha Services").pk),
            "rationale": "Best value and references",
        },
    )
    award = Award.objects.get()
    assert (award.vendor.name, award.rationale, award.awarded_by) == (
        "Alpha Services",
        "Best value and references",
        cast.manager.user,
    )
    assert award.snapshot["proposals"][0]["vendor_name"] == "Alpha Services"
    event.refresh_from_db()
    assert event.status == EventStatus.AWARDED
    # The award goes on to the contracts app's page, which asks before drafting.
    from_award = reverse("contracts:new-from-award", kwargs={"award_pk": award.pk})
    assert response.url == from_award
    page = client.get(from_award)
    assert page.status_code == 200 and "Create the draft contract" in page.content.decode()
    assert not Contract.objects.exists()
    drafted = client.post(from_award)
    contract = Contract.objects.get(award=award)
    assert drafted.url == reverse("contracts:edit", args=[contract.pk])
    assert (contract.vendor, contract.sourcing_event, contract.status) == (
        award.vendor,
        event,
        ContractStatus.DRAFT,
    )
    assert contract.annual_value == proposal_of(event, "Alpha Services").annual_price
    # The CIO reads both ends: the award's rationale and the contract made from it.
    cio = cast.client_for("cio")
    award_page = cio.get(reverse("vendors:award-detail", kwargs={"pk": award.pk}))
    assert "Best value and references" in award_page.content.decode()
    contract_page = cio.get(reverse("contracts:detail", args=[contract.pk]))
    assert contract_page.status_code == 200 and contract.title in contract_page.content.decode()


def test_an_award_without_a_rationale_is_refused(cast):
    event = scored_event(cast)
    response = cast.client_for("manager").post(
        reverse("vendors:event-award", kwargs={"pk": event.pk}),
        {"proposal": str(proposal_of(event, "Alpha Services").pk), "rationale": " "},
    )
    assert response.status_code == 400
    assert "Write the rationale for the decision." in response.content.decode()
    assert not Award.objects.exists()


def test_an_award_page_for_inconsistent_weights_explains_and_refuses(cast):
    event = scored_event(cast)
    criteria_set = event.criteria_set
    n = criteria_set.criteria.count()
    matrix = [[1.0] * n for _ in range(n)]
    for i, j, value in ((0, 1, 9), (1, 2, 9), (0, 2, 1 / 9)):
        matrix[i][j], matrix[j][i] = value, 1 / value
    services.judgement_save(criteria_set=criteria_set, stakeholder=cast.admin.user, matrix=matrix)
    url = reverse("vendors:event-award", kwargs={"pk": event.pk})
    client = cast.client_for("manager")
    assert "cannot be used for an award until fixed" in client.get(url).content.decode()
    response = client.post(
        url, {"proposal": str(proposal_of(event, "Alpha Services").pk), "rationale": "Anyway"}
    )
    assert response.status_code == 400
    assert not Award.objects.exists()
