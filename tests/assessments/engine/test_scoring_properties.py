"""Properties of the scoring engine, and the vectorised path agreeing with the scalar one."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine.questions import QUESTION_KEYS
from assessments.engine.rules import FLAG_CODES
from assessments.engine.scoring import MODELS, score_portfolio, score_process

answer = st.sampled_from([None, 1, 2, 3, 4, 5])
answer_lists = st.lists(answer, min_size=11, max_size=11)
SI = QUESTION_KEYS.index("strategic_importance")
KI = QUESTION_KEYS.index("knowledge_intensity")


def as_answers(values: list[int | None]) -> dict[str, int | None]:
    return dict(zip(QUESTION_KEYS, values, strict=True))


def with_answer(values: list[int | None], index: int, value: int) -> dict[str, int | None]:
    changed = list(values)
    changed[index] = value
    return as_answers(changed)


@settings(deadline=None)  # timing varies on a shared machine
@given(answer_lists, st.integers(1, 5), st.integers(1, 5))
def test_raising_strategic_importance_never_moves_a_process_away_from_retain(
    values: list[int | None], low: int, high: int
) -> None:
    low, high = min(low, high), max(low, high)
    before = score_process(with_answer(values, SI, low))
    after = score_process(with_answer(values, SI, high))
    if before.model == "retain":
        assert after.model == "retain"


@settings(deadline=None)  # timing varies on a shared machine
@given(answer_lists, st.integers(1, 5), st.integers(1, 5))
def test_raising_knowledge_intensity_never_lowers_the_kpo_score(
    values: list[int | None], low: int, high: int
) -> None:
    low, high = min(low, high), max(low, high)
    before = score_process(with_answer(values, KI, low))
    after = score_process(with_answer(values, KI, high))
    assert after.scores["KPO"] >= before.scores["KPO"]


@settings(deadline=None)  # timing varies on a shared machine
@given(answer_lists)
def test_confidence_is_between_zero_and_one_or_absent_for_insufficient_evidence(
    values: list[int | None],
) -> None:
    rec = score_process(as_answers(values))
    if rec.model == "insufficient_evidence":
        assert rec.confidence is None and rec.location is None
        assert rec.settle_questions
    else:
        assert rec.confidence is not None and 0.0 <= rec.confidence <= 1.0
        assert rec.location is not None


@settings(deadline=None)  # timing varies on a shared machine
@given(answer_lists)
def test_the_same_answers_always_give_the_same_recommendation(
    values: list[int | None],
) -> None:
    assert score_process(as_answers(values)) == score_process(as_answers(values))


@settings(deadline=None)  # timing varies on a shared machine
@given(answer_lists)
def test_every_recommendation_explains_itself(values: list[int | None]) -> None:
    rec = score_process(as_answers(values))
    assert rec.reasons
    assert all(sentence.endswith(".") for sentence in rec.reasons)
    assert all(c.contribution > 0 for c in rec.reason_codes if c.contribution is not None)


@settings(deadline=None)  # timing varies on a shared machine
@given(answer_lists)
def test_every_recommended_model_is_backed_by_at_least_one_answer(
    values: list[int | None],
) -> None:
    rec = score_process(as_answers(values))
    if rec.model != "insufficient_evidence":
        assert any(c.kind == "contribution" and c.model == rec.model for c in rec.reason_codes)


def assert_same(portfolio, i: int, rec) -> None:
    """Row i of the vectorised result says exactly what the scalar recommendation says."""
    assert portfolio.recommendation(i) == rec
    assert portfolio.model_codes[i] == rec.model
    assert portfolio.location_codes[i] == rec.location
    if rec.confidence is None:
        assert math.isnan(portfolio.confidence[i])
    else:
        assert abs(portfolio.confidence[i] - rec.confidence) <= 1e-12
    assert abs(portfolio.margin[i] - rec.margin) <= 1e-12
    assert list(portfolio.scores[i]) == [rec.scores[m] for m in MODELS]
    assert bool(portfolio.guard_rail[i]) == rec.guard_rail
    flagged = [
        f
        for f, on in zip(
            FLAG_CODES,
            portfolio.flags[i],
            strict=True,
        )
        if on
    ]
    assert flagged == rec.flags
    contributions = [c for c in rec.reason_codes if c.kind == "contribution"]
    questions = [QUESTION_KEYS[q] for q in portfolio.reason_questions[i] if q >= 0]
    assert questions == [c.question_key for c in contributions]
    values = [
        v
        for q, v in zip(
            portfolio.reason_questions[i], portfolio.reason_contributions[i], strict=True
        )
        if q >= 0
    ]
    assert values == [c.contribution for c in contributions]
    runner = [c for c in rec.reason_codes if c.kind == "runner_up"]
    if runner:
        assert QUESTION_KEYS[portfolio.runner_up_question[i]] == runner[0].question_key
        assert portfolio.runner_up_contribution[i] == runner[0].contribution
    else:
        assert portfolio.runner_up_question[i] == -1
    settle = [QUESTION_KEYS[q] for q in portfolio.settle_questions[i] if q >= 0]
    assert tuple(settle) == rec.settle_questions


@settings(max_examples=200, deadline=None)
@given(st.lists(answer_lists, min_size=1, max_size=30))
def test_vectorised_and_scalar_paths_agree_on_random_answers(
    rows: list[list[int | None]],
) -> None:
    array = np.array([[v or 0 for v in row] for row in rows], dtype=np.int64)
    portfolio = score_portfolio(array)
    assert len(portfolio) == len(rows)
    for i, row in enumerate(rows):
        assert_same(portfolio, i, score_process(as_answers(row)))


@settings(max_examples=50, deadline=None)
@given(st.lists(answer_lists, min_size=1, max_size=10))
def test_a_dataframe_with_nan_for_dont_know_scores_like_the_array(
    rows: list[list[int | None]],
) -> None:
    frame = pd.DataFrame(
        [[np.nan if v is None else v for v in row] for row in rows], columns=list(QUESTION_KEYS)
    )
    frame["name"] = [f"process {i}" for i in range(len(rows))]  # other columns are ignored
    portfolio = score_portfolio(frame)
    for i, row in enumerate(rows):
        assert_same(portfolio, i, score_process(as_answers(row)))


def test_vectorised_and_scalar_paths_agree_on_thousands_of_processes() -> None:
    rng = np.random.default_rng(2026)
    # Mostly answered, as real inventories are, with some "don't know".
    array = rng.choice(6, size=(3000, 11), p=[0.08, 0.184, 0.184, 0.184, 0.184, 0.184])
    portfolio = score_portfolio(array)
    for i in range(len(array)):
        row = {k: (int(v) or None) for k, v in zip(QUESTION_KEYS, array[i], strict=True)}
        assert_same(portfolio, i, score_process(row))
    assert set(portfolio.model_codes) == {*MODELS, "insufficient_evidence"}


def test_an_empty_portfolio_scores_nothing() -> None:
    portfolio = score_portfolio(np.zeros((0, 11), dtype=np.int8))
    assert len(portfolio) == 0
    assert portfolio.scores.shape == (0, 4)


@pytest.mark.parametrize(
    "bad",
    [
        np.full((2, 11), 6),
        np.full((2, 11), -1),
        np.full((2, 10), 3),
        np.full((2, 11), 2.5),
        pd.DataFrame({"volume": [3]}),
        pd.DataFrame({k: [0] for k in QUESTION_KEYS}),
    ],
)
def test_the_vectorised_path_refuses_answers_it_cannot_read(bad: object) -> None:
    with pytest.raises(ValueError):
        score_portfolio(bad)  # type: ignore[arg-type]
