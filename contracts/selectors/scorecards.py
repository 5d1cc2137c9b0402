"""The vendor scorecard (METHODOLOGY section 8) for one contract or for all of an
organisation's contracts with a vendor, with the context shown beside it.

There is one path from stored rows to a score: ``contract_rows`` reads what the
scorecard needs for a set of contracts (a fixed number of queries), and
``scorecard_view`` scores a group of them. The contract page, the vendor record, the
dashboard and the board pack all go through it, so the same vendor has the same score
everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import Organisation
from assessments.chart_cache import code_version
from assessments.models import Process
from contracts.engine.periods import add_months, month_start
from contracts.engine.scorecard import IssueState, Scorecard, vendor_scorecard
from contracts.models import (
    Contract,
    GovernanceReview,
    Issue,
    RealisedSaving,
    ServiceCredit,
    Severity,
)
from contracts.selectors.savings import SavingsSummary, read_forecasts, savings_summary
from contracts.selectors.stamps import data_stamps, stamps_digest
from vendors.models import Vendor

WINDOW_MONTHS = 12
# The kinds of record ``contract_rows`` reads (``contracts.selectors.stamps``): the
# processes (through their assessment), the latest projection and the stored forecasts
# (the plan), and each contract's credits, reviews, issues, realised savings and vendor.
ROWS_READ = (
    "assessments",
    "projections",
    "contracts",
    "credits",
    "reviews",
    "issues",
    "savings",
    "forecasts",
    "vendors",
)
ROWS_CACHE_SECONDS = 60 * 60


def sla_counts(credits: Iterable[ServiceCredit]) -> tuple[int, int]:
    """(SLA-periods met, SLA-periods measured) as the credit engine stored them: a measured
    SLA is either met or breached, so met = measured - breaches."""
    measured = breaches = 0
    for credit in credits:
        measured += credit.measured
        breaches += credit.breaches
    return measured - breaches, measured


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


def scorecard_view(
    *,
    credits: Iterable[ServiceCredit],
    reviews: Sequence[GovernanceReview],
    issues: Sequence[Issue],
    savings: Sequence[SavingsSummary],
    today: dt.date,
) -> ScorecardView:
    """Score from rows already loaded: no query.

    SLA attainment counts SLA-months measured in the last 12 months; savings use the
    months where both a realised and a projected figure exist.
    """
    since = add_months(month_start(today), -WINDOW_MONTHS)
    recent = [c for c in credits if c.period >= since]
    met, measured = sla_counts(recent)
    # A realised figure is compared only where a projected one exists.
    compared = [
        (s.realised_compared, s.projected_p50_total)
        for s in savings
        if s.realised_compared is not None and s.projected_p50_total is not None
    ]
    realised = sum(r for r, _ in compared) if compared else None
    projected = sum(p for _, p in compared) if compared else None
    states = [
        IssueState(open_past_due=i.is_overdue(today), critical=i.severity == Severity.CRITICAL)
        for i in issues
    ]
    card = vendor_scorecard(
        sla_periods_met=met,
        sla_periods_total=measured,
        review_ratings=[r.mean_rating for r in reviews],
        realised=realised,
        projected_p50=projected,
        issues=states,
    )
    open_issues = [i for i in issues if i.is_open]
    return ScorecardView(
        scorecard=card,
        credits_12m=sum((c.total for c in recent), Decimal("0.00")),
        sla_periods_met=met,
        sla_periods=measured,
        reviews=len(reviews),
        open_issues=len(open_issues),
        overdue_issues=sum(1 for s in states if s.open_past_due),
        critical_overdue=sum(1 for s in states if s.open_past_due and s.critical),
        mean_open_age_days=(
            sum(i.age_days(today) for i in open_issues) / len(open_issues) if open_issues else None
        ),
        realised=realised,
        projected_p50=projected,
    )


@dataclass(frozen=True)
class ContractRows:
    """What the scorecard and the savings comparison read for a set of contracts.

    ``contracts`` newest first (then by id), with ``vendor`` and ``owner`` loaded; every
    other mapping is by contract id, each list in a fixed order (credits and realised
    savings by month, reviews newest first, issues by due date), so every page that
    groups the same contracts adds the same numbers in the same order.
    """

    contracts: list[Contract]
    processes: dict[int, list[Process]]
    credits: dict[int, list[ServiceCredit]]
    reviews: dict[int, list[GovernanceReview]]
    issues: dict[int, list[Issue]]
    savings: dict[int, SavingsSummary]

    def scorecard(self, contract_ids: Iterable[int], today: dt.date) -> ScorecardView:
        """The scorecard over these contracts (no query)."""
        wanted = set(contract_ids)
        chosen = [c.pk for c in self.contracts if c.pk in wanted]
        return scorecard_view(
            credits=[row for pk in chosen for row in self.credits[pk]],
            reviews=[row for pk in chosen for row in self.reviews[pk]],
            issues=[row for pk in chosen for row in self.issues[pk]],
            savings=[self.savings[pk] for pk in chosen],
            today=today,
        )

    def by_vendor(self, today: dt.date) -> dict[int, ScorecardView]:
        """Each vendor's scorecard over all of these contracts with it (no query)."""
        groups: dict[int, list[int]] = defaultdict(list)
        for contract in self.contracts:
            groups[contract.vendor_id].append(contract.pk)
        return {vendor_id: self.scorecard(ids, today) for vendor_id, ids in groups.items()}


