"""Exit readiness: can the organisation leave this contract if it goes badly?

Pure: no Django, no clock (every function that needs the day takes ``today``). The
method, with its sources, is in ``docs/methodology-exit.md``.

- **The checklist**: seven items every exit needs (``ITEMS``), each ``done``, ``partial``,
  ``missing`` or, for the items that can be, ``not_applicable``.
- **The score** (0 to 100): ``100 x (done + 0.5 x partial) / applicable items``, less a
  fixed number of points for each contract term that would make an exit harder
  (``TERM_PENALTIES``), floored at 0 and rounded half-up to a whole number. Every partial
  or missing item, every overdue item and every penalty gives a reason.
- **The level**: ``ready`` from 75, ``partly ready`` from 50, else ``low``.
- **The transition-out cost**: the projection's transition model run in reverse
  (``transition_out_cost``): the one-time cost ``tau x A`` plus a parallel run of ``T``
  months at the in-house cost ``A / 12`` a month, with ``tau`` and ``T`` from the
  projection's own triangles for the contract's model (``assessments.engine.assumptions``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessments.engine.assumptions import Triangle, assumptions_for, rounded_months

DONE, PARTIAL, MISSING, NOT_APPLICABLE = "done", "partial", "missing", "not_applicable"
STATUSES: tuple[str, ...] = (DONE, PARTIAL, MISSING, NOT_APPLICABLE)
STATUS_LABELS: dict[str, str] = {
    DONE: "Done",
    PARTIAL: "Partly done",
    MISSING: "Missing",
    NOT_APPLICABLE: "Not applicable",
}
STATUS_CREDIT: dict[str, Decimal] = {DONE: Decimal(1), PARTIAL: Decimal("0.5"), MISSING: Decimal(0)}

READY, PARTLY_READY, LOW = "ready", "partly_ready", "low"
LEVEL_LABELS: dict[str, str] = {READY: "Ready", PARTLY_READY: "Partly ready", LOW: "Low"}
READY_FROM = 75
PARTLY_READY_FROM = 50

# A contract is near renewal when the last day to give notice is this close (an exit
# transition takes months, so the decision to prepare one cannot wait for the reminders).
NEAR_RENEWAL_DAYS = 180
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ExitItem:
    """One line of the checklist: its key, label, what "done" means, whether it may be
    not applicable, and how many days before the notice deadline it is due by default."""

    key: str
    label: str
    done_means: str
    may_skip: bool
    lead_days: int


ITEMS: tuple[ExitItem, ...] = (
    ExitItem(
        "knowledge_transfer",
        "Knowledge transfer",
        "A written plan for handing the know-how back: runbooks, process maps, shadowing "
        "and who takes each role.",
        False,
        150,
    ),
    ExitItem(
        "data_return",
        "Data return format",
        "The format, schedule and completeness check of the data the vendor returns, and "
        "the certified deletion of its copies.",
        False,
        120,
    ),
    ExitItem(
        "tooling_licences",
        "Tooling and licence ownership",
        "Who owns each tool, licence and piece of intellectual property the service runs "
        "on, and which of them transfer at exit.",
        True,
        120,
    ),
    ExitItem(
        "people",
        "People and re-badging",
        "Which of the vendor's people could transfer back (or to a new vendor) and under "
        "what employment terms.",
        True,
        90,
    ),
    ExitItem(
        "parallel_run",
        "Parallel run",
        "How long the outgoing vendor and its successor run side by side, and what the "
        "successor must show before the hand-over.",
        False,
        90,
    ),
    ExitItem(
        "termination_assistance",
        "Termination assistance clause",
        "A clause that obliges the vendor to keep the service running and help with the "
        "hand-over for a stated period after notice, at a stated price.",
        False,
        180,
    ),
    ExitItem(
        "notice_period",
        "Notice period",
        "The notice period and the last day to give notice are recorded and agreed with "
        "the vendor.",
        False,
        180,
    ),
)
ITEMS_BY_KEY: dict[str, ExitItem] = {item.key: item for item in ITEMS}
ITEM_KEYS: tuple[str, ...] = tuple(item.key for item in ITEMS)
# Without these an exit cannot start at this renewal: a missing one near renewal costs points.
CRITICAL_ITEMS: tuple[str, ...] = ("knowledge_transfer", "data_return", "termination_assistance")

# Points taken off the checklist's score for each term that makes an exit harder.
NO_TERMINATION_TERMS = "no_termination_terms"
SHORT_NOTICE = "short_notice"
UNPREPARED_NEAR_RENEWAL = "unprepared_near_renewal"
TERM_PENALTIES: dict[str, int] = {
    NO_TERMINATION_TERMS: 15,
    SHORT_NOTICE: 10,
    UNPREPARED_NEAR_RENEWAL: 10,
}


@dataclass(frozen=True)
class ItemState:
    """What the plan says about one item. ``owner``: a person's name, or empty."""

    key: str
    status: str
    due_on: dt.date | None = None
    owner: str = ""

    def __post_init__(self) -> None:
        if self.key not in ITEMS_BY_KEY:
            raise ValueError(f"Unknown exit checklist item {self.key!r}.")
        if self.status not in STATUSES:
            raise ValueError(f"Unknown exit checklist status {self.status!r}.")


