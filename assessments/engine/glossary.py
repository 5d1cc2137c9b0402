"""The glossary: the few terms of art the pages use, each in a sentence or two.

Pure: no Django. The glossary page lists every entry; ``{% term "npv" %}`` puts a small
info button beside a term on any page, which opens the same text (see
``assessments/templatetags/glossary.py``). One text per term, so the page and the
popovers never disagree.
"""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    key: str  # the anchor on the glossary page, e.g. "npv"
    term: str
    meaning: str


TERMS: tuple[Term, ...] = (
    Term(
        "npv",
        "NPV (net present value)",
        "All the projected savings less the costs of moving the work, month by month over "
        "the horizon, each discounted to today's money at the assessment's discount rate. "
        "Above zero, the programme pays for itself in today's money.",
    ),
    Term(
        "percentiles",
        "P10, P50 and P90",
        "The projection is run thousands of times with the uncertain figures drawn at random "
        "(Monte Carlo trials). P10 is the result that 1 trial in 10 falls below, P90 the one "
        "that 1 in 10 rises above, and P50, the median, sits in the middle. So 8 trials in "
        "10 fall between P10 and P90: a range, not a promise.",
    ),
    Term(
        "npv-at-the-modes",
        "NPV at the modes",
        "The NPV with every uncertain figure at its single most likely value. Savings ranges "
        "are skewed, so this is not the typical outcome; the median (P50) of the trials is "
        "the headline figure.",
    ),
    Term(
        "payback",
        "Payback",
        "The month in which the cumulative net saving turns positive for good: the costs of "
        "the move have been earned back. Computed with every figure at its most likely value.",
    ),
    Term(
        "confidence",
        "Confidence",
        "How clearly the answers point to the recommended model, from 0 % to 100 %. It grows "
        "with the lead of the best model over the second best (a lead of 0.5 or more gives "
        "100 %) and drops 10 points for each \u201cdon't know\u201d answer. A low confidence "
        "means two models are close: read the reasons and use the what-if panel.",
    ),
    Term(
        "suitability-score",
        "Suitability score",
        "How well a process fits each sourcing model: each answer, from \u22121 (answer 1) to "
        "+1 (answer 5), times that question's weight for the model, added up. The highest "
        "score is recommended. Scores can reach about \u00b11.6; they have no unit.",
    ),
    Term(
        "topsis",
        "TOPSIS",
        "A ranking method: each proposal is placed by how close it is to an imaginary ideal "
        "vendor (the best score on every criterion) and how far from the worst, weighted by "
        "the criteria weights. 1 is the ideal, 0 the worst. It is shown beside the plain "
        "weighted sum as a second opinion.",
    ),
    Term(
        "weighted-sum",
        "Weighted sum",
        "Each proposal's scores on the criteria, each times the criterion's weight, added "
        "up. The simplest and most common way to rank proposals.",
    ),
    Term(
        "ahp",
        "AHP (pairwise comparison of criteria)",
        "Instead of typing weights, stakeholders compare the criteria two at a time (\u201ccost "
        "matters three times as much as quality\u201d). The weights are worked out from all "
        "the comparisons together.",
    ),
    Term(
        "consistency-ratio",
        "Consistency ratio (CR)",
        "How far a stakeholder's pairwise judgements contradict each other (for example A "
        "over B, B over C, but C over A). 0 is perfectly consistent; below 0.10 is "
        "acceptable. Above it, revisit the pairs named on the page.",
    ),
)
TERMS_BY_KEY: dict[str, Term] = {term.key: term for term in TERMS}
