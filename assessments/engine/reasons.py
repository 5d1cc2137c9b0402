"""Turn decision codes into a Recommendation with plain-language sentences (METHODOLOGY 3.3).

Both scoring paths decide in codes (indices and integer fortieths) and hand them to
`build_recommendation`, so a process gets the same sentences whichever path scored it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessments.engine.questions import QUESTIONS
from assessments.engine.rules import (
    FLAG_CODES,
    INSUFFICIENT,
    KEY_QUESTION_INDEX,
    MIN_ANSWERS,
    MODEL_CODES,
    N_QUESTIONS,
    NEARSHORE,
    NO_LOCATION,
    OFFSHORE,
    ONSHORE,
    UNITS,
    W20_ROWS,
    Q,
    ReasonCode,
    Recommendation,
)
from assessments.engine.vocabulary import (
    LOCATIONS,
    MODEL_SHORT,
    MODELS,
    OUTSOURCED_MODELS,
    RETAIN,
)

# What a high (4-5) or low (1-2) answer means, phrased to complete "... favours BPO".
_PHRASES: dict[str, tuple[str, str]] = {
    "strategic_importance": (
        "a process that sets us apart",
        "commodity work that does not set us apart",
    ),
    "standardisation": (
        "documented, rule-based work",
        "ad hoc work that needs judgement every time",
    ),
    "volume": ("high-volume, repetitive work", "occasional, low-volume work"),
    "knowledge_intensity": ("specialist analytical work", "work that basic training covers"),
    "technology_intensity": ("an IT capability in its own right", "work with little IT in it"),
    "data_sensitivity": ("sensitive or regulated data", "public or lightly regulated data"),
    "customer_contact": (
        "constant contact with our customers",
        "internal work with little customer contact",
    ),
    "onsite_need": (
        "work that needs hands-on presence at our sites",
        "work that can be done remotely",
    ),
    "capability_gap": (
        "a gap in our in-house skills or capacity",
        "work we already do well in-house",
    ),
    "demand_variability": ("swinging or round-the-clock demand", "steady, office-hours demand"),
    "interdependence": (
        "work tightly coupled to core processes",
        "self-contained work that is easy to carve out",
    ),
}
# How a sentence names a model: "... favours keeping it in-house", "Recommended: BPO".
_FAVOURS = {RETAIN: "keeping it in-house"} | {m: MODEL_SHORT[m] for m in OUTSOURCED_MODELS}
_NAMES = {RETAIN: "retain in-house"} | {m: MODEL_SHORT[m] for m in OUTSOURCED_MODELS}
_LABELS = [q.label for q in QUESTIONS]
_KEYS = [q.key for q in QUESTIONS]


def format_points(units: int, *, sign: bool = True) -> str:
    """Format fortieths as a score: 16 -> "+0.40", 5 -> "+0.125", -1 -> "-0.025".

    Two decimals unless the third is needed, so no value is ever rounded.
    """
    thousandths = abs(units) * 25
    text = f"{thousandths // 1000}.{thousandths % 1000:03d}"
    if text.endswith("0"):
        text = text[:-1]
    if units < 0:
        return "-" + text
    return ("+" + text) if sign else text


def _lower_label(q: int) -> str:
    return _LABELS[q][0].lower() + _LABELS[q][1:]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _phrase(q: int, answer: int) -> str:
    high, low = _PHRASES[_KEYS[q]]
    return high if answer > 3 else low


def _contribution_units(
    q: int, model: int, answer: int | None, weights: tuple[tuple[int, ...], ...] = W20_ROWS
) -> int:
    return 0 if answer is None else weights[q][model] * (answer - 3)


@dataclass(frozen=True)
class Decision:
    """Everything a scoring path decided about one process, as codes.

    `model` indexes MODEL_CODES (4 = insufficient evidence); `best` and `runner_up` index
    MODELS; `location` indexes LOCATIONS or is NO_LOCATION; `scores` and `confidence` are
    integers in fortieths and twentieths; question lists hold question indices.
    `weights` is the table the scores came from, in twentieths (the published one unless
    a scenario changed it), so the sentences quote the contributions that were used.
    """

    answers: tuple[int | None, ...]
    scores: tuple[int, ...]
    model: int
    best: int
    runner_up: int
    location: int
    confidence: int | None
    guard_rail: bool
    top_questions: tuple[int, ...]
    runner_up_question: int
    low_margin: bool
    few_answers: bool
    key_unknown: bool
    settle: tuple[int, ...]
    flags: tuple[bool, ...]
    weights: tuple[tuple[int, ...], ...] = W20_ROWS


def _location_reasons(decision: Decision) -> list[tuple[str, ReasonCode]]:
    a = decision.answers
    cc, os_, ds, dv = (
        a[Q[k]]
        for k in ("customer_contact", "onsite_need", "data_sensitivity", "demand_variability")
    )
    loc = decision.location
    parts: list[str] = []
    codes: list[ReasonCode] = []

    def add(question: str | None, text: str) -> None:
        parts.append(text)
        codes.append(ReasonCode(question, None, None, "location", LOCATIONS[loc]))

    if loc == ONSHORE:
        if cc is not None and cc >= 4:
            add(
                "customer_contact",
                f"customer contact {cc}/5 needs native language and cultural fluency",
            )
        if os_ is not None and os_ >= 4:
            add("onsite_need", f"on-site need {os_}/5 needs hands on the machines at our sites")
        if ds == 5:
            add(
                "data_sensitivity",
                "data sensitivity 5/5 needs the data kept in the home country (data residency)",
            )
        sentence = "Onshore: " + _join(parts) + "."
    elif loc == NEARSHORE:
        if cc == 3:
            add(
                "customer_contact",
                "customer contact 3/5 is occasional, so a shared time "
                "zone and a close culture help",
            )
        if os_ == 3:
            add(
                "onsite_need",
                "on-site need 3/5 means occasional visits, which are "
                "practical from a nearby country",
            )
        if ds == 4:
            add(
                "data_sensitivity",
                "data sensitivity 4/5 favours a nearby country under similar data-protection law",
            )
        sentence = "Nearshore: " + _join(parts) + "."
    elif loc == OFFSHORE:
        add(
            None,
            "no answer ties the work close to home (no regular customer contact, "
            "no site visits, no data-residency need), so the largest labour-cost "
            "difference is available",
        )
        if dv is not None and dv >= 4:
            add(
                "demand_variability",
                f"demand variability {dv}/5 also suits round-the-clock cover across time zones",
            )
        sentence = "Offshore: " + "; ".join(parts) + "."
    else:
        return []
    # One sentence for the location, one code per answer that decided it.
    return [(sentence, codes[0])] + [("", code) for code in codes[1:]]


def _insufficient_reasons(d: Decision) -> list[tuple[str, ReasonCode]]:
    best, second = MODELS[d.best], MODELS[d.runner_up]
    answered = sum(v is not None for v in d.answers)
    causes: list[str] = []
    codes: list[ReasonCode] = []
    if d.low_margin:
        gap = d.scores[d.best] - d.scores[d.runner_up]
        if gap == 0:
            text = (
                f"{_NAMES[best]} and {_NAMES[second]} are tied at "
                f"{format_points(d.scores[d.best], sign=False)}"
            )
        else:
            text = (
                f"{_NAMES[best]} ({format_points(d.scores[d.best], sign=False)}) leads "
                f"{_NAMES[second]} ({format_points(d.scores[d.runner_up], sign=False)}) "
                f"by only {format_points(gap, sign=False)}"
            )
        causes.append(text + ", and a clear recommendation needs a lead of at least 0.10")
        codes.append(ReasonCode(None, None, None, "insufficient_evidence", "low_margin"))
    if d.few_answers:
        causes.append(
            f"only {answered} of {N_QUESTIONS} questions are answered, "
            f"and at least {MIN_ANSWERS} are needed"
        )
        codes.append(ReasonCode(None, None, None, "insufficient_evidence", "few_answers"))
    if d.key_unknown:
        unknown_keys = sum(d.answers[q] is None for q in KEY_QUESTION_INDEX)
        causes.append(
            f'{unknown_keys} of the 5 key questions are answered "don\'t know", '
            "and at most 1 may be"
        )
        codes.append(ReasonCode(None, None, None, "insufficient_evidence", "key_unknown"))
    out = [("Insufficient evidence to recommend a model: " + "; ".join(causes) + ".", codes[0])]
    out += [("", code) for code in codes[1:]]

    names = _join([_lower_label(q) for q in d.settle])
    if all(d.answers[q] is None for q in d.settle):
        sentence = f"Answering {names} would settle it"
    else:
        sentence = f"Checking the answers to {names} would settle it"
    if not any(d.answers[q] is None for q in KEY_QUESTION_INDEX):
        sentence += f": they weigh most differently between {_NAMES[best]} and {_NAMES[second]}"
    settle_codes = [ReasonCode(_KEYS[q], None, None, "settle") for q in d.settle]
    out.append((sentence + ".", settle_codes[0]))
    out += [("", code) for code in settle_codes[1:]]
    return out


def _reversibility_reasons(d: Decision) -> list[tuple[str, ReasonCode]]:
    """The reason for the reversibility flag (METHODOLOGY 9.4), when it is raised: which
    answers make the process hard to bring back."""
    if not d.flags[FLAG_CODES.index("reversibility")]:
        return []
    a = d.answers
    ki, ds, inter = (
        a[Q[k]] for k in ("knowledge_intensity", "data_sensitivity", "interdependence")
    )
    causes = [f"knowledge intensity {ki}/5 puts specialist know-how with the vendor"]
    if ds is not None and ds >= 4:
        causes.append(f"data sensitivity {ds}/5 means regulated data must come back intact")
    if inter is not None and inter >= 4:
        causes.append(f"interdependence {inter}/5 ties its systems and hand-offs to core work")
    decider = "data_sensitivity" if ds is not None and ds >= 4 else "interdependence"
    return [
        (
            "Reversibility risk: "
            + _join(causes)
            + ", so an exit would be slow and costly; plan it in the contract.",
            ReasonCode(decider, None, None, "reversibility"),
        )
    ]


def build_recommendation(d: Decision) -> Recommendation:
    """Assemble the Recommendation, its sentences and reason codes, from a Decision."""
    pairs: list[tuple[str, ReasonCode]] = []
    if d.guard_rail:
        gap = d.answers[Q["capability_gap"]]
        pairs.append(
            (
                f"Guard rail: strategic importance 5/5 with capability gap {gap}/5 marks a core "
                "process the organisation already does well, so it stays in-house whatever "
                "the scores.",
                ReasonCode(None, "retain", None, "guard_rail"),
            )
        )
    if d.model == INSUFFICIENT:
        pairs += _insufficient_reasons(d)
    else:
        model = MODELS[d.model]
        for q in d.top_questions:
            answer = d.answers[q]
            assert answer is not None  # a positive contribution needs an answer
            units = _contribution_units(q, d.model, answer, d.weights)
            pairs.append(
                (
                    f"{_LABELS[q]} {answer}/5: {_phrase(q, answer)} favours {_FAVOURS[model]} "
                    f"({format_points(units)}).",
                    ReasonCode(_KEYS[q], model, units / UNITS),
                )
            )
        if d.runner_up_question >= 0:
            q = d.runner_up_question
            answer = d.answers[q]
            assert answer is not None
            runner = MODELS[d.runner_up]
            units = _contribution_units(q, d.runner_up, answer, d.weights)
            pairs.append(
                (
                    f"Runner-up {_NAMES[runner]}: its strongest support is {_lower_label(q)} "
                    f"{answer}/5, {_phrase(q, answer)} ({format_points(units)}).",
                    ReasonCode(_KEYS[q], runner, units / UNITS, "runner_up"),
                )
            )
        pairs += _location_reasons(d)
        pairs += _reversibility_reasons(d)

    chosen = d.best if d.model == INSUFFICIENT else d.model
    return Recommendation(
        model=MODEL_CODES[d.model],
        location=None if d.location == NO_LOCATION else LOCATIONS[d.location],
        confidence=None if d.confidence is None else d.confidence / 20,
        scores={m: d.scores[i] / UNITS for i, m in enumerate(MODELS)},
        margin=(d.scores[chosen] - d.scores[d.runner_up]) / UNITS,
        best=MODELS[d.best],
        runner_up=MODELS[d.runner_up],
        guard_rail=d.guard_rail,
        reasons=[sentence for sentence, _ in pairs if sentence],
        reason_codes=tuple(code for _, code in pairs),
        flags=[flag for flag, on in zip(FLAG_CODES, d.flags, strict=True) if on],
        settle_questions=tuple(_KEYS[q] for q in d.settle),
        dont_know_count=sum(v is None for v in d.answers),
    )
