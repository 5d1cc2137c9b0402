"""Writes to criteria sets: default criteria, direct weights, stakeholders' AHP judgements."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from accounts.audit.bulk import record_bulk
from accounts.audit.models import Action
from accounts.models import Organisation
from vendors.engine.criteria import (
    DEFAULT_CRITERIA_SET,
    default_criteria_rows,
    inconsistent_pair_labels,
)
from vendors.engine.ranking import ahp, combine_judgements
from vendors.engine.ranking import weights_from_percentages as fractions_from_percentages
from vendors.models import CriteriaSet, Criterion, PairwiseJudgement, WeightMethod
from vendors.selectors.criteria import criteria_set_first
from vendors.services.errors import SelectionError

PERCENT = Decimal("0.001")


def criteria_set_default(*, organisation: Organisation) -> CriteriaSet:
    """The organisation's first criteria set, created with METHODOLOGY's defaults if none.

    A write: called when something needs the set (an event created without choosing one,
    the demo data), never to show a page.
    """
    with transaction.atomic():
        existing = criteria_set_first(organisation)
        if existing is not None:
            return existing
        return criteria_set_create(organisation=organisation, name=DEFAULT_CRITERIA_SET)


def criteria_set_create(*, organisation: Organisation, name: str) -> CriteriaSet:
    name = name.strip()
    if CriteriaSet.objects.for_org(organisation).filter(name__iexact=name).exists():
        raise SelectionError(f"There is already a criteria set called \u201c{name}\u201d.")
    with transaction.atomic():
        criteria_set = CriteriaSet.objects.create(organisation=organisation, name=name)
        criteria = Criterion.objects.bulk_create(
            [
                Criterion(
                    criteria_set=criteria_set,
                    code=row.code,
                    label=row.label,
                    position=row.position,
                    percent=row.percent,
                )
                for row in default_criteria_rows()
            ]
        )
        record_bulk(criteria, action=Action.CREATE)
    return criteria_set


def criteria_set_set_weights(
    *, criteria_set: CriteriaSet, percents: Mapping[str, Decimal]
) -> CriteriaSet:
    """Weights typed as percentages; they must add up to 100 (ValueError says how far off)."""
    criteria = list(criteria_set.criteria.all())
    missing = [c.label for c in criteria if c.code not in percents]
    if missing:
        raise SelectionError(f"Give a weight for {', '.join(missing)}.")
    fractions_from_percentages(
        [float(percents[c.code]) for c in criteria], labels=[c.label for c in criteria]
    )
    with transaction.atomic():
        for criterion in criteria:
            criterion.percent = Decimal(percents[criterion.code]).quantize(PERCENT)
            criterion.save(update_fields=["percent"])
        criteria_set.method = WeightMethod.DIRECT
        criteria_set.consistency_ratio = None
        criteria_set.inconsistent_pair = []
        criteria_set.save()
    return criteria_set


def judgement_save(
    *, criteria_set: CriteriaSet, stakeholder: User, matrix: Sequence[Sequence[float]]
) -> PairwiseJudgement:
    """Store one stakeholder's pairwise matrix and re-derive the set's weights from all.

    Raises ``InvalidMatrix`` (a ValueError) for zeros, negatives, broken reciprocals.
    """
    criteria = list(criteria_set.criteria.all())
    labels = [c.label for c in criteria]
    result = ahp(matrix, labels=labels)
    with transaction.atomic():
        judgement, _ = PairwiseJudgement.objects.update_or_create(
            criteria_set=criteria_set,
            stakeholder=stakeholder,
            defaults={
                "criterion_codes": [c.code for c in criteria],
                "matrix": [[float(v) for v in row] for row in matrix],
                "consistency_ratio": float(result.cr),
            },
        )
        criteria_set_apply_judgements(criteria_set=criteria_set)
    return judgement


def judgement_delete(*, criteria_set: CriteriaSet, stakeholder: User) -> None:
    with transaction.atomic():
        criteria_set.judgements.filter(stakeholder=stakeholder).delete()
        if criteria_set.judgements.exists():
            criteria_set_apply_judgements(criteria_set=criteria_set)


def criteria_set_apply_judgements(*, criteria_set: CriteriaSet) -> CriteriaSet:
    """Weights from every stakeholder's matrix, combined by element-wise geometric mean."""
    criteria = list(criteria_set.criteria.all())
    codes = [c.code for c in criteria]
    matrices = [j.matrix for j in criteria_set.judgements.all() if j.criterion_codes == codes]
    if not matrices:
        raise SelectionError("No stakeholder has compared these criteria yet.")
    labels = [c.label for c in criteria]
    result = ahp(combine_judgements(matrices, labels=labels), labels=labels)
    percents = _percents(result.weights)
    with transaction.atomic():
        for criterion, percent in zip(criteria, percents, strict=True):
            criterion.percent = percent
            criterion.save(update_fields=["percent"])
        criteria_set.method = WeightMethod.AHP
        criteria_set.consistency_ratio = float(result.cr)
        criteria_set.inconsistent_pair = inconsistent_pair_labels(result, labels)
        criteria_set.save()
    return criteria_set


def _percents(weights: Iterable[float]) -> list[Decimal]:
    """Percentages with three decimals that add up to exactly 100."""
    values = [Decimal(float(w) * 100).quantize(PERCENT) for w in weights]
    values[values.index(max(values))] += Decimal(100) - sum(values)
    return values
