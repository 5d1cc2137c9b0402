"""Vectorised scoring of many processes at once (numpy; no Python loop over processes).

`score_portfolio` makes exactly the decisions `score_process` makes, in arrays of codes;
`PortfolioScores.recommendation(i)` turns row i into the same Recommendation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .questions import QUESTION_KEYS
from .reasons import Decision, build_recommendation
from .rules import (
    DONT_KNOW_PENALTY_TWENTIETHS,
    FULL_CONFIDENCE_UNITS,
    IN_HOUSE,
    INSUFFICIENT,
    ITO,
    KEY_QUESTION_INDEX,
    LOCATIONS,
    MAX_KEY_UNKNOWN,
    MAX_REASONS,
    MAX_SETTLE,
    MIN_ANSWERS,
    MIN_MARGIN_UNITS,
    MODEL_CODES,
    N_QUESTIONS,
    NEARSHORE,
    NO_LOCATION,
    OFFSHORE,
    ONSHORE,
    RETAIN,
    SETTLE_BY_WEIGHT,
    UNITS,
    W20,
    Q,
    Recommendation,
)

_W20_I8 = W20.astype(np.int8)  # (question, model)
_ALL = (1 << N_QUESTIONS) - 1
_KEY_BITS = sum(1 << q for q in KEY_QUESTION_INDEX)
_BIT_VALUES = (1 << np.arange(N_QUESTIONS)).astype(np.int16)
_POPCOUNT = np.array([bin(b).count("1") for b in range(_ALL + 1)], dtype=np.int8)
_PICKED = np.int16(30000)


def _contribution_keys() -> np.ndarray:
    """(11, 4 * 6) ranking keys: [q, model * 6 + answer] -> contribution * 16 + (15 - q).

    The key orders by contribution with ties to the lower question, is unique within a
    process, and its low four bits give the question back, so a max over questions
    replaces a (much slower) argmax. Answer 0 ("don't know") contributes nothing.
    """
    answer = np.arange(6)
    centred = np.where(answer > 0, answer - 3, 0)
    value = W20[:, :, None] * centred[None, None, :]  # (q, model, answer)
    keys = value * 16 + (15 - np.arange(N_QUESTIONS))[:, None, None]
    return keys.reshape(N_QUESTIONS, 24).astype(np.int16)


def _top_of(keys: np.ndarray, count: int) -> np.ndarray:
    """Question indices (count, m) of the largest positive keys per column, -1 when fewer.

    `keys` is (11, m) and is consumed.
    """
    out = np.empty((count, keys.shape[1]), dtype=np.int8)
    for k in range(count):  # a loop over the reason slots, not over processes
        top = keys.max(axis=0)
        out[k] = np.where(top >= 16, 15 - (top & 15), -1)  # key >= 16 <=> value >= 1
        if k + 1 < count:
            keys -= (keys == top) * _PICKED
    return out


def _settle_tables() -> tuple[np.ndarray, np.ndarray]:
    """Lookup tables for the questions that would settle insufficient evidence.

    by_key[pattern] lists the unanswered key questions (pattern bit j = key question j
    unanswered). by_weight[best, second, pool] lists the two questions in the bitmask
    `pool` whose weights differ most between the two leading models.
    """
    by_key = np.full((32, MAX_SETTLE), -1, dtype=np.int8)
    for pattern in range(32):
        missing = [q for j, q in enumerate(KEY_QUESTION_INDEX) if pattern >> j & 1]
        by_key[pattern, : len(missing)] = missing
    pools = np.arange(_ALL + 1)
    eligible = (pools[None, :] >> np.arange(N_QUESTIONS)[:, None]) & 1  # (q, pool)
    by_weight = np.full((4, 4, _ALL + 1, SETTLE_BY_WEIGHT), -1, dtype=np.int8)
    for b in range(4):
        for s in range(4):
            spread = np.abs(W20[:, b] - W20[:, s])[:, None] + 1  # +1: zero spread counts
            keys = np.where(eligible == 1, spread * 16 + (15 - np.arange(11))[:, None], -1)
            by_weight[b, s] = _top_of(keys.astype(np.int16), SETTLE_BY_WEIGHT).T
    return by_key, by_weight


_CONTRIBUTION_KEYS = _contribution_keys()
_SETTLE_BY_KEY, _SETTLE_BY_WEIGHT = _settle_tables()
_KEY_PATTERN = np.array(
    [sum((bits >> q & 1) << j for j, q in enumerate(KEY_QUESTION_INDEX))
     for bits in range(_ALL + 1)], dtype=np.int8)
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
    insufficient evidence, the answers that would settle it (-1 padded).
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
        return build_recommendation(Decision(
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
        ))


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


def _keys_for(model: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Ranking keys (11, n) of every question's contribution to each process's `model`."""
    base = model.astype(np.intp) * 6
    keys = np.empty(at.shape, dtype=np.int16)
    for q in range(N_QUESTIONS):  # a loop over questions, not processes
        np.take(_CONTRIBUTION_KEYS[q], base + at[q], out=keys[q])
    return keys


