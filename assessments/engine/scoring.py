"""Score one process (METHODOLOGY 3.1 to 3.4 and 3.6); `score_portfolio` scores many at once.

Tie-breaking everywhere follows table order: between equal scores the model listed
first in MODELS wins (retain, ITO, BPO, KPO); between equal contributions the question
listed first in QUESTION_KEYS wins.
"""

from __future__ import annotations

from collections.abc import Mapping

from assessments.engine.portfolio import PortfolioScores, score_portfolio
from assessments.engine.questions import QUESTION_KEYS
from assessments.engine.reasons import Decision, build_recommendation
from assessments.engine.rules import (
    BPO,
    DEFAULT_WEIGHTS,
    DONT_KNOW_PENALTY_TWENTIETHS,
    ENGINE_VERSION,
    FULL_CONFIDENCE_UNITS,
    IN_HOUSE,
    INSUFFICIENT,
    ITO,
    KEY_QUESTION_INDEX,
    KPO,
    MAX_KEY_UNKNOWN,
    MAX_REASONS,
    MIN_ANSWERS,
    MIN_MARGIN_UNITS,
    N_QUESTIONS,
    NEARSHORE,
    NO_LOCATION,
    OFFSHORE,
    ONSHORE,
    RETAIN,
    SETTLE_BY_WEIGHT,
    Q,
    ReasonCode,
    Recommendation,
    ScoringWeights,
    W,
)
from assessments.engine.vocabulary import MODELS

__all__ = [
    "DEFAULT_WEIGHTS",
    "ENGINE_VERSION",
    "MODELS",
    "W",
    "PortfolioScores",
    "ReasonCode",
    "Recommendation",
    "ScoringWeights",
    "score_portfolio",
    "score_process",
]

_SI, _CG = Q["strategic_importance"], Q["capability_gap"]
_CC, _OS, _DS = Q["customer_contact"], Q["onsite_need"], Q["data_sensitivity"]
_TI, _ID = Q["technology_intensity"], Q["interdependence"]
_KI = Q["knowledge_intensity"]


def validate_answers(answers: Mapping[str, int | None]) -> tuple[int | None, ...]:
    """Answers in QUESTION_KEYS order; a missing key counts as "don't know".

    Raises ValueError for an unknown key or an answer that is not an integer 1 to 5.
    """
    unknown = sorted(set(answers) - set(QUESTION_KEYS))
    if unknown:
        raise ValueError(f"Unknown question keys: {', '.join(unknown)}.")
    values: list[int | None] = []
    for key in QUESTION_KEYS:
        value = answers.get(key)
        if value is not None:
            if isinstance(value, bool) or int(value) != value or not 1 <= value <= 5:
                raise ValueError(
                    f"Answer to {key} must be an integer 1 to 5 or None, not {value!r}."
                )
            value = int(value)
        values.append(value)
    return tuple(values)


def _ranked(units: list[int], candidates: list[int]) -> list[int]:
    """Candidate indices by descending value, ties to the lower index."""
    return sorted(candidates, key=lambda i: (-units[i], i))


def score_process(
    answers: Mapping[str, int | None], weights: ScoringWeights = DEFAULT_WEIGHTS
) -> Recommendation:
    """Recommend a sourcing model and location for one process.

    `answers` maps question keys to 1..5, or None for "don't know". `weights` is the
    weight table (a scenario's; the published one by default).
    """
    a = validate_answers(answers)
    w20 = weights.twentieths
    d = [0 if v is None else v - 3 for v in a]
    scores = [sum(w20[q][m] * d[q] for q in range(N_QUESTIONS)) for m in range(4)]
    order = _ranked(scores, list(range(4)))
    best, second = order[0], order[1]

    dont_know = sum(v is None for v in a)
    low_margin = scores[best] - scores[second] < MIN_MARGIN_UNITS
    few_answers = N_QUESTIONS - dont_know < MIN_ANSWERS
    key_unknown = sum(a[q] is None for q in KEY_QUESTION_INDEX) > MAX_KEY_UNKNOWN
    governance = a[_CG]
    guard_rail = a[_SI] == 5 and governance is not None and governance <= 2

    if guard_rail:
        model = RETAIN
    elif low_margin or few_answers or key_unknown:
        model = INSUFFICIENT
    else:
        model = best
    runner_up = best if model not in (best, INSUFFICIENT) else second

    if guard_rail:
        confidence: int | None = 20
    elif model == INSUFFICIENT:
        confidence = None
    else:
        margin = scores[best] - scores[second]
        confidence = max(
            0, min(FULL_CONFIDENCE_UNITS, margin) - DONT_KNOW_PENALTY_TWENTIETHS * dont_know
        )

    top: list[int] = []
    runner_question = -1
    settle: list[int] = []
    if model == INSUFFICIENT:
        settle = _settle_questions(a, best, second, few_answers, w20)
    else:
        chosen = [w20[q][model] * d[q] for q in range(N_QUESTIONS)]
        top = [q for q in _ranked(chosen, list(range(N_QUESTIONS))) if chosen[q] > 0]
        top = top[:MAX_REASONS]
        runner = [w20[q][runner_up] * d[q] for q in range(N_QUESTIONS)]
        strongest = _ranked(runner, list(range(N_QUESTIONS)))[0]
        runner_question = strongest if runner[strongest] > 0 else -1

    outsourced = model in (ITO, BPO, KPO)

    def at_least(q: int, level: int) -> bool:
        value = a[q]
        return value is not None and value >= level

    flags = (
        outsourced and at_least(_CC, 4),
        outsourced and at_least(_OS, 4),
        outsourced and at_least(_DS, 4),
        model == ITO and at_least(_TI, 4) and at_least(_ID, 4),
        outsourced and at_least(_SI, 4),
        outsourced and at_least(_KI, 4) and (at_least(_DS, 4) or at_least(_ID, 4)),
    )
    return build_recommendation(
        Decision(
            answers=a,
            scores=tuple(scores),
            model=model,
            best=best,
            runner_up=runner_up,
            location=_location(a, model),
            confidence=confidence,
            guard_rail=guard_rail,
            top_questions=tuple(top),
            runner_up_question=runner_question,
            low_margin=low_margin,
            few_answers=few_answers,
            key_unknown=key_unknown,
            settle=tuple(settle),
            flags=flags,
            weights=w20,
        )
    )


def _location(a: tuple[int | None, ...], model: int) -> int:
    if model == INSUFFICIENT:
        return NO_LOCATION
    if model == RETAIN:
        return IN_HOUSE
    cc, os_, ds = (0 if v is None else v for v in (a[_CC], a[_OS], a[_DS]))
    if cc >= 4 or os_ >= 4 or ds == 5:
        return ONSHORE
    if cc == 3 or os_ == 3 or ds == 4:
        return NEARSHORE
    return OFFSHORE


def _settle_questions(
    a: tuple[int | None, ...],
    best: int,
    second: int,
    few_answers: bool,
    w20: tuple[tuple[int, ...], ...],
) -> list[int]:
    """Unanswered key questions; otherwise the two questions whose weights differ most
    between the two leading models (only unanswered ones when too few were answered)."""
    unanswered_keys = [q for q in KEY_QUESTION_INDEX if a[q] is None]
    if unanswered_keys:
        return unanswered_keys
    spread = [abs(w20[q][best] - w20[q][second]) for q in range(N_QUESTIONS)]
    pool = (
        [q for q in range(N_QUESTIONS) if a[q] is None] if few_answers else list(range(N_QUESTIONS))
    )
    return _ranked(spread, pool)[:SETTLE_BY_WEIGHT]
