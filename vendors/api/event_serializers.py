"""Serializers of sourcing events: the event, its candidates, proposals, scores, ranking.

Everything here belongs to one organisation, through the event. Money is in the event's
currency (its assessment's), as ``{"amount": "…", "currency": "…"}``. The ranking is the
scoreboard the pages show (``vendors.selectors.scoreboard``), never recomputed here.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import MoneyField
from accounts.api.serializers import StrictSerializerMixin
from vendors.api.fields import MoneyInputField, id_field
from vendors.api.serializers import person_name
from vendors.models import (
    Candidate,
    CandidateChange,
    CriteriaSet,
    EventProcess,
    Proposal,
    SourcedModel,
    SourcingEvent,
)
from vendors.selectors.scoreboard import Row, Scoreboard

REASON_MAX = 2000  # as the reason form


class VendorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AssessmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CriteriaSetRefSerializer(serializers.ModelSerializer):
    usable_for_award = serializers.BooleanField(
        help_text="False when AHP weights are too inconsistent to decide an award."
    )

    class Meta:
        model = CriteriaSet
        fields = ["id", "name", "method", "consistency_ratio", "usable_for_award"]
        read_only_fields = fields


class AwardRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vendor = VendorRefSerializer()
    awarded_at = serializers.DateTimeField()


# ---------------------------------------------------------------- events


class EventSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    assessment = AssessmentRefSerializer()
    criteria_set = CriteriaSetRefSerializer()
    currency = serializers.CharField(help_text="The event's currency: its assessment's.")
    created_by = serializers.SerializerMethodField()
    award = serializers.SerializerMethodField()

    class Meta:
        model = SourcingEvent
        fields = [
            "id",
            "name",
            "status",
            "status_label",
            "assessment",
            "wave",
            "model",
            "deadline",
            "planned_start",
            "criteria_set",
            "currency",
            "cancel_reason",
            "created_by",
            "created_at",
            "updated_at",
            "award",
        ]
        read_only_fields = fields

    def get_created_by(self, event: SourcingEvent) -> str:
        return person_name(event.created_by)

    @extend_schema_field(AwardRefSerializer(allow_null=True))
    def get_award(self, event: SourcingEvent) -> dict[str, Any] | None:
        award = getattr(event, "award", None)
        return AwardRefSerializer(award).data if award is not None else None


class EventListSerializer(EventSerializer):
    process_count = serializers.IntegerField(help_text="Processes in scope.")
    invited_count = serializers.IntegerField(help_text="Vendors invited.")
    proposal_count = serializers.IntegerField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "process_count", "invited_count", "proposal_count"]
        read_only_fields = fields


class ScopeItemSerializer(serializers.ModelSerializer):
    process_name = serializers.CharField(source="process.name")

    class Meta:
        model = EventProcess
        fields = ["id", "process", "process_name", "service_line", "location"]
        read_only_fields = fields


class EventDetailSerializer(EventSerializer):
    scope = ScopeItemSerializer(
        many=True, help_text="The processes sourced, with the service line sought for each."
    )

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "scope"]
        read_only_fields = fields


class EventCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    """A draft event for a roadmap wave (``assessment`` and ``wave``) or for hand-picked
    processes (``processes`` and ``model``); its shortlist is proposed at once."""

    name = serializers.CharField(max_length=200)
    assessment = id_field(
        required=False,
        help_text="With `wave`: the submitted assessment whose roadmap wave is sourced.",
    )
    wave = serializers.IntegerField(
        min_value=1,
        max_value=32767,
        required=False,
        help_text="With `assessment`: the roadmap wave.",
    )
    processes = serializers.ListField(
        child=id_field(),
        min_length=1,
        max_length=500,
        required=False,
        help_text="With `model`: processes of one submitted assessment.",
    )
    model = serializers.ChoiceField(
        choices=SourcedModel.choices,
        required=False,
        help_text="With `processes`: the model sourced.",
    )
    deadline = serializers.DateField(help_text="Last day for proposals.")
    planned_start = serializers.DateField(help_text="When the chosen vendor would start.")
    criteria_set = id_field(
        required=False,
        allow_null=True,
        help_text="Your organisation's criteria set; its first set when "
        "absent (created with the event if it has none).",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        by_wave = "assessment" in data or "wave" in data
        by_processes = "processes" in data or "model" in data
        if by_wave == by_processes:
            raise serializers.ValidationError(
                "Give either `assessment` and `wave` (a roadmap wave) or `processes` and "
                "`model` (hand-picked processes)."
            )
        needed = ("assessment", "wave") if by_wave else ("processes", "model")
        missing = {
            name: [
                f"This field is required with `{needed[1] if name == needed[0] else needed[0]}`."
            ]
            for name in needed
            if name not in data
        }
        if missing:
            raise serializers.ValidationError(missing)
        return data


class ReasonSerializer(StrictSerializerMixin, serializers.Serializer):
    """Why: kept on record."""

    reason = serializers.CharField(
        max_length=REASON_MAX, help_text="Why: kept on record with the shortlist."
    )


# ---------------------------------------------------------------- candidates


class CandidateChangeSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()

    class Meta:
        model = CandidateChange
        fields = ["action", "reason", "user", "created_at"]
        read_only_fields = fields

    def get_user(self, change: CandidateChange) -> str:
        return person_name(change.user)


def on_shortlist(candidate: Candidate) -> bool:
    """As the event page lists it: in a draft the rules' proposal counts unless a manager
    decided otherwise; afterwards, whether the vendor is invited."""
    if candidate.decided_by_manager or not candidate.event.is_draft:
        return candidate.invited
    return candidate.proposed


class CandidateSerializer(serializers.ModelSerializer):
    vendor = VendorRefSerializer()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why the shortlist rules put it in or left it out."
    )
    on_shortlist = serializers.SerializerMethodField()
    proposal = serializers.SerializerMethodField(help_text="The vendor's proposal's id.")
    changes = CandidateChangeSerializer(
        many=True, help_text="Managers' adds and removes, with their reasons."
    )

    class Meta:
        model = Candidate
        fields = [
            "id",
            "vendor",
            "proposed",
            "reasons",
            "invited",
            "decided_by_manager",
            "on_shortlist",
            "proposal",
            "changes",
        ]
        read_only_fields = fields

    def get_on_shortlist(self, candidate: Candidate) -> bool:
        return on_shortlist(candidate)

    def get_proposal(self, candidate: Candidate) -> int | None:
        return self.context["proposals"].get(candidate.vendor_id)


# ---------------------------------------------------------------- proposals and scores


class ProposalSerializer(serializers.ModelSerializer):
    vendor = VendorRefSerializer()
    annual_price = MoneyField(currency="event.currency")
    transition_cost = MoneyField(currency="event.currency")
    annual_equivalent = MoneyField(
        currency="event.currency",
        help_text="The annual price plus the transition cost spread over the term: what "
        "the cost criterion scores.",
    )
    entered_by = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "vendor",
            "annual_price",
            "transition_cost",
            "annual_equivalent",
            "term_months",
            "proposed_slas",
            "notes",
            "entered_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_entered_by(self, proposal: Proposal) -> str:
        return person_name(proposal.entered_by)


class EvaluatorScoreSerializer(serializers.Serializer):
    evaluator = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()


class SpreadSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="label")
    mean = serializers.FloatField(allow_null=True)
    score_range = serializers.FloatField()
    flagged = serializers.BooleanField(help_text="Evaluators differ by 4 points or more.")
    lowest = serializers.CharField(allow_null=True)
    highest = serializers.CharField(allow_null=True)
    scores = serializers.SerializerMethodField()

    @extend_schema_field(EvaluatorScoreSerializer(many=True))
    def get_scores(self, spread: Any) -> list[dict[str, Any]]:
        return [
            {"evaluator": name, "score": score, "comment": comment}
            for name, score, comment in spread.scores
        ]


class ProposalDetailSerializer(ProposalSerializer):
    spreads = serializers.SerializerMethodField(
        help_text="Per scored criterion: every evaluator's score, the mean and the range."
    )

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "spreads"]
        read_only_fields = fields

    @extend_schema_field(SpreadSerializer(many=True))
    def get_spreads(self, proposal: Proposal) -> list[dict[str, Any]]:
        return list(SpreadSerializer(self.context["spreads"], many=True).data)


class ProposalWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    """A correction to a proposal: only the fields sent change."""

    annual_price = MoneyInputField(required=False, help_text="In the event's currency.")
    transition_cost = MoneyInputField(
        required=False, help_text="One-time, in the event's currency."
    )
    term_months = serializers.IntegerField(required=False)
    proposed_slas = serializers.CharField(max_length=10000, allow_blank=True, required=False)
    notes = serializers.CharField(max_length=10000, allow_blank=True, required=False)


class ProposalCreateSerializer(ProposalWriteSerializer):
    """An invited vendor's proposal, as it arrived."""

    vendor = id_field(help_text="The invited vendor's id.")
    annual_price = MoneyInputField(help_text="In the event's currency.")
    term_months = serializers.IntegerField(help_text="1 to 240 months.")


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id")
    code = serializers.CharField(source="criterion.code")
    label = serializers.CharField(source="criterion.label")  # type: ignore[assignment]
    score = serializers.IntegerField()
    comment = serializers.CharField()


