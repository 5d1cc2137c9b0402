"""Weights, thresholds and result types of the scoring engine (METHODOLOGY 3.1 to 3.6).

Scores are computed exactly in integers: every weight is a multiple of 0.05 and every
centred answer a multiple of 0.5, so `W[q][m] * x[q]` is a whole number of fortieths.
Both the scalar and the vectorised path work in fortieths and divide once at the end,
which is why they agree to the last bit and why `margin < 0.10` never suffers from
floating-point noise.
"""

from __future__ import annotations

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

FLAG_CODES: tuple[str, ...] = ("language", "hands_on", "data", "disconnection", "core")

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

N_QUESTIONS = len(QUESTION_KEYS)
Q = {key: i for i, key in enumerate(QUESTION_KEYS)}
KEY_QUESTION_INDEX: tuple[int, ...] = tuple(Q[key] for key in KEY_QUESTIONS)

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
    - "settle": question_key is an answer that would settle an insufficient-evidence result.
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
