"""Lookup tables and ranking kernels behind the vectorised scoring path.

Ranking keys pack a value and an index into one small integer: value * 16 + (15 - q)
for questions, value * 4 + (3 - m) for models. A key is unique within a process, orders
by value with ties to the lower index (table order, as in the scalar path), and its low
bits give the winner back, so a max over the short axis replaces a much slower argmax.
Arrays are question-major, (11, n), so that each max runs across processes.

The tables that depend on the weights are built per weight table (`weight_tables`,
cached by the hashable `ScoringWeights`); the published table's are built once at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from assessments.engine.rules import (
    DEFAULT_WEIGHTS,
    KEY_QUESTION_INDEX,
    MAX_SETTLE,
    MAX_WEIGHT_TWENTIETHS,
    N_QUESTIONS,
    SETTLE_BY_WEIGHT,
    ScoringWeights,
)

ALL_QUESTIONS = (1 << N_QUESTIONS) - 1  # bitmask with every question set
BIT_VALUES = (1 << np.arange(N_QUESTIONS)).astype(np.int16)
POPCOUNT = np.array([bin(b).count("1") for b in range(ALL_QUESTIONS + 1)], dtype=np.int8)
# Unanswered-question bitmask -> 5-bit mask of the unanswered key questions.
KEY_PATTERN = np.array(
    [
        sum((bits >> q & 1) << j for j, q in enumerate(KEY_QUESTION_INDEX))
        for bits in range(ALL_QUESTIONS + 1)
    ],
    dtype=np.int8,
)
MODEL_TIEBREAK = (3 - np.arange(4, dtype=np.int16))[:, None]
PICKED = np.int16(30000)  # subtracted from a key once it has been picked


def _contribution_keys(w20: np.ndarray) -> np.ndarray:
    """(11, 24): [q, model * 6 + answer] -> contribution in fortieths * 16 + (15 - q).

    Answer 0 ("don't know") contributes nothing.
    """
    answer = np.arange(6)
    centred = np.where(answer > 0, answer - 3, 0)
    value = w20[:, :, None] * centred[None, None, :]  # (q, model, answer)
    keys = value * 16 + (15 - np.arange(N_QUESTIONS))[:, None, None]
    return keys.reshape(N_QUESTIONS, 24).astype(np.int16)


def contribution_keys(
    model: np.ndarray, at: np.ndarray, table: np.ndarray | None = None
) -> np.ndarray:
    """Ranking keys (11, n) of each question's contribution to each process's `model`.

    `at` is the question-major answer array (11, n), 0 for don't know; `table` is a
    weight table's contribution keys (the published table's by default).
    """
    if table is None:
        table = CONTRIBUTION_KEYS
    base = model.astype(np.int16) * 6
    index = np.empty(at.shape[1], dtype=np.int16)
    keys = np.empty(at.shape, dtype=np.int16)
    for q in range(N_QUESTIONS):  # a loop over questions, not processes
        np.add(base, at[q], out=index)
        keys[q] = table[q][index]
    return keys


def top_questions(keys: np.ndarray, count: int, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The `count` largest positive keys per process, best first.

    Returns question indices (count, n) int8, -1 where there are fewer or `valid` is
    False, and their values (count, n) int16, 0 there. `keys` is consumed.
    """
    questions = np.empty((count, keys.shape[1]), dtype=np.int8)
    values = np.empty((count, keys.shape[1]), dtype=np.int16)
    for k in range(count):  # a loop over the reason slots, not over processes
        top = keys.max(axis=0)
        ok = (top >= 16) & valid  # key >= 16 <=> value >= 1
        questions[k] = np.where(ok, 15 - (top & 15), -1)
        values[k] = (top >> 4) * ok
        if k + 1 < count:
            keys -= (keys == top) * PICKED
    return questions, values


def _settle_by_key() -> np.ndarray:
    """by_key[pattern] lists the unanswered key questions (bit j of pattern = key
    question j unanswered), -1 padded."""
    by_key = np.full((32, MAX_SETTLE), -1, dtype=np.int8)
    for pattern in range(32):
        missing = [q for j, q in enumerate(KEY_QUESTION_INDEX) if pattern >> j & 1]
        by_key[pattern, : len(missing)] = missing
    return by_key


