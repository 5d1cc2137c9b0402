"""What the contracts API reads and writes.

Reads show what the pages show, from the same selectors: stored credits and their
working, SLA summaries, the savings comparison. Money is ``{"amount", "currency"}``
(``accounts.api.fields.MoneyField``), a month is ``YYYY-MM``. Writes are checked here for
shape and type only; the rules are the pages' own forms (``form_errors`` turns their
messages into the API's), and the services save.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import MoneyField
from accounts.api.serializers import StrictSerializer, StrictSerializerMixin
from contracts.engine.cents import to_decimal
from contracts.engine.periods import add_months, parse_period
from contracts.models import (
    Contract,
    Direction,
    GovernanceReview,
    ImprovementAction,
    Issue,
    Measurement,
    MeasurementPeriod,
    RealisedSaving,
    ServiceCredit,
    SlaCategory,
)
from contracts.selectors.slas import CreditTotals

MAX_MEASUREMENTS = 100


def person_name(user: User | None) -> str | None:
    return None if user is None else (user.get_full_name() or user.get_username())


def with_currency(rows: Iterable[Mapping[Any, Any]], currency: str) -> list[SimpleNamespace]:
    """Rows (dicts) as objects carrying ``currency``, which MoneyField reads."""
    return [SimpleNamespace(**row, currency=currency) for row in rows]


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{4}-\d{2}$",
        "example": "2026-03",
        "description": "A month, YYYY-MM.",
    }
)
class PeriodField(serializers.Field):
    """A month: written 2026-03 (or 2026-03-01), read back as 2026-03."""

    default_error_messages = {"invalid": "{reason}"}

    def to_representation(self, value: Any) -> str:
        return f"{value:%Y-%m}"

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or len(data) > 10:
            self.fail("invalid", reason="Give the month as YYYY-MM, e.g. 2026-03.")
        try:
            return parse_period(data)
        except ValueError as error:
            self.fail("invalid", reason=str(error))


def measure_field(**kwargs: Any) -> serializers.DecimalField:
    # Measured values as the models keep them (``contracts.models.slas.MEASURE``).
    return serializers.DecimalField(max_digits=14, decimal_places=4, **kwargs)


def share_field(help_text: str) -> serializers.DecimalField:
    """A fraction stored in a computation's inputs (0.12 for 12 %), exactly as stored."""
    return serializers.DecimalField(max_digits=None, decimal_places=None, help_text=help_text)


# ---------------------------------------------------------------- contracts


class CreditTotalsSerializer(serializers.Serializer):
    """Gross (after the cap, before earn-back), earned back, and net, as on the pages."""

    gross = MoneyField(source="total")
    earned_back = MoneyField()
    net = MoneyField(source="net_total")
    months = serializers.IntegerField(help_text="Months with a stored credit computation.")
    months_with_credit = serializers.IntegerField()


def credit_totals_data(totals: CreditTotals | None, currency: str) -> dict[str, Any] | None:
    if totals is None:
        return None
    return CreditTotalsSerializer(SimpleNamespace(**asdict(totals), currency=currency)).data


class ContractProcessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    assessment = serializers.IntegerField(source="assessment_id")


class ContractRenewalSerializer(serializers.Serializer):
    """What the renewals page says about a live contract today."""

    state = serializers.CharField()
    action = serializers.CharField()
    notice_deadline = serializers.DateField(source="deadline")
    days_to_deadline = serializers.IntegerField()
    days_to_end = serializers.IntegerField()


