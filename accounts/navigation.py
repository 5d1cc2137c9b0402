"""The navigation bar: which links each role sees."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from accounts.models import Role

ALL_ROLES = (Role.MANAGER, Role.CIO, Role.ADMIN)


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    roles: tuple[str, ...] = ALL_ROLES


# A link appears once its app provides the page (the url name resolves).
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
    links = []
    for link in NAV_LINKS:
        if role not in link.roles:
            continue
        try:
            links.append({"label": link.label, "url": reverse(link.url_name), "active": False})
        except NoReverseMatch:
            continue
    matching = [link for link in links if path.startswith(link["url"])]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["active"] = True
    return links