def contract_rows(
    contracts: QuerySet[Contract], today: dt.date, *, loaded: list[Contract] | None = None
) -> ContractRows:
    """Read the scorecard's inputs for ``contracts`` in seven queries, however many there
    are (each read is a subquery of ``contracts``, so it runs even when it is empty).
    ``loaded``: the contracts already read (with ``vendor`` and ``owner``): six queries.

    The savings comparison reads the stored forecasts (``savings``); nothing is computed.
    """
    if loaded is None:
        loaded = list(contracts.select_related("vendor", "owner").order_by("-start_date", "pk"))
        ids: QuerySet | list[int] = contracts.values("pk")
    else:
        loaded = sorted(loaded, key=lambda c: (-c.start_date.toordinal(), c.pk))
        ids = [c.pk for c in loaded]
    covered: dict[int, list[Process]] = {c.pk: [] for c in loaded}
    links = (
        Contract.processes.through.objects.filter(contract__in=ids)
        .select_related("process__assessment", "process__recommendation")
        .order_by("process__assessment_id", "process__position", "process_id")
    )
    for link in links:
        covered.setdefault(link.contract_id, []).append(link.process)
    credits = _grouped(
        loaded,
        ServiceCredit.objects.filter(contract__in=ids)
        .defer("result")
        .order_by("contract_id", "period"),
    )
    reviews = _grouped(
        loaded,
        GovernanceReview.objects.filter(contract__in=ids)
        .select_related("contract")
        .order_by("contract_id", "-held_on", "-pk"),
    )
    issues = _grouped(
        loaded,
        Issue.objects.filter(contract__in=ids)
        .select_related("contract", "owner")
        .order_by("contract_id", "due_on", "pk"),
    )
    realised = _grouped(
        loaded, RealisedSaving.objects.filter(contract__in=ids).order_by("contract_id", "period")
    )
    forecasts = read_forecasts(ids)
    savings = {
        c.pk: savings_summary(c, covered[c.pk], today, savings=realised[c.pk], forecasts=forecasts)
        for c in loaded
    }
    return ContractRows(
        contracts=loaded,
        processes=covered,
        credits=credits,
        reviews=reviews,
        issues=issues,
        savings=savings,
    )


def stamped_contract_rows(
    organisation: Organisation,
    scope: str,
    contracts: QuerySet[Contract],
    today: dt.date,
    *,
    loaded: list[Contract] | None = None,
) -> ContractRows:
    """``contract_rows(contracts, today, loaded=loaded)``, read once per change of what it
    reads: cached under the organisation, ``scope`` (which contracts: "contract:12",
    "vendor:3"), the day, the stamps of ``ROWS_READ`` and the version of the code that
    reads them. A page that shows them costs one query (the stamps) until a credit, an
    issue, a review, a saving, a forecast, a contract, a process or the vendor changes.
    """
    stamps = stamps_digest(data_stamps(organisation), ROWS_READ)
    key = (
        f"contract-rows:{organisation.pk}:{scope}:{today.isoformat()}:{stamps}:"
        f"{code_version(__name__)}"
    )
    rows = cache.get(key)
    if not isinstance(rows, ContractRows):
        rows = contract_rows(contracts, today, loaded=loaded)
        cache.set(key, rows, ROWS_CACHE_SECONDS)
    return rows


def _grouped(contracts: list[Contract], rows: Iterable) -> dict[int, list]:
    grouped: dict[int, list] = {c.pk: [] for c in contracts}
    for row in rows:
        grouped.setdefault(row.contract_id, []).append(row)
    return grouped


def vendor_scorecards(organisation: Organisation, today: dt.date) -> dict[int, ScorecardView]:
    """Every vendor's scorecard over all of the organisation's contracts with it, by
    vendor id: the figure the vendor record, the dashboard and the board pack show."""
    return contract_rows(Contract.objects.for_org(organisation), today).by_vendor(today)


def contract_scorecard(contract: Contract, today: dt.date) -> ScorecardView:
    """The scorecard over one contract, read the way every other scorecard is."""
    rows = contract_rows(Contract.objects.filter(pk=contract.pk), today)
    return rows.scorecard([contract.pk], today)


@dataclass(frozen=True)
class VendorRecord:
    vendor: Vendor
    contracts: list[Contract]
    credits: list[ServiceCredit]
    reviews: list[GovernanceReview]
    issues: list[Issue]
    savings: dict[int, SavingsSummary]
    scorecard: ScorecardView
    sla_record: dict[int, SlaRecord]


class SlaRecord(TypedDict):
    """One contract's SLA-months measured, breached and critical, and its credits."""

    months: int
    breaches: int
    critical: int
    credits: Decimal


def vendor_record(organisation: Organisation, vendor: Vendor, today: dt.date) -> VendorRecord:
    """This organisation's record with ``vendor``: its contracts, SLA record, reviews,
    issues and savings, and the scorecard over all of them."""
    rows = stamped_contract_rows(
        organisation,
        f"vendor:{vendor.pk}",
        Contract.objects.for_org(organisation).with_vendor(vendor),
        today,
    )
    contracts = rows.contracts
    credits = [row for c in contracts for row in rows.credits[c.pk]]
    record: dict[int, SlaRecord] = {
        c.pk: {"months": 0, "breaches": 0, "critical": 0, "credits": Decimal("0.00")}
        for c in contracts
    }
    for credit in credits:
        line = record[credit.contract_id]
        line["months"] += 1
        line["breaches"] += credit.breaches
        line["critical"] += credit.critical
        line["credits"] += credit.total
    return VendorRecord(
        vendor=vendor,
        contracts=contracts,
        credits=credits,
        reviews=sorted(
            (row for c in contracts for row in rows.reviews[c.pk]),
            key=lambda r: (r.held_on, r.pk),
            reverse=True,
        ),
        issues=sorted(
            (row for c in contracts for row in rows.issues[c.pk]), key=lambda i: (i.due_on, i.pk)
        ),
        savings=rows.savings,
        scorecard=rows.scorecard([c.pk for c in contracts], today),
        sla_record=record,
    )