class ContractSerializer(serializers.ModelSerializer):
    vendor_name = serializers.CharField(source="vendor.name")
    owner_name = serializers.SerializerMethodField()
    term_start = serializers.DateField(help_text="The start of the current term.")
    notice_deadline = serializers.DateField(help_text="The end date less the notice period.")
    annual_value = MoneyField()
    monthly_fee = MoneyField(help_text="The annual value / 12, half-up to the cent.")
    at_risk_amount = MoneyField(help_text="The monthly pool of service credits and its cap.")
    baseline_annual_cost = MoneyField(
        allow_null=True,
        help_text=("The in-house baseline set on the contract; null: the covered processes' cost."),
    )
    processes = ContractProcessSerializer(many=True)
    credits = serializers.SerializerMethodField()
    renewal = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "title",
            "reference",
            "vendor",
            "vendor_name",
            "sourcing_event",
            "model",
            "location",
            "status",
            "start_date",
            "end_date",
            "current_term_start",
            "term_start",
            "notice_days",
            "notice_deadline",
            "renewal_type",
            "renewal_term_months",
            "currency",
            "annual_value",
            "monthly_fee",
            "at_risk_pct",
            "at_risk_amount",
            "payment_terms",
            "termination_terms",
            "baseline_annual_cost",
            "ramp_months",
            "owner",
            "owner_name",
            "processes",
            "credits",
            "renewal",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_owner_name(self, contract: Contract) -> str:
        return person_name(contract.owner) or ""

    @extend_schema_field(CreditTotalsSerializer(allow_null=True))
    def get_credits(self, contract: Contract) -> dict[str, Any] | None:
        """Added up by ``selectors.slas.credit_totals`` (context ``credits``, by id)."""
        return credit_totals_data(self.context["credits"].get(contract.pk), contract.currency)

    @extend_schema_field(ContractRenewalSerializer(allow_null=True))
    def get_renewal(self, contract: Contract) -> dict[str, Any] | None:
        row = self.context["renewals"].get(contract.pk)
        return None if row is None else ContractRenewalSerializer(row).data


# ---------------------------------------------------------------- SLAs and measurements


class SlaSerializer(serializers.Serializer):
    """An SLA with its latest month and its attainment over the last 12 months
    (``selectors.slas.sla_summaries``, as the contract page lists them)."""

    id = serializers.IntegerField(source="sla.pk")
    position = serializers.IntegerField(source="sla.position")
    name = serializers.CharField(source="sla.name")
    category = serializers.ChoiceField(source="sla.category", choices=SlaCategory.choices)
    target = measure_field(source="sla.target")
    unit = serializers.CharField(source="sla.unit")
    direction = serializers.ChoiceField(source="sla.direction", choices=Direction.choices)
    period = serializers.ChoiceField(source="sla.period", choices=MeasurementPeriod.choices)
    allocation_pct = serializers.DecimalField(
        source="sla.allocation_pct", max_digits=6, decimal_places=2
    )
    minimum = measure_field(source="sla.minimum", allow_null=True)
    earn_back = serializers.BooleanField(source="sla.earn_back")
    last_period = PeriodField(allow_null=True)
    last_actual = measure_field(allow_null=True)
    last_met = serializers.BooleanField(allow_null=True)
    last_critical = serializers.BooleanField()
    months_measured_12m = serializers.IntegerField(source="measured")
    months_met_12m = serializers.IntegerField(source="met")
    attainment_12m = serializers.FloatField(
        source="attainment", allow_null=True, help_text="Share of the measured months met, 0..1."
    )


class SlaMonthSerializer(serializers.Serializer):
    """One measured month of an SLA as the SLA page's trend shows it."""

    period = PeriodField()
    actual = measure_field()
    met = serializers.BooleanField()
    breach = serializers.BooleanField()
    critical = serializers.BooleanField()
    credit = MoneyField(help_text="This SLA's credit that month (gross).")


class SlaDetailSerializer(SlaSerializer):
    trend = serializers.SerializerMethodField()

    @extend_schema_field(SlaMonthSerializer(many=True))
    def get_trend(self, summary: Any) -> Any:
        return SlaMonthSerializer(self.context["trend"], many=True).data


class MeasurementSerializer(serializers.ModelSerializer):
    sla_name = serializers.CharField(source="sla.name")
    period = PeriodField()
    actual = measure_field()
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = [
            "id",
            "sla",
            "sla_name",
            "period",
            "actual",
            "source",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_recorded_by_name(self, measurement: Measurement) -> str | None:
        return person_name(measurement.recorded_by)


class MeasurementItemSerializer(StrictSerializer):
    sla = serializers.CharField(max_length=100, help_text="The SLA's name, in any case.")
    actual = measure_field(min_value=0)


class MeasurementBatchSerializer(StrictSerializer):
    period = PeriodField()
    # What many=True builds, spelled out (the stubs know max_length only here).
    measurements: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=MeasurementItemSerializer(), allow_empty=False, max_length=MAX_MEASUREMENTS
    )


# ---------------------------------------------------------------- credits


