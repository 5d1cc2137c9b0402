"""Reading and writing the cells of a vendor import file. Pure, no Django.

One row per vendor; a cell that holds several values separates them with ";" and
pairs with ":", e.g. ``English:native; French:fluent``. Names match case-insensitively
and come back in the registry's spelling. Every reader raises ValueError with a
sentence a curator can act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from accounts.engine.countries import COUNTRIES, LANGUAGES
from assessments.engine.vocabulary import OUTSOURCED_MODELS
from vendors.engine.shortlist import (
    CERTIFICATIONS,
    FINANCIAL_RATINGS,
    PROFICIENCIES,
    SERVICE_LINES,
)

LIST_SEPARATOR = ";"
PAIR_SEPARATOR = ":"
EARLIEST_FOUNDED = 1800

_TRUE = {"yes", "y", "true", "1", "active"}
_FALSE = {"no", "n", "false", "0", "inactive"}


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


_COUNTRY = {_fold(c): c for c in COUNTRIES}
_LANGUAGE = {_fold(lang): lang for lang in LANGUAGES}
_SERVICE_LINE = {
    **{_fold(line.label): line.code for line in SERVICE_LINES},
    **{_fold(line.code): line.code for line in SERVICE_LINES},
}
_CERTIFICATION = {
    **{_fold(label): code for code, label in CERTIFICATIONS},
    **{_fold(code): code for code, _ in CERTIFICATIONS},
}
# "ISO 27001" as people write it, for "ISO/IEC 27001".
_CERTIFICATION.update({_fold(label.replace("/IEC", "")): code for code, label in CERTIFICATIONS})
_SERVICE_LINE_LABEL = {line.code: line.label for line in SERVICE_LINES}
_CERTIFICATION_LABEL = dict(CERTIFICATIONS)


def text(value: object) -> str:
    """A cell as text: spreadsheets give numbers, dates and None as well as strings."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _items(cell: object) -> list[str]:
    return [item.strip() for item in text(cell).split(LIST_SEPARATOR) if item.strip()]


def _pair(item: str, example: str) -> tuple[str, str]:
    if PAIR_SEPARATOR not in item:
        raise ValueError(
            f"\u201c{item}\u201d needs a \u201c{PAIR_SEPARATOR}\u201d, e.g. {example}."
        )
    left, right = item.rsplit(PAIR_SEPARATOR, 1)
    return left.strip(), right.strip()


def country(cell: object, *, required: bool = True) -> str:
    value = text(cell)
    if not value:
        if required:
            raise ValueError("Give the country, e.g. United Kingdom.")
        return ""
    try:
        return _COUNTRY[_fold(value)]
    except KeyError:
        raise ValueError(
            f"Unknown country \u201c{value}\u201d; use the English short name, "
            "e.g. United Kingdom, India, South Africa."
        ) from None


def models(cell: object) -> tuple[str, ...]:
    """``ITO; BPO`` -> ("BPO", "ITO"), sorted; commas work as well as semicolons."""
    found = set()
    for item in re.split(r"[;,]", text(cell)):
        item = item.strip().upper()
        if not item:
            continue
        if item not in OUTSOURCED_MODELS:
            raise ValueError(f"Unknown sourcing model \u201c{item}\u201d; use ITO, BPO or KPO.")
        found.add(item)
    return tuple(sorted(found))


def service_lines(cell: object) -> list[str]:
    codes = []
    for item in _items(cell):
        code = _SERVICE_LINE.get(_fold(item))
        if code is None:
            raise ValueError(
                f"Unknown service line \u201c{item}\u201d; use one of: "
                f"{', '.join(_SERVICE_LINE_LABEL.values())}."
            )
        if code not in codes:
            codes.append(code)
    return codes


def languages(cell: object) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for item in _items(cell):
        name, level = _pair(item, "English:native; French:fluent")
        language = _LANGUAGE.get(_fold(name))
        if language is None:
            raise ValueError(f"Unknown language \u201c{name}\u201d.")
        level = level.casefold()
        if level not in PROFICIENCIES:
            raise ValueError(
                f"{language}: proficiency \u201c{level}\u201d is not native or fluent."
            )
        if language in found:
            raise ValueError(f"{language} is listed twice.")
        found[language] = level
    return sorted(found.items())


def certifications(cell: object) -> list[tuple[str, date]]:
    found: dict[str, date] = {}
    for item in _items(cell):
        name, expiry = _pair(item, "ISO 27001:2027-03-31; SOC 2:2026-11-30")
        code = _CERTIFICATION.get(_fold(name))
        if code is None:
            raise ValueError(
                f"Unknown certification \u201c{name}\u201d; use one of: "
                f"{', '.join(_CERTIFICATION_LABEL.values())}."
            )
        try:
            expires = date.fromisoformat(expiry)
        except ValueError:
            raise ValueError(
                f"{_CERTIFICATION_LABEL[code]}: the expiry date "
                f"\u201c{expiry}\u201d is not a date like 2027-03-31."
            ) from None
        if code in found:
            raise ValueError(f"{_CERTIFICATION_LABEL[code]} is listed twice.")
        found[code] = expires
    return sorted(found.items())


def delivery_centres(cell: object) -> list[tuple[str, str]]:
    found = []
    for item in _items(cell):
        name, city = _pair(item, "India:Bengaluru; Poland:Krak\u00f3w")
        if not city:
            raise ValueError(f"Give the city of the delivery centre in {name}.")
        centre = (country(name), city)
        if centre in found:
            raise ValueError(f"{city}, {centre[0]} is listed twice.")
        found.append(centre)
    return sorted(found)


def whole_number(cell: object, *, what: str) -> int | None:
    value = text(cell).replace(",", "").replace(" ", "")
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"The {what} \u201c{text(cell)}\u201d is not a whole number.")
    return int(value)


def year_founded(cell: object, *, this_year: int) -> int | None:
    year = whole_number(cell, what="year founded")
    if year is not None and not EARLIEST_FOUNDED <= year <= this_year:
        raise ValueError(
            f"The year founded must be from {EARLIEST_FOUNDED} to {this_year}; it is {year}."
        )
    return year


def financial_stability(cell: object) -> str:
    value = text(cell).casefold()
    if value and value not in FINANCIAL_RATINGS:
        raise ValueError(
            f"Financial stability \u201c{text(cell)}\u201d is not strong, adequate "
            "or weak (leave it blank when not rated)."
        )
    return value


def yes_no(cell: object, *, default: bool) -> bool:
    value = text(cell).casefold()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"\u201c{text(cell)}\u201d is not yes or no.")


# ---------------------------------------------------------------- writing


def join_models(offered: Iterable[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(offered)


def join_service_lines(codes: Iterable[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(_SERVICE_LINE_LABEL.get(c, c) for c in codes)


def join_pairs(pairs: Iterable[tuple[object, object]]) -> str:
    return f"{LIST_SEPARATOR} ".join(f"{text(a)}{PAIR_SEPARATOR}{text(b)}" for a, b in pairs)


def join_certifications(pairs: Iterable[tuple[str, date]]) -> str:
    return join_pairs((_CERTIFICATION_LABEL.get(code, code), expires) for code, expires in pairs)
