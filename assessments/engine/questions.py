"""The per-process questionnaire, business functions and objectives (METHODOLOGY section 2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Question:
    """One 1-to-5 question. `anchors` labels the answers 1, 3 and 5, in that order."""

    key: str
    label: str
    text: str
    anchors: tuple[str, str, str]
    help: str

    def anchor_for(self, answer: int) -> str | None:
        """The label shown for answer 1, 3 or 5; None for 2 and 4."""
        return {1: self.anchors[0], 3: self.anchors[1], 5: self.anchors[2]}.get(answer)


QUESTIONS: tuple[Question, ...] = (
    Question(
        key="strategic_importance",
        label="Strategic importance",
        text="How much does this process set us apart from competitors?",
        anchors=(
            "commodity, no effect",
            "important, not differentiating",
            "core: our competitive advantage or unique IP",
        ),
        help="Would customers choose us over a competitor because of how we do this? "
        "If any competent firm could do it just as well, it is a commodity.",
    ),
    Question(
        key="standardisation",
        label="Standardisation",
        text="How rule-based and documented is it?",
        anchors=(
            "ad hoc, judgement every time",
            "partly documented",
            "fully documented rules and procedures",
        ),
        help="Could a newcomer follow written steps and get the same result? "
        "Rule-based, documented work is easier to hand over and to measure.",
    ),
    Question(
        key="volume",
        label="Volume",
        text="How repetitive and high-volume?",
        anchors=("occasional, one-off", "regular", "high volume, repeated daily"),
        help="How often the same task comes round. Repeated daily work gains most "
        "from a provider's scale.",
    ),
    Question(
        key="knowledge_intensity",
        label="Knowledge intensity",
        text="How much specialist expertise and analysis does it need?",
        anchors=(
            "basic training suffices",
            "professional skills",
            "deep domain expertise, advanced analysis",
        ),
        help="Research, analysis, legal or engineering judgement score high; "
        "tasks a new hire learns in a week score low.",
    ),
    Question(
        key="technology_intensity",
        label="Technology intensity",
        text="How much is this an IT capability itself?",
        anchors=(
            "little IT involved",
            "IT-supported business work",
            "the process is IT (infrastructure, apps, IT support)",
        ),
        help="Score 5 when the process is running networks, servers, applications "
        "or IT support, not merely using a computer.",
    ),
    Question(
        key="data_sensitivity",
        label="Data sensitivity",
        text="How sensitive or regulated is the data it handles?",
        anchors=(
            "public, unregulated",
            "internal, some personal data",
            "highly sensitive or strictly regulated",
        ),
        help="Health, payment, payroll or other regulated data scores high; "
        "it limits where the work may be done and what the contract must say.",
    ),
    Question(
        key="customer_contact",
        label="Customer contact",
        text="How much does it speak directly with our customers?",
        anchors=(
            "internal only",
            "some external contact",
            "constant, where native language and culture matter",
        ),
        help="If customers hear or read the people doing this work, language and "
        "culture become part of the service.",
    ),
    Question(
        key="onsite_need",
        label="On-site need",
        text="How much does it need hands-on presence at our sites?",
        anchors=("fully remote", "occasional visits", "constant physical presence"),
        help="Work that needs someone to touch machines, paper or people at our "
        "premises cannot be done from far away.",
    ),
    Question(
        key="capability_gap",
        label="Capability gap",
        text="How far are our in-house skills or capacity from what it needs?",
        anchors=("we do it well with spare capacity", "adequate", "we lack the skills or capacity"),
        help="A large gap means a provider would bring skills or capacity we do "
        "not have; a small one means we already do it well.",
    ),
    Question(
        key="demand_variability",
        label="Demand variability",
        text="How much do volume or hours swing (seasonality, 24/7 needs)?",
        anchors=("steady, office hours", "some peaks", "strong swings or round-the-clock"),
        help="Seasonal peaks or round-the-clock cover are costly to staff in-house "
        "and are what providers' scale is for.",
    ),
    Question(
        key="interdependence",
        label="Interdependence",
        text="How tightly is it woven into other core processes?",
        anchors=("self-contained", "some hand-offs", "tightly coupled, hard to carve out"),
        help="The more hand-offs with core processes, the harder and riskier it is "
        "to carve the process out.",
    ),
)

QUESTION_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS)
QUESTIONS_BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}

KEY_QUESTIONS: tuple[str, ...] = (
    "strategic_importance",
    "standardisation",
    "knowledge_intensity",
    "technology_intensity",
    "capability_gap",
)

BUSINESS_FUNCTIONS: tuple[str, ...] = (
    "HR",
    "finance",
    "customer service",
    "IT",
    "operations",
    "R&D",
    "legal",
    "marketing",
    "sales",
    "procurement",
    "logistics",
    "other",
)
DEFAULT_BUSINESS_FUNCTION = "other"

# (value, label) pairs ready for a form's choices.
BUSINESS_FUNCTION_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (value, value if value.isupper() or "&" in value else value.capitalize())
    for value in BUSINESS_FUNCTIONS
)

_FUNCTION_LOOKUP = {value.casefold(): value for value in BUSINESS_FUNCTIONS}
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_business_function(text: str) -> str:
    """Return the canonical business function for `text`, matched case-insensitively.

    Underscores, hyphens and runs of spaces count as one space, so "Customer_Service"
    matches "customer service". Raises ValueError naming the valid values otherwise.
    """
    cleaned = _SEPARATORS.sub(" ", str(text)).strip().casefold()
    try:
        return _FUNCTION_LOOKUP[cleaned]
    except KeyError:
        valid = ", ".join(BUSINESS_FUNCTIONS)
        raise ValueError(
            f"Unknown business function {str(text).strip()!r}. Use one of: {valid}."
        ) from None


class Objective(NamedTuple):
    """An assessment objective; unpacks as (code, label, help)."""

    code: str
    label: str
    help: str


OBJECTIVES: tuple[Objective, ...] = (
    Objective(
        "cost_reduction",
        "Cost reduction",
        "Lower the total cost of running these processes; judged by the projected NPV "
        "and the chance that it turns out negative.",
    ),
    Objective(
        "operational_efficiency",
        "Operational efficiency",
        "Run standardised, high-volume work faster and more reliably; judged by the "
        "share of in-house spend recommended for BPO.",
    ),
    Objective(
        "access_to_skills",
        "Access to skills",
        "Bring in skills or capacity we lack; judged by the share of processes with a "
        "large capability gap that are outsourced.",
    ),
    Objective(
        "focus_on_core",
        "Focus on core business",
        "Free management attention for what sets us apart; judged by the share of "
        "non-core spend that is outsourced.",
    ),
    Objective(
        "scalability",
        "Scalability and 24/7 coverage",
        "Absorb peaks and cover round-the-clock hours; judged by the share of "
        "processes with strong demand swings that are outsourced.",
    ),
    Objective(
        "innovation",
        "Innovation",
        "Gain insight and new ideas through strategic partnerships; judged by the "
        "number of processes recommended for KPO.",
    ),
)

OBJECTIVE_CODES: tuple[str, ...] = tuple(o.code for o in OBJECTIVES)
OBJECTIVES_BY_CODE: dict[str, Objective] = {o.code: o for o in OBJECTIVES}
OBJECTIVE_LABELS: dict[str, str] = {o.code: o.label for o in OBJECTIVES}
