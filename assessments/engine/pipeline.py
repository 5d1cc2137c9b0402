"""From answers to recommendations and a roadmap: the path the app and the CLI share.

Pure: no Django. Scores every process with the vectorised path, applies any manager
overrides, and sequences the outsourced ones into waves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assessments.engine.questions import QUESTION_KEYS
from assessments.engine.rules import Recommendation, ScoringWeights
from assessments.engine.scoring import score_portfolio
from assessments.engine.sequencer import (
    MAX_CONCURRENT_TRANSITIONS,
    Roadmap,
    RoadmapItem,
    ScheduledProcess,
    build_roadmap,
)
from assessments.engine.vocabulary import IN_HOUSE, INSUFFICIENT_EVIDENCE, ONSHORE, RETAIN


@dataclass(frozen=True)
class ProcessInput:
    """One process: `answers` maps question key to 1..5 or None (don't know)."""

    name: str
    annual_cost: float
    answers: Mapping[str, int | None]
    override_model: str | None = None
    override_location: str | None = None


@dataclass(frozen=True)
class AssessedProcess:
    name: str
    annual_cost: float
    recommendation: Recommendation
    model: str
    location: str | None
    schedule: ScheduledProcess | None

    @property
    def wave(self) -> int | None:
        return self.schedule.wave if self.schedule else None

    def to_dict(self) -> dict[str, Any]:
        """The METHODOLOGY's per-process JSON (the `assess` command's output)."""
        rec = self.recommendation
        return {
            "name": self.name,
            "model": self.model,
            "location": self.location,
            "confidence": rec.confidence,
            "scores": rec.scores,
            "wave": self.wave,
            "start_month": self.schedule.start_month if self.schedule else None,
            "flags": list(rec.flags),
            "reasons": list(rec.reasons),
        }


@dataclass(frozen=True)
class Assessed:
    processes: list[AssessedProcess]
    roadmap: Roadmap
    warnings: list[str] = field(default_factory=list)


def answers_matrix(processes: Sequence[ProcessInput]) -> np.ndarray:
    """(n, 11) int8 array, 0 for don't know, in QUESTION_KEYS order."""
    matrix = np.zeros((len(processes), len(QUESTION_KEYS)), dtype=np.int8)
    for i, process in enumerate(processes):
        for j, key in enumerate(QUESTION_KEYS):
            matrix[i, j] = process.answers.get(key) or 0
    return matrix


def assess(
    processes: Sequence[ProcessInput],
    *,
    horizon: int = 60,
    discount_rate: float = 0.08,
    max_concurrent: int = MAX_CONCURRENT_TRANSITIONS,
    gate_on_payback: bool = True,
    weights: ScoringWeights | None = None,
) -> Assessed:
    """Score, apply overrides, and sequence; results in the order given. The wave rules
    (``max_concurrent``, ``gate_on_payback``) are ``build_roadmap``'s; ``weights`` is the
    weight table to score with (the published one when None)."""
    scored = score_portfolio(answers_matrix(processes), weights) if processes else None
    recommendations = [scored.recommendation(i) for i in range(len(processes))] if scored else []
    items = []
    for process, rec in zip(processes, recommendations, strict=True):
        model = process.override_model or rec.model
        location = _location(model, process.override_location or rec.location)
        confidence = rec.confidence if rec.confidence is not None else 1.0
        if process.override_model and process.override_model != rec.model:
            confidence = 1.0  # a manager's decision is taken as certain for sequencing
        items.append(
            RoadmapItem(
                name=process.name,
                model=model,
                location=location,
                annual_cost=process.annual_cost,
                confidence=confidence,
            )
        )
    roadmap = build_roadmap(
        items,
        horizon=horizon,
        discount_rate=discount_rate,
        max_concurrent=max_concurrent,
        gate_on_payback=gate_on_payback,
    )
    by_name = {s.name: s for s in roadmap.scheduled}
    assessed = [
        AssessedProcess(
            name=p.name,
            annual_cost=p.annual_cost,
            recommendation=rec,
            model=item.model,
            location=item.location,
            schedule=by_name.get(p.name),
        )
        for p, rec, item in zip(processes, recommendations, items, strict=True)
    ]
    return Assessed(processes=assessed, roadmap=roadmap, warnings=list(roadmap.warnings))


def _location(model: str, location: str | None) -> str | None:
    if model == RETAIN:
        return IN_HOUSE
    if model == INSUFFICIENT_EVIDENCE:
        return None
    if location in (None, IN_HOUSE):
        return ONSHORE  # an override to outsource a retained process: the cautious default
    return location
