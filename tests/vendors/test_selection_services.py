"""The selection workflow through its services: shortlist, proposals, scores, award."""

from datetime import date
from decimal import Decimal

import pytest

from vendors import services
from vendors.engine.ranking import DEFAULT_CRITERIA
from vendors.models import Award, CandidateChange, Evaluation, EventStatus
from vendors.selectors.scoreboard import event_scoreboard

from .factories import ito_vendors, make_event, make_vendor, proposal_of, scored_event

pytestmark = pytest.mark.django_db


def test_the_first_criteria_set_holds_the_default_criteria_and_weights(cast):
    criteria_set = services.criteria_set_default(organisation=cast.org)
    weights = {c.code: c.percent for c in criteria_set.criteria.all()}
    assert weights == {c.code: Decimal(c.percent) for c in DEFAULT_CRITERIA}
    assert services.criteria_set_default(organisation=cast.org) == criteria_set


def test_an_event_from_a_wave_scopes_the_waves_processes_and_proposes_a_shortlist(cast):
    ito_vendors()
    event = make_event(cast)
    assert event.status == EventStatus.DRAFT
    assert [i.process.name for i in event.scope.all()] == [
        "Service desk",
        "Network infrastructure",
        "Data centre hosting",
    ]
    lines = {i.process.name: i.service_line for i in event.scope.all()}
    assert lines["Network infrastructure"] == "infrastructure_cloud"
    proposed = set(event.candidates.filter(proposed=True).values_list("vendor__name", flat=True))
    assert proposed == {"Alpha Services", "Beta Cloud", "Gamma Digital"}
    delta = event.candidates.get(vendor__name="Delta Payroll")
    assert "Does not offer ITO." in delta.reasons


def test_a_vendor_without_a_valid_security_certificate_is_left_out_with_the_reason(cast):
    make_vendor(
        "Lapsed Ltd", certs=(("iso_27001", date(2020, 1, 1)),), lines=("infrastructure_cloud",)
    )
    event = make_event(cast)
    candidate = event.candidates.get(vendor__name="Lapsed Ltd")
    assert not candidate.proposed
    assert any("ISO/IEC 27001 or SOC 2" in reason for reason in candidate.reasons)


def test_accepting_the_shortlist_invites_the_proposed_vendors_and_opens_the_event(cast):
    ito_vendors()
    event = make_event(cast)
    services.shortlist_accept(event=event, user=cast.manager.user)
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
    assert event.candidates.filter(invited=True).count() == 3


def test_a_manager_adds_and_removes_vendors_and_the_reason_is_kept(cast):
    ito_vendors()
    event = make_event(cast)
    delta = event.candidates.get(vendor__name="Delta Payroll")
    services.candidate_decide(
        candidate=delta, invite=True, reason="Strategic partner", user=cast.manager.user
    )
    beta = event.candidates.get(vendor__name="Beta Cloud")
    services.candidate_decide(
        candidate=beta, invite=False, reason="Too small", user=cast.manager.user
    )
    services.shortlist_accept(event=event, user=cast.manager.user)
    invited = set(event.candidates.filter(invited=True).values_list("vendor__name", flat=True))
    assert invited == {"Alpha Services", "Gamma Digital", "Delta Payroll"}
    assert list(CandidateChange.objects.values_list("action", "reason")) == [
        ("add", "Strategic partner"),
        ("remove", "Too small"),
    ]


def test_a_decision_without_a_reason_is_refused(cast):
    ito_vendors()
    event = make_event(cast)
    beta = event.candidates.get(vendor__name="Beta Cloud")
    with pytest.raises(services.SelectionError, match="Say why"):
        services.candidate_decide(candidate=beta, invite=False, reason="  ", user=cast.manager.user)
    beta.refresh_from_db()
    assert not beta.decided_by_manager


def test_re_running_the_shortlist_keeps_the_managers_decisions(cast):
    ito_vendors()
    event = make_event(cast)
    delta = event.candidates.get(vendor__name="Delta Payroll")
    services.candidate_decide(
        candidate=delta, invite=True, reason="Asked by the CFO", user=cast.manager.user
    )
    services.event_run_shortlist(event=event)
    delta.refresh_from_db()
    assert delta.invited and delta.decided_by_manager


def test_scoring_moves_the_event_to_evaluating_and_ranks_both_ways(cast):
    event = scored_event(cast)
    assert event.status == EventStatus.EVALUATING
    board = event_scoreboard(event)
    assert [row.vendor_name for row in board.rows][0] == "Alpha Services"
    assert {row.weighted_rank for row in board.rows} == {1, 2, 3}
    assert {row.topsis_rank for row in board.rows} == {1, 2, 3}
    cost = next(j for j, c in enumerate(board.criteria) if c.is_cost)
    beta = next(row for row in board.rows if row.vendor_name == "Beta Cloud")
    assert beta.scores[cost] == pytest.approx(10.0)  # the cheapest
    assert any(flag.code == "weak_financial_stability" for flag in beta.flags)
    assert len(board.sensitivity) == len(DEFAULT_CRITERIA)


