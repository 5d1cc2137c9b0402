"""What the assessments API reads and writes: assessments, processes and their answers,
inventory imports, recommendations and the roadmap. Projections are in ``projections.py``.

Serializers here only check shapes and types; the rules a page applies (a process name
unique in its assessment, a cost above zero) run through the same form or service as the
page. Money goes out as ``{"amount": "125000.00", "currency": "GBP"}``; answers are 1 to 5,
0 for "don't know", and null for a question not answered yet.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import MoneyField
from accounts.api.serializers import StrictSerializer
from accounts.engine.countries import COUNTRY_CHOICES, CURRENCIES, LANGUAGE_CHOICES
from assessments.engine.flags import describe_flags
from assessments.engine.inventory import MAX_ANNUAL_COST, NAME_MAX_LENGTH
from assessments.engine.inventory_files import MAX_ROWS
from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES, OBJECTIVES, QUESTIONS
from assessments.engine.vocabulary import LOCATION_LABELS, MODEL_LABELS, WAVE_LABELS
from assessments.models import Assessment, Process, Recommendation, Status, WizardStep
from assessments.models.assessment import DONT_KNOW
from assessments.models.recommendation import Location, Model

DESCRIPTION_MAX_LENGTH = 5000  # the model's limit (migration 0003_free_text_limits)
OBJECTIVE_CHOICES = [(o.code, o.label) for o in OBJECTIVES]


def _url(request: Any, name: str, **kwargs: Any) -> str:
    path = reverse(name, kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class AssessmentsErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class AssessmentsErrorResponseSerializer(serializers.Serializer):
    """The API's one error format, for the replies documented by hand (409, 429)."""

    type = serializers.CharField(help_text="client_error")
    errors = AssessmentsErrorSerializer(many=True)  # type: ignore[assignment]  # a field


# Assessments ---------------------------------------------------------------------------


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    wizard_step = serializers.ChoiceField(
        choices=WizardStep.choices, help_text="Where the wizard resumes on the pages."
    )
    objectives = serializers.ListField(child=serializers.ChoiceField(choices=OBJECTIVE_CHOICES))
    home_country = serializers.CharField()
    customer_languages = serializers.ListField(child=serializers.CharField())
    currency = serializers.CharField()
    horizon_months = serializers.IntegerField()
    discount_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text="A year, as a fraction: 0.0800 is 8 %."
    )
    owner = serializers.CharField(source="owner.username")
    process_count = serializers.IntegerField(help_text="Processes in the inventory.")
    total_cost = MoneyField(allow_null=True, help_text="The inventory's annual in-house cost.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)

    def get_url(self, assessment: Assessment) -> str:
        return _url(self.context.get("request"), "assessment-detail", pk=assessment.pk)


class AssessmentDetailSerializer(AssessmentSerializer):
    engine_version = serializers.CharField(help_text="The scoring rules of the last scoring.")
    roadmap_warnings = serializers.ListField(child=serializers.CharField())
    links = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                name: {"type": "string", "format": "uri"}
                for name in (
                    "processes",
                    "inventory",
                    "recommendations",
                    "roadmap",
                    "submit",
                    "reopen",
                    "projections",
                    "start_projection",
                )
            },
        }
    )
    def get_links(self, assessment: Assessment) -> dict[str, str]:
        request = self.context.get("request")
        pk = assessment.pk
        links = {
            "processes": _url(request, "assessment-process-list", assessment_pk=pk),
            "recommendations": _url(request, "assessment-recommendation-list", assessment_pk=pk),
            "roadmap": _url(request, "assessment-roadmap", pk=pk),
            "inventory": _url(request, "assessment-inventory", pk=pk),
            "submit": _url(request, "assessment-submit", pk=pk),
            "reopen": _url(request, "assessment-reopen", pk=pk),
            "start_projection": _url(request, "assessment-start-projection", pk=pk),
        }
        links["projections"] = f"{_url(request, 'projection-list')}?assessment={pk}"
        return links


class AssessmentCreateSerializer(StrictSerializer):
    """The wizard's first step. Home country and currency default to the organisation's."""

    name = serializers.CharField(max_length=200)
    objectives = serializers.ListField(
        child=serializers.ChoiceField(choices=OBJECTIVE_CHOICES),
        allow_empty=False,
        max_length=len(OBJECTIVE_CHOICES),
        help_text="What the organisation wants from outsourcing; at least one.",
    )
    home_country = serializers.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    customer_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES),
        required=False,
        max_length=len(LANGUAGE_CHOICES),
    )
    currency = serializers.ChoiceField(choices=[(c, c) for c in CURRENCIES], required=False)
    horizon_months = serializers.IntegerField(min_value=1, max_value=240, default=60)
    discount_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal("0"),
        max_value=Decimal("0.5"),
        default=Decimal("0.08"),
        help_text="A year, as a fraction from 0 to 0.5 (8 % is 0.08).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["objectives"] = _unique(attrs["objectives"])
        attrs["customer_languages"] = _unique(attrs.get("customer_languages", []))
        return attrs


