"""Criteria sets without Django: the default set's rows, and an AHP result in labels.

The default criteria and their weights are METHODOLOGY's (``ranking.DEFAULT_CRITERIA``);
the service that creates a criteria set and the data migration that gave existing
organisations theirs both build the rows here, so the values live in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from vendors.engine.ranking import CONSISTENCY_LIMIT, DEFAULT_CRITERIA, AhpResult

DEFAULT_CRITERIA_SET = "Default criteria"


@dataclass(frozen=True)
class CriterionRow:
    """One criterion of a new set, as stored: its code, label, place and weight (%)."""

    code: str
    label: str
    position: int
    percent: Decimal


def default_criteria_rows() -> list[CriterionRow]:
    """The rows of a new criteria set: METHODOLOGY's defaults, numbered from 1."""
    return [
        CriterionRow(code=c.code, label=c.label, position=i, percent=Decimal(c.percent))
        for i, c in enumerate(DEFAULT_CRITERIA, start=1)
    ]


def inconsistent_pair_labels(result: AhpResult, labels: Sequence[str]) -> list[str]:
    """The labels of the pair to revisit first; empty when the judgements are consistent."""
    pair = result.most_inconsistent_pair
    if pair is None or result.consistent:
        return []
    return [labels[pair[0]], labels[pair[1]]]


def consistency_message(
    cr: float, pair: Sequence[str], *, consistent: bool, limit: float = CONSISTENCY_LIMIT
) -> str:
    """What the page says about a set of pairwise judgements: one text for the live panel,
    the message after saving and the warnings on the ranking and award pages.

    ``pair`` holds the labels of the pair to revisit first (``inconsistent_pair_labels``).
    """
    if consistent:
        return f"Consistency ratio {cr:.2f} (limit {limit:.2f}): consistent."
    revisit = " vs ".join(f"\u201c{label}\u201d" for label in pair) if pair else "some pairs"
    return (
        f"The consistency ratio is {cr:.2f}, above {limit:.2f}: the judgements contradict "
        f"each other. Revisit the comparison of {revisit} first. These weights cannot be "
        "used for an award until fixed."
    )


def stakeholders_judgements(count: int) -> str:
    """ "1 stakeholder's judgements", "3 stakeholders' judgements"."""
    return (
        f"{count} stakeholder's judgements" if count == 1 else f"{count} stakeholders' judgements"
    )
