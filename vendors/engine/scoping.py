"""Which service line an event seeks for a process in scope. Pure, no Django.

``shortlist.service_lines_for`` gives the plausible lines of a business function under
a model, most likely first. A process's own name often says which one it is ("Network
infrastructure" is infrastructure and cloud, not service desk), so words in its name
and description pick among the plausible lines first. The manager can always change it.
"""

from __future__ import annotations

from vendors.engine.shortlist import SERVICE_LINES, service_lines_for

# Words that point at a service line, matched case-insensitively as substrings.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "service_desk": ("service desk", "helpdesk", "help desk", "desktop", "end-user"),
    "infrastructure_cloud": (
        "network",
        "infrastructure",
        "data centre",
        "data center",
        "hosting",
        "cloud",
        "server",
        "storage",
    ),
    "application_development": (
        "application",
        "software",
        "erp",
        "crm",
        "development",
        "maintenance",
    ),
    "cybersecurity": ("security", "cyber", "soc ", "threat"),
    "payroll": ("payroll", "lohn"),
    "finance_accounting": (
        "accounts payable",
        "accounts receivable",
        "invoice",
        "billing",
        "ledger",
        "accounting",
        "tax",
    ),
    "hr_administration": ("hr ", "human resources", "recruit", "onboarding", "leavers"),
    "procurement": ("procurement", "purchase", "sourcing"),
    "customer_support": ("customer", "hotline", "complaint", "call centre", "contact centre"),
    "logistics": ("logistic", "shipment", "carrier", "warehouse", "freight"),
    "back_office": ("data entry", "order entry", "back office", "back-office", "keying"),
    "market_research": ("market research", "survey", "competitor", "market analysis"),
    "financial_analysis": (
        "financial planning",
        "fp&a",
        "forecast",
        "variance",
        "financial analysis",
    ),
    "legal_services": ("contract review", "legal", "litigation"),
    "ip_research": ("ip research", "patent", "trademark", "freedom-to-operate"),
    "data_analytics": ("analytics", "dashboard", "data science", "forecasting model"),
    "engineering_design": ("engineering", "cad", "simulation", "design support"),
    "scientific_research": ("scientific", "literature", "laboratory", "clinical"),
}
_MODEL_OF_LINE = {line.code: line.model for line in SERVICE_LINES}


def guess_service_line(*, name: str, description: str, business_function: str, model: str) -> str:
    """A service-line code for a process sourced under ``model``; "" when none fits.

    Keywords in the name win over keywords in the description; among the lines the
    business function makes plausible first, then any line of the model's family.
    """
    try:
        plausible = list(service_lines_for(business_function, model))
    except ValueError:
        plausible = []
    family = [code for code, line_model in _MODEL_OF_LINE.items() if line_model == model]
    for text in (name, description):
        words = f" {text.casefold()} "
        hits = [code for code, keys in _KEYWORDS.items() if any(k in words for k in keys)]
        for candidates in (plausible, family):
            for code in candidates:
                if code in hits:
                    return code
    return plausible[0] if plausible else ""
