"""Text cells that are safe to open in a spreadsheet: the one formula neutraliser.

A cell a person typed (a process name, a record's description in the audit trail) could
start with ``=``, ``+``, ``-`` or ``@``; a spreadsheet would run it as a formula (CSV
injection), so such text gets a leading single quote. A tab or carriage return at the
start counts too: some spreadsheets skip it and then read the formula behind it.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What an import refuses where a name is expected: the visible formula starts (a cell's
# leading tab or return is stripped before it is read), unless the text is a number.
FORMULA_PREFIXES = FORMULA_STARTS[:4]
_NUMBER = re.compile(r"^[+-]?(?=\.?\d)(\d{1,3}(,\d{3})+|\d*)(\.\d+)?([eE][+-]?\d+)?$")


def looks_like_formula(value: object) -> bool:
    """Text that a spreadsheet would run as a formula: "=1+1", "@SUM(A1)", "-2+3"."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text.startswith(FORMULA_PREFIXES) and not _NUMBER.match(text)


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, prefixed with ``'``; else as given.

    Only strings change: numbers (including negative ones), dates and None pass through.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
