"""Reads for the portfolio dashboard: a fixed number of queries, DataFrames out.

The dashboard composes what the other apps store; it never writes. Every query is
scoped to one organisation first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import (
    CharField,
    Count,
    Max,
    Min,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat

from accounts.models import Organisation
from assessments.models import Assessment, Projection, ProjectionStatus
from assessments.selectors import (
    recommendation_rows,
    recommendations_for,
    roadmap_frame,
    sourcing_mix,
)
from contracts.benefits import escalated_baseline
from contracts.models import (
    LIVE_STATUSES,
    OPEN_ISSUE_STATUSES,
    Contract,
    GovernanceReview,
    Issue,
    RealisedSaving,
    ServiceCredit,
)
from contracts.renewals import notice_deadline
from contracts.scorecard import IssueState, vendor_scorecard

OUTSOURCED = ("ITO", "BPO", "KPO")
PERIOD_CHOICES = ((3, "Last 3 months"), (6, "Last 6 months"), (12, "Last 12 months"),
                  (24, "Last 24 months"), (0, "All time"))


@dataclass(frozen=True)
class DashboardFilters:
    assessment_id: int | None = None
    business_function: str = ""
    wave: int | None = None
    period_months: int = 12

    def cache_key(self) -> str:
        return (f"a{self.assessment_id}-f{self.business_function}-w{self.wave}"
                f"-p{self.period_months}")


@dataclass
class DashboardData:
    organisation: str
    currency: str
    today: dt.date
    assessment: dict[str, Any] | None
    headline: dict[str, Any]
    recommendations: pd.DataFrame
    mix: pd.DataFrame
    mix_by_function: pd.DataFrame
    roadmap: pd.DataFrame
    horizon: int
    fan: pd.DataFrame
    waves_npv: list[dict[str, Any]]
    vendors: pd.DataFrame
    sla: pd.DataFrame
    renewals: pd.DataFrame
    contracts: pd.DataFrame
    issues: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def submitted_assessments(organisation: Organisation):
    return Assessment.objects.for_org(organisation).submitted().order_by("-submitted_at", "-pk")


def dashboard_data(organisation: Organisation, filters: DashboardFilters,
                   today: dt.date, assessments: list[Assessment] | None = None
                   ) -> DashboardData:
    """Everything the dashboard shows. ``assessments``: the submitted ones, if already read."""
    assessment = _chosen_assessment(organisation, filters, assessments)
    rows = _recommendations(assessment, filters)
    outsourced = rows[rows["chosen_model"].isin(OUTSOURCED)] if not rows.empty else rows
    projection = _projection(assessment)
    since = (month_start(today) - pd.DateOffset(months=filters.period_months - 1)).date() \
        if filters.period_months else dt.date(1900, 1, 1)
    contracts = _contracts(organisation)
    sla = _sla_frame(organisation, since)
    realised = _realised(organisation, contracts, since=dt.date(1900, 1, 1))
    fan = _fan(projection, assessment, realised, contracts)
    renewals = _renewals(contracts, today)
    issues = _issues(organisation, today)
    vendors = _vendors(organisation, contracts, today)
    credits = {"total": float(sla["credits"].sum()) if not sla.empty else 0.0,
               "net": float(sla["net_credits"].sum()) if not sla.empty else 0.0}
    headline = _headline(rows, outsourced, projection, fan, sla, renewals, issues, credits,
                         today)
    return DashboardData(
        organisation=organisation.name,
        currency=assessment.currency if assessment else organisation.currency,
        today=today,
        assessment=({"id": assessment.pk, "name": assessment.name,
                     "engine_version": assessment.engine_version,
                     "submitted_at": assessment.submitted_at} if assessment else None),
        headline=headline, recommendations=rows,
        mix=sourcing_mix(rows) if not rows.empty else pd.DataFrame(),
        mix_by_function=_mix_by_function(rows),
        roadmap=roadmap_frame(rows) if not rows.empty else pd.DataFrame(),
        horizon=assessment.horizon_months if assessment else 60,
        fan=fan, waves_npv=_waves_npv(projection), vendors=vendors, sla=sla,
        renewals=renewals, contracts=contracts, issues=issues,
    )


def _chosen_assessment(organisation: Organisation, filters: DashboardFilters,
                       assessments: list[Assessment] | None) -> Assessment | None:
    """The filtered assessment when it is one of the organisation's, else the latest."""
    if assessments is None:
        assessments = list(submitted_assessments(organisation))
    by_id = {a.pk: a for a in assessments}
    return by_id.get(filters.assessment_id) or (assessments[0] if assessments else None)


