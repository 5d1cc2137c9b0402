"""Shortlist rules and vendor risk flags (METHODOLOGY section 6), over plain dataclasses.

No Django here (STYLE habit 2): a service turns Vendor rows and an assessment into
these dataclasses, calls ``shortlist`` / ``vendor_risk_flags`` and stores the result.
Countries, continents and languages are compared case-insensitively as written, so
the registry and the assessment must use the same names (e.g. "Germany", "Europe").
Answers are the 1-5 questionnaire values; None ("don't know") triggers no rule, just
as a neutral answer would not.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from accounts.engine.months import add_months
from assessments.engine.vocabulary import NEARSHORE, ONSHORE, OUTSOURCED_MODELS

PROFICIENCIES = ("native", "fluent")
FINANCIAL_RATINGS = ("strong", "adequate", "weak")

NATIVE_LANGUAGE_FROM = 4  # customer_contact at which customers hear the vendor
CERTIFICATE_FROM = 4  # data_sensitivity at which ISO 27001 or SOC 2 is required
ON_SITE_FROM = 4  # onsite_need at which someone must be near our sites
RESIDENCY_AT = 5  # data_sensitivity at which the data must stay in the home country
EXPIRY_WARNING_MONTHS = 12
CONCENTRATION_LIMIT = 0.40


@dataclass(frozen=True)
class ServiceLine:
    code: str
    label: str
    model: str  # the sourcing model the work usually goes under


SERVICE_LINES: tuple[ServiceLine, ...] = (
    ServiceLine("service_desk", "Service desk", "ITO"),
    ServiceLine("infrastructure_cloud", "Infrastructure and cloud", "ITO"),
    ServiceLine("application_development", "Application development and maintenance", "ITO"),
    ServiceLine("cybersecurity", "Cybersecurity", "ITO"),
    ServiceLine("payroll", "Payroll", "BPO"),
    ServiceLine("finance_accounting", "Finance and accounting", "BPO"),
    ServiceLine("hr_administration", "HR administration", "BPO"),
    ServiceLine("procurement", "Procurement", "BPO"),
    ServiceLine("customer_support", "Customer support", "BPO"),
    ServiceLine("logistics", "Logistics", "BPO"),
    ServiceLine("back_office", "Data entry and back office", "BPO"),
    ServiceLine("market_research", "Market research", "KPO"),
    ServiceLine("financial_analysis", "Financial analysis", "KPO"),
    ServiceLine("legal_services", "Legal services", "KPO"),
    ServiceLine("ip_research", "IP research", "KPO"),
    ServiceLine("data_analytics", "Data analytics", "KPO"),
    ServiceLine("engineering_design", "Engineering design", "KPO"),
    ServiceLine("scientific_research", "Scientific research", "KPO"),
)
_LINE_LABELS = {line.code: line.label for line in SERVICE_LINES}

CERTIFICATIONS: tuple[tuple[str, str], ...] = (
    ("iso_27001", "ISO/IEC 27001"),
    ("iso_9001", "ISO 9001"),
    ("soc_2", "SOC 2"),
    ("cmmi_3", "CMMI level 3"),
    ("cmmi_5", "CMMI level 5"),
    ("copc", "COPC"),
    ("pci_dss", "PCI DSS"),
    ("iso_22301", "ISO 22301"),
)
_CERT_LABELS = dict(CERTIFICATIONS)
DATA_SECURITY_CERTIFICATIONS = ("iso_27001", "soc_2")

# Which service lines a process of a business function plausibly buys under each model
# (keys are METHODOLOGY's business functions, lower case). It only pre-selects a
# service line in the wizard; a manager can always pick another. "other" offers every
# line of the model's family. A retained process buys nothing.
_BY_FUNCTION: dict[str, dict[str, tuple[str, ...]]] = {
    "hr": {
        "ITO": ("application_development",),
        "BPO": ("payroll", "hr_administration"),
        "KPO": ("data_analytics",),
    },
    "finance": {
        "ITO": ("application_development",),
        "BPO": ("finance_accounting", "payroll"),
        "KPO": ("financial_analysis", "data_analytics"),
    },
    "customer service": {
        "ITO": ("service_desk", "application_development"),
        "BPO": ("customer_support", "back_office"),
        "KPO": ("market_research", "data_analytics"),
    },
    "it": {
        "ITO": ("service_desk", "infrastructure_cloud", "application_development", "cybersecurity"),
        "BPO": ("service_desk", "back_office"),
        "KPO": ("data_analytics", "cybersecurity"),
    },
    "operations": {
        "ITO": ("infrastructure_cloud", "application_development"),
        "BPO": ("back_office", "logistics", "procurement"),
        "KPO": ("data_analytics", "engineering_design"),
    },
    "r&d": {
        "ITO": ("application_development", "infrastructure_cloud"),
        "BPO": ("back_office",),
        "KPO": ("scientific_research", "engineering_design", "ip_research", "data_analytics"),
    },
    "legal": {
        "ITO": ("application_development",),
        "BPO": ("back_office",),
        "KPO": ("legal_services", "ip_research"),
    },
    "marketing": {
        "ITO": ("application_development",),
        "BPO": ("back_office", "customer_support"),
        "KPO": ("market_research", "data_analytics"),
    },
    "sales": {
        "ITO": ("application_development",),
        "BPO": ("customer_support", "back_office"),
        "KPO": ("market_research", "data_analytics"),
    },
    "procurement": {
        "ITO": ("application_development",),
        "BPO": ("procurement",),
        "KPO": ("data_analytics", "market_research"),
    },
    "logistics": {
        "ITO": ("application_development", "infrastructure_cloud"),
        "BPO": ("logistics", "back_office"),
        "KPO": ("data_analytics",),
    },
    "other": {
        model: tuple(line.code for line in SERVICE_LINES if line.model == model)
        for model in OUTSOURCED_MODELS
    },
}
BUSINESS_FUNCTIONS: tuple[str, ...] = tuple(_BY_FUNCTION)


def service_lines_for(business_function: str, model: str) -> tuple[str, ...]:
    """Plausible service-line codes for a process, most likely first; () for retain."""
    function = business_function.strip().casefold()
    if function not in _BY_FUNCTION:
        raise ValueError(
            f"Unknown business function {business_function!r}; expected one of "
            f"{', '.join(BUSINESS_FUNCTIONS)}."
        )
    return _BY_FUNCTION[function].get(model.strip().upper(), ())


@dataclass(frozen=True)
class VendorProfile:
    id: int | str
    name: str
    active: bool = True
    models: Collection[str] = ()
    service_lines: Collection[str] = ()
    languages: Mapping[str, str] = field(default_factory=dict)  # language -> proficiency
    certifications: Sequence[tuple[str, date]] = ()  # (code, expires on)
    delivery_centres: Sequence[tuple[str, str]] = ()  # (country, continent)
    financial_stability: str | None = None  # strong, adequate, weak; None if unrated

    def __post_init__(self) -> None:
        for language, level in self.languages.items():
            if level not in PROFICIENCIES:
                raise ValueError(
                    f"{self.name}: {language} proficiency {level!r} is not 'native' or 'fluent'."
                )
        if self.financial_stability not in (*FINANCIAL_RATINGS, None):
            raise ValueError(
                f"{self.name}: financial stability {self.financial_stability!r} "
                "is not strong, adequate or weak."
            )


@dataclass(frozen=True)
class ScopeProcess:
    name: str
    service_line: str | None = None
    customer_contact: int | None = None
    data_sensitivity: int | None = None
    onsite_need: int | None = None
    location: str | None = None  # in_house, onshore, nearshore, offshore


@dataclass(frozen=True)
class Scope:
    model: str
    home_country: str
    home_continent: str
    customer_languages: Sequence[str]
    planned_start: date
    processes: Sequence[ScopeProcess]


@dataclass(frozen=True)
class ShortlistEntry:
    vendor_id: int | str
    included: bool
    reasons: list[str]


@dataclass(frozen=True)
class RiskFlag:
    code: str
    message: str


def _key(text: str) -> str:
    return text.strip().casefold()


def _at_least(answer: int | None, threshold: int) -> bool:
    return answer is not None and answer >= threshold


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _line_name(code: str) -> str:
    """A service line's label for use mid-sentence: "payroll", but "HR administration"."""
    label = _LINE_LABELS.get(code, code)
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _cert_label(code: str) -> str:
    return _CERT_LABELS.get(code, code)


