"""Why a recommendation's confidence is what it is, in a sentence (METHODOLOGY 3.2).

Pure: no Django. ``confidence = min(1, margin / 0.5) - 0.1 per "don't know"``, so a
confidence below 100 % has one or both of two causes: the recommended model leads the
runner-up by a small margin, or some answers were "don't know". Pages show the sentence
beside every confidence below ``LOW_CONFIDENCE`` (and on the process page, beside any).
"""

from __future__ import annotations

from collections.abc import Mapping

from assessments.engine.rules import (
    DONT_KNOW_PENALTY_TWENTIETHS,
    FULL_CONFIDENCE_UNITS,
    UNITS,
)
from assessments.engine.vocabulary import MODEL_SHORT, MODELS

LOW_CONFIDENCE = 0.5  # below this a confidence is always shown with its reason
FULL_MARGIN = FULL_CONFIDENCE_UNITS / UNITS  # 0.5: a lead that gives full confidence
DONT_KNOW_PENALTY = DONT_KNOW_PENALTY_TWENTIETHS / 20  # 0.1 per "don't know"


def leading_pair(scores: Mapping[str, float]) -> tuple[str, str] | None:
    """The best and the second-best model by score (ties: table order), or None."""
    ranked = sorted((m for m in MODELS if m in scores), key=lambda m: -float(scores[m]))
    return (ranked[0], ranked[1]) if len(ranked) >= 2 else None


def confidence_reason(
    confidence: float | None, scores: Mapping[str, float] | None, *, guard_rail: bool = False
) -> str:
    """Why the confidence is what it is: "ITO leads BPO by only 0.15 (…)". "" at 100 %.

    ``scores`` are the engine's scores per model; ``confidence`` 0 to 1, or None when
    the evidence was insufficient.
    """
    if confidence is None:
        return (
            "No recommendation yet: too few answers, or the two leading models are too "
            "close to call. Answering the questions named in the reasons settles it."
        )
    if guard_rail or confidence >= 1:
        return ""
    pair = leading_pair(scores or {})
    if pair is None:
        return ""
    best, second = pair
    margin = float(scores[best]) - float(scores[second])  # type: ignore[index]
    from_margin = min(1.0, max(0.0, margin) / FULL_MARGIN)
    dont_know = max(0, round((from_margin - confidence) / DONT_KNOW_PENALTY))
    parts = []
    if from_margin < 1:
        parts.append(
            f"{MODEL_SHORT[best]} leads {MODEL_SHORT[second]} by only {margin:.3f} "
            f"(a lead of {FULL_MARGIN:.2f} or more gives 100 %)"
        )
    if dont_know:
        answers = "answer" if dont_know == 1 else "answers"
        parts.append(
            f"{dont_know} \u201cdon't know\u201d {answers} take{'s' if dont_know == 1 else ''} "
            f"off {round(dont_know * DONT_KNOW_PENALTY * 100)} points"
        )
    return "; ".join(parts) + ("." if parts else "")


def is_low(confidence: float | None) -> bool:
    """Is the confidence low enough that a page must say why (None counts as low)?"""
    return confidence is None or confidence < LOW_CONFIDENCE
