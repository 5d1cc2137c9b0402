"""Processes of an assessment over the API: list, add, change, remove, and answer the
questionnaire. Changes need a draft (the wizard's rule): a submitted assessment answers 409
until it is reopened. Every body is checked by the inventory page's form as well, so the
rules and their words are the page's."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.views import ApiViewSet
from assessments.access import get_assessment_for, get_process_for
from assessments.api import serializers as s
from assessments.api.views import (
    ASSESSMENT_ID,
    CONFLICT,
    django_request,
    editable_assessment,
    form_errors,
)
from assessments.forms.wizard import ProcessForm
from assessments.models import Assessment, Process, WizardStep
from assessments.services import assessments as services

PROCESS_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The process's id.")

PROCESS_EXAMPLE = OpenApiExample(
    "A process",
    request_only=True,
    value={
        "name": "Payroll processing",
        "business_function": "HR",
        "description": "Monthly payroll for 420 employees",
        "annual_cost": "450000.00",
        "fte": "5",
    },
)
ANSWERS_EXAMPLE = OpenApiExample(
    "Every question answered",
    request_only=True,
    value={
        "strategic_importance": 1,
        "standardisation": 5,
        "volume": 5,
        "knowledge_intensity": 2,
        "technology_intensity": 2,
        "data_sensitivity": 4,
        "customer_contact": 1,
        "onsite_need": 1,
        "capability_gap": 3,
        "demand_variability": 0,
        "interdependence": 2,
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="List an assessment's processes",
        description="In inventory order, with their answers (null: not "
        "answered yet; 0: don't know).",
        parameters=[ASSESSMENT_ID],
    ),
    retrieve=extend_schema(summary="A process", parameters=[ASSESSMENT_ID, PROCESS_ID]),
    create=extend_schema(
        summary="Add a process",
        description="To a draft's inventory, with the inventory page's "
        "checks (a unique name, a cost above zero). 409 when submitted.",
        parameters=[ASSESSMENT_ID],
        request=s.ProcessWriteSerializer,
        responses={201: s.ProcessSerializer, 409: CONFLICT},
        examples=[PROCESS_EXAMPLE],
    ),
    update=extend_schema(
        summary="Change a process",
        description="Every field; 409 when the assessment was submitted.",
        parameters=[ASSESSMENT_ID, PROCESS_ID],
        request=s.ProcessWriteSerializer,
        responses={200: s.ProcessSerializer, 409: CONFLICT},
        examples=[PROCESS_EXAMPLE],
    ),
    partial_update=extend_schema(
        summary="Change some of a process's fields",
        parameters=[ASSESSMENT_ID, PROCESS_ID],
        request=s.ProcessWriteSerializer,
        responses={200: s.ProcessSerializer, 409: CONFLICT},
        examples=[PROCESS_EXAMPLE],
    ),
    destroy=extend_schema(
        summary="Remove a process",
        description="409 when submitted.",
        parameters=[ASSESSMENT_ID, PROCESS_ID],
        responses={204: None, 409: CONFLICT},
    ),
)
class ProcessViewSet(ApiViewSet):
    serializer_class = s.ProcessSerializer
    queryset = Process.objects.none()
    lookup_value_regex = "[0-9]+"
    filter_backends: list[Any] = []

    def _assessment(self) -> Assessment:
        return get_assessment_for(django_request(self.request), self.kwargs["assessment_pk"])

    def _process(self, assessment: Assessment, *, write: bool = False) -> Process:
        return get_process_for(
            django_request(self.request), assessment, self.kwargs["pk"], write=write
        )

    def _changed(
        self, assessment: Assessment, process: Process | None, *, partial: bool = False
    ) -> dict[str, Any]:
        """The body checked by the serializer (types), then by the inventory page's form."""
        body = s.ProcessWriteSerializer(data=self.request.data, partial=partial)
        body.is_valid(raise_exception=True)
        current = (
            {}
            if process is None
            else {name: getattr(process, name) for name in services.PROCESS_FIELDS}
        )
        values = {**current, **body.validated_data}
        form = ProcessForm(
            {name: "" if value is None else str(value) for name, value in values.items()},
            assessment=assessment,
            process=process,
        )
        if not form.is_valid():
            raise form_errors(form)
        return form.cleaned_data

    def _saved(self, save: Any) -> Process:
        try:
            return save()
        except IntegrityError:  # a process of the same name saved at the same moment
            raise ValidationError(
                {"name": ["There is already a process with this name in this assessment."]}
            ) from None

    def _reply(self, process: Process, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(process).data, status=code)

    def list(self, request: Request, assessment_pk: str) -> Response:
        page = self.paginate_queryset(self._assessment().processes.all())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, assessment_pk: str, pk: str) -> Response:
        return self._reply(self._process(self._assessment()))

    def create(self, request: Request, assessment_pk: str) -> Response:
        assessment = editable_assessment(request, assessment_pk)
        data = self._changed(assessment, None)
        process = self._saved(lambda: services.process_create(assessment=assessment, data=data))
        response = self._reply(process, status.HTTP_201_CREATED)
        response["Location"] = response.data["url"]
        return response

    def update(
        self, request: Request, assessment_pk: str, pk: str, partial: bool = False
    ) -> Response:
        assessment = editable_assessment(request, assessment_pk)
        process = self._process(assessment, write=True)
        data = self._changed(assessment, process, partial=partial)
        return self._reply(self._saved(lambda: services.process_update(process=process, data=data)))

    def partial_update(self, request: Request, assessment_pk: str, pk: str) -> Response:
        return self.update(request, assessment_pk, pk, partial=True)

    def destroy(self, request: Request, assessment_pk: str, pk: str) -> Response:
        assessment = editable_assessment(request, assessment_pk)
        services.process_delete(process=self._process(assessment, write=True))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Answer the questionnaire for a process",
        description="Every question, 1 to 5, or 0 for \u201cdon't know\u201d, as "
        "the questionnaire page saves them. 409 when submitted.",
        parameters=[ASSESSMENT_ID, PROCESS_ID],
        request=s.AnswersSerializer,
        responses={200: s.ProcessSerializer, 409: CONFLICT},
        examples=[ANSWERS_EXAMPLE],
    )
    @action(detail=True, methods=["put"])
    def answers(self, request: Request, assessment_pk: str, pk: str) -> Response:
        assessment = editable_assessment(request, assessment_pk)
        process = self._process(assessment, write=True)
        body = s.AnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.process_answers_save(
            process=process, answers=body.validated_data, step=WizardStep.QUESTIONNAIRE
        )
        return self._reply(process)
