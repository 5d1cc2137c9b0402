"""The renewals page (computed on request) and the person's notifications."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import organisation_of
from accounts.engine.formatting import count_of
from contracts.models import Notification
from contracts.models.notifications import NotificationQuerySet
from contracts.selectors.renewals import HORIZON_DAYS, renewal_rows

NOTIFICATIONS_SHOWN = 200


def _notifications(request: HttpRequest) -> NotificationQuerySet:
    return Notification.objects.for_member(request.user, organisation_of(request))


@require_GET
def renewals(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "contracts/renewals.html",
        {
            "rows": renewal_rows(organisation_of(request), today),
            "today": today,
            "horizon_days": HORIZON_DAYS,
            "unread": _notifications(request).unread().count(),
        },
    )


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    unread_first = F("read_at").asc(nulls_first=True)
    items = list(
        _notifications(request)
        .select_related("contract")
        .order_by(unread_first, "-created_at", "-pk")[:NOTIFICATIONS_SHOWN]
    )
    return render(request, "contracts/notifications.html", {"notifications": items})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = _notifications(request).unread().update(read_at=timezone.now())
    messages.success(request, f"{count_of(count, 'notification')} marked as read.")
    return redirect("contracts:notifications")