@dataclass(frozen=True)
class ContractTerms:
    """The terms that decide how hard an exit would be.

    ``model``: ITO, BPO or KPO (its transition length is the exit's). ``has_termination_terms``:
    the contract's termination terms are written down. ``in_notice``: notice has been given.
    """

    model: str
    notice_days: int
    notice_deadline: dt.date
    end_date: dt.date
    has_termination_terms: bool
    in_notice: bool = False


@dataclass(frozen=True)
class Penalty:
    code: str
    points: int
    reason: str


@dataclass(frozen=True)
class Readiness:
    """The score (0 to 100), its level, the checklist's own score before penalties, the
    penalties, every reason in words, and whether the contract is near renewal."""

    score: int
    level: str
    checklist_score: Decimal
    penalties: tuple[Penalty, ...]
    reasons: tuple[str, ...]
    near_renewal: bool
    done: int
    applicable: int

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def is_low(self) -> bool:
        return self.level == LOW

    @property
    def penalty_points(self) -> int:
        return sum(p.points for p in self.penalties)


def exit_transition_months(model: str) -> int:
    """The most likely length of an exit transition, in whole months: the projection's
    transition months (their mode) for the model, run in reverse."""
    return rounded_months(assumptions_for(model).transition_months.mode)


def is_near_renewal(terms: ContractTerms, today: dt.date) -> bool:
    """True when the last day to give notice is 0 to ``NEAR_RENEWAL_DAYS`` days away, or
    notice has been given and the contract has not ended yet."""
    if terms.in_notice:
        return terms.end_date >= today
    return 0 <= (terms.notice_deadline - today).days <= NEAR_RENEWAL_DAYS


def level_for(score: int) -> str:
    if score >= READY_FROM:
        return READY
    if score >= PARTLY_READY_FROM:
        return PARTLY_READY
    return LOW


def default_items(terms: ContractTerms, today: dt.date) -> tuple[ItemState, ...]:
    """The plan a contract starts with: every item missing, due its lead time before the
    notice deadline (today if that has passed), except what the terms already show: the
    notice period is recorded on every contract, and written termination terms are a
    start on the termination-assistance clause (partly done until someone checks them)."""
    states = []
    for item in ITEMS:
        due = max(terms.notice_deadline - dt.timedelta(days=item.lead_days), today)
        status = MISSING
        if item.key == "notice_period":
            status = DONE
        elif item.key == "termination_assistance" and terms.has_termination_terms:
            status = PARTIAL
        states.append(ItemState(item.key, status, due))
    return tuple(states)


def _checklist(
    states: Mapping[str, ItemState], today: dt.date
) -> tuple[Decimal, int, int, list[str]]:
    credit, applicable, done = Decimal(0), 0, 0
    reasons: list[str] = []
    for item in ITEMS:
        state = states.get(item.key)
        status = MISSING if state is None else state.status
        if status == NOT_APPLICABLE and not item.may_skip:
            reasons.append(f"{item.label} cannot be marked not applicable: counted as missing.")
            status = MISSING
        if status == NOT_APPLICABLE:
            continue
        applicable += 1
        credit += STATUS_CREDIT[status]
        done += status == DONE
        if status == PARTIAL:
            reasons.append(f"{item.label} is only partly done (half credit).")
        elif status == MISSING:
            reasons.append(
                f"{item.label} is missing: {item.done_means[0].lower()}{item.done_means[1:]}"
            )
        if (
            status != DONE
            and state is not None
            and state.due_on is not None
            and state.due_on < today
        ):
            late = (today - state.due_on).days
            who = f" ({state.owner})" if state.owner else ""
            reasons.append(f"{item.label} is {late} day{'s' if late != 1 else ''} overdue{who}.")
    score = Decimal(100) * credit / applicable if applicable else Decimal(0)
    return score, applicable, done, reasons