def _recommendations(assessment: Assessment | None, filters: DashboardFilters) -> pd.DataFrame:
    if assessment is None:
        return recommendation_rows(recommendations_for(Assessment(pk=0)).none())
    queryset = recommendations_for(assessment)
    if filters.business_function:
        queryset = queryset.filter(process__business_function=filters.business_function)
    if filters.wave:
        queryset = queryset.filter(wave=filters.wave)
    return recommendation_rows(queryset)


def _mix_by_function(rows: pd.DataFrame) -> pd.DataFrame:
    columns = ["business_function", "model", "annual_cost", "processes"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({"business_function": rows["function_label"],
                          "model": rows["chosen_model"],
                          "annual_cost": rows["annual_cost"].astype(float)})
    grouped = frame.groupby(["business_function", "model"], sort=True).agg(
        annual_cost=("annual_cost", "sum"), processes=("annual_cost", "size")).reset_index()
    return grouped[columns]


def _projection(assessment: Assessment | None) -> Projection | None:
    if assessment is None:
        return None
    return (assessment.projections.filter(status=ProjectionStatus.DONE, result__isnull=False)
            .order_by("-created_at", "-pk").first())


def _waves_npv(projection: Projection | None) -> list[dict[str, Any]]:
    if projection is None or projection.result.get("nothing_to_project"):
        return []
    deterministic = {w["wave"]: w for w in projection.result["deterministic"]["waves"]}
    monte = {w["wave"]: w for w in projection.result["monte_carlo"].get("waves", [])}
    return [{"wave": wave, "model": deterministic[wave].get("model", ""),
             "npv": deterministic[wave]["npv"],
             "payback_month": deterministic[wave]["payback_month"],
             "npv_p10": monte.get(wave, {}).get("npv_p10"),
             "npv_p90": monte.get(wave, {}).get("npv_p90")}
            for wave in sorted(deterministic)]


def _contracts(organisation: Organisation) -> pd.DataFrame:
    columns = ["id", "title", "vendor_id", "vendor", "model", "status", "start_date",
               "end_date", "notice_days", "annual_value", "baseline", "currency",
               "assessment_id"]
    queryset = (Contract.objects.for_org(organisation).filter(status__in=LIVE_STATUSES)
                .annotate(process_cost=Sum("processes__annual_cost"),
                          assessment_id=Min("processes__assessment_id"))
                .values("id", "title", "vendor_id", "vendor__name", "model", "status",
                        "start_date", "end_date", "notice_days", "annual_value",
                        "baseline_annual_cost", "process_cost", "currency",
                        "assessment_id"))
    records = [{
        "id": c["id"], "title": c["title"], "vendor_id": c["vendor_id"],
        "vendor": c["vendor__name"], "model": c["model"], "status": c["status"],
        "start_date": c["start_date"], "end_date": c["end_date"],
        "notice_days": c["notice_days"], "annual_value": float(c["annual_value"]),
        "baseline": float(c["baseline_annual_cost"] or c["process_cost"] or 0),
        "currency": c["currency"], "assessment_id": c["assessment_id"],
    } for c in queryset.order_by("end_date", "pk")]
    return pd.DataFrame(records, columns=columns)


def _sla_frame(organisation: Organisation, since: dt.date) -> pd.DataFrame:
    """One row per contract-month with its SLA attainment and credits (one query)."""
    credits = (ServiceCredit.objects.filter(contract__organisation=organisation,
                                            period__gte=since)
               .values("contract__title", "period", "measured", "breaches", "total",
                       "net_total")
               .order_by("period"))
    records = [{"contract": c["contract__title"], "period": c["period"].strftime("%Y-%m"),
                "measured": c["measured"], "met": c["measured"] - c["breaches"],
                "attainment": (c["measured"] - c["breaches"]) / c["measured"]
                if c["measured"] else None,
                "credits": float(c["total"]), "net_credits": float(c["net_total"])}
               for c in credits]
    return pd.DataFrame(records, columns=["contract", "period", "measured", "met",
                                          "attainment", "credits", "net_credits"])


def _realised(organisation: Organisation, contracts: pd.DataFrame, *, since: dt.date
              ) -> pd.DataFrame:
    """Realised saving per contract-month: escalated in-house baseline minus actual costs."""
    baseline = {row.id: (row.baseline, row.start_date) for row in contracts.itertuples()}
    assessment_of = {row.id: row.assessment_id for row in contracts.itertuples()}
    rows = (RealisedSaving.objects.filter(contract__organisation=organisation,
                                          period__gte=since)
            .values("contract_id", "period", "vendor_cost", "governance_cost"))
    records = []
    for row in rows:
        if row["contract_id"] not in baseline:
            continue
        annual, start = baseline[row["contract_id"]]
        in_house = escalated_baseline(annual, max(0, months_between(start, row["period"])))
        records.append({"period": row["period"], "assessment_id": assessment_of[row["contract_id"]],
                        "saving": in_house - float(row["vendor_cost"])
                        - float(row["governance_cost"])})
    return pd.DataFrame(records, columns=["period", "assessment_id", "saving"])


def programme_start(assessment: Assessment, contracts: pd.DataFrame) -> dt.date:
    """Month 0 of the roadmap: the first contract for its processes, else its submission."""
    covering = contracts[contracts["assessment_id"] == assessment.pk] if not contracts.empty \
        else contracts
    if not covering.empty:
        return month_start(min(covering["start_date"]))
    return month_start((assessment.submitted_at or assessment.created_at).date())


def _fan(projection: Projection | None, assessment: Assessment | None,
         realised: pd.DataFrame, contracts: pd.DataFrame) -> pd.DataFrame:
    columns = ["month", "p10", "p50", "p90", "realised"]
    if projection is None or projection.result.get("nothing_to_project"):
        return pd.DataFrame(columns=columns)
    monte = projection.result["monte_carlo"]
    frame = pd.DataFrame({"month": range(len(monte["cumulative_p50"])),
                          "p10": monte["cumulative_p10"], "p50": monte["cumulative_p50"],
                          "p90": monte["cumulative_p90"]})
    frame["realised"] = float("nan")
    realised = realised[realised["assessment_id"] == assessment.pk] if not realised.empty \
        else realised
    if not realised.empty:
        start = programme_start(assessment, contracts)
        by_month: dict[int, float] = defaultdict(float)
        for row in realised.itertuples():
            month = months_between(start, row.period)
            if 0 <= month < len(frame):
                by_month[month] += row.saving
        if by_month:
            last = max(by_month)
            cumulative = pd.Series([by_month.get(m, 0.0) for m in range(last + 1)]).cumsum()
            frame.loc[: last, "realised"] = cumulative.to_numpy()
    return frame[columns]


def _renewals(contracts: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    columns = ["contract", "vendor", "notice_deadline", "end_date", "days_to_deadline"]
    records = []
    for row in contracts.itertuples():
        deadline = notice_deadline(row.end_date, row.notice_days)
        records.append({"contract": row.title, "vendor": row.vendor,
                        "notice_deadline": deadline, "end_date": row.end_date,
                        "days_to_deadline": (deadline - today).days})
    frame = pd.DataFrame(records, columns=columns)
    return frame.sort_values("notice_deadline") if not frame.empty else frame


def _issues(organisation: Organisation, today: dt.date) -> pd.DataFrame:
    rows = (Issue.objects.filter(contract__organisation=organisation,
                                 status__in=OPEN_ISSUE_STATUSES)
            .values("title", "severity", "status", "due_on", "raised_on", "contract__title",
                    "contract__vendor__name").order_by("due_on"))
    records = [{"issue": r["title"], "severity": r["severity"], "status": r["status"],
                "raised_on": r["raised_on"], "due_on": r["due_on"],
                "overdue": r["due_on"] < today, "contract": r["contract__title"],
                "vendor": r["contract__vendor__name"]} for r in rows]
    return pd.DataFrame(records, columns=["issue", "severity", "status", "raised_on", "due_on",
                                          "overdue", "contract", "vendor"])


def _vendors(organisation: Organisation, contracts: pd.DataFrame, today: dt.date
             ) -> pd.DataFrame:
    """Spend and a scorecard per vendor with live contracts (three grouped queries)."""
    columns = ["vendor", "annual_spend", "score", "contracts", "sla_attainment",
               "review_rating", "issue_health"]
    if contracts.empty:
        return pd.DataFrame(columns=columns)
    year_ago = month_start(today) - dt.timedelta(days=365)
    sla = {r["contract__vendor_id"]: r for r in ServiceCredit.objects.filter(
        contract__organisation=organisation, period__gte=year_ago)
        .values("contract__vendor_id")
        .annotate(measured=Sum("measured"), breaches=Sum("breaches"))}
    ratings: dict[int, list[float]] = defaultdict(list)
    for review in GovernanceReview.objects.filter(contract__organisation=organisation).values(
            "contract__vendor_id", "rating_delivery", "rating_communication",
            "rating_responsiveness", "rating_innovation"):
        values = [review[k] for k in ("rating_delivery", "rating_communication",
                                      "rating_responsiveness", "rating_innovation")
                  if review[k] is not None]
        if values:
            ratings[review["contract__vendor_id"]].append(sum(values) / len(values))
    issues: dict[int, list[IssueState]] = defaultdict(list)
    for issue in Issue.objects.filter(contract__organisation=organisation).values(
            "contract__vendor_id", "status", "due_on", "severity"):
        issues[issue["contract__vendor_id"]].append(IssueState(
            open_past_due=issue["status"] in OPEN_ISSUE_STATUSES and issue["due_on"] < today,
            critical=issue["severity"] == "critical"))
    records = []
    for vendor_id, group in contracts.groupby("vendor_id"):
        measured = sla.get(vendor_id, {}).get("measured") or 0
        met = measured - (sla.get(vendor_id, {}).get("breaches") or 0)
        card = vendor_scorecard(sla_periods_met=met, sla_periods_total=measured,
                                review_ratings=ratings.get(vendor_id, []), realised=None,
                                projected_p50=None, issues=issues.get(vendor_id, []))
        parts = {part.key: part.value for part in card.parts}
        records.append({"vendor": group["vendor"].iloc[0],
                        "annual_spend": float(group["annual_value"].sum()),
                        "score": card.total, "contracts": len(group),
                        "sla_attainment": parts.get("sla"), "review_rating": parts.get("reviews"),
                        "issue_health": parts.get("issues")})
    return pd.DataFrame(records, columns=columns).sort_values("annual_spend", ascending=False)


def _headline(rows, outsourced, projection, fan, sla, renewals, issues, credits,
              today: dt.date) -> dict[str, Any]:
    total_spend = float(sum(rows["annual_cost"])) if not rows.empty else 0.0
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1).strftime("%Y-%m")
    this_quarter = sla[sla["period"] >= quarter_start] if not sla.empty else sla
    measured = int(this_quarter["measured"].sum()) if not this_quarter.empty else 0
    npv = p10 = p90 = payback = prob = None
    if projection is not None and not projection.result.get("nothing_to_project"):
        npv = projection.result["deterministic"]["npv"]
        payback = projection.result["deterministic"]["payback_month"]
        p10 = projection.result["monte_carlo"].get("npv_p10")
        p90 = projection.result["monte_carlo"].get("npv_p90")
        prob = projection.result["monte_carlo"].get("prob_npv_negative")
    realised_to_date = plan_to_date = None
    if not fan.empty and fan["realised"].notna().any():
        last = fan[fan["realised"].notna()].iloc[-1]
        realised_to_date, plan_to_date = float(last["realised"]), float(last["p50"])
    return {
        "processes": len(rows),
        "total_spend": total_spend,
        "addressable_spend": float(sum(outsourced["annual_cost"])) if not rows.empty else 0.0,
        "mix_count": rows["chosen_model"].value_counts().to_dict() if not rows.empty else {},
        "npv": npv, "npv_p10": p10, "npv_p90": p90, "payback_month": payback,
        "prob_npv_negative": prob,
        "realised_to_date": realised_to_date, "plan_to_date": plan_to_date,
        "sla_attainment_quarter": (int(this_quarter["met"].sum()) / measured) if measured
        else None,
        "credits_earned": float(credits["total"]), "credits_net": float(credits["net"]),
        "notices_due_90": int((renewals["days_to_deadline"].between(0, 90)).sum())
        if not renewals.empty else 0,
        "open_critical_issues": int((issues["severity"] == "critical").sum())
        if not issues.empty else 0,
        "overdue_issues": int(issues["overdue"].sum()) if not issues.empty else 0,
    }


def _latest(queryset, field: str) -> Subquery:
    """A subquery giving the count and the newest ``field`` of ``queryset``, as text."""
    return Subquery(
        queryset.order_by().annotate(_group=Value(1)).values("_group").annotate(
            stamp=Concat(Cast(Count("pk"), CharField()), Value("@"),
                         Coalesce(Cast(Max(field), CharField()), Value("-")))
        ).values("stamp")[:1],
        output_field=CharField(),
    )


def organisation_fingerprint(organisation: Organisation) -> str:
    """Changes whenever a record the dashboard reads changes: the cache key's version.

    One query: a subquery per kind of record, each giving its count and newest change.
    """
    org = OuterRef("pk")
    stamps = {
        "stamp_assessments": _latest(Assessment.objects.filter(organisation=org), "updated_at"),
        "stamp_projections": _latest(Projection.objects.filter(assessment__organisation=org,
                                                         status=ProjectionStatus.DONE),
                               "finished_at"),
        "stamp_contracts": _latest(Contract.objects.filter(organisation=org), "updated_at"),
        "stamp_credits": _latest(ServiceCredit.objects.filter(contract__organisation=org),
                           "computation__computed_at"),
        "stamp_issues": _latest(Issue.objects.filter(contract__organisation=org), "updated_at"),
        "stamp_savings": _latest(RealisedSaving.objects.filter(contract__organisation=org),
                           "recorded_at"),
        "stamp_reviews": _latest(GovernanceReview.objects.filter(contract__organisation=org),
                           "created_at"),
    }
    row = Organisation.objects.filter(pk=organisation.pk).annotate(**stamps).values(*stamps)
    return "|".join(str(value) for value in row.get().values())
