"""The home page, which shows where the organisation stands and what to do next."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from accounts.access import membership_of
from outsourcing.engine.lifecycle import Link, guide
from outsourcing.home.selectors import lifecycle_for


def _href(link: Link) -> str:
    url = reverse(link.url_name, args=link.args)
    return f"{url}#{link.anchor}" if link.anchor else url


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    life = lifecycle_for(membership.organisation, timezone.localdate())
    plan = guide(life, membership.role)
    return render(
        request,
        "home.html",
        {
            "membership": membership,
            "life": life,
            "stages": [
                {"stage": stage, "href": _href(stage.link) if stage.link else ""}
                for stage in plan.stages
            ],
            "next_steps": [{"label": step.label, "href": _href(step)} for step in plan.next_steps],
            "why": plan.why,
        },
    )


@login_not_required
@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on pages without an icon link (Django admin)."""
    icon = Path(settings.BASE_DIR) / "static" / "favicon.ico"
    return HttpResponse(icon.read_bytes(), content_type="image/x-icon")