# Processes -----------------------------------------------------------------------------


def _answer_field(question: Any, *, minimum: int, write: bool) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=minimum,
        max_value=5,
        required=write,
        allow_null=not write,
        help_text=f"{question.text} 1 to 5"
        + (", 0 for \u201cdon't know\u201d" if minimum == DONT_KNOW else "")
        + ("." if write else ", null when not answered yet."),
    )


# One field per question: {"strategic_importance": 4, ...}.
StoredAnswersSerializer: type[serializers.Serializer] = type(
    "ProcessStoredAnswersSerializer",
    (serializers.Serializer,),
    {q.key: _answer_field(q, minimum=DONT_KNOW, write=False) for q in QUESTIONS},
)
AnswersSerializer: type[StrictSerializer] = type(
    "ProcessAnswersSerializer",
    (StrictSerializer,),
    {
        "__doc__": "Every question answered: 1 to 5, or 0 for \u201cdon't know\u201d.",
        **{q.key: _answer_field(q, minimum=DONT_KNOW, write=True) for q in QUESTIONS},
    },
)


class ProcessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    position = serializers.IntegerField()
    name = serializers.CharField()
    business_function = serializers.ChoiceField(choices=BUSINESS_FUNCTION_CHOICES)
    description = serializers.CharField()
    annual_cost = MoneyField(currency="assessment.currency")
    fte = serializers.DecimalField(max_digits=8, decimal_places=2)
    answers = StoredAnswersSerializer(source="stored_answers")
    unanswered = serializers.ListField(
        child=serializers.CharField(), help_text="The questions not answered yet."
    )
    is_complete = serializers.BooleanField()

    def get_url(self, process: Process) -> str:
        return _url(
            self.context.get("request"),
            "assessment-process-detail",
            assessment_pk=process.assessment_id,
            pk=process.pk,
        )


class ProcessWriteSerializer(StrictSerializer):
    """A process as typed on the inventory page. PATCH may send any subset."""

    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    business_function = serializers.ChoiceField(choices=BUSINESS_FUNCTION_CHOICES, default="other")
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX_LENGTH, allow_blank=True, default=""
    )
    annual_cost = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        max_value=MAX_ANNUAL_COST - Decimal("0.01"),
        help_text="What running the process in-house costs a year, in the assessment's "
        "currency; more than zero.",
    )
    fte = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
        default=Decimal("0"),
        help_text="Full-time equivalents.",
    )


# Inventory import ----------------------------------------------------------------------


class InventoryUploadSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text="The inventory as .csv (UTF-8) or .xlsx in the template's format, up to "
        "5 MB and 10,000 rows."
    )
    replace = serializers.BooleanField(
        default=False, help_text="Replace the current inventory instead of adding to it."
    )


InventoryProcessSerializer: type[StrictSerializer] = type(
    "InventoryProcessSerializer",
    (StrictSerializer,),
    {
        "__doc__": "One process in the import format: the file's columns as keys.",
        "name": serializers.CharField(max_length=NAME_MAX_LENGTH),
        "business_function": serializers.ChoiceField(
            choices=BUSINESS_FUNCTION_CHOICES, required=False
        ),
        "description": serializers.CharField(
            max_length=DESCRIPTION_MAX_LENGTH, allow_blank=True, required=False
        ),
        "annual_cost": serializers.DecimalField(max_digits=14, decimal_places=2),
        "fte": serializers.DecimalField(max_digits=8, decimal_places=2, required=False),
        **{
            q.key: serializers.IntegerField(
                min_value=1,
                max_value=5,
                required=False,
                allow_null=True,
                help_text=f"{q.text} 1 to 5; null or absent for \u201cdon't know\u201d.",
            )
            for q in QUESTIONS
        },
    },
)


class InventoryListSerializer(StrictSerializer):
    processes = serializers.ListField(
        child=InventoryProcessSerializer(), allow_empty=False, max_length=MAX_ROWS
    )
    replace = serializers.BooleanField(
        default=False, help_text="Replace the current inventory instead of adding to it."
    )


class InventoryImportResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text="Processes added by this import.")
    process_count = serializers.IntegerField(help_text="Processes in the inventory now.")
    processes = serializers.URLField()


# Recommendations and the roadmap -------------------------------------------------------


class RecommendationFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    meaning = serializers.CharField()


