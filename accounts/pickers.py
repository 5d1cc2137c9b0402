"""Searchable pickers: a plain <select> that Tom Select turns into a search box.

Tom Select 2.6.2 (Apache-2.0) ships as checked-in files under
``static/vendor/tom-select/`` (see its README there); ``static/js/pickers.js`` turns
every ``select[data-picker]`` into a picker. Without JavaScript the page keeps the plain
select, which submits the same values, so a form never depends on the script. The
options stay in the page (no search endpoint): a few hundred options are a few kilobytes,
and Tom Select filters them as one types, showing the first ``data-picker-limit``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django import forms

PICKER_MEDIA = forms.Media(
    css={"all": ["vendor/tom-select/tom-select.bootstrap5.min.css", "css/pickers.css"]},
    js=["vendor/tom-select/tom-select.complete.min.js", "js/pickers.js"],
)
# How many matching options the dropdown lists at once; typing narrows the rest.
SHOWN_AT_ONCE = 100


def _picker_attrs(placeholder: str, attrs: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "data-picker": "",
        "data-placeholder": placeholder,
        "data-picker-limit": str(SHOWN_AT_ONCE),
        **(attrs or {}),
    }


class SearchableSelect(forms.Select):
    """One choice, searched by typing."""

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, placeholder: str = "Type to search…"
    ):
        super().__init__(_picker_attrs(placeholder, attrs))

    @property
    def media(self) -> forms.Media:
        return PICKER_MEDIA


class SearchableSelectMultiple(forms.SelectMultiple):
    """Several choices, each added by typing and removed with its × (or Backspace).
    Without JavaScript: a plain list box, grouped, ten rows high."""

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, placeholder: str = "Type to search…"
    ):
        super().__init__({"size": "10", **_picker_attrs(placeholder, attrs)})

    @property
    def media(self) -> forms.Media:
        return PICKER_MEDIA


def grouped_choices(
    records: Iterable[Any], *, group: Callable[[Any], str], label: Callable[[Any], str]
) -> list[tuple[str, list[tuple[Any, str]]]]:
    """Choices in option groups, in the order the records come (``group`` names each
    record's group, ``label`` its option). A model choice field still validates against
    its queryset; this only changes what the select shows."""
    groups: dict[str, list[tuple[Any, str]]] = defaultdict(list)
    for record in records:
        groups[group(record)].append((record.pk, label(record)))
    return list(groups.items())
