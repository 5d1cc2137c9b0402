"""Sourcing events, their shortlists and rankings over the API: the same rules as the
pages (``vendors/views/events.py``; the ranking as ``proposals.event_ranking``).

Every member reads their organisation's events; managers and admins change them (the
CIO reads only), through the same forms and services as the pages. Another
organisation's event or candidate is a 404. Proposals and scores: ``proposal_views``.
"""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.errors import form_checked, form_errors
from accounts.api.views import ApiViewSet
from vendors import services
from vendors.access import get_candidate_for, get_event_for
from vendors.api.access import ID, caller, caller_organisation, object_id
from vendors.api.errors import selection_error
from vendors.api.event_serializers import (
    CandidateSerializer,
    EventCreateSerializer,
    EventDetailSerializer,
    EventListSerializer,
    RankingSerializer,
    ReasonSerializer,
)
from vendors.api.filters import EventFilter
from vendors.forms import (
    EventFromProcessesForm,
    EventFromWaveForm,
    ReasonForm,
)
from vendors.models import Candidate, SourcingEvent
from vendors.selectors.criteria import criteria_set_first
from vendors.selectors.events import (
    event_candidates,
    events_for,
    outsourced_processes,
    wave_choices,
)
from vendors.selectors.scoreboard import event_scoreboard

EVENT_PK = OpenApiParameter(
    "event_pk", int, OpenApiParameter.PATH, description="The sourcing event's id."
)