def _native(vendor: VendorProfile) -> set[str]:
    return {_key(lang) for lang, level in vendor.languages.items() if level == "native"}


def _countries(vendor: VendorProfile) -> set[str]:
    return {_key(country) for country, _ in vendor.delivery_centres}


def _checks(vendor: VendorProfile, scope: Scope) -> list[tuple[bool, str]]:
    """Every shortlist rule as (passed, sentence), in the order METHODOLOGY lists them."""
    model = scope.model.strip().upper()
    offered = {m.strip().upper() for m in vendor.models}
    checks = [
        (
            vendor.active,
            "Active in the vendor registry."
            if vendor.active
            else "Inactive in the vendor registry.",
        ),
        (model in offered, f"Offers {model}." if model in offered else f"Does not offer {model}."),
    ]
    wanted = list(dict.fromkeys(p.service_line for p in scope.processes if p.service_line))
    covered = [line for line in wanted if line in set(vendor.service_lines)]
    names = [_line_name(line) for line in wanted]
    if not wanted:
        checks.append((False, "No process in scope names a service line to match."))
    elif covered:
        checks.append(
            (
                True,
                f"Covers {_and([_line_name(c) for c in covered])} "
                f"({len(covered)} of {len(wanted)} service lines in scope).",
            )
        )
    else:
        checks.append((False, f"Covers none of the service lines in scope ({_and(names)})."))

    native, countries = _native(vendor), _countries(vendor)
    continents = {_key(continent) for _, continent in vendor.delivery_centres}
    home, continent = _key(scope.home_country), _key(scope.home_continent)
    for process in scope.processes:
        label = f"'{process.name}'"
        location = _key(process.location or "")
        if _at_least(process.customer_contact, NATIVE_LANGUAGE_FROM):
            missing = [lang for lang in scope.customer_languages if _key(lang) not in native]
            if not scope.customer_languages:
                checks.append(
                    (
                        True,
                        f"No customer language is recorded, so native delivery "
                        f"for customer-facing {label} could not be checked.",
                    )
                )
            elif missing:
                checks.append(
                    (
                        False,
                        f"No native {_and(missing)} delivery for customer-facing "
                        f"{label} (customer contact "
                        f"{process.customer_contact}/5).",
                    )
                )
            else:
                checks.append(
                    (
                        True,
                        f"Native {_and(list(scope.customer_languages))} "
                        f"delivery for customer-facing {label}.",
                    )
                )
        if _at_least(process.data_sensitivity, CERTIFICATE_FROM):
            valid = [
                (code, expires)
                for code, expires in vendor.certifications
                if code in DATA_SECURITY_CERTIFICATIONS and expires >= scope.planned_start
            ]
            if valid:
                code, expires = max(valid, key=lambda cert: cert[1])
                checks.append(
                    (
                        True,
                        f"{_cert_label(code)} valid until {expires.isoformat()} "
                        f"for sensitive {label}.",
                    )
                )
            else:
                checks.append(
                    (
                        False,
                        f"No ISO/IEC 27001 or SOC 2 valid at the planned start "
                        f"({scope.planned_start.isoformat()}) for sensitive "
                        f"{label} (data sensitivity "
                        f"{process.data_sensitivity}/5).",
                    )
                )
        if location == ONSHORE:
            ok = home in countries
            checks.append(
                (
                    ok,
                    f"{'Has a' if ok else 'No'} delivery centre in "
                    f"{scope.home_country} for onshore {label}.",
                )
            )
        elif location == NEARSHORE:
            # A centre in the home country serves a nearshore process too.
            ok = continent in continents or home in countries
            checks.append(
                (
                    ok,
                    f"{'Has a' if ok else 'No'} delivery centre in "
                    f"{scope.home_continent} for nearshore {label}.",
                )
            )
    return checks


