"""Lookup tables and ranking kernels behind the vectorised scoring path.

Ranking keys pack a value and an index into one small integer: value * 16 + (15 - q)
for questions, value * 4 + (3 - m) for models. A key is unique within a process, orders
by value with ties to the lower index (table order, as in the scalar path), and its low
bits give the winner back, so a max over the short axis replaces a much slower argmax.
Arrays are question-major, (11, n), so that each max runs across processes.
"""

from __future__ import annotations

import numpy as np

from assessments.engine.rules import (
    KEY_QUESTION_INDEX,
    MAX_SETTLE,
    N_QUESTIONS,
    SETTLE_BY_WEIGHT,
    W20,
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


def _contribution_keys() -> np.ndarray:
    """(11, 24): [q, model * 6 + answer] -> contribution in fortieths * 16 + (15 - q).

    Answer 0 ("don't know") contributes nothing.
    """
    answer = np.arange(6)
    centred = np.where(answer > 0, answer - 3, 0)
    value = W20[:, :, None] * centred[None, None, :]  # (q, model, answer)
    keys = value * 16 + (15 - np.arange(N_QUESTIONS))[:, None, None]
    return keys.reshape(N_QUESTIONS, 24).astype(np.int16)


CONTRIBUTION_KEYS = _contribution_keys()


def contribution_keys(model: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Ranking keys (11, n) of each question's contribution to each process's `model`.

    `at` is the question-major answer array (11, n), 0 for don't know.
    """
    base = model.astype(np.int16) * 6
    index = np.empty(at.shape[1], dtype=np.int16)
    keys = np.empty(at.shape, dtype=np.int16)
    for q in range(N_QUESTIONS):  # a loop over questions, not processes
        np.add(base, at[q], out=index)
        keys[q] = CONTRIBUTION_KEYS[q][index]
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


def _settle_tables() -> tuple[np.ndarray, np.ndarray]:
    """Tables of the questions that would settle insufficient evidence.

    by_key[pattern] lists the unanswered key questions (bit j of pattern = key question j
    unanswered), -1 padded. by_weight[(best * 4 + second) * 2048 + pool] lists the two
    questions in the bitmask `pool` whose weights differ most between the two leading
    models (a zero difference still counts), padded to MAX_SETTLE columns.
    """
    by_key = np.full((32, MAX_SETTLE), -1, dtype=np.int8)
    for pattern in range(32):
        missing = [q for j, q in enumerate(KEY_QUESTION_INDEX) if pattern >> j & 1]
        by_key[pattern, : len(missing)] = missing
    pools = np.arange(ALL_QUESTIONS + 1)
    eligible = (pools[None, :] >> np.arange(N_QUESTIONS)[:, None]) & 1 == 1  # (q, pool)
    everywhere = np.ones(pools.size, dtype=bool)
    by_weight = np.full((4, 4, pools.size, MAX_SETTLE), -1, dtype=np.int8)
    tiebreak = (15 - np.arange(N_QUESTIONS))[:, None]
    for b in range(4):
        for s in range(4):
            spread = np.abs(W20[:, b] - W20[:, s])[:, None] + 1
            keys = np.where(eligible, spread * 16 + tiebreak, -1).astype(np.int16)
            picked, _ = top_questions(keys, SETTLE_BY_WEIGHT, everywhere)
            by_weight[b, s, :, :SETTLE_BY_WEIGHT] = picked.T
    return by_key, by_weight.reshape(-1, MAX_SETTLE)


SETTLE_BY_KEY, SETTLE_BY_WEIGHT_TABLE = _settle_tables()


def settle_questions(
    best: np.ndarray, second: np.ndarray, unknown_bits: np.ndarray, few_answers: np.ndarray
) -> np.ndarray:
    """(m, MAX_SETTLE) settle questions for insufficient-evidence processes, -1 padded.

    The unanswered key questions if any; otherwise the two questions whose weights
    differ most between the leading models, among the unanswered ones when too few
    answers were given (see scoring._settle_questions).
    """
    key_pattern = KEY_PATTERN[unknown_bits]
    pool = np.where(few_answers, unknown_bits, ALL_QUESTIONS)
    index = (best.astype(np.intp) * 4 + second) * (ALL_QUESTIONS + 1) + pool
    by_weight = SETTLE_BY_WEIGHT_TABLE[index]
    return np.where((key_pattern != 0)[:, None], SETTLE_BY_KEY[key_pattern], by_weight)
