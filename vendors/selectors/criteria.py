"""Reads for criteria sets: an organisation's default set, and the AHP preview of a matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accounts.models import Organisation
from vendors.engine.criteria import inconsistent_pair_labels
from vendors.engine.ranking import AhpResult, InvalidMatrix, ahp
from vendors.models import CriteriaSet, Criterion


def criteria_set_first(organisation: Organisation) -> CriteriaSet | None:
    """The organisation's first criteria set (its default), or None before it has one."""
    return CriteriaSet.objects.for_org(organisation).order_by("created_at", "pk").first()


@dataclass(frozen=True)
class AhpPreview:
    criteria: list[Criterion]
    result: AhpResult
    inconsistent_pair: list[str]  # labels; empty when consistent


def ahp_preview(criteria: Sequence[Criterion], matrix: Any) -> AhpPreview:
    """Weights, CR and the pair to revisit of ``matrix`` over ``criteria``; stores nothing.

    Raises ``InvalidMatrix`` (in words) for a matrix of the wrong size or one AHP refuses.
    """
    criteria = list(criteria)
    labels = [c.label for c in criteria]
    if not isinstance(matrix, list) or len(matrix) != len(criteria):
        raise InvalidMatrix(
            f"The matrix must have {len(criteria)} rows and {len(criteria)} "
            "columns, one per criterion."
        )
    result = ahp(matrix, labels=labels)
    return AhpPreview(criteria, result, inconsistent_pair_labels(result, labels))
