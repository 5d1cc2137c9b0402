"""The vendor response portal's rules: tokens, the deadline, sealing, declared capabilities.

Pure: no Django. Services and views call these functions; each rule lives here once.

- A link's token is 32 random bytes (256 bits) in URL-safe base64; only its SHA-256
  hash is stored, and a presented token is compared with a stored hash in constant time.
- Responses close at the end of the event's deadline day, in the deployment's time zone:
  the deadline is a date ("last day for proposals"), so a vendor has the whole day.
- Sealed responses open only once they have closed, and only once.
- A vendor's declared capabilities are read from plain text answers and compared with
  the curated registry record (the difference report); the union of both is what the
  risk flags look at, since the vendor says it will deliver from what it declares.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from vendors.engine.shortlist import RESIDENCY_AT, RiskFlag, Scope, VendorProfile

TOKEN_BYTES = 32  # 256 bits
TOKEN_HASH_LENGTH = 64  # hex SHA-256
# URL-safe base64 of 32 bytes is 43 characters; a longer or odd token is not ours.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43,86}$")


def new_token() -> str:
    """A fresh link token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored for a token: its SHA-256, as 64 hex digits."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def well_formed(token: str) -> bool:
    """Could this be one of our tokens? Checked before any lookup, so junk costs nothing."""
    return bool(_TOKEN_SHAPE.match(token))


def token_matches(token: str, stored_hash: str) -> bool:
    """Does ``token`` hash to ``stored_hash``? Compared in constant time."""
    return hmac.compare_digest(token_hash(token), stored_hash)


# ------------------------------------------------------------------ the deadline


def closes_at(deadline: date, zone: tzinfo) -> datetime:
    """The moment responses lock: midnight after the deadline day, in ``zone``."""
    return datetime.combine(deadline + timedelta(days=1), time(0, 0), tzinfo=zone)


def is_closed(now: datetime, deadline: date, zone: tzinfo) -> bool:
    return now >= closes_at(deadline, zone)


@dataclass(frozen=True)
class LinkState:
    usable: bool
    reason: str  # "ok", "revoked", "expired", "closed" (event no longer takes responses)


def link_state(
    *, now: datetime, expires_at: datetime, revoked: bool, event_receiving: bool
) -> LinkState:
    """May a link be used now? A failed link says nothing more to the visitor; the reason
    is for the audit record only."""
    if revoked:
        return LinkState(False, "revoked")
    if now >= expires_at:
        return LinkState(False, "expired")
    if not event_receiving:
        return LinkState(False, "closed")
    return LinkState(True, "ok")


def may_open(*, now: datetime, deadline: date, zone: tzinfo, opened: bool) -> str | None:
    """None when the sealed responses may be opened now; otherwise why not, in words."""
    if opened:
        return "The responses were opened already; opening happens once."
    if not is_closed(now, deadline, zone):
        return (
            "The responses stay sealed until the deadline has passed "
            f"(the end of {deadline:%d %b %Y}, {closes_at(deadline, zone):%Z})."
        )
    return None


# ------------------------------------------------------------------ prices


def total_price(prices: Iterable[Decimal]) -> Decimal:
    """The annual price of a response: the sum of its prices per process, to the cent."""
    total = sum(prices, Decimal("0"))
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_amount(text: object) -> Decimal | None:
    """A stored amount back from JSON text; None when missing or unreadable."""
    try:
        value = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


# ------------------------------------------------------------------ declared capabilities

CAPABILITIES = ("languages", "certifications", "delivery_centres", "data_residency")
PROFICIENCIES = ("native", "fluent")
# Names a vendor may write for a certification code of the registry.
_CERT_WORDS = {
    "iso_27001": ("27001",),
    "iso_9001": ("9001",),
    "soc_2": ("soc 2", "soc2", "soc ii"),
    "cmmi_3": ("cmmi level 3", "cmmi 3", "cmmi-3", "cmmi l3"),
    "cmmi_5": ("cmmi level 5", "cmmi 5", "cmmi-5", "cmmi l5"),
    "copc": ("copc",),
    "pci_dss": ("pci",),
    "iso_22301": ("22301",),
}
_SPLIT = re.compile(r"[\n;,]+")


@dataclass(frozen=True)
class Declared:
    """What a vendor declared in its answers; None where it did not answer."""

    languages: Mapping[str, str] | None = None  # language -> native/fluent
    certifications: Sequence[str] | None = None  # registry codes
    delivery_centres: Sequence[str] | None = None  # countries
    data_stays_home: bool | None = None


def _items(text: str) -> list[str]:
    return [item.strip() for item in _SPLIT.split(text or "") if item.strip()]


