"""The navigation bar: which links each role sees."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from accounts.models import Role

ALL_ROLES = (Role.MANAGER, Role.CIO, Role.ADMIN)


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    roles: tuple[str, ...] = ALL_ROLES


# Every app is always installed, so every link's page exists; roles choose what shows.
NAV_LINKS = (
    NavLink("Assessments", "assessments:list"),
    NavLink("Vendors", "vendors:directory"),
    NavLink("Sourcing events", "vendors:event-list", (Role.MANAGER, Role.ADMIN, Role.CIO)),
    NavLink("Contracts", "contracts:list"),
    NavLink("Renewals", "contracts:renewals"),
    NavLink("Dashboard", "dashboard"),
    NavLink("Audit trail", "audit", (Role.ADMIN,)),
    NavLink("Administration", "members", (Role.ADMIN,)),
)


def links_for(role: str, path: str = "") -> list[dict]:
    """The role's links; the one whose URL is the longest prefix of ``path`` is active."""
    links: list[dict[str, Any]] = [
        {"label": link.label, "url": reverse(link.url_name), "active": False}
        for link in NAV_LINKS
        if role in link.roles
    ]
    matching = [link for link in links if path.startswith(link["url"])]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["active"] = True
    return links
