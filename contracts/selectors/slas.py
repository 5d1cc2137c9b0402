"""Reads of SLAs, measurements and credits for the contract and SLA pages.

Each function runs a fixed number of queries whatever the number of months measured.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from contracts.engine.cents import to_decimal
from contracts.engine.credit_records import period_actuals, sla_outcome, unpack_result
from contracts.engine.credits import EARN_BACK_PERIODS, evaluate_measurement
from contracts.engine.periods import add_months, month_start, period_label
from contracts.engine.scorecard import sla_attainment
from contracts.models import Contract, CreditComputation, Measurement, ServiceCredit, Sla

CREDIT_COLUMNS = (
    "period",
    "label",
    "measured",
    "breaches",
    "critical",
    "cap_applied",
    "total",
    "earned_back",
    "net_total",
)
TREND_COLUMNS = (
    "period",
    "label",
    "actual",
    "target",
    "minimum",
    "met",
    "breach",
    "critical",
    "credit",
)
ATTAINMENT_MONTHS = 12


def credit_rows(contract: Contract) -> list[ServiceCredit]:
    return list(ServiceCredit.objects.for_contract(contract).defer("result"))


def credits_frame(rows: list[ServiceCredit]) -> pd.DataFrame:
    """One row per month: counts and money (Decimal) from the latest computation."""
    records = [
        {
            "period": row.period,
            "label": period_label(row.period),
            "measured": row.measured,
            "breaches": row.breaches,
            "critical": row.critical,
            "cap_applied": row.cap_applied,
            "total": row.total,
            "earned_back": row.earned_back,
            "net_total": row.net_total,
        }
        for row in rows
    ]
    return pd.DataFrame.from_records(records, columns=list(CREDIT_COLUMNS))


def credits_by_month(rows: list[ServiceCredit]) -> list[dict[str, Any]]:
    """Several contracts' credits added up per month, oldest first: one dict per month
    with the columns of ``credits_frame`` (counts and money summed, the cap applied if it
    was to any contract)."""
    months: dict[dt.date, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r.period):
        month = months.setdefault(
            row.period,
            {
                "period": row.period,
                "label": period_label(row.period),
                "measured": 0,
                "breaches": 0,
                "critical": 0,
                "cap_applied": False,
                "total": Decimal("0.00"),
                "earned_back": Decimal("0.00"),
                "net_total": Decimal("0.00"),
            },
        )
        for column in ("measured", "breaches", "critical", "total", "earned_back", "net_total"):
            month[column] += getattr(row, column)
        month["cap_applied"] = month["cap_applied"] or row.cap_applied
    return list(months.values())


@dataclass(frozen=True)
class CreditTotals:
    """A contract's (or several contracts') service credits added up.

    ``total`` is gross: every month's credits after the cap, before earn-back.
    ``earned_back`` is the part of it returned to the vendor, ``net_total`` what is left
    (gross minus earned back). Every page that shows credits takes them from here.
    """

    total: Decimal
    earned_back: Decimal
    net_total: Decimal
    months: int
    months_with_credit: int


def credit_totals(rows: Iterable[ServiceCredit]) -> CreditTotals:
    """The gross, earned-back and net credits of these months, summed exactly."""
    zero = Decimal("0.00")
    total = earned_back = net_total = zero
    months = months_with_credit = 0
    for row in rows:
        total += row.total
        earned_back += row.earned_back
        net_total += row.net_total
        months += 1
        months_with_credit += row.total > 0
    return CreditTotals(
        total=total,
        earned_back=earned_back,
        net_total=net_total,
        months=months,
        months_with_credit=months_with_credit,
    )


def latest_computation(contract: Contract) -> CreditComputation | None:
    return (
        CreditComputation.objects.filter(contract=contract).order_by("-computed_at", "-pk").first()
    )


@dataclass(frozen=True)
class SlaSummary:
    sla: Sla
    last_period: dt.date | None
    last_actual: float | None
    last_met: bool | None
    last_critical: bool
    met: int
    measured: int

    @property
    def attainment(self) -> float | None:
        return sla_attainment(self.met, self.measured)


def sla_summaries(
    slas: list[Sla], computation: CreditComputation | None, today: dt.date
) -> list[SlaSummary]:
    """Each SLA's latest measured month and its attainment over the last 12 months,
    read from the latest computation's inputs (no query)."""
    inputs = computation.inputs if computation else {"period_dates": [], "actuals": [], "slas": []}
    dates = [dt.date.fromisoformat(d) for d in inputs["period_dates"]]
    column = {sla["name"]: i for i, sla in enumerate(inputs["slas"])}
    since = add_months(month_start(today), -ATTAINMENT_MONTHS)
    summaries = []
    for sla in slas:
        last = None
        met = measured = 0
        position = column.get(sla.name)
        for period, row in zip(dates, inputs["actuals"], strict=True):
            actual = None if position is None else row[position]
            if actual is None:
                continue
            judged = evaluate_measurement(sla.target, sla.direction, sla.minimum, actual)
            last = (period, actual, judged.met, judged.critical)
            if period >= since:
                measured += 1
                met += judged.met
        summaries.append(
            SlaSummary(
                sla=sla,
                last_period=last[0] if last else None,
                last_actual=last[1] if last else None,
                last_met=last[2] if last else None,
                last_critical=bool(last and last[3]),
                met=met,
                measured=measured,
            )
        )
    return summaries


