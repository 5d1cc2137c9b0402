"""Marking an assessment as the organisation's current portfolio."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.access import MemberRequest, organisation_of, roles_required
from assessments.access import get_assessment_for
from assessments.services.portfolio import (
    PORTFOLIO_ROLES,
    PortfolioError,
    portfolio_mark_current,
)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard")


@roles_required(*PORTFOLIO_ROLES)
@require_POST
def mark_current_portfolio(request: MemberRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    try:
        portfolio_mark_current(
            organisation=organisation_of(request), assessment=assessment, user=request.user
        )
    except PortfolioError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            f"“{assessment.name}” is now the current portfolio: the dashboard and the "
            "home page open on it.",
        )
    return redirect(_next_url(request))