def _settle_by_weight(w20: np.ndarray) -> np.ndarray:
    """by_weight[(best * 4 + second) * 2048 + pool] lists the two questions in the bitmask
    `pool` whose weights differ most between the two leading models (a zero difference
    still counts), padded to MAX_SETTLE columns."""
    pools = np.arange(ALL_QUESTIONS + 1)
    eligible = (pools[None, :] >> np.arange(N_QUESTIONS)[:, None]) & 1 == 1  # (q, pool)
    everywhere = np.ones(pools.size, dtype=bool)
    by_weight = np.full((4, 4, pools.size, MAX_SETTLE), -1, dtype=np.int8)
    tiebreak = (15 - np.arange(N_QUESTIONS))[:, None]
    for b in range(4):
        for s in range(4):
            spread = np.abs(w20[:, b] - w20[:, s])[:, None] + 1
            keys = np.where(eligible, spread * 16 + tiebreak, -1).astype(np.int16)
            picked, _ = top_questions(keys, SETTLE_BY_WEIGHT, everywhere)
            by_weight[b, s, :, :SETTLE_BY_WEIGHT] = picked.T
    return by_weight.reshape(-1, MAX_SETTLE)


SETTLE_BY_KEY = _settle_by_key()


@dataclass(frozen=True, eq=False)
class WeightTables:
    """What the vectorised path needs of one weight table.

    `weights` is the (question, model) table in twentieths, int8 when no score can pass
    127 fortieths (the published table: at most 64) and int16 otherwise; `units_dtype`
    holds scores and model ranking keys (int16, or int32 when a key less PICKED could
    leave int16).
    """

    weights: np.ndarray
    units_dtype: type[np.signedinteger]
    contribution_keys: np.ndarray
    settle_by_weight: np.ndarray


@lru_cache(maxsize=16)
def weight_tables(weights: ScoringWeights) -> WeightTables:
    """The tables for `weights`, built once per table. ValueError for a weight beyond
    +/-MAX_WEIGHT_TWENTIETHS twentieths (the tables' integer types assume it)."""
    w20 = np.array(weights.twentieths, dtype=np.int64)
    if w20.shape != (N_QUESTIONS, 4):
        raise ValueError(f"A weight table has {N_QUESTIONS} rows of 4 weights.")
    if np.abs(w20).max() > MAX_WEIGHT_TWENTIETHS:
        raise ValueError(f"Weights must lie within +/-{MAX_WEIGHT_TWENTIETHS / 20:g}.")
    small = weights.largest_score_units <= np.iinfo(np.int8).max
    table = w20.astype(np.int8 if small else np.int16)
    table.flags.writeable = False
    return WeightTables(
        weights=table,
        units_dtype=np.int16 if small else np.int32,
        contribution_keys=_contribution_keys(w20),
        settle_by_weight=_settle_by_weight(w20),
    )


DEFAULT_TABLES = weight_tables(DEFAULT_WEIGHTS)
CONTRIBUTION_KEYS = DEFAULT_TABLES.contribution_keys
SETTLE_BY_WEIGHT_TABLE = DEFAULT_TABLES.settle_by_weight


def settle_questions(
    best: np.ndarray,
    second: np.ndarray,
    unknown_bits: np.ndarray,
    few_answers: np.ndarray,
    table: np.ndarray | None = None,
) -> np.ndarray:
    """(m, MAX_SETTLE) settle questions for insufficient-evidence processes, -1 padded.

    The unanswered key questions if any; otherwise the two questions whose weights
    differ most between the leading models, among the unanswered ones when too few
    answers were given (see scoring._settle_questions). `table` is a weight table's
    `settle_by_weight` (the published table's by default).
    """
    if table is None:
        table = SETTLE_BY_WEIGHT_TABLE
    key_pattern = KEY_PATTERN[unknown_bits]
    pool = np.where(few_answers, unknown_bits, ALL_QUESTIONS)
    index = (best.astype(np.intp) * 4 + second) * (ALL_QUESTIONS + 1) + pool
    by_weight = table[index]
    return np.where((key_pattern != 0)[:, None], SETTLE_BY_KEY[key_pattern], by_weight)
