"""Weights, thresholds and result types of the scoring engine (METHODOLOGY 3.1 to 3.6).

Scores are computed exactly in integers: every weight is a multiple of 0.05 and every
centred answer a multiple of 0.5, so `W[q][m] * x[q]` is a whole number of fortieths.
Both the scalar and the vectorised path work in fortieths and divide once at the end,
which is why they agree to the last bit and why `margin < 0.10` never suffers from
floating-point noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np

from assessments.engine.questions import KEY_QUESTIONS, QUESTION_KEYS
from assessments.engine.vocabulary import DECISIONS, is_outsourced

ENGINE_VERSION = "2026.1"

# The engine numbers the vocabulary's MODELS and LOCATIONS in their order; index 4 in a
# portfolio's model_index means insufficient evidence.
MODEL_CODES: tuple[str, ...] = DECISIONS
RETAIN, ITO, BPO, KPO, INSUFFICIENT = range(5)

IN_HOUSE, ONSHORE, NEARSHORE, OFFSHORE = range(4)
NO_LOCATION = -1

FLAG_CODES: tuple[str, ...] = (
    "language",
    "hands_on",
    "data",
    "disconnection",
    "core",
    "reversibility",
)

# METHODOLOGY 3.1, rows in QUESTION_KEYS order, columns in MODELS order.
W: np.ndarray = np.array(
    [
        [+0.40, -0.15, -0.25, -0.05],  # strategic_importance
        [-0.05, +0.10, +0.30, -0.15],  # standardisation
        [-0.05, +0.05, +0.20, -0.10],  # volume
        [+0.05, 0.00, -0.25, +0.40],  # knowledge_intensity
        [0.00, +0.50, -0.20, -0.10],  # technology_intensity
        [+0.20, -0.05, -0.10, -0.05],  # data_sensitivity
        [+0.05, 0.00, 0.00, 0.00],  # customer_contact
        [+0.10, -0.05, -0.05, 0.00],  # onsite_need
        [-0.30, +0.10, +0.05, +0.25],  # capability_gap
        [-0.10, +0.05, +0.10, +0.05],  # demand_variability
        [+0.20, -0.05, -0.10, -0.05],  # interdependence
    ]
)
W.flags.writeable = False

# Weights in twentieths; with d = answer - 3 (0 for don't know) a contribution in
# fortieths is W20[q][m] * d[q].
W20: np.ndarray = np.rint(W * 20).astype(np.int64)
W20.flags.writeable = False
W20_ROWS: tuple[tuple[int, ...], ...] = tuple(tuple(int(v) for v in row) for row in W20)
UNITS = 40  # one score point in fortieths
# The largest weight a table may hold, in twentieths (1.0, twice the published largest):
# one answer then moves a score by at most 2 points, and the vectorised path's integer
# types (int16 ranking keys) stay exact.
MAX_WEIGHT_TWENTIETHS = 20


@dataclass(frozen=True)
class ScoringWeights:
    """A weight table as a value: `twentieths[q][m]` is question q's weight for model m in
    twentieths (rows in QUESTION_KEYS order, columns in MODELS order).

    Hashable, so the vectorised path can build and cache its lookup tables per table.
    `DEFAULT_WEIGHTS` is the published table W; every scorer uses it unless given another.
    A scenario's table is checked by `assessments.engine.scenarios.parse_weights`.
    """

    twentieths: tuple[tuple[int, ...], ...]

    @property
    def is_default(self) -> bool:
        return self.twentieths == W20_ROWS

    @property
    def largest_score_units(self) -> int:
        """The largest score any model can reach, in fortieths (|weight| x 2 summed)."""
        return max(sum(abs(row[m]) for row in self.twentieths) * 2 for m in range(4))

    def weight(self, question: str, model: str) -> float:
        return self.twentieths[Q[question]][MODEL_CODES.index(model)] / 20

    def with_changes(self, changes: Mapping[str, Mapping[str, float]]) -> ScoringWeights:
        """This table with some cells replaced: question key -> model -> weight (a
        multiple of 0.05; `scenarios.parse_weights` checks that first)."""
        rows = [list(row) for row in self.twentieths]
        for question, by_model in changes.items():
            for model, weight in by_model.items():
                rows[Q[question]][MODEL_CODES.index(model)] = round(weight * 20)
        return ScoringWeights(tuple(tuple(row) for row in rows))

    def changes(self) -> dict[str, dict[str, float]]:
        """The cells that differ from the published table, as `with_changes` takes them."""
        out: dict[str, dict[str, float]] = {}
        for q, (row, default) in enumerate(zip(self.twentieths, W20_ROWS, strict=True)):
            for m, (value, base) in enumerate(zip(row, default, strict=True)):
                if value != base:
                    out.setdefault(QUESTION_KEYS[q], {})[MODEL_CODES[m]] = value / 20
        return out


# How far a score can go: a model's score is largest when every answer sits at the end of
# the scale that favours it, so its bound is the sum of its weights' sizes (retain 1.5,
# ITO 1.1, BPO 1.6, KPO 1.2). Scores are not squeezed into -1..+1; charts draw the axis
# from -SCORE_LIMIT to +SCORE_LIMIT so every possible score fits and pages compare.
SCORE_LIMITS: tuple[float, ...] = tuple(int(v) / 20 for v in np.abs(W20).sum(axis=0))
SCORE_LIMIT: float = max(SCORE_LIMITS)

N_QUESTIONS = len(QUESTION_KEYS)
Q = {key: i for i, key in enumerate(QUESTION_KEYS)}
KEY_QUESTION_INDEX: tuple[int, ...] = tuple(Q[key] for key in KEY_QUESTIONS)
DEFAULT_WEIGHTS = ScoringWeights(W20_ROWS)

MIN_MARGIN_UNITS = 4  # 0.10
MIN_ANSWERS = 8
MAX_KEY_UNKNOWN = 1  # two or more unknown key answers is insufficient evidence
FULL_CONFIDENCE_UNITS = 20  # a margin of 0.5 gives confidence 1
DONT_KNOW_PENALTY_TWENTIETHS = 2  # 0.1 per "don't know", confidence kept in twentieths
MAX_REASONS = 3
MAX_SETTLE = len(KEY_QUESTIONS)
SETTLE_BY_WEIGHT = 2


class ReasonCode(NamedTuple):
    """A machine-readable reason; every sentence in `Recommendation.reasons` has one or more.

    kind is one of:
    - "contribution": question_key's answer adds `contribution` to the chosen `model`;
    - "runner_up": the runner-up `model`'s strongest positive contribution;
    - "guard_rail": the core-process guard rail forced `model` = "retain";
    - "location": `detail` is the location, question_key the answer that decided it
      (None for the offshore default);
    - "insufficient_evidence": `detail` is the cause: "low_margin", "few_answers" or
      "key_unknown";
    - "settle": question_key is an answer that would settle an insufficient-evidence result;
    - "reversibility": the reversibility risk flag is raised; question_key is the answer
      besides knowledge intensity that raised it (data sensitivity first, then
      interdependence).
    """

    question_key: str | None
    model: str | None
    contribution: float | None
    kind: str = "contribution"
    detail: str | None = None


@dataclass(frozen=True)
class Recommendation:
    """The engine's verdict on one process.

    `model` is one of MODEL_CODES. `location` is one of LOCATIONS, None for insufficient
    evidence. `confidence` is in [0, 1], None for insufficient evidence. `best` is the
    highest-scoring model before the guard rail and evidence rules; `runner_up` the
    highest-scoring model other than the recommended one (other than `best` for
    insufficient evidence), and `margin` the score gap between the two (negative when the
    guard rail overrides a higher-scoring outsourcing model).
    """

    model: str
    location: str | None
    confidence: float | None
    scores: dict[str, float]
    margin: float
    best: str
    runner_up: str
    guard_rail: bool
    reasons: list[str]
    reason_codes: tuple[ReasonCode, ...]
    flags: list[str]
    settle_questions: tuple[str, ...]
    dont_know_count: int
    engine_version: str = ENGINE_VERSION

    @property
    def is_outsourced(self) -> bool:
        return is_outsourced(self.model)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy (reason codes become objects with named fields)."""
        data = asdict(self)
        data["reason_codes"] = [code._asdict() for code in self.reason_codes]
        data["settle_questions"] = list(self.settle_questions)
        return data
