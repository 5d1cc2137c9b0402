"""The current membership, the person's other organisations and their links."""

from django.http import HttpRequest

from accounts.models import Membership
from accounts.navigation import links_for


def membership(request: HttpRequest) -> dict:
    current = getattr(request, "membership", None)
    if current is None:
        return {"membership": None, "nav_links": [], "other_memberships": []}
    return {
        "membership": current,
        "can_edit": current.can_edit,
        "nav_links": links_for(current.role, request.path),
        "other_memberships": [m for m in _memberships(request) if m.pk != current.pk],
    }


def _memberships(request: HttpRequest) -> list[Membership]:
    """The person's memberships, as the middleware read them for this request."""
    known = getattr(request, "memberships", None)
    return known if known is not None else list(Membership.objects.for_user(request.user))
