"""Where an organisation stands in the outsourcing lifecycle, and its next steps per role.

Pure: it reads a ``Lifecycle`` (counts and ids read by ``outsourcing.home``) and returns
stages and steps naming URLs by name and arguments; the view turns them into links.
Managers and admins change data; a CIO reads it, so a CIO's steps send them to read,
decide and ask, never to a form they may not submit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MANAGER, CIO, ADMIN = "manager", "cio", "admin"
EDITORS = frozenset({MANAGER, ADMIN})


@dataclass(frozen=True)
class Lifecycle:
    """What the home page reads, in one place. Ids are None when there is none."""

    drafts: int = 0
    draft_id: int | None = None  # the most recently changed draft
    draft_name: str = ""
    submitted: int = 0
    portfolio_id: int | None = None  # the current portfolio, else the newest submitted
    portfolio_name: str = ""
    portfolio_marked: bool = False
    projection_done: bool = False
    events_open: int = 0  # open for proposals or being evaluated
    event_id: int | None = None  # the open or evaluating event whose deadline comes first
    event_name: str = ""
    events_awarded: int = 0
    contracts_live: int = 0
    notices_due: int = 0  # notice deadlines within ``notice_window`` days
    notice_window: int = 90


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    args: tuple[int, ...] = ()
    anchor: str = ""


@dataclass(frozen=True)
class Stage:
    """One stage of the lifecycle: its name, its state in words, and whether it is done."""

    key: str
    title: str
    state: str
    done: bool
    link: Link | None = None
    under_way: bool = False  # started, not done (an event open, a draft in progress)


@dataclass(frozen=True)
class Guide:
    stages: list[Stage]
    next_steps: list[Link] = field(default_factory=list)
    why: str = ""  # the first step's reason, in words


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def stages(life: Lifecycle) -> list[Stage]:
    assessment = (
        Stage(
            "assessment",
            "Needs assessment",
            f"{_plural(life.submitted, 'assessment')} submitted"
            + (f", {_plural(life.drafts, 'draft')} in progress" if life.drafts else ""),
            True,
            Link("Assessments", "assessments:list"),
        )
        if life.submitted
        else Stage(
            "assessment",
            "Needs assessment",
            f"{_plural(life.drafts, 'draft')} in progress, none submitted"
            if life.drafts
            else "Not started",
            False,
            Link("Assessments", "assessments:list"),
            under_way=life.drafts > 0,
        )
    )
    if life.portfolio_id is None:
        projection = Stage(
            "projection", "Savings projection", "Needs a submitted assessment", False
        )
    else:
        projection = Stage(
            "projection",
            "Savings projection",
            f"Done for “{life.portfolio_name}”"
            if life.projection_done
            else f"Not run yet for “{life.portfolio_name}”",
            life.projection_done,
            Link("Results", "assessments:results", (life.portfolio_id,)),
        )
    events = Stage(
        "events",
        "Vendor selection",
        ", ".join(
            part
            for part in (
                f"{_plural(life.events_open, 'event')} open or in evaluation"
                if life.events_open
                else "",
                f"{_plural(life.events_awarded, 'event')} awarded" if life.events_awarded else "",
            )
            if part
        )
        or "No sourcing event yet",
        life.events_awarded > 0,
        Link("Sourcing events", "vendors:event-list"),
        under_way=life.events_open > 0,
    )
    contracts = Stage(
        "contracts",
        "Contracts",
        f"{_plural(life.contracts_live, 'contract')} live" if life.contracts_live else "None live",
        life.contracts_live > 0,
        Link("Contracts", "contracts:list"),
    )
    notices = Stage(
        "notices",
        "Renewals",
        f"{_plural(life.notices_due, 'notice deadline')} in the next {life.notice_window} days"
        if life.notices_due
        else f"No notice deadline in the next {life.notice_window} days",
        life.notices_due == 0,
        Link("Renewals", "contracts:renewals"),
    )
    return [assessment, projection, events, contracts, notices]


def next_steps(life: Lifecycle, role: str) -> tuple[list[Link], str]:
    """The links a person in ``role`` would follow next, most pressing first, and why
    the first one matters (in words)."""
    edits = role in EDITORS
    steps: list[Link] = []
    why = ""

    def add(link: Link, reason: str) -> None:
        nonlocal why
        if not steps:
            why = reason
        steps.append(link)

    if life.notices_due:
        add(
            Link(
                f"Decide on {_plural(life.notices_due, 'renewal')} due within "
                f"{life.notice_window} days",
                "contracts:renewals",
            ),
            "A notice deadline that passes renews or ends a contract without a decision.",
        )
    if life.portfolio_id is None:
        if life.draft_id is not None and edits:
            add(
                Link(f"Continue “{life.draft_name}”", "assessments:resume", (life.draft_id,)),
                "Submitting the assessment gives the recommendations and the roadmap.",
            )
        elif edits:
            add(
                Link("Start an assessment", "assessments:create"),
                "Everything else starts from the list of processes and their answers.",
            )
        else:
            add(
                Link("See the assessments in progress", "assessments:list"),
                "A manager submits an assessment; the dashboard fills from it.",
            )
    elif not life.projection_done:
        add(
            Link(
                f"Run the savings projection for “{life.portfolio_name}”"
                if edits
                else f"Read the recommendations of “{life.portfolio_name}”",
                "assessments:results",
                (life.portfolio_id,),
            ),
            "The projection puts a range on the savings before any vendor is asked.",
        )
    if life.portfolio_id is not None and life.event_id is not None:
        add(
            Link(
                f"{'Score and award' if edits else 'Follow'} “{life.event_name}”",
                "vendors:event-detail",
                (life.event_id,),
            ),
            "Proposals are in or due: the ranking leads to the award and the contract.",
        )
    elif life.portfolio_id is not None and edits and not life.contracts_live:
        add(
            Link(
                "Start vendor selection from the roadmap",
                "assessments:roadmap",
                (life.portfolio_id,),
            ),
            "Each wave of the roadmap becomes a sourcing event.",
        )
    if role in (CIO, ADMIN) and life.portfolio_id is not None:
        add(
            Link("Open the portfolio dashboard", "dashboard"),
            "The dashboard shows the mix, the savings against plan and the SLAs.",
        )
        if not life.portfolio_marked and life.submitted > 1:
            add(
                Link("Choose the current portfolio", "dashboard"),
                "With several submitted assessments, mark the one the dashboard opens on.",
            )
    if life.contracts_live and edits:
        add(
            Link("Record this month's SLA measurements", "contracts:list"),
            "Measurements drive the service credits and the vendor scorecards.",
        )
    if role == ADMIN:
        add(Link("Invite people and set roles", "members"), "")
    return steps, why


def guide(life: Lifecycle, role: str) -> Guide:
    steps, why = next_steps(life, role)
    return Guide(stages=stages(life), next_steps=steps, why=why)
