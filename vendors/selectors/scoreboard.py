"""An event's scoreboard: scores, both rankings, sensitivity and risk flags.

A selector: it reads the event's proposals and scores, hands plain arrays to
``vendors.engine.ranking`` and dataclasses to ``vendors.engine.shortlist``, and returns a
``Scoreboard``. It never writes; the award service stores ``Scoreboard.snapshot()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from vendors.engine.portal import declared_flags
from vendors.engine.ranking import RULES_VERSION as RANKING_VERSION
from vendors.engine.ranking import (
    cost_scores,
    evaluator_spread,
    ranks,
    topsis,
    weight_sensitivity,
    weighted_sum,
)
from vendors.engine.shortlist import RiskFlag, vendor_risk_flags
from vendors.models import CriteriaSet, Criterion, Proposal, SourcingEvent
from vendors.portal.selectors import declared_capabilities, profile_with_declared
from vendors.selectors.events import awarded_spend, event_scope, planned_outsourced_spend
from vendors.selectors.registry import vendor_profile

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class Row:
    proposal: Proposal
    annual_equivalent: Decimal
    scores: list[float]  # per criterion, 0..10; cost computed from price
    weighted_sum: float
    topsis: float
    weighted_rank: int
    topsis_rank: int
    award_share: float
    flags: list[RiskFlag]
    disagreements: list[str]  # criteria on which evaluators differ by 4 points or more

    @property
    def vendor_name(self) -> str:
        return self.proposal.vendor.name


@dataclass(frozen=True)
class Sensitivity:
    criterion: Criterion
    percent: float
    delta_points: float | None
    new_winner: str | None

    @property
    def stable(self) -> bool:
        return self.delta_points is None


@dataclass(frozen=True)
class Waiting:
    proposal: Proposal
    missing: list[str]


@dataclass
class Scoreboard:
    event: SourcingEvent
    criteria: list[Criterion]
    weights: list[float]  # fractions summing to 1, in criterion order
    rows: list[Row] = field(default_factory=list)  # weighted-sum rank order
    waiting: list[Waiting] = field(default_factory=list)
    sensitivity: list[Sensitivity] = field(default_factory=list)

    @property
    def criteria_set(self) -> CriteriaSet:
        return self.event.criteria_set

    @property
    def methods_agree(self) -> bool:
        return all(row.weighted_rank == row.topsis_rank for row in self.rows)

    def row_for(self, proposal: Proposal) -> Row | None:
        return next((row for row in self.rows if row.proposal.pk == proposal.pk), None)

    def snapshot(self) -> dict[str, Any]:
        """Plain JSON of everything the decision rested on, to keep with the award."""
        return {
            "version": SNAPSHOT_VERSION,
            "ranking_rules": RANKING_VERSION,
            "criteria_set": self.criteria_set.name,
            "weight_method": self.criteria_set.method,
            "consistency_ratio": self.criteria_set.consistency_ratio,
            "criteria": [
                {"code": c.code, "label": c.label, "weight": round(w, 6)}
                for c, w in zip(self.criteria, self.weights, strict=True)
            ],
            "proposals": [
                {
                    "proposal": row.proposal.pk,
                    "vendor": row.proposal.vendor_id,
                    "vendor_name": row.vendor_name,
                    "annual_price": str(row.proposal.annual_price),
                    "transition_cost": str(row.proposal.transition_cost),
                    "term_months": row.proposal.term_months,
                    "scores": {
                        c.code: round(s, 4) for c, s in zip(self.criteria, row.scores, strict=True)
                    },
                    "evaluations": [
                        {
                            "evaluator": e.evaluator,
                            "criterion": e.criterion.code,
                            "score": e.score,
                            "comment": e.comment,
                        }
                        for e in row.proposal.evaluations.all()
                    ],
                    "weighted_sum": round(row.weighted_sum, 6),
                    "topsis": round(row.topsis, 6),
                    "weighted_rank": row.weighted_rank,
                    "topsis_rank": row.topsis_rank,
                    "risk_flags": [{"code": f.code, "message": f.message} for f in row.flags],
                }
                for row in self.rows
            ],
            "sensitivity": [
                {
                    "criterion": s.criterion.code,
                    "delta_points": s.delta_points,
                    "new_winner": s.new_winner,
                }
                for s in self.sensitivity
            ],
        }


def event_scoreboard(event: SourcingEvent) -> Scoreboard:
    """Rank the event's fully scored proposals by weighted sum and by TOPSIS.

    A proposal is ranked once every weighted criterion other than cost has at least one
    evaluator's score; the others wait, with the criteria still missing. Cost is scored
    from each ranked proposal's annual equivalent price (``Proposal.annual_equivalent``).
    """
    criteria = list(event.criteria_set.criteria.all())
    percents = np.array([float(c.percent) for c in criteria])
    weights = percents / percents.sum() if percents.sum() > 0 else percents
    board = Scoreboard(event, criteria, [float(w) for w in weights])
    proposals = list(
        event.proposals.select_related("vendor")
        .prefetch_related(
            "evaluations",
            "vendor__service_lines",
            "vendor__languages",
            "vendor__certifications",
            "vendor__delivery_centres",
        )
        .order_by("vendor__name")
    )
    complete, table = [], []
    criterion_of = {c.pk: c for c in criteria}
    for proposal in proposals:
        by_criterion: dict[int, list[int]] = {}
        for evaluation in proposal.evaluations.all():
            # The event's criteria are read above: no second read of the same rows.
            evaluation.criterion = criterion_of[evaluation.criterion_id]
            by_criterion.setdefault(evaluation.criterion_id, []).append(evaluation.score)
        missing = [
            c.label
            for c, w in zip(criteria, weights, strict=True)
            if not c.is_cost and w > 0 and c.pk not in by_criterion
        ]
        if missing:
            board.waiting.append(Waiting(proposal, missing))
            continue
        complete.append(proposal)
        table.append(
            [float(np.mean(by_criterion[c.pk])) if c.pk in by_criterion else 0.0 for c in criteria]
        )
    if not complete:
        return board
    x = np.array(table)
    cost_columns = [j for j, c in enumerate(criteria) if c.is_cost]
    prices = [p.annual_equivalent for p in complete]
    if cost_columns:
        x[:, cost_columns[0]] = cost_scores([float(p) for p in prices])
    ws, closeness = weighted_sum(x, weights), topsis(x, weights)
    ws_ranks, topsis_ranks = ranks(ws), ranks(closeness)

    scope = event_scope(event)
    # A vendor's opened portal response adds what it declared (vendors/portal/).
    declared = declared_capabilities(event)
    per_vendor, total = awarded_spend(event.organisation, excluding=event)
    planned = planned_outsourced_spend(event.assessment)
    rows = []
    for i, proposal in enumerate(complete):
        price = proposal.annual_price
        denominator = max(total + price, planned)
        share = float((per_vendor.get(proposal.vendor_id, Decimal("0")) + price) / denominator)
        rows.append(
            Row(
                proposal=proposal,
                annual_equivalent=prices[i],
                scores=[float(v) for v in x[i]],
                weighted_sum=float(ws[i]),
                topsis=float(closeness[i]),
                weighted_rank=int(ws_ranks[i]),
                topsis_rank=int(topsis_ranks[i]),
                award_share=min(share, 1.0),
                flags=declared_flags(
                    declared.get(proposal.vendor_id),
                    scope,
                    vendor_risk_flags(
                        profile_with_declared(vendor_profile(proposal.vendor), declared),
                        scope,
                        award_share=min(share, 1.0),
                    ),
                ),
                disagreements=_disagreements(proposal, criteria),
            )
        )
    order = sorted(
        range(len(rows)),
        key=lambda i: (rows[i].weighted_rank, rows[i].topsis_rank, rows[i].vendor_name),
    )
    board.rows = [rows[i] for i in order]
    board.sensitivity = (
        [
            Sensitivity(
                criterion,
                float(weights[s.criterion]) * 100,
                s.delta_points,
                complete[s.new_winner].vendor.name if s.new_winner is not None else None,
            )
            for criterion, s in zip(criteria, weight_sensitivity(x, weights), strict=True)
        ]
        if weights.sum() > 0
        else []
    )
    return board


def _disagreements(proposal: Proposal, criteria: list[Criterion]) -> list[str]:
    scored = [c for c in criteria if not c.is_cost]
    table: dict[str, list[int | None]] = {}
    for evaluation in proposal.evaluations.all():
        row = table.setdefault(evaluation.evaluator, [None] * len(scored))
        for j, criterion in enumerate(scored):
            if criterion.pk == evaluation.criterion_id:
                row[j] = evaluation.score
    if not table:
        return []
    return [scored[s.criterion].label for s in evaluator_spread(table) if s.flagged]
