"""Proposals and evaluators' scores over the API: the same rules as the pages
(``vendors/views/proposals.py``).

Money is in the event's currency; a proposal is checked by the page's proposal form and
saved by the same service. Scores are the caller's own (by their full name, else their
username), checked by the page's score form. Managers and admins write; the CIO reads.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.errors import FORM_CODES, form_checked, form_errors
from vendors import services
from vendors.access import get_proposal_for
from vendors.api.access import caller, object_id
from vendors.api.errors import selection_error
from vendors.api.event_serializers import (
    ProposalCreateSerializer,
    ProposalDetailSerializer,
    ProposalSerializer,
    ProposalWriteSerializer,
    ScoresSerializer,
    ScoresWriteSerializer,
)
from vendors.api.event_views import EVENT_PK, EventPartViewSet
from vendors.forms import ProposalForm, ScoreForm
from vendors.models import Proposal
from vendors.selectors.events import proposal_spreads


def evaluator_of(request: Request) -> str:
    """Whose scores the caller enters: their full name, else their username (as the
    scoring page suggests)."""
    user = caller(request)
    return " ".join((user.get_full_name() or user.get_username()).split())


@extend_schema(parameters=[EVENT_PK])
@extend_schema_view(
    list=extend_schema(
        summary="List an event's proposals",
        description="The proposals received, in the event's currency.",
    ),
    retrieve=extend_schema(
        summary="One proposal",
        responses=ProposalDetailSerializer,
        description="The proposal with every evaluator's scores per "
        "criterion, their mean and range.",
    ),
)
# Proposals are checked by the page's form; scores by the scoring form, whose messages
# come under `scores` (and `evaluator`).
@form_checked(ProposalForm, actions=["create", "partial_update"])
@form_checked(["evaluator"], actions=["scores"], methods=["put"])
@form_checked(
    ["scores"],
    actions=["scores"],
    methods=["put"],
    # `scores` itself: a list the serializer documents as missing or not a list.
    codes=[code for code in FORM_CODES if code != "required"],
)
class ProposalViewSet(EventPartViewSet):
    queryset = Proposal.objects.none()  # the model, for the schema
    serializer_class = ProposalSerializer

    def list(self, request: Request, event_pk: str) -> Response:
        # As ``event_proposals``, with who entered each (the list shows it) and without
        # the evaluations (it does not).
        proposals = list(self.event.proposals.select_related("vendor", "entered_by"))
        for proposal in proposals:
            proposal.event = self.event  # its currency, without a query per proposal
        page = self.paginate_queryset(cast(Any, proposals))  # a list pages too
        return self.get_paginated_response(ProposalSerializer(page, many=True).data)

    def retrieve(self, request: Request, event_pk: str, pk: str) -> Response:
        return self._detail(self._proposal(pk))

    def _proposal(self, pk: Any, *, write: bool = False) -> Proposal:
        proposal = get_proposal_for(self.request._request, self.event, object_id(pk), write=write)
        proposal.event = self.event
        return proposal

    def _detail(self, proposal: Proposal, code: int = status.HTTP_200_OK) -> Response:
        spreads = proposal_spreads(proposal, self.event.criteria_set)
        return Response(
            ProposalDetailSerializer(proposal, context={"spreads": spreads}).data, status=code
        )

    def _form(self, data: dict[str, Any], existing: Proposal | None) -> ProposalForm:
        """The proposal form bound to the proposal as it would stand, and valid."""
        event = self.event
        values: dict[str, Any] = (
            {name: getattr(existing, name) for name in services.PROPOSAL_FIELDS}
            if existing is not None
            else {"transition_cost": Decimal("0"), "proposed_slas": "", "notes": ""}
        )
        wrong = {
            name: [f"Give the amount in {event.currency}, the event's currency."]
            for name in ("annual_price", "transition_cost")
            if name in data and data[name].currency != event.currency
        }
        if wrong:
            raise exceptions.ValidationError(wrong)
        for name in services.PROPOSAL_FIELDS:
            if name in data:
                value = data[name]
                values[name] = (
                    value.amount if name in ("annual_price", "transition_cost") else value
                )
        form = ProposalForm(
            {name: "" if value is None else str(value) for name, value in values.items()}
        )
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        return form

    def _save(self, request: Request, proposal_vendor: Any, form: ProposalForm) -> Proposal:
        try:
            return services.proposal_save(
                event=self.event,
                vendor=proposal_vendor,
                data=form.cleaned_data,
                user=caller(request),
            )
        except services.SelectionError as error:
            raise selection_error(error) from None

    @extend_schema(
        summary="Record a proposal",
        description="An invited vendor's proposal, with money in the event's currency. "
        "The event must be open or under evaluation. Managers and admins.",
        request=ProposalCreateSerializer,
        responses={201: ProposalDetailSerializer},
        examples=[
            OpenApiExample(
                "A proposal",
                request_only=True,
                value={
                    "vendor": 7,
                    "annual_price": {"amount": "4800000.00", "currency": "GBP"},
                    "transition_cost": {"amount": "300000.00", "currency": "GBP"},
                    "term_months": 60,
                    "proposed_slas": "P1 resolved in 4 h, 95 %",
                    "notes": "",
                },
            )
        ],
    )
    def create(self, request: Request, event_pk: str) -> Response:
        event = self.event
        body = ProposalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        candidate = (
            event.candidates.select_related("vendor").filter(vendor_id=data["vendor"]).first()
        )
        if candidate is None:
            raise exceptions.ValidationError(
                {"vendor": ["This vendor is not a candidate of the event."]}
            )
        existing = event.proposals.filter(vendor=candidate.vendor).first()
        if existing is not None:
            raise exceptions.ValidationError(
                {
                    "vendor": [
                        f"{candidate.vendor.name} already has a proposal (id {existing.pk}); "
                        "change it with PATCH instead."
                    ]
                }
            )
        proposal = self._save(request, candidate.vendor, self._form(data, None))
        return self._detail(self._proposal(proposal.pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct a proposal",
        description="Only the fields sent change; money in the event's currency. The event "
        "must be open or under evaluation. Managers and admins.",
        request=ProposalWriteSerializer,
        responses=ProposalDetailSerializer,
        examples=[
            OpenApiExample(
                "A corrected price",
                request_only=True,
                value={"annual_price": {"amount": "4650000.00", "currency": "GBP"}},
            )
        ],
    )
    def partial_update(self, request: Request, event_pk: str, pk: str) -> Response:
        proposal = self._proposal(pk, write=True)
        body = ProposalWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self._save(request, proposal.vendor, self._form(body.validated_data, proposal))
        return self._detail(self._proposal(pk))

    def _scores(self, proposal: Proposal, evaluator: str) -> Response:
        evaluations = (
            proposal.evaluations.filter(evaluator__iexact=evaluator)
            .select_related("criterion")
            .order_by("criterion__position", "pk")
        )
        return Response(ScoresSerializer({"evaluator": evaluator, "scores": evaluations}).data)

    @extend_schema(
        methods=["GET"],
        summary="Your scores of a proposal",
        description="The scores you (by your full name, else your username) gave this "
        "proposal, per criterion; an empty list before you score it.",
        responses=ScoresSerializer,
    )
    @extend_schema(
        methods=["PUT"],
        summary="Score a proposal",
        description="Your scores (1 to 10, with an optional comment) of this proposal on "
        "every criterion of the event's set other than cost, which is scored "
        "from price. They replace your earlier scores; the event moves to "
        "evaluating. Managers and admins.",
        request=ScoresWriteSerializer,
        responses=ScoresSerializer,
        examples=[
            OpenApiExample(
                "Scores",
                request_only=True,
                value={
                    "scores": [
                        {"criterion": 11, "score": 8, "comment": "Strong references."},
                        {"criterion": 12, "score": 6, "comment": ""},
                    ]
                },
            )
        ],
    )
    @action(detail=True, methods=["get", "put"])
    def scores(self, request: Request, event_pk: str, pk: str) -> Response:
        evaluator = evaluator_of(request)
        if request.method in SAFE_METHODS:
            return self._scores(self._proposal(pk), evaluator)
        proposal = self._proposal(pk, write=True)
        body = ScoresWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        criteria = list(self.event.criteria_set.criteria.all())
        scored = {c.pk: c for c in criteria if not c.is_cost}
        data: dict[str, Any] = {"evaluator": evaluator}
        problems = []
        for item in body.validated_data["scores"]:
            criterion = scored.get(item["criterion"])
            if criterion is None:
                problems.append(
                    f"Criterion {item['criterion']} is not scored by evaluators "
                    "in this event: use the ids of its criteria set other than "
                    "cost."
                )
            elif f"score_{criterion.pk}" in data:
                problems.append(f"{criterion.label} is scored twice.")
            else:
                data[f"score_{criterion.pk}"] = str(item["score"])
                data[f"comment_{criterion.pk}"] = item["comment"]
        if problems:
            raise exceptions.ValidationError({"scores": problems})
        form = ScoreForm(data, criteria=criteria)
        if not form.is_valid():
            labels = {
                f"{kind}_{c.pk}": c.label for c in scored.values() for kind in ("score", "comment")
            }
            errors: dict[str, list[Any]] = {}
            for name, messages in form_errors(form).items():
                if name in labels:
                    errors.setdefault("scores", []).extend(
                        ErrorDetail(f"{labels[name]}: {m}", code=m.code) for m in messages
                    )
                else:
                    errors[name] = list(messages)
            raise exceptions.ValidationError(errors)
        try:
            services.evaluation_record(
                proposal=proposal,
                evaluator=form.cleaned_data["evaluator"],
                scores=form.scores(),
                user=caller(request),
            )
        except services.SelectionError as error:
            raise selection_error(error, "scores") from None
        return self._scores(proposal, form.cleaned_data["evaluator"])