def sla_trend_frame(sla: Sla) -> pd.DataFrame:
    """One row per measured month of ``sla``: actual against target, breach, credit.

    Met, breach and credit come from the stored computation (what was billed); two
    queries.
    """
    credits = {
        row.period: row.result
        for row in ServiceCredit.objects.filter(contract_id=sla.contract_id).only(
            "period", "result"
        )
    }
    records = []
    for m in Measurement.objects.filter(sla=sla).order_by("period"):
        stored = credits.get(m.period)
        if stored is not None:
            outcome = sla_outcome(stored, sla.name)
        else:  # not computed (yet): judge the actual alone, by the same rule
            judged = evaluate_measurement(sla.target, sla.direction, sla.minimum, m.actual)
            outcome = {
                "met": judged.met,
                "breach": judged.breach,
                "critical": judged.critical,
                "credit": 0.0,
            }
        records.append(
            {
                "period": m.period,
                "label": period_label(m.period),
                "actual": m.actual,
                "target": sla.target,
                "minimum": sla.minimum,
                "met": outcome["met"],
                "breach": outcome["breach"],
                "critical": outcome["critical"],
                "credit": to_decimal(outcome["credit"]),
            }
        )
    return pd.DataFrame.from_records(records, columns=list(TREND_COLUMNS))


@dataclass(frozen=True)
class CreditLine:
    name: str
    target: float
    direction: str
    minimum: float | None
    allocation: float
    earn_back: bool
    actual: float | None
    met: bool
    breach: bool
    critical: bool
    raw_credit: float
    credit: float
    earned_back: float
    earn_back_status: str
    later: list[tuple[str, bool | None]]  # the next months: (label, met or None if unknown)


def credit_explanation(credit: ServiceCredit) -> dict[str, Any]:
    """Everything behind one month's credit: the stored inputs beside the result."""
    inputs = credit.computation.inputs
    names = [sla["name"] for sla in inputs["slas"]]
    result = unpack_result(credit.result, names)
    dates = [dt.date.fromisoformat(d) for d in inputs["period_dates"]]
    index = dates.index(credit.period)
    actuals = period_actuals(inputs, index)
    later_dates = dates[index + 1 : index + 1 + EARN_BACK_PERIODS]
    later_actuals = [
        period_actuals(inputs, i)
        for i in range(index + 1, min(len(dates), index + 1 + EARN_BACK_PERIODS))
    ]
    lines = []
    for sla in inputs["slas"]:
        name = sla["name"]
        later = []
        for period, values in zip(later_dates, later_actuals, strict=True):
            value = values.get(name)
            ok = (
                None
                if value is None
                else evaluate_measurement(
                    sla["target"], sla["direction"], sla["minimum"], value
                ).met
            )
            later.append((period_label(period), ok))
        lines.append(
            CreditLine(
                name=name,
                target=sla["target"],
                direction=sla["direction"],
                minimum=sla["minimum"],
                allocation=sla["allocation"],
                earn_back=sla["earn_back"],
                actual=actuals.get(name),
                met=result["met"][name],
                breach=result["breach"][name],
                critical=result["critical"][name],
                raw_credit=result["raw_credits"][name],
                credit=result["credits"][name],
                earned_back=result["earned_back"].get(name, 0.0),
                earn_back_status=result["earn_back_status"].get(name, ""),
                later=later,
            )
        )
    return {
        "inputs": inputs,
        "result": result,
        "lines": lines,
        "monthly_fee": inputs["monthly_fee"],
        "at_risk_pct": inputs["at_risk_pct"],
    }
