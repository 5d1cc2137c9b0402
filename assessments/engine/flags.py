"""Risk flags in plain words (METHODOLOGY 3.6, and 9.4 for reversibility): shown beside a
recommendation, never applied.

Pure: no Django. The engine returns flag codes; pages, exports and the what-if panel
show these labels and meanings.
"""

from __future__ import annotations

from typing import NamedTuple


class Flag(NamedTuple):
    code: str
    label: str
    meaning: str


FLAGS: tuple[Flag, ...] = (
    Flag(
        "language",
        "Language",
        "Customers will hear the vendor: require native-language, culturally fluent delivery.",
    ),
    Flag(
        "hands_on",
        "Hands-on",
        "Remote support means someone still drives to the site: require local presence.",
    ),
    Flag(
        "data",
        "Data",
        "Require ISO 27001 or SOC 2, data-residency and breach terms in the contract.",
    ),
    Flag(
        "disconnection",
        "Disconnection",
        "Support is separated from the people who build the systems: plan joint "
        "escalation with the builders.",
    ),
    Flag(
        "core",
        "Core",
        "A differentiating process leaves the house: keep decision rights and knowledge in-house.",
    ),
    Flag(
        "reversibility",
        "Reversibility",
        "Hard to bring back or move to another vendor: specialist knowledge would sit with "
        "the vendor and the data is regulated or the work tightly woven in. Write the exit "
        "plan (knowledge transfer, data return, tooling ownership, termination assistance) "
        "into the contract.",
    ),
)
FLAGS_BY_CODE: dict[str, Flag] = {flag.code: flag for flag in FLAGS}
FLAG_CHOICES: tuple[tuple[str, str], ...] = tuple((flag.code, flag.label) for flag in FLAGS)


def describe_flags(codes: list[str]) -> list[Flag]:
    """The flags for ``codes`` in table order; an unknown code is shown as itself."""
    known = [FLAGS_BY_CODE[code] for code in FLAGS_BY_CODE if code in codes]
    unknown = [Flag(code, code, "") for code in codes if code not in FLAGS_BY_CODE]
    return known + unknown
