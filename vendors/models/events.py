"""Sourcing events (RFPs): scope, shortlist, proposals, evaluators' scores and the award.

All of it belongs to one organisation, through the event.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.models import Organisation
from assessments.engine import vocabulary as vocab
from assessments.models import Assessment, Process
from vendors.models.criteria import CriteriaSet, Criterion
from vendors.models.registry import SERVICE_LINE_CHOICES, Vendor

MIN_SCORE, MAX_SCORE = 1, 10
MAX_TERM_MONTHS = 240


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for proposals"
    EVALUATING = "evaluating", "Evaluating"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


class SourcedModel(models.TextChoices):
    ITO = vocab.ITO, vocab.MODEL_LABELS[vocab.ITO]
    BPO = vocab.BPO, vocab.MODEL_LABELS[vocab.BPO]
    KPO = vocab.KPO, vocab.MODEL_LABELS[vocab.KPO]


ACTIVE_STATUSES = (EventStatus.DRAFT, EventStatus.OPEN, EventStatus.EVALUATING)
# Proposals and scores may be entered while the event is open or being evaluated.
RECEIVING_STATUSES = (EventStatus.OPEN, EventStatus.EVALUATING)


class SourcingEventQuerySet(models.QuerySet):
    def for_org(self, organisation: Organisation) -> SourcingEventQuerySet:
        return self.filter(organisation=organisation)

    def with_counts(self) -> SourcingEventQuerySet:
        return self.annotate(
            process_count=models.Count("scope", distinct=True),
            invited_count=models.Count(
                "candidates", filter=models.Q(candidates__invited=True), distinct=True
            ),
            proposal_count=models.Count("proposals", distinct=True),
        )


class SourcingEvent(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sourcing_events"
    )
    name = models.CharField(max_length=200)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="sourcing_events"
    )
    wave = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The roadmap wave; blank for hand-picked processes."
    )
    model = models.CharField("model sourced", max_length=3, choices=SourcedModel.choices)
    deadline = models.DateField(help_text="Last day for proposals.")
    planned_start = models.DateField(help_text="When the vendor would start the transition.")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT)
    cancel_reason = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourcingEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == EventStatus.DRAFT

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def receives_proposals(self) -> bool:
        return self.status in RECEIVING_STATUSES

    @property
    def currency(self) -> str:
        return self.assessment.currency


class EventProcess(models.Model):
    """A process in an event's scope, with the service line sought for it."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.CASCADE, related_name="scope")
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    service_line = models.CharField(max_length=40, choices=SERVICE_LINE_CHOICES, blank=True)
    location = models.CharField(
        max_length=12,
        blank=True,
        help_text="The recommended delivery location when the event was created.",
    )

    class Meta:
        ordering = ["process__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "process"], name="process_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.process} in {self.event}"


class Candidate(models.Model):
    """A vendor the shortlist rules considered, and whether the manager invited it."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.CASCADE, related_name="candidates")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="candidacies")
    proposed = models.BooleanField(help_text="The shortlist rules put the vendor in.")
    reasons = models.JSONField(default=list)
    invited = models.BooleanField(default=False)
    # A manager's add or remove overrides the rules from then on, even on a re-run.
    decided_by_manager = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-proposed", "vendor__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "vendor"], name="vendor_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.vendor} for {self.event}"


class CandidateChange(models.Model):
    class Action(models.TextChoices):
        ADD = "add", "Added"
        REMOVE = "remove", "Removed"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.TextField(max_length=2000)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.candidate.vendor}: {self.reason}"


class Proposal(models.Model):
    event = models.ForeignKey(SourcingEvent, on_delete=models.CASCADE, related_name="proposals")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="proposals")
    annual_price = models.DecimalField(max_digits=14, decimal_places=2)
    transition_cost = models.DecimalField(
        "one-time transition cost", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    proposed_slas = models.TextField("proposed SLAs", blank=True, max_length=10000)
    term_months = models.PositiveSmallIntegerField(
        "term (months)", validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_MONTHS)]
    )
    notes = models.TextField(blank=True, max_length=10000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["vendor__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "vendor"], name="one_proposal_per_vendor"),
            models.CheckConstraint(
                condition=models.Q(annual_price__gt=0), name="proposal_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(transition_cost__gte=0), name="proposal_transition_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} for {self.event}"

    @property
    def annual_equivalent(self) -> Decimal:
        """The annual price plus the transition cost spread over the term: what cost scores."""
        return self.annual_price + self.transition_cost * 12 / self.term_months


class Evaluation(models.Model):
    """One evaluator's score (1 to 10) of one proposal on one criterion."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    evaluator = models.CharField(max_length=100, help_text="The person who gave the score.")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )
    comment = models.TextField(blank=True, max_length=2000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["evaluator", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion", "evaluator"],
                name="one_score_per_evaluator_and_criterion",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE),
                name="evaluation_score_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator}: {self.criterion} {self.score}"


class AwardQuerySet(models.QuerySet):
    def for_org(self, organisation: Organisation) -> AwardQuerySet:
        return self.filter(event__organisation=organisation)


class Award(models.Model):
    """The decision. ``snapshot`` is written once and never updated (see services)."""

    event = models.OneToOneField(SourcingEvent, on_delete=models.PROTECT, related_name="award")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="award")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="awards")
    rationale = models.TextField(max_length=10000)
    early_reason = models.TextField(
        max_length=2000,
        blank=True,
        help_text="Why it was awarded by the deadline for proposals (else empty).",
    )
    snapshot = models.JSONField(help_text="Scores, weights and ranks at the time of the award.")
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    awarded_at = models.DateTimeField(auto_now_add=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_at"]

    def __str__(self) -> str:
        return f"{self.event} awarded to {self.vendor}"

    @property
    def was_early(self) -> bool:
        """Made while proposals could still arrive (a reason is then recorded)."""
        return bool(self.early_reason)