def parse_languages(text: str) -> dict[str, str]:
    """ "German: native, French (fluent)" -> {"German": "native", "French": "fluent"}.

    A language without a level counts as fluent (the weaker claim)."""
    found: dict[str, str] = {}
    for item in _items(text):
        words = re.split(r"[:()\-–]+", item)
        name = words[0].strip()
        rest = " ".join(words[1:]).casefold()
        if name:
            found[name] = "native" if "native" in rest else "fluent"
    return found


def parse_certifications(text: str) -> list[str]:
    """The registry codes a text names ("ISO/IEC 27001 and SOC 2" -> iso_27001, soc2)."""
    lowered = (text or "").casefold()
    return [code for code, words in _CERT_WORDS.items() if any(w in lowered for w in words)]


def parse_countries(text: str) -> list[str]:
    return list(dict.fromkeys(_items(text)))


def parse_yes_no(text: str) -> bool | None:
    answer = (text or "").strip().casefold()
    if answer.startswith("yes"):
        return True
    if answer.startswith("no"):
        return False
    return None


def declared_from(answers: Mapping[str, str]) -> Declared:
    """Read the capability answers (keyed by capability code) a response gave."""
    return Declared(
        languages=parse_languages(answers["languages"]) if answers.get("languages") else None,
        certifications=(
            parse_certifications(answers["certifications"])
            if answers.get("certifications")
            else None
        ),
        delivery_centres=(
            parse_countries(answers["delivery_centres"])
            if answers.get("delivery_centres")
            else None
        ),
        data_stays_home=parse_yes_no(answers.get("data_residency", "")),
    )


def _key(text: str) -> str:
    return text.strip().casefold()


def differences(
    *,
    languages: Mapping[str, str],
    certifications: Iterable[str],
    countries: Iterable[str],
    declared: Declared,
    labels: Mapping[str, str],
) -> list[str]:
    """Where the declared answers contradict the curated record, one sentence each.

    ``labels`` names certification codes. Unanswered questions contradict nothing.
    """
    found: list[str] = []
    if declared.delivery_centres is not None:
        record = {_key(c): c for c in countries}
        said = {_key(c): c for c in declared.delivery_centres}
        extra = [said[k] for k in said if k not in record]
        missing = [record[k] for k in record if k not in said]
        if extra:
            found.append(
                f"Declares delivery centres in {', '.join(extra)}, which the registry "
                "does not record."
            )
        if missing:
            found.append(
                f"Does not declare the registry's delivery centres in {', '.join(missing)}."
            )
    if declared.languages is not None:
        record_lang = {_key(k): (k, v) for k, v in languages.items()}
        for name, level in declared.languages.items():
            held = record_lang.get(_key(name))
            if held is None:
                found.append(f"Declares {name} ({level}), which the registry does not record.")
            elif held[1] != level:
                found.append(f"Declares {name} as {level}; the registry records it as {held[1]}.")
    if declared.certifications is not None:
        record_certs = set(certifications)
        for code in declared.certifications:
            if code not in record_certs:
                found.append(
                    f"Claims {labels.get(code, code)}, which the registry does not record."
                )
    return found


def with_declared(
    profile: VendorProfile, declared: Declared, continent_of: Callable[[str], str]
) -> VendorProfile:
    """The record plus what the vendor declared: declared centres and languages count.

    Declared certifications without a recorded expiry are not added: a flag about a
    certificate needs its expiry, which only the curated record holds.
    """
    languages = dict(profile.languages)
    for name, level in (declared.languages or {}).items():
        if languages.get(name) != "native":
            languages[name] = level
    centres = list(profile.delivery_centres)
    known = {_key(country) for country, _ in centres}
    for country in declared.delivery_centres or ():
        if _key(country) not in known:
            centres.append((country, continent_of(country)))
            known.add(_key(country))
    return replace(profile, languages=languages, delivery_centres=centres)


def declared_flags(
    declared: Declared | None, scope: Scope, flags: Sequence[RiskFlag]
) -> list[RiskFlag]:
    """``flags`` plus what only an answer can raise: a vendor that says the data will not
    stay in the home country, for a scope holding highly sensitive data, gets the
    data-residency flag (once: a centre abroad may have raised it already)."""
    resident = [p.name for p in scope.processes if p.data_sensitivity == RESIDENCY_AT]
    if (
        declared is None
        or declared.data_stays_home is not False
        or not resident
        or any(flag.code == "data_residency" for flag in flags)
    ):
        return list(flags)
    return [
        *flags,
        RiskFlag(
            "data_residency",
            f"The vendor answered that the data would not stay in {scope.home_country}, and "
            f"{', '.join(resident)} holds highly sensitive data: require the data to stay in "
            f"{scope.home_country}, with breach terms in the contract.",
        ),
    ]
