"""An assessment, the processes it covers and their questionnaire answers."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from accounts.models import Organisation
from assessments.engine.questions import BUSINESS_FUNCTION_CHOICES, QUESTION_KEYS

# Stored answer: 1..5, DONT_KNOW (0) for "don't know", NULL for not answered yet.
DONT_KNOW = 0
ANSWER_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class WizardStep(models.TextChoices):
    CONTEXT = "context", "Context"
    INVENTORY = "inventory", "Process inventory"
    QUESTIONNAIRE = "questionnaire", "Questionnaire"
    REVIEW = "review", "Review and submit"


class AssessmentQuerySet(models.QuerySet):
    def for_org(self, organisation: Organisation) -> "AssessmentQuerySet":
        return self.filter(organisation=organisation)

    def submitted(self) -> "AssessmentQuerySet":
        return self.filter(status=Status.SUBMITTED)

    def with_counts(self) -> "AssessmentQuerySet":
        return self.annotate(
            process_count=models.Count("processes", distinct=True),
            total_cost=models.Sum("processes__annual_cost"),
        )


class Assessment(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments"
    )
    name = models.CharField(max_length=200)
    objectives = models.JSONField(default=list, blank=True)
    home_country = models.CharField(max_length=100)
    home_continent = models.CharField(max_length=40, blank=True)
    customer_languages = models.JSONField(default=list, blank=True)
    currency = models.CharField(max_length=3, default="GBP")
    horizon_months = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    discount_rate = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.08"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.5"))],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    wizard_step = models.CharField(
        max_length=20, choices=WizardStep.choices, default=WizardStep.CONTEXT
    )
    roadmap_warnings = models.JSONField(default=list, blank=True)
    engine_version = models.CharField(max_length=20, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class Process(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="processes")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    business_function = models.CharField(
        max_length=40, choices=BUSINESS_FUNCTION_CHOICES, default="other"
    )
    description = models.TextField(blank=True, max_length=5000)
    annual_cost = models.DecimalField(max_digits=14, decimal_places=2)
    fte = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))

    strategic_importance = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )
    standardisation = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )
    volume = models.PositiveSmallIntegerField(null=True, blank=True, validators=ANSWER_VALIDATORS)
    knowledge_intensity = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )
    technology_intensity = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )
    data_sensitivity = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )
    customer_contact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )
    onsite_need = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )
    capability_gap = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )
    demand_variability = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )
    interdependence = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ANSWER_VALIDATORS
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "assessment", Lower("name"), name="process_name_unique_in_assessment"
            ),
            models.CheckConstraint(
                condition=models.Q(annual_cost__gt=0), name="process_cost_positive"
            ),
            models.CheckConstraint(condition=models.Q(fte__gte=0), name="process_fte_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stored_answers(self) -> dict[str, int | None]:
        return {key: getattr(self, key) for key in QUESTION_KEYS}

    @property
    def engine_answers(self) -> dict[str, int | None]:
        """Answers as the engine reads them: 1..5, or None for don't know / unanswered."""
        return {key: (value or None) for key, value in self.stored_answers.items()}

    @property
    def unanswered(self) -> list[str]:
        return [key for key, value in self.stored_answers.items() if value is None]

    @property
    def answered_count(self) -> int:
        """How many questions have an answer (``don't know`` counts as one)."""
        return len(QUESTION_KEYS) - len(self.unanswered)

    @property
    def is_complete(self) -> bool:
        return not self.unanswered