@extend_schema_view(
    list=extend_schema(
        summary="List sourcing events",
        description="Your organisation's sourcing events, newest first.",
    ),
    retrieve=extend_schema(
        summary="One sourcing event",
        responses=EventDetailSerializer,
        description="The event with its scope: each process and the service line sought for it.",
    ),
)
# A new event is checked by the page's form for a wave or for hand-picked processes.
@form_checked(
    sorted({*EventFromWaveForm.base_fields, *EventFromProcessesForm.base_fields}),
    actions=["create"],
)
class EventViewSet(mixins.ListModelMixin, ApiViewSet):
    queryset = SourcingEvent.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = EventListSerializer
    filterset_class = EventFilter
    lookup_value_regex = ID

    def get_queryset(self) -> Any:
        # Counting drops the model's ordering: pages need a stable one.
        return events_for(caller_organisation(self.request)).order_by("-created_at", "-pk")

    def _event(self, pk: Any, *, write: bool = False) -> SourcingEvent:
        return get_event_for(self.request._request, object_id(pk), write=write)

    def _detail(self, event: SourcingEvent, code: int = status.HTTP_200_OK) -> Response:
        return Response(EventDetailSerializer(event).data, status=code)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(self._event(pk))

    @extend_schema(
        summary="Create a sourcing event",
        description="A draft event for a roadmap wave of a submitted assessment "
        "(`assessment` and `wave`) or for hand-picked processes (`processes` "
        "and `model`). The shortlist rules propose vendors at once; check them "
        "under `candidates`, then accept the shortlist. Managers and admins.",
        request=EventCreateSerializer,
        responses={201: EventDetailSerializer},
        examples=[
            OpenApiExample(
                "From a roadmap wave",
                request_only=True,
                value={
                    "name": "ITO wave 1 RFP 2027",
                    "assessment": 3,
                    "wave": 1,
                    "deadline": "2027-03-31",
                    "planned_start": "2027-07-01",
                },
            ),
            OpenApiExample(
                "From hand-picked processes",
                request_only=True,
                value={
                    "name": "Payroll RFP",
                    "processes": [41, 42],
                    "model": "BPO",
                    "deadline": "2027-03-31",
                    "planned_start": "2027-07-01",
                    "criteria_set": 2,
                },
            ),
        ],
    )
    def create(self, request: Request) -> Response:
        body = EventCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        organisation = caller_organisation(request)
        criteria_set = data.get("criteria_set")
        if criteria_set is None:
            # As the page offers: the first set, or none (the event then creates it).
            first = criteria_set_first(organisation)
            criteria_set = first.pk if first is not None else None
        common = {
            "name": data["name"],
            "deadline": data["deadline"].isoformat(),
            "planned_start": data["planned_start"].isoformat(),
            "criteria_set": "" if criteria_set is None else str(criteria_set),
        }
        form: EventFromWaveForm | EventFromProcessesForm
        if "wave" in data:
            form = EventFromWaveForm(
                {**common, "wave": f"{data['assessment']}:{data['wave']}"},
                organisation=organisation,
                waves=wave_choices(organisation),
            )
        else:
            form = EventFromProcessesForm(
                {
                    **common,
                    "processes": [str(pk) for pk in data["processes"]],
                    "model": data["model"],
                },
                organisation=organisation,
                processes=outsourced_processes(organisation),
            )
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        cleaned = form.cleaned_data
        if isinstance(form, EventFromWaveForm):
            wave = form.chosen_wave()
            assessment, processes, model, number = (
                wave.assessment,
                wave.processes,
                wave.model,
                wave.number,
            )
        else:
            processes = list(cleaned["processes"])
            assessment, model, number = processes[0].assessment, cleaned["model"], None
        try:
            event = services.event_create(
                organisation=organisation,
                user=caller(request),
                name=cleaned["name"],
                assessment=assessment,
                processes=processes,
                model=model,
                wave=number,
                deadline=cleaned["deadline"],
                planned_start=cleaned["planned_start"],
                criteria_set=cleaned["criteria_set"],
            )
        except services.SelectionError as error:
            raise selection_error(error) from None
        return self._detail(self._event(event.pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accept the shortlist",
        description="Invite every vendor the rules proposed (and no manager removed); the "
        "event opens for proposals. Refused when nobody would be invited.",
        request=None,
        responses=EventDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="shortlist/accept")
    def shortlist_accept(self, request: Request, pk: str) -> Response:
        event = self._event(pk, write=True)
        try:
            services.shortlist_accept(event=event, user=caller(request))
        except services.SelectionError as error:
            raise selection_error(error) from None
        return self._detail(self._event(pk))

    @extend_schema(
        summary="Cancel a sourcing event",
        description="A draft, open or evaluating event is cancelled; the reason is kept.",
        request=ReasonSerializer,
        responses=EventDetailSerializer,
        examples=[
            OpenApiExample(
                "Cancelled",
                request_only=True,
                value={"reason": "The board postponed the programme."},
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        event = self._event(pk, write=True)
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form = ReasonForm(body.validated_data)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            services.event_cancel(event=event, reason=form.cleaned_data["reason"])
        except services.SelectionError as error:
            raise selection_error(error, "reason") from None
        return self._detail(self._event(pk))

    @extend_schema(
        summary="The ranking",
        description="The event's scoreboard, as the ranking page shows it: fully scored "
        "proposals ranked by weighted sum and by TOPSIS, each criterion's score "
        "(cost from the annual equivalent price), risk flags, evaluators' "
        "disagreements, the proposals still waiting for scores, and how far "
        "each weight would have to move to change the winner.",
        responses=RankingSerializer,
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request: Request, pk: str) -> Response:
        board = event_scoreboard(self._event(pk))
        return Response(RankingSerializer(board, context={"criteria": board.criteria}).data)


class EventPartViewSet(ApiViewSet):
    """For endpoints under /events/{event_pk}/: the event, checked once per request."""

    lookup_value_regex = ID
    _the_event: SourcingEvent | None = None

    @property
    def event(self) -> SourcingEvent:
        if self._the_event is None:
            self._the_event = get_event_for(
                self.request._request,
                object_id(self.kwargs["event_pk"]),
                write=self.request.method not in SAFE_METHODS,
            )
        return self._the_event


@extend_schema(parameters=[EVENT_PK])
@extend_schema_view(
    list=extend_schema(
        summary="List an event's candidates",
        description="Every vendor the shortlist rules considered, why it is "
        "in or out, whether it is invited, and managers' adds "
        "and removes with their reasons.",
    ),
    retrieve=extend_schema(summary="One candidate of an event"),
)
class CandidateViewSet(EventPartViewSet):
    queryset = Candidate.objects.none()  # the model, for the schema
    serializer_class = CandidateSerializer

    def _context(self) -> dict[str, Any]:
        proposals = dict(self.event.proposals.values_list("vendor_id", "pk"))
        return {**self.get_serializer_context(), "proposals": proposals}

    def list(self, request: Request, event_pk: str) -> Response:
        page = self.paginate_queryset(cast(Any, event_candidates(self.event)))  # a list pages too
        return self.get_paginated_response(
            CandidateSerializer(page, many=True, context=self._context()).data
        )

    def retrieve(self, request: Request, event_pk: str, pk: str) -> Response:
        return self._candidate(pk)

    def _candidate(self, pk: str) -> Response:
        candidate = get_candidate_for(self.request._request, self.event, object_id(pk))
        candidate.event = self.event
        return Response(CandidateSerializer(candidate, context=self._context()).data)

    def _decide(self, request: Request, pk: str, *, invite: bool) -> Response:
        candidate = get_candidate_for(request._request, self.event, object_id(pk), write=True)
        candidate.event = self.event
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form = ReasonForm(body.validated_data)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            services.candidate_decide(
                candidate=candidate,
                invite=invite,
                reason=form.cleaned_data["reason"],
                user=caller(request),
            )
        except services.SelectionError as error:
            raise selection_error(error) from None
        return self._candidate(pk)

    @extend_schema(
        summary="Add a vendor to the shortlist",
        description="Invite the candidate, overriding the rules; the reason is kept on "
        "record. Managers and admins, until the event is awarded or cancelled.",
        request=ReasonSerializer,
        responses=CandidateSerializer,
        examples=[
            OpenApiExample(
                "Added", request_only=True, value={"reason": "Our incumbent; they asked to bid."}
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def add(self, request: Request, event_pk: str, pk: str) -> Response:
        return self._decide(request, pk, invite=True)

    @extend_schema(
        summary="Remove a vendor from the shortlist",
        description="Uninvite the candidate, overriding the rules; the reason is kept on "
        "record. Refused once the vendor has sent a proposal.",
        request=ReasonSerializer,
        responses=CandidateSerializer,
        examples=[
            OpenApiExample(
                "Removed", request_only=True, value={"reason": "Failed our security questionnaire."}
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, event_pk: str, pk: str) -> Response:
        return self._decide(request, pk, invite=False)