def shortlist(vendors: Sequence[VendorProfile], scope: Scope) -> list[ShortlistEntry]:
    """One entry per vendor, in the order given.

    An included vendor gets every rule it passed as a sentence; an excluded vendor gets
    every rule it failed, so the manager sees all that stands in the way at once.
    """
    entries = []
    for vendor in vendors:
        checks = _checks(vendor, scope)
        included = all(passed for passed, _ in checks)
        reasons = [text for passed, text in checks if passed == included]
        entries.append(ShortlistEntry(vendor.id, included, reasons))
    return entries


def vendor_risk_flags(
    vendor: VendorProfile, scope: Scope, *, award_share: float | None = None
) -> list[RiskFlag]:
    """Risks to show beside a vendor; they inform the manager and never exclude anyone.

    ``award_share`` is the fraction (0..1) of the organisation's outsourced spend the
    vendor would hold after this award; None when not yet known.
    """
    flags = []
    native, countries = _native(vendor), _countries(vendor)
    home = _key(scope.home_country)
    facing = [
        p.name for p in scope.processes if _at_least(p.customer_contact, NATIVE_LANGUAGE_FROM)
    ]
    missing = [lang for lang in scope.customer_languages if _key(lang) not in native]
    if facing and missing:
        flags.append(
            RiskFlag(
                "language_mismatch",
                (
                    f"No native {_and(missing)} delivery, yet customers will hear the vendor in "
                    f"{_and(facing)}: require native-language, culturally fluent agents."
                ),
            )
        )
    hands_on = [p.name for p in scope.processes if _at_least(p.onsite_need, ON_SITE_FROM)]
    if hands_on and home not in countries:
        flags.append(
            RiskFlag(
                "on_site_gap",
                (
                    f"No delivery centre in {scope.home_country}, "
                    f"yet {_and(hands_on)} needs hands on "
                    "site: require local presence or someone will still drive to the site."
                ),
            )
        )
    resident = [p.name for p in scope.processes if p.data_sensitivity == RESIDENCY_AT]
    abroad = sorted({country for country, _ in vendor.delivery_centres if _key(country) != home})
    if resident and (abroad or not vendor.delivery_centres):
        where = f"delivers from {_and(abroad)}" if abroad else "records no delivery centre"
        flags.append(
            RiskFlag(
                "data_residency",
                (
                    f"The vendor {where}, and {_and(resident)} "
                    "holds highly sensitive data: require "
                    f"the data to stay in {scope.home_country}, with breach terms in the contract."
                ),
            )
        )
    # 29 February or the 31st fall back to the last day of the target month.
    horizon = add_months(scope.planned_start, EXPIRY_WARNING_MONTHS)
    latest: dict[str, date] = {}  # a renewed certificate supersedes the lapsed record
    for code, expires in vendor.certifications:
        latest[code] = max(expires, latest.get(code, expires))
    for code, expires in sorted(latest.items(), key=lambda cert: (cert[1], cert[0])):
        if expires < scope.planned_start:
            flags.append(
                RiskFlag(
                    "certification_expiring",
                    (
                        f"{_cert_label(code)} expired on {expires.isoformat()}, before the planned "
                        f"start ({scope.planned_start.isoformat()}): ask for the renewal."
                    ),
                )
            )
        elif expires <= horizon:
            flags.append(
                RiskFlag(
                    "certification_expiring",
                    (
                        f"{_cert_label(code)} expires on {expires.isoformat()}, within "
                        f"{EXPIRY_WARNING_MONTHS} months of the planned start: make renewal a "
                        "contract condition."
                    ),
                )
            )
    if award_share is not None:
        if not 0 <= award_share <= 1:
            raise ValueError(f"award_share is a fraction from 0 to 1, not {award_share:g}.")
        if award_share > CONCENTRATION_LIMIT:
            flags.append(
                RiskFlag(
                    "concentration",
                    (
                        f"This award would give {vendor.name} {award_share:.0%} of the outsourced "
                        f"spend, over {CONCENTRATION_LIMIT:.0%}: plan an exit and a second source."
                    ),
                )
            )
    if vendor.financial_stability == "weak":
        flags.append(
            RiskFlag(
                "weak_financial_stability",
                (
                    f"{vendor.name} has a weak financial-stability rating: ask for guarantees, "
                    "escrow and step-in rights."
                ),
            )
        )
    return flags
