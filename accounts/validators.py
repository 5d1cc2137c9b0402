"""Validators shared by every app's forms."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

# Control characters (tab, line feed, carriage return, NUL, escape, DEL and the C1 range)
# and the two Unicode line and paragraph separators, which text tools also break lines at.
_LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})

SINGLE_LINE_MESSAGE = (
    "Use a single line of text: line breaks, tabs and other control "
    "characters are not allowed here."
)


def control_characters(value: str) -> list[str]:
    """The control characters in ``value``, each once, in order of first appearance."""
    seen: dict[str, None] = {}
    for character in value:
        if unicodedata.category(character) in _LINE_BREAKING:
            seen.setdefault(character)
    return list(seen)


def no_control_characters(value: object) -> None:
    """ValidationError when single-line text holds a line break or another control character.

    A title or a name ends up in e-mail subjects, file names and CSV cells, where a line
    break splits a header or a record; a browser's one-line text box never sends one, so
    only a crafted request does.
    """
    if not isinstance(value, str):
        return
    found = control_characters(value)
    if found:
        shown = ", ".join(dict.fromkeys(_described(character) for character in found))
        raise ValidationError(
            f"{SINGLE_LINE_MESSAGE} This one holds {shown}.", code="control_characters"
        )


def _described(character: str) -> str:
    if character in "\r\n\u2028\u2029":
        return "a line break"
    if character == "\t":
        return "a tab"
    return f"a control character (U+{ord(character):04X})"