class RecommendationOverrideSerializer(serializers.Serializer):
    model = serializers.ChoiceField(choices=Model.choices)
    location = serializers.CharField()
    justification = serializers.CharField()
    by = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField(allow_null=True)


class RecommendationSerializer(serializers.Serializer):
    """The engine's recommendation with its reasons, and the decided model (an override
    when a manager made one, else the engine's)."""

    process_id = serializers.IntegerField(source="process.pk")
    process_url = serializers.SerializerMethodField()
    name = serializers.CharField(source="process.name")
    business_function = serializers.CharField(source="process.business_function")
    annual_cost = MoneyField(source="process.annual_cost", currency="process.assessment.currency")
    model = serializers.ChoiceField(
        choices=Model.choices,
        source="chosen_model",
        help_text="The decided model: the override, if any.",
    )
    model_label = serializers.SerializerMethodField()
    location = serializers.CharField(
        source="chosen_location", help_text="The decided location; empty when retained."
    )
    location_label = serializers.SerializerMethodField()
    engine_model = serializers.ChoiceField(choices=Model.choices, source="model")
    engine_location = serializers.CharField(source="location")
    override = serializers.SerializerMethodField()
    confidence = serializers.FloatField(allow_null=True, help_text="0 to 1.")
    margin = serializers.FloatField()
    scores = serializers.DictField(
        child=serializers.FloatField(), help_text="The score of each model."
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why, in the sentences the results page shows."
    )
    flags = serializers.SerializerMethodField()
    settle_questions = serializers.ListField(child=serializers.CharField())
    guard_rail = serializers.BooleanField()
    wave = serializers.IntegerField(allow_null=True)
    wave_label = serializers.SerializerMethodField()
    start_month = serializers.IntegerField(allow_null=True)
    go_live_month = serializers.IntegerField(allow_null=True)
    engine_version = serializers.CharField()

    def get_process_url(self, rec: Recommendation) -> str:
        return _url(
            self.context.get("request"),
            "assessment-process-detail",
            assessment_pk=rec.process.assessment_id,
            pk=rec.process_id,
        )

    def get_model_label(self, rec: Any) -> str:
        return MODEL_LABELS.get(rec.chosen_model, rec.chosen_model)

    def get_location_label(self, rec: Any) -> str:
        return LOCATION_LABELS.get(rec.chosen_location, "") if rec.chosen_location else ""

    def get_wave_label(self, rec: Recommendation) -> str:
        return WAVE_LABELS.get(rec.wave, "") if rec.wave else ""

    @extend_schema_field(RecommendationFlagSerializer(many=True))
    def get_flags(self, rec: Recommendation) -> list[dict[str, str]]:
        return [flag._asdict() for flag in describe_flags(list(rec.flags or []))]

    @extend_schema_field(RecommendationOverrideSerializer(allow_null=True))
    def get_override(self, rec: Recommendation) -> dict[str, Any] | None:
        if not rec.is_overridden:
            return None
        return RecommendationOverrideSerializer(
            {
                "model": rec.override_model,
                "location": rec.override_location,
                "justification": rec.override_justification,
                "by": rec.overridden_by.get_username() if rec.overridden_by else None,
                "at": rec.overridden_at,
            }
        ).data


class RoadmapWaveSerializer(serializers.Serializer):
    wave = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    model = serializers.ChoiceField(choices=Model.choices)
    processes = serializers.IntegerField()
    spend = MoneyField(help_text="The wave's annual in-house cost.")
    start_month = serializers.IntegerField(
        help_text="The first transition starts (month 0 is the first month of the horizon)."
    )
    end_month = serializers.IntegerField(help_text="The last process goes live.")
    payback_month = serializers.IntegerField(
        allow_null=True,
        help_text="The wave's payback at the modes; null when it does not "
        "pay back within the horizon.",
    )


class RoadmapEntrySerializer(serializers.Serializer):
    process_id = serializers.IntegerField()
    name = serializers.CharField()
    model = serializers.ChoiceField(choices=Model.choices)
    location = serializers.ChoiceField(choices=Location.choices, allow_blank=True)
    annual_cost = MoneyField()
    wave = serializers.IntegerField(allow_null=True)
    start_month = serializers.IntegerField(allow_null=True)
    go_live_month = serializers.IntegerField(allow_null=True)


class RoadmapSerializer(serializers.Serializer):
    horizon_months = serializers.IntegerField()
    waves = RoadmapWaveSerializer(many=True)
    scheduled = RoadmapEntrySerializer(
        many=True, help_text="Outsourced processes, by wave and start month."
    )
    unscheduled = RoadmapEntrySerializer(
        many=True, help_text="Retained processes and those without enough evidence: in no wave."
    )
    warnings = serializers.ListField(child=serializers.CharField())