class CreditMonthSerializer(serializers.ModelSerializer):
    """One month's credit from the contract's latest computation."""

    period = PeriodField()
    gross = MoneyField(source="total", currency="contract.currency")
    earned_back = MoneyField(currency="contract.currency")
    net = MoneyField(source="net_total", currency="contract.currency")

    class Meta:
        model = ServiceCredit
        fields = [
            "period",
            "measured",
            "breaches",
            "critical",
            "cap_applied",
            "gross",
            "earned_back",
            "net",
        ]
        read_only_fields = fields


class CreditLaterMonthSerializer(serializers.Serializer):
    period = PeriodField()
    met = serializers.BooleanField(allow_null=True, help_text="null: not measured.")


class CreditLineSerializer(serializers.Serializer):
    """One SLA of the month, with the inputs used (as the credit page's table)."""

    sla = serializers.CharField(source="name")
    target = measure_field()
    direction = serializers.CharField()
    minimum = measure_field(allow_null=True)
    actual = measure_field(allow_null=True, help_text="null: not measured.")
    allocation = share_field("The SLA's share of the at-risk pool, as a fraction.")
    earn_back_allowed = serializers.BooleanField(source="earn_back")
    met = serializers.BooleanField()
    breach = serializers.BooleanField()
    critical = serializers.BooleanField()
    credit_before_cap = MoneyField(source="raw_credit")
    credit = MoneyField(help_text="Gross: after the cap, before earn-back.")
    earned_back = MoneyField()
    earn_back_status = serializers.CharField()
    next_months = CreditLaterMonthSerializer(many=True)


class CreditWorkingSerializer(serializers.Serializer):
    monthly_fee = MoneyField()
    at_risk_share = share_field("The at-risk share of the monthly fee, as a fraction.")
    at_risk_amount = MoneyField(help_text="The pool and cap: fee x share, half-up to the cent.")
    total_before_cap = MoneyField()
    cap_applied = serializers.BooleanField()
    total = MoneyField(help_text="Gross: the month's credits after the cap.")
    earned_back = MoneyField()


class CreditDetailSerializer(CreditMonthSerializer):
    computed_at = serializers.DateTimeField(source="computation.computed_at")
    reason = serializers.CharField(source="computation.reason")
    rules_version = serializers.CharField(source="computation.rules_version")
    working = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()

    class Meta(CreditMonthSerializer.Meta):
        fields = [
            *CreditMonthSerializer.Meta.fields,
            "computed_at",
            "reason",
            "rules_version",
            "working",
            "lines",
        ]
        read_only_fields = fields

    @extend_schema_field(CreditWorkingSerializer)
    def get_working(self, credit: ServiceCredit) -> dict[str, Any]:
        explanation, result = self.context["explanation"], self.context["explanation"]["result"]
        return CreditWorkingSerializer(
            SimpleNamespace(
                monthly_fee=explanation["monthly_fee"],
                at_risk_share=explanation["at_risk_pct"],
                at_risk_amount=to_decimal(result["at_risk_amount"]),
                total_before_cap=to_decimal(result["raw_total"]),
                cap_applied=result["cap_applied"],
                total=to_decimal(result["total"]),
                earned_back=to_decimal(result["earned_back_total"]),
                currency=credit.contract.currency,
            )
        ).data

    @extend_schema_field(CreditLineSerializer(many=True))
    def get_lines(self, credit: ServiceCredit) -> Any:
        lines = []
        for line in self.context["explanation"]["lines"]:
            row = asdict(line)
            row.update(
                raw_credit=to_decimal(line.raw_credit),
                credit=to_decimal(line.credit),
                earned_back=to_decimal(line.earned_back),
                # The months after this one, in order (their labels on the page).
                next_months=[
                    {"period": add_months(credit.period, offset), "met": met}
                    for offset, (_, met) in enumerate(line.later, start=1)
                ],
            )
            lines.append(row)
        return CreditLineSerializer(with_currency(lines, credit.contract.currency), many=True).data


class MeasurementResultSerializer(serializers.Serializer):
    recorded = serializers.IntegerField(help_text="How many measurements were saved.")
    credit = CreditDetailSerializer(help_text="The month's credit, recomputed.")


# ---------------------------------------------------------------- relationship


class RelationshipSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """A review, issue or action: read as stored, written through the page's form."""

    def name_of(self, user: User | None) -> str | None:
        return person_name(user)