def _penalties(
    terms: ContractTerms, states: Mapping[str, ItemState], near: bool, today: dt.date
) -> list[Penalty]:
    penalties = []
    if not terms.has_termination_terms:
        penalties.append(
            Penalty(
                NO_TERMINATION_TERMS,
                TERM_PENALTIES[NO_TERMINATION_TERMS],
                "The contract's termination terms are empty: nothing written obliges the "
                "vendor to help you leave.",
            )
        )
    months = exit_transition_months(terms.model)
    assisted = (s := states.get("termination_assistance")) is not None and s.status == DONE
    if terms.notice_days < months * DAYS_PER_MONTH and not assisted:
        penalties.append(
            Penalty(
                SHORT_NOTICE,
                TERM_PENALTIES[SHORT_NOTICE],
                f"The {terms.notice_days}-day notice period is shorter than the {months} "
                f"months {'an' if terms.model == 'ITO' else 'a'} {terms.model} exit "
                "transition typically takes, and no "
                "termination-assistance clause covers the gap.",
            )
        )
    unprepared = [
        ITEMS_BY_KEY[key].label.lower()
        for key in CRITICAL_ITEMS
        if (s := states.get(key)) is None or s.status == MISSING
    ]
    if near and unprepared:
        days = (terms.notice_deadline - today).days
        when = (
            "Notice has been given"
            if terms.in_notice
            else f"The last day to give notice is in {days} day{'s' if days != 1 else ''}"
        )
        penalties.append(
            Penalty(
                UNPREPARED_NEAR_RENEWAL,
                TERM_PENALTIES[UNPREPARED_NEAR_RENEWAL],
                f"{when} and the {_join(unprepared)} "
                f"{'is' if len(unprepared) == 1 else 'are'} still missing: an exit at this "
                "renewal could not be prepared in time.",
            )
        )
    return penalties


def exit_readiness(items: Iterable[ItemState], terms: ContractTerms, today: dt.date) -> Readiness:
    """The exit-readiness score of one contract, with its reasons.

    ``items``: the plan's states (an item left out counts as missing; a repeated key
    keeps its last state). The score is 0 to 100, a whole number.
    """
    states = {state.key: state for state in items}
    checklist, applicable, done, reasons = _checklist(states, today)
    near = is_near_renewal(terms, today)
    penalties = _penalties(terms, states, near, today)
    raw = checklist - sum(p.points for p in penalties)
    score = int(max(Decimal(0), raw).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if not reasons and not penalties:
        reasons.append("Every item of the exit plan is done and the terms support an exit.")
    return Readiness(
        score=score,
        level=level_for(score),
        checklist_score=checklist.quantize(CENT, rounding=ROUND_HALF_UP),
        penalties=tuple(penalties),
        reasons=tuple(reasons) + tuple(p.reason for p in penalties),
        near_renewal=near,
        done=done,
        applicable=applicable,
    )


@dataclass(frozen=True)
class TransitionOutCost:
    """The one-off cost of leaving, at the low, most likely and high ends of the drivers.

    Money is Decimal, half-up to the cent, in the contract's currency. ``months`` are the
    exit transition's whole months (low, mode, high).
    """

    annual_cost: Decimal
    one_time: tuple[Decimal, Decimal, Decimal]
    parallel_run: tuple[Decimal, Decimal, Decimal]
    months: tuple[int, int, int]

    @property
    def low(self) -> Decimal:
        return self.one_time[0] + self.parallel_run[0]

    @property
    def mode(self) -> Decimal:
        return self.one_time[1] + self.parallel_run[1]

    @property
    def high(self) -> Decimal:
        return self.one_time[2] + self.parallel_run[2]


def _points(triangle: Triangle) -> tuple[float, float, float]:
    return triangle.low, triangle.mode, triangle.high


def transition_out_cost(annual_cost: Decimal, model: str) -> TransitionOutCost:
    """What it costs to bring the service back in-house (or hand it to another vendor).

    The projection's transition, in reverse: the one-time cost ``tau x A`` (selection,
    advisers, knowledge transfer, severance and retention) and a parallel run of ``T``
    months in which the organisation pays for the replacement team, ``A / 12`` a month,
    while the outgoing vendor's fee runs on as before. ``A``: the in-house annual cost.
    ``tau`` and ``T`` are the model's triangles; ``T`` is rounded to whole months as the
    projection rounds it. Each amount is rounded half-up to the cent.
    """
    if not isinstance(annual_cost, Decimal) or not annual_cost.is_finite() or annual_cost < 0:
        raise ValueError(f"The annual cost must be a finite Decimal, zero or more: {annual_cost!r}")
    drivers = assumptions_for(model)
    months = tuple(rounded_months(t) for t in _points(drivers.transition_months))
    one_time = tuple(
        (annual_cost * Decimal(repr(tau))).quantize(CENT, rounding=ROUND_HALF_UP)
        for tau in _points(drivers.one_time_cost)
    )
    parallel = tuple(
        (annual_cost * months_ / 12).quantize(CENT, rounding=ROUND_HALF_UP) for months_ in months
    )
    return TransitionOutCost(
        annual_cost=annual_cost,
        one_time=(one_time[0], one_time[1], one_time[2]),
        parallel_run=(parallel[0], parallel[1], parallel[2]),
        months=(months[0], months[1], months[2]),
    )


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
