"""Vectorised scoring of many processes at once (numpy; no Python loop over processes).

`score_portfolio` makes exactly the decisions `score_process` makes, in arrays of codes;
`PortfolioScores.recommendation(i)` turns row i into the same Recommendation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessments.engine.portfolio_tables import (
    BIT_VALUES,
    DEFAULT_TABLES,
    KEY_PATTERN,
    MODEL_TIEBREAK,
    PICKED,
    POPCOUNT,
    contribution_keys,
    settle_questions,
    top_questions,
    weight_tables,
)
from assessments.engine.questions import QUESTION_KEYS
from assessments.engine.reasons import Decision, build_recommendation
from assessments.engine.rules import (
    DEFAULT_WEIGHTS,
    DONT_KNOW_PENALTY_TWENTIETHS,
    FLAG_CODES,
    FULL_CONFIDENCE_UNITS,
    INSUFFICIENT,
    ITO,
    MAX_KEY_UNKNOWN,
    MAX_REASONS,
    MAX_SETTLE,
    MIN_ANSWERS,
    MIN_MARGIN_UNITS,
    MODEL_CODES,
    N_QUESTIONS,
    OFFSHORE,
    RETAIN,
    UNITS,
    Q,
    Recommendation,
    ScoringWeights,
)
from assessments.engine.vocabulary import LOCATIONS

_MODEL_CODES = np.array(MODEL_CODES, dtype=object)
_LOCATION_CODES = np.array([*LOCATIONS, None], dtype=object)  # index -1 is None


@dataclass(frozen=True, eq=False)
class PortfolioScores:
    """Scores and decisions for n processes, row i for process i.

    Index conventions: `model_index` indexes MODEL_CODES (4 = insufficient evidence);
    `best_index` and `runner_up_index` index MODELS; `location_index` indexes LOCATIONS
    (-1 for insufficient evidence); question arrays hold question indices (-1 = none).
    `confidence` is NaN for insufficient evidence. `flags` has one column per FLAG_CODES.
    `reason_questions` are the top three positive contributions to the recommended model
    (fewer padded with -1; none for insufficient evidence) and `runner_up_question` the
    runner-up's strongest positive contribution. `settle_questions` lists, for
    insufficient evidence, the answers that would settle it (-1 padded). `weights` is the
    table the scores came from.
    """

    answers: np.ndarray
    scores: np.ndarray
    score_units: np.ndarray
    model_index: np.ndarray
    best_index: np.ndarray
    runner_up_index: np.ndarray
    location_index: np.ndarray
    confidence: np.ndarray
    margin: np.ndarray
    guard_rail: np.ndarray
    low_margin: np.ndarray
    few_answers: np.ndarray
    key_unknown: np.ndarray
    flags: np.ndarray
    reason_questions: np.ndarray
    reason_contributions: np.ndarray
    runner_up_question: np.ndarray
    runner_up_contribution: np.ndarray
    settle_questions: np.ndarray
    weights: ScoringWeights = DEFAULT_WEIGHTS

    def __len__(self) -> int:
        return int(self.answers.shape[0])

    @property
    def model_codes(self) -> np.ndarray:
        """Model code per process ("retain", ..., "insufficient_evidence"), object array."""
        return _MODEL_CODES[self.model_index]

    @property
    def location_codes(self) -> np.ndarray:
        """Location code per process, None for insufficient evidence, object array."""
        return _LOCATION_CODES[self.location_index]

    def recommendation(self, i: int) -> Recommendation:
        """Row i as the Recommendation `score_process` gives for the same answers."""
        answers = tuple(int(v) if v else None for v in self.answers[i])
        conf = self.confidence[i]
        return build_recommendation(
            Decision(
                answers=answers,
                scores=tuple(int(v) for v in self.score_units[i]),
                model=int(self.model_index[i]),
                best=int(self.best_index[i]),
                runner_up=int(self.runner_up_index[i]),
                location=int(self.location_index[i]),
                confidence=None if np.isnan(conf) else round(float(conf) * 20),
                guard_rail=bool(self.guard_rail[i]),
                top_questions=tuple(int(q) for q in self.reason_questions[i] if q >= 0),
                runner_up_question=int(self.runner_up_question[i]),
                low_margin=bool(self.low_margin[i]),
                few_answers=bool(self.few_answers[i]),
                key_unknown=bool(self.key_unknown[i]),
                settle=tuple(int(q) for q in self.settle_questions[i] if q >= 0),
                flags=tuple(bool(f) for f in self.flags[i]),
                weights=self.weights.twentieths,
            )
        )


def answers_array(answers: np.ndarray | pd.DataFrame) -> np.ndarray:
    """Validate and convert to an int8 array (n, 11), 0 meaning "don't know".

    An array may use 0 or NaN for "don't know"; a DataFrame needs every question-key
    column and uses NaN (or None/pd.NA). Raises ValueError for anything else.
    """
    if isinstance(answers, pd.DataFrame):
        missing = [key for key in QUESTION_KEYS if key not in answers.columns]
        if missing:
            raise ValueError(f"Missing answer columns: {', '.join(missing)}.")
        raw = answers.loc[:, list(QUESTION_KEYS)].to_numpy(dtype=np.float64, na_value=np.nan)
        allowed_zero = False
    else:
        raw = np.asarray(answers)
        allowed_zero = True
    if raw.ndim != 2 or raw.shape[1] != N_QUESTIONS:
        raise ValueError(f"Answers must have shape (n, {N_QUESTIONS}), not {raw.shape}.")
    if raw.dtype == np.bool_ or not np.issubdtype(raw.dtype, np.number):
        raise ValueError(f"Answers must be numbers, not {raw.dtype}.")
    if np.issubdtype(raw.dtype, np.integer):
        values = raw
    else:
        nan = np.isnan(raw)
        if not np.array_equal(raw[~nan], np.floor(raw[~nan])):
            raise ValueError("Answers must be whole numbers 1 to 5.")
        values = np.where(nan, 0, raw)
        if not allowed_zero and (values[~nan] == 0).any():
            raise ValueError("Answers must be 1 to 5, or NaN for don't know.")
    if values.size and (values.min() < 0 or values.max() > 5):
        raise ValueError("Answers must be 1 to 5, or 0 for don't know.")
    return np.ascontiguousarray(values, dtype=np.int8)


def score_portfolio(
    answers: np.ndarray | pd.DataFrame, weights: ScoringWeights | None = None
) -> PortfolioScores:
    """Score n processes at once; see `answers_array` for the accepted inputs.

    Makes the decisions of `score_process`, as arrays of codes; no per-process Python.
    `weights` is the weight table (a scenario's); None or the published table takes the
    tables built at import.
    """
    if weights is None or weights is DEFAULT_WEIGHTS:
        weights, tables = DEFAULT_WEIGHTS, DEFAULT_TABLES
    else:
        tables = weight_tables(weights)
    a = answers_array(answers)
    n = a.shape[0]
    at = np.ascontiguousarray(a.T)  # question-major, so reductions run across processes
    unknown = at == 0
    d = (at - np.int8(3)) * ~unknown

    # Integer arithmetic throughout (einsum, not BLAS): exact, and no thread start-up.
    units = np.einsum("qm,qn->mn", tables.weights, d).astype(tables.units_dtype)  # (4, n)
    keys = units * 4 + MODEL_TIEBREAK
    top = keys.max(axis=0)
    best = (3 - (top & 3)).astype(np.int8)
    best_units = top >> 2
    keys -= (keys == top) * PICKED
    top = keys.max(axis=0)
    second = (3 - (top & 3)).astype(np.int8)
    lead = best_units - (top >> 2)

    unknown_bits = np.einsum("q,qn->n", BIT_VALUES, unknown.view(np.int8))
    dont_know = POPCOUNT[unknown_bits]
    si, cg = at[Q["strategic_importance"]], at[Q["capability_gap"]]
    guard_rail = (si == 5) & (cg >= 1) & (cg <= 2)
    low_margin = lead < MIN_MARGIN_UNITS
    few_answers = N_QUESTIONS - dont_know < MIN_ANSWERS
    key_unknown = POPCOUNT[KEY_PATTERN[unknown_bits]] > MAX_KEY_UNKNOWN
    insufficient = ~guard_rail & (low_margin | few_answers | key_unknown)
    explained = ~insufficient
    outsourced = explained & ~guard_rail & (best != RETAIN)

    # Codes by arithmetic on booleans (cheaper than nested np.where): retain is 0.
    model = best * outsourced + np.int8(INSUFFICIENT) * insufficient
    overridden = guard_rail & (best != RETAIN)
    runner_up = np.where(overridden, best, second)
    margin_units = np.where(overridden, units[RETAIN] - best_units, lead)

    conf_units = np.maximum(
        0, np.minimum(FULL_CONFIDENCE_UNITS, lead) - DONT_KNOW_PENALTY_TWENTIETHS * dont_know
    )
    confidence = np.where(guard_rail, 1.0, np.where(insufficient, np.nan, conf_units / 20))

    cc, os_, ds = at[Q["customer_contact"]], at[Q["onsite_need"]], at[Q["data_sensitivity"]]
    onshore = (cc >= 4) | (os_ >= 4) | (ds == 5)
    nearshore = ~onshore & ((cc == 3) | (os_ == 3) | (ds == 4))
    # offshore 3, nearshore 2, onshore 1; then in-house 0 and none -1.
    location = (np.int8(OFFSHORE) - nearshore - np.int8(2) * onshore) * outsourced - insufficient

    flags = np.empty((n, len(FLAG_CODES)), dtype=bool)
    flags[:, 0] = outsourced & (cc >= 4)
    flags[:, 1] = outsourced & (os_ >= 4)
    flags[:, 2] = outsourced & (ds >= 4)
    flags[:, 3] = (
        outsourced
        & (best == ITO)
        & (at[Q["technology_intensity"]] >= 4)
        & (at[Q["interdependence"]] >= 4)
    )
    flags[:, 4] = outsourced & (si >= 4)
    flags[:, 5] = (
        outsourced
        & (at[Q["knowledge_intensity"]] >= 4)
        & ((ds >= 4) | (at[Q["interdependence"]] >= 4))
    )

    chosen = best * ~guard_rail  # retain under the guard rail
    table = tables.contribution_keys
    reasons, reason_units = top_questions(
        contribution_keys(chosen, at, table), MAX_REASONS, explained
    )
    runner_q, runner_units = top_questions(contribution_keys(runner_up, at, table), 1, explained)

    settle = np.full((n, MAX_SETTLE), -1, dtype=np.int8)
    stuck = np.flatnonzero(insufficient)
    if stuck.size:
        settle[stuck] = settle_questions(
            best[stuck],
            second[stuck],
            unknown_bits[stuck],
            few_answers[stuck],
            tables.settle_by_weight,
        )

    return PortfolioScores(
        answers=a,
        scores=units.T / UNITS,
        score_units=units.T,
        model_index=model.astype(np.int8),
        best_index=best,
        runner_up_index=runner_up,
        location_index=location.astype(np.int8),
        confidence=confidence,
        margin=margin_units / UNITS,
        guard_rail=guard_rail,
        low_margin=low_margin,
        few_answers=few_answers,
        key_unknown=key_unknown,
        flags=flags,
        reason_questions=reasons.T,
        reason_contributions=reason_units.T / UNITS,
        runner_up_question=runner_q[0],
        runner_up_contribution=runner_units[0] / UNITS,
        settle_questions=settle,
        weights=weights,
    )
