"""Text cells that are safe to open in a spreadsheet: the one formula neutraliser.

A cell a person typed (a process name, a record's description in the audit trail) could
start with ``=``, ``+``, ``-`` or ``@``; a spreadsheet would run it as a formula (CSV
injection), so such text gets a leading single quote. A tab or carriage return at the
start counts too: some spreadsheets skip it and then read the formula behind it.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, prefixed with ``'``; else as given.

    Only strings change: numbers (including negative ones), dates and None pass through.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