class GovernanceReviewSerializer(RelationshipSerializer):
    held_on = serializers.DateField(required=False, help_text="Today when left out.")
    mean_rating = serializers.FloatField(read_only=True)
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = GovernanceReview
        fields = [
            "id",
            "held_on",
            "level",
            "attendees",
            "rating_delivery",
            "rating_communication",
            "rating_responsiveness",
            "rating_innovation",
            "mean_rating",
            "notes",
            "decisions",
            "next_review_on",
            "recorded_by",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = ["id", "mean_rating", "recorded_by", "recorded_by_name", "created_at"]

    def get_recorded_by_name(self, review: GovernanceReview) -> str | None:
        return self.name_of(review.recorded_by)


class OwnedSerializer(RelationshipSerializer):
    owner = serializers.IntegerField(
        source="owner_id",
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text="A member of your organisation, by user id; you when left out.",
    )
    owner_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    def get_owner_name(self, item: Issue | ImprovementAction) -> str | None:
        return self.name_of(item.owner)

    def get_overdue(self, item: Issue | ImprovementAction) -> bool:
        return item.is_overdue(self.context["today"])


class IssueSerializer(OwnedSerializer):
    raised_on = serializers.DateField(required=False, help_text="Today when left out.")
    age_days = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = [
            "id",
            "title",
            "description",
            "severity",
            "status",
            "owner",
            "owner_name",
            "raised_on",
            "due_on",
            "escalation_level",
            "resolution",
            "resolved_on",
            "overdue",
            "age_days",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "overdue", "age_days", "created_at", "updated_at"]

    def get_age_days(self, issue: Issue) -> int:
        return issue.age_days(self.context["today"])


class ImprovementActionSerializer(OwnedSerializer):
    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "description",
            "owner",
            "owner_name",
            "due_on",
            "status",
            "expected_benefit",
            "overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "overdue", "created_at", "updated_at"]


# ---------------------------------------------------------------- realised savings


class SavingSerializer(serializers.ModelSerializer):
    period = PeriodField()
    vendor_cost = MoneyField(currency="contract.currency")
    governance_cost = MoneyField(currency="contract.currency")
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = RealisedSaving
        fields = [
            "id",
            "period",
            "vendor_cost",
            "governance_cost",
            "notes",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_recorded_by_name(self, saving: RealisedSaving) -> str | None:
        return person_name(saving.recorded_by)


class SavingWriteSerializer(StrictSerializer):
    period = PeriodField(help_text="The month; recording a month again corrects it.")
    vendor_cost = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    governance_cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, help_text="0 when left out."
    )
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SavingMonthSerializer(serializers.Serializer):
    period = PeriodField()
    vendor_cost = MoneyField()
    governance_cost = MoneyField()
    baseline = MoneyField(allow_null=True, help_text="The in-house baseline of the month.")
    realised = MoneyField(allow_null=True)
    projected_p10 = MoneyField(source="p10", allow_null=True)
    projected_p50 = MoneyField(source="p50", allow_null=True)
    variance = MoneyField(allow_null=True, help_text="Realised less projected P50.")
    notes = serializers.CharField()


class SavingsProjectionSerializer(serializers.Serializer):
    available = serializers.BooleanField()
    preparing = serializers.BooleanField(help_text="The forecast is being computed.")
    note = serializers.CharField()
    projection = serializers.IntegerField(source="projection_id", allow_null=True)
    assessment = serializers.IntegerField(source="assessment.pk", allow_null=True)
    first_month = PeriodField(
        allow_null=True, help_text="The month that stands for the projection's month 0."
    )


class SavingsComparisonSerializer(serializers.Serializer):
    """``contracts.selectors.savings.savings_summary``: the contract page's comparison."""

    baseline_annual_cost = MoneyField(source="baseline", allow_null=True)
    realised_total = MoneyField(allow_null=True)
    realised_compared = MoneyField(
        allow_null=True, help_text=("Realised over the months the projection covers.")
    )
    projected_p10_total = MoneyField(allow_null=True)
    projected_p50_total = MoneyField(allow_null=True)
    variance = MoneyField(allow_null=True)
    plan_status = serializers.CharField(allow_null=True)
    no_financial_difference = serializers.BooleanField()
    note = serializers.CharField()
    projection = SavingsProjectionSerializer(source="band")
    months = serializers.SerializerMethodField()

    @extend_schema_field(SavingMonthSerializer(many=True))
    def get_months(self, summary: Any) -> Any:
        return SavingMonthSerializer(with_currency(summary.rows, summary.currency), many=True).data
