"""Reads for sourcing events: scope, candidates, proposals, spreads and spend; never writes.

The registry is shared; everything else is read through an organisation, so a caller
cannot forget the scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from accounts.engine.countries import continent_of
from accounts.models import Organisation
from assessments.engine.vocabulary import WAVE_MODELS, is_outsourced
from assessments.models import Assessment, Process, Recommendation
from assessments.selectors.recommendations import assessment_rows
from vendors.engine.ranking import evaluator_spread
from vendors.engine.shortlist import Scope, ScopeProcess
from vendors.models import (
    Award,
    Candidate,
    CandidateChange,
    CriteriaSet,
    Evaluation,
    EventProcess,
    Proposal,
    SourcingEvent,
)

# ---------------------------------------------------------------- waves and scope


@dataclass(frozen=True)
class WaveChoice:
    assessment: Assessment
    number: int
    model: str
    processes: list[Process]

    @property
    def key(self) -> str:
        return f"{self.assessment.pk}:{self.number}"

    @property
    def label(self) -> str:
        names = ", ".join(p.name for p in self.processes[:4])
        more = f" and {len(self.processes) - 4} more" if len(self.processes) > 4 else ""
        return f"{self.assessment.name} \u00b7 wave {self.number} ({self.model}): {names}{more}"


def submitted_assessments(organisation: Organisation) -> QuerySet[Assessment]:
    return Assessment.objects.for_org(organisation).submitted().order_by("-submitted_at", "pk")


def wave_choices(organisation: Organisation) -> list[WaveChoice]:
    """The roadmap waves of the organisation's submitted assessments.

    A wave holds the processes whose recommendation has that wave number and whose
    effective model (the manager's override, else the engine's) is the wave's model.
    """
    recommendations = (
        Recommendation.objects.filter(
            process__assessment__in=submitted_assessments(organisation), wave__isnull=False
        )
        .select_related("process", "process__assessment")
        .order_by("process__assessment__submitted_at", "wave", "process__position")
    )
    waves: dict[tuple[int, int], WaveChoice] = {}
    for rec in recommendations:
        model = WAVE_MODELS.get(rec.wave)
        if model is None or rec.effective_model != model:
            continue
        assessment = rec.process.assessment
        key = (assessment.pk, rec.wave)
        if key not in waves:
            waves[key] = WaveChoice(assessment, rec.wave, model, [])
        waves[key].processes.append(rec.process)
    return list(waves.values())


def outsourced_processes(organisation: Organisation) -> QuerySet[Process]:
    """Processes of submitted assessments a manager may hand-pick for an event."""
    return (
        Process.objects.filter(assessment__in=submitted_assessments(organisation))
        .select_related("assessment", "recommendation")
        .order_by("assessment__name", "position", "pk")
    )


def event_scope(event: SourcingEvent) -> Scope:
    """The shortlist engine's view of an event (needs ``scope`` and its processes)."""
    assessment = event.assessment
    return Scope(
        model=event.model,
        home_country=assessment.home_country,
        home_continent=assessment.home_continent or continent_of(assessment.home_country),
        customer_languages=list(assessment.customer_languages or []),
        planned_start=event.planned_start,
        processes=[
            ScopeProcess(
                name=item.process.name,
                service_line=item.service_line or None,
                customer_contact=item.process.engine_answers["customer_contact"],
                data_sensitivity=item.process.engine_answers["data_sensitivity"],
                onsite_need=item.process.engine_answers["onsite_need"],
                location=item.location or None,
            )
            for item in event.scope.all()
        ],
    )


def event_with_scope(queryset: QuerySet[SourcingEvent]) -> QuerySet[SourcingEvent]:
    return queryset.select_related("assessment", "criteria_set", "created_by").prefetch_related(
        Prefetch("scope", queryset=_scope_items())
    )


def _scope_items() -> QuerySet[EventProcess]:
    return EventProcess.objects.select_related("process").order_by("process__position", "pk")


def event_candidates(event: SourcingEvent) -> list[Candidate]:
    return list(
        event.candidates.select_related("vendor").prefetch_related(
            Prefetch("changes", queryset=_changes()), "vendor__delivery_centres"
        )
    )


def _changes() -> QuerySet[CandidateChange]:
    return CandidateChange.objects.select_related("user").order_by("created_at", "pk")


def event_proposals(event: SourcingEvent) -> list[Proposal]:
    return list(event.proposals.select_related("vendor").prefetch_related("evaluations"))


def evaluator_names(event: SourcingEvent) -> list[str]:
    return list(
        Evaluation.objects.filter(proposal__event=event)
        .order_by("evaluator")
        .values_list("evaluator", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class SpreadRow:
    label: str
    mean: float | None
    score_range: float
    flagged: bool
    lowest: str | None
    highest: str | None
    scores: list[tuple[str, int | None, str]]  # evaluator, score, comment


def proposal_spreads(proposal: Proposal, criteria_set: CriteriaSet) -> list[SpreadRow]:
    """Per scored criterion: each evaluator's score, the mean and range, disagreement flag."""
    criteria = [c for c in criteria_set.criteria.all() if not c.is_cost]
    given: dict[str, dict[int, Evaluation]] = defaultdict(dict)
    for evaluation in proposal.evaluations.all():
        given[evaluation.evaluator][evaluation.criterion_id] = evaluation
    if not given or not criteria:
        return []
    table = {
        name: [given[name][c.pk].score if c.pk in given[name] else None for c in criteria]
        for name in sorted(given)
    }
    rows = []
    for criterion, spread in zip(criteria, evaluator_spread(table), strict=True):
        scores = []
        for name in sorted(given):
            entered = given[name].get(criterion.pk)
            scores.append(
                (name, entered.score if entered else None, entered.comment if entered else "")
            )
        rows.append(
            SpreadRow(
                criterion.label,
                spread.mean,
                spread.score_range,
                spread.flagged,
                spread.lowest_evaluator,
                spread.highest_evaluator,
                scores,
            )
        )
    return rows


# ---------------------------------------------------------------- spend


def awarded_spend(
    organisation: Organisation, *, excluding: SourcingEvent | None = None
) -> tuple[dict[int, Decimal], Decimal]:
    """Annual prices of the organisation's awards: per vendor id, and in total."""
    awards = Award.objects.for_org(organisation)
    if excluding is not None:
        awards = awards.exclude(event=excluding)
    rows = awards.values("vendor_id").annotate(spend=Sum("proposal__annual_price"))
    per_vendor = {row["vendor_id"]: row["spend"] or Decimal("0") for row in rows}
    return per_vendor, sum(per_vendor.values(), Decimal("0"))


def planned_outsourced_spend(assessment: Assessment) -> Decimal:
    """Today's in-house cost of every process the assessment recommends outsourcing (the
    manager's decision where there is one), from the assessment's cached rows."""
    rows = assessment_rows(assessment)
    return sum(
        (
            cost
            for model, cost in zip(rows["chosen_model"], rows["annual_cost"], strict=True)
            if is_outsourced(model)
        ),
        Decimal("0"),
    )


def events_for(organisation: Organisation) -> QuerySet[SourcingEvent]:
    return (
        SourcingEvent.objects.for_org(organisation)
        .with_counts()
        .select_related("assessment", "award__vendor")
    )