class ScoresSerializer(serializers.Serializer):
    evaluator = serializers.CharField(help_text="Your name, as your scores are recorded.")
    scores = ScoreSerializer(many=True)


class ScoreWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    """One score of a proposal on one criterion."""

    criterion = id_field(help_text="A criterion of the event's set other than cost.")
    score = serializers.IntegerField(help_text="1 (lowest) to 10 (highest).")
    comment = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class ScoresWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    """Your scores of one proposal."""

    scores: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=ScoreWriteSerializer(),
        max_length=100,
        help_text="One score per criterion other than cost; they "
        "replace your earlier scores of this proposal.",
    )


# ---------------------------------------------------------------- the ranking


class RankingCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="criterion.pk")
    code = serializers.CharField(source="criterion.code")
    label = serializers.CharField(source="criterion.label")  # type: ignore[assignment]
    weight = serializers.FloatField(help_text="A fraction; the weights sum to 1.")
    is_cost = serializers.BooleanField(
        source="criterion.is_cost", help_text="Scored from the annual equivalent price."
    )


class CriterionScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    code = serializers.CharField()
    score = serializers.FloatField(help_text="0 to 10: evaluators' mean, or from price.")


class RiskFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class RankingRowSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(source="proposal.pk")
    vendor = VendorRefSerializer(source="proposal.vendor")
    annual_equivalent = MoneyField(currency="proposal.event.currency")
    scores = serializers.SerializerMethodField()
    weighted_sum = serializers.FloatField()
    topsis = serializers.FloatField(help_text="TOPSIS closeness to the ideal, 0 to 1.")
    weighted_rank = serializers.IntegerField()
    topsis_rank = serializers.IntegerField()
    award_share = serializers.FloatField(
        help_text="The share of the organisation's outsourced spend this vendor would hold."
    )
    flags = RiskFlagSerializer(many=True)
    disagreements = serializers.ListField(
        child=serializers.CharField(),
        help_text="Criteria on which evaluators differ by 4 points or more.",
    )

    @extend_schema_field(CriterionScoreSerializer(many=True))
    def get_scores(self, row: Row) -> list[dict[str, Any]]:
        criteria = self.context["criteria"]
        return [
            {"criterion": c.pk, "code": c.code, "score": score}
            for c, score in zip(criteria, row.scores, strict=True)
        ]


class WaitingSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(source="proposal.pk")
    vendor = VendorRefSerializer(source="proposal.vendor")
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Criteria nobody has scored yet."
    )


class SensitivitySerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion.pk")
    code = serializers.CharField(source="criterion.code")
    label = serializers.CharField(source="criterion.label")  # type: ignore[assignment]
    percent = serializers.FloatField(help_text="The criterion's weight, in percent.")
    delta_points = serializers.FloatField(
        allow_null=True,
        help_text="Percentage points of weight that would change the "
        "winner; null when no change within range would.",
    )
    new_winner = serializers.CharField(allow_null=True)
    stable = serializers.BooleanField()


class RankingSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="event.pk")
    currency = serializers.CharField(source="event.currency")
    criteria_set = CriteriaSetRefSerializer()
    inconsistency = serializers.CharField(
        source="criteria_set.inconsistency_message",
        help_text="Why the weights cannot decide an award; empty when they can.",
    )
    criteria = serializers.SerializerMethodField()
    methods_agree = serializers.BooleanField(
        help_text="Weighted sum and TOPSIS rank every proposal the same."
    )
    rows = RankingRowSerializer(many=True, help_text="Ranked proposals, in weighted-sum order.")
    waiting = WaitingSerializer(many=True, help_text="Proposals not yet fully scored.")
    sensitivity = SensitivitySerializer(many=True)

    @extend_schema_field(RankingCriterionSerializer(many=True))
    def get_criteria(self, board: Scoreboard) -> list[dict[str, Any]]:
        weighted = [
            {"criterion": c, "weight": w}
            for c, w in zip(board.criteria, board.weights, strict=True)
        ]
        return list(RankingCriterionSerializer(weighted, many=True).data)
