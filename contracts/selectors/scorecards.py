"""The vendor scorecard (METHODOLOGY section 8) for one contract or for all of an
organisation's contracts with a vendor, with the context shown beside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Organisation
from vendors.models import Vendor

from ..models import Contract, GovernanceReview, Issue, ServiceCredit, Severity
from ..periods import add_months, month_start
from ..scorecard import IssueState, Scorecard, vendor_scorecard
from .savings import SavingsSummary, covered_processes, savings_summary

WINDOW_MONTHS = 12


@dataclass(frozen=True)
class ScorecardView:
    scorecard: Scorecard
    credits_12m: Decimal
    sla_periods_met: int
    sla_periods: int
    reviews: int
    open_issues: int
    overdue_issues: int
    critical_overdue: int
    mean_open_age_days: float | None
    realised: float | None
    projected_p50: float | None


def scorecard_view(*, credits: Iterable[ServiceCredit], reviews: Sequence[GovernanceReview],
                   issues: Sequence[Issue], savings: Sequence[SavingsSummary],
                   today: dt.date) -> ScorecardView:
    """Score from rows already loaded: no query.

    SLA attainment counts SLA-months measured in the last 12 months (a measured SLA is
    either met or breached, so met = measured - breaches); savings use the months where
    both a realised and a projected figure exist.
    """
    since = add_months(month_start(today), -WINDOW_MONTHS)
    recent = [c for c in credits if c.period >= since]
    measured = sum(c.measured for c in recent)
    met = measured - sum(c.breaches for c in recent)
    compared = [s for s in savings if s.realised_compared is not None]
    realised = sum(s.realised_compared for s in compared) if compared else None
    projected = sum(s.projected_p50_total for s in compared) if compared else None
    states = [IssueState(open_past_due=i.is_overdue(today), critical=i.severity ==
                         Severity.CRITICAL) for i in issues]
    card = vendor_scorecard(
        sla_periods_met=met, sla_periods_total=measured,
        review_ratings=[r.mean_rating for r in reviews], realised=realised,
        projected_p50=projected, issues=states)
    open_issues = [i for i in issues if i.is_open]
    return ScorecardView(
        scorecard=card,
        credits_12m=sum((c.total for c in recent), Decimal("0.00")),
        sla_periods_met=met, sla_periods=measured, reviews=len(reviews),
        open_issues=len(open_issues),
        overdue_issues=sum(1 for s in states if s.open_past_due),
        critical_overdue=sum(1 for s in states if s.open_past_due and s.critical),
        mean_open_age_days=(sum(i.age_days(today) for i in open_issues) / len(open_issues)
                            if open_issues else None),
        realised=realised, projected_p50=projected,
    )


@dataclass(frozen=True)
class VendorRecord:
    vendor: Vendor
    contracts: list[Contract]
    credits: list[ServiceCredit]
    reviews: list[GovernanceReview]
    issues: list[Issue]
    savings: dict[int, SavingsSummary]
    scorecard: ScorecardView
    sla_record: dict[int, dict[str, object]]

    @property
    def credits_total(self) -> Decimal:
        return sum((c.total for c in self.credits), Decimal("0.00"))


def vendor_record(organisation: Organisation, vendor: Vendor, today: dt.date) -> VendorRecord:
    """This organisation's record with ``vendor``: its contracts, SLA record, reviews,
    issues and savings, and the scorecard over all of them."""
    contracts = list(Contract.objects.for_org(organisation).with_vendor(vendor)
                     .select_related("owner").order_by("-start_date", "pk"))
    credits = list(ServiceCredit.objects.filter(contract__in=contracts).defer("result")
                   .order_by("contract_id", "period"))
    reviews = list(GovernanceReview.objects.filter(contract__in=contracts)
                   .select_related("contract"))
    issues = list(Issue.objects.filter(contract__in=contracts).select_related("contract",
                                                                              "owner"))
    savings = {c.pk: savings_summary(c, covered_processes(c), today) for c in contracts}
    card = scorecard_view(credits=credits, reviews=reviews, issues=issues,
                          savings=list(savings.values()), today=today)
    record: dict[int, dict[str, object]] = {
        c.pk: {"months": 0, "breaches": 0, "critical": 0, "credits": Decimal("0.00")}
        for c in contracts}
    for credit in credits:
        line = record[credit.contract_id]
        line["months"] += 1
        line["breaches"] += credit.breaches
        line["critical"] += credit.critical
        line["credits"] += credit.total
    return VendorRecord(vendor, contracts, credits, reviews, issues, savings, card, record)