def test_a_proposal_missing_scores_waits_outside_the_ranking(cast):
    ito_vendors()
    event = make_event(cast)
    services.shortlist_accept(event=event, user=cast.manager.user)
    alpha = event.candidates.get(vendor__name="Alpha Services").vendor
    services.proposal_save(
        event=event,
        vendor=alpha,
        user=cast.manager.user,
        data={"annual_price": Decimal("100"), "transition_cost": Decimal("0"), "term_months": 12},
    )
    board = event_scoreboard(event)
    assert board.rows == []
    assert board.waiting[0].proposal.vendor == alpha
    assert "Capability and expertise" in board.waiting[0].missing


def test_a_score_out_of_range_is_refused_and_nothing_is_saved(cast):
    event = scored_event(cast)
    proposal = proposal_of(event, "Alpha Services")
    criterion = event.criteria_set.criteria.exclude(code="cost").first()
    before = Evaluation.objects.count()
    with pytest.raises(services.SelectionError, match="1 to 10"):
        services.evaluation_record(
            proposal=proposal,
            evaluator="Ann Evaluator",
            scores={criterion: (11, "")},
            user=cast.manager.user,
        )
    assert Evaluation.objects.count() == before


def test_the_award_keeps_a_snapshot_that_later_edits_do_not_change(cast):
    event = scored_event(cast)
    proposal = proposal_of(event, "Alpha Services")
    award = services.award_create(
        event=event, proposal=proposal, rationale="Best value", user=cast.manager.user
    )
    snapshot = dict(Award.objects.get(pk=award.pk).snapshot)
    # Later: weights change, a score changes, the price is corrected.
    criteria_set = event.criteria_set
    services.criteria_set_set_weights(
        criteria_set=criteria_set,
        percents={
            c.code: Decimal("100") if c.code == "cost" else Decimal("0")
            for c in criteria_set.criteria.all()
        },
    )
    Evaluation.objects.filter(proposal=proposal).update(score=1)
    type(proposal).objects.filter(pk=proposal.pk).update(annual_price=Decimal("1"))
    award.refresh_from_db()
    assert award.snapshot == snapshot
    alpha = next(p for p in award.snapshot["proposals"] if p["vendor_name"] == "Alpha Services")
    assert alpha["weighted_rank"] == 1 and alpha["annual_price"] == "5000000.00"
    assert {c["code"]: c["weight"] for c in award.snapshot["criteria"]}["cost"] == 0.25
    event.refresh_from_db()
    assert event.status == EventStatus.AWARDED


def test_an_awarded_event_takes_no_more_scores_or_awards(cast):
    event = scored_event(cast)
    proposal = proposal_of(event, "Alpha Services")
    services.award_create(
        event=event, proposal=proposal, rationale="Best value", user=cast.manager.user
    )
    with pytest.raises(services.SelectionError, match="awarded"):
        services.award_create(
            event=event,
            proposal=proposal_of(event, "Beta Cloud"),
            rationale="Again",
            user=cast.manager.user,
        )
    assert Award.objects.count() == 1


def test_inconsistent_ahp_weights_cannot_decide_an_award(cast):
    event = scored_event(cast)
    criteria_set = event.criteria_set
    n = criteria_set.criteria.count()
    matrix = [[1.0] * n for _ in range(n)]
    # A beats B, B beats C, yet C beats A: circular and strongly inconsistent.
    for i, j, value in ((0, 1, 9), (1, 2, 9), (0, 2, 1 / 9)):
        matrix[i][j], matrix[j][i] = value, 1 / value
    services.judgement_save(criteria_set=criteria_set, stakeholder=cast.manager.user, matrix=matrix)
    criteria_set.refresh_from_db()
    assert not criteria_set.is_consistent
    # The three judgements of the cycle are equally far off (9 times): a tie, which goes
    # to the first pair in row-major order, cost against capability, on every machine.
    assert criteria_set.inconsistent_pair == ["Cost", "Capability and expertise"]
    assert "\u201cCost\u201d vs \u201cCapability and expertise\u201d" in (
        criteria_set.inconsistency_message
    )
    with pytest.raises(services.SelectionError, match="cannot be used for an award"):
        services.award_create(
            event=event,
            proposal=proposal_of(event, "Alpha Services"),
            rationale="x",
            user=cast.manager.user,
        )
    assert not Award.objects.exists()


def test_the_award_is_announced_to_the_organisations_webhooks(cast):
    from accounts.webhooks.models import Delivery, Subscription

    Subscription.objects.create(
        organisation=cast.org,
        url="http://127.0.0.1:9/hooks",
        secret="whsec_t",
        events=["contract.awarded"],
    )
    event = scored_event(cast)
    proposal = proposal_of(event, "Alpha Services")
    award = services.award_create(
        event=event, proposal=proposal, rationale="Best value", user=cast.manager.user
    )
    delivery = Delivery.objects.get(event="contract.awarded")
    assert delivery.payload["data"]["award"] == award.pk
    assert delivery.payload["data"]["vendor"] == "Alpha Services"
    assert delivery.payload["organisation"] == cast.org.pk
