"""What the home page reads: a few counts and ids, in a fixed, small number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from accounts.models import Organisation
from assessments.models import Assessment, ProjectionStatus, Status
from assessments.selectors.portfolio import current_portfolio_id, default_assessment
from contracts.engine.renewals import notice_deadline
from contracts.models import Contract
from outsourcing.engine.headline import NOTICE_WINDOW_DAYS
from outsourcing.engine.lifecycle import Lifecycle
from vendors.models.events import EventStatus, SourcingEvent


def lifecycle_for(organisation: Organisation, today: dt.date) -> Lifecycle:
    """The organisation's place in the lifecycle (five queries, whatever its size)."""
    assessments = list(
        Assessment.objects.for_org(organisation)
        .order_by("-submitted_at", "-updated_at", "-pk")
        .only("pk", "name", "status", "submitted_at", "updated_at")
    )
    submitted = [a for a in assessments if a.status == Status.SUBMITTED]
    drafts = sorted(
        (a for a in assessments if a.status == Status.DRAFT),
        key=lambda a: a.updated_at,
        reverse=True,
    )
    marked_id = current_portfolio_id(organisation)
    portfolio = default_assessment(submitted, marked_id)
    projection_done = (
        portfolio is not None
        and portfolio.projections.filter(
            status=ProjectionStatus.DONE, result__isnull=False
        ).exists()
    )
    events = SourcingEvent.objects.for_org(organisation)
    counts = events.aggregate(
        open=Count("pk", filter=Q(status__in=(EventStatus.OPEN, EventStatus.EVALUATING))),
        awarded=Count("pk", filter=Q(status=EventStatus.AWARDED)),
    )
    first_open = (
        events.filter(status__in=(EventStatus.OPEN, EventStatus.EVALUATING))
        .order_by("deadline", "pk")
        .values_list("pk", "name")
        .first()
    )
    live = Contract.objects.for_org(organisation).live().values_list("end_date", "notice_days")
    horizon = today + dt.timedelta(days=NOTICE_WINDOW_DAYS)
    deadlines = [notice_deadline(end, days) for end, days in live]
    return Lifecycle(
        drafts=len(drafts),
        draft_id=drafts[0].pk if drafts else None,
        draft_name=drafts[0].name if drafts else "",
        submitted=len(submitted),
        portfolio_id=portfolio.pk if portfolio else None,
        portfolio_name=portfolio.name if portfolio else "",
        portfolio_marked=portfolio is not None and portfolio.pk == marked_id,
        projection_done=projection_done,
        events_open=counts["open"],
        event_id=first_open[0] if first_open else None,
        event_name=first_open[1] if first_open else "",
        events_awarded=counts["awarded"],
        contracts_live=len(deadlines),
        notices_due=sum(1 for d in deadlines if today <= d <= horizon),
        notice_window=NOTICE_WINDOW_DAYS,
    )