def score_portfolio(answers: np.ndarray | pd.DataFrame) -> PortfolioScores:
    """Score n processes at once; see `answers_array` for the accepted inputs."""
    a = answers_array(answers)
    n = a.shape[0]
    at = np.ascontiguousarray(a.T)  # question-major, so reductions run across processes
    unknown = at == 0
    d = (at - np.int8(3)) * ~unknown

    # Integer arithmetic throughout (einsum, not BLAS): exact, and no thread start-up.
    units = np.einsum("qm,qn->mn", _W20_I8, d).astype(np.int16)  # (4, n) fortieths
    keys = units * 4 + (3 - np.arange(4, dtype=np.int16))[:, None]
    top = keys.max(axis=0)
    best = 3 - (top & 3)
    best_units = top >> 2
    keys -= (keys == top) * _PICKED
    top = keys.max(axis=0)
    second = 3 - (top & 3)
    lead = best_units - (top >> 2)

    unknown_bits = np.einsum("q,qn->n", _BIT_VALUES, unknown.view(np.int8))
    dont_know = _POPCOUNT[unknown_bits]
    key_pattern = _KEY_PATTERN[unknown_bits]
    si, cg = at[Q["strategic_importance"]], at[Q["capability_gap"]]
    guard_rail = (si == 5) & (cg >= 1) & (cg <= 2)
    low_margin = lead < MIN_MARGIN_UNITS
    few_answers = N_QUESTIONS - dont_know < MIN_ANSWERS
    key_unknown = _POPCOUNT[key_pattern] > MAX_KEY_UNKNOWN
    insufficient = ~guard_rail & (low_margin | few_answers | key_unknown)

    overridden = guard_rail & (best != RETAIN)
    model = np.where(guard_rail, RETAIN, np.where(insufficient, INSUFFICIENT, best))
    runner_up = np.where(overridden, best, second)
    margin_units = np.where(overridden, units[RETAIN] - best_units, lead)

    conf_units = np.maximum(
        0, np.minimum(FULL_CONFIDENCE_UNITS, lead) - DONT_KNOW_PENALTY_TWENTIETHS * dont_know)
    confidence = np.where(guard_rail, 1.0, np.where(insufficient, np.nan, conf_units / 20))

    cc, os_, ds = at[Q["customer_contact"]], at[Q["onsite_need"]], at[Q["data_sensitivity"]]
    onshore = (cc >= 4) | (os_ >= 4) | (ds == 5)
    nearshore = (cc == 3) | (os_ == 3) | (ds == 4)
    outsourced = ~guard_rail & ~insufficient & (best != RETAIN)
    location = np.select(
        [insufficient, ~outsourced, onshore, nearshore],
        [NO_LOCATION, IN_HOUSE, ONSHORE, NEARSHORE], OFFSHORE).astype(np.int8)

    flags = np.empty((5, n), dtype=bool)
    flags[0] = outsourced & (cc >= 4)
    flags[1] = outsourced & (os_ >= 4)
    flags[2] = outsourced & (ds >= 4)
    flags[3] = outsourced & (best == ITO) & (at[Q["technology_intensity"]] >= 4) \
        & (at[Q["interdependence"]] >= 4)
    flags[4] = outsourced & (si >= 4)

    explained = ~insufficient
    chosen = np.where(guard_rail, RETAIN, best)
    reasons = np.where(explained, _top_of(_keys_for(chosen, at), MAX_REASONS), -1)
    runner_q = np.where(explained, _top_of(_keys_for(runner_up, at), 1)[0], -1)

    pool = np.where(few_answers, unknown_bits, _ALL)
    settle = np.where(
        (key_pattern != 0)[:, None],
        _SETTLE_BY_KEY[key_pattern],
        np.pad(_SETTLE_BY_WEIGHT[best, second, pool], ((0, 0), (0, MAX_SETTLE - 2)),
               constant_values=-1))
    settle[explained] = -1

    reasons_t = np.ascontiguousarray(reasons.T)
    return PortfolioScores(
        answers=a,
        scores=units.T / UNITS,
        score_units=np.ascontiguousarray(units.T),
        model_index=model.astype(np.int8),
        best_index=best.astype(np.int8),
        runner_up_index=runner_up.astype(np.int8),
        location_index=location,
        confidence=confidence,
        margin=margin_units / UNITS,
        guard_rail=guard_rail,
        low_margin=low_margin,
        few_answers=few_answers,
        key_unknown=key_unknown,
        flags=np.ascontiguousarray(flags.T),
        reason_questions=reasons_t,
        reason_contributions=_contributions(a, chosen, reasons_t),
        runner_up_question=runner_q.astype(np.int8),
        runner_up_contribution=_contributions(a, runner_up, runner_q[:, None])[:, 0],
        settle_questions=settle,
    )


def _contributions(a: np.ndarray, model: np.ndarray, questions: np.ndarray) -> np.ndarray:
    """Contribution (score points) of each listed question to `model`; 0 where q = -1."""
    q = np.maximum(questions, 0).astype(np.intp)
    answer = np.take_along_axis(a, q, axis=1).astype(np.int16)
    weight = _W20_I8[q, model.astype(np.intp)[:, None]]
    value = np.where((questions >= 0) & (answer > 0), weight * (answer - 3), 0)
    return value / UNITS
