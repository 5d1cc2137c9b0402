"""Django admin for contracts: read the records, fix data; history on contracts and SLAs."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import (
    Contract,
    ContractDocument,
    CreditComputation,
    GovernanceReview,
    ImprovementAction,
    Issue,
    Measurement,
    Notification,
    RealisedSaving,
    ServiceCredit,
    Sla,
)


class SlaInline(admin.TabularInline):
    model = Sla
    extra = 0
    fields = (
        "name",
        "category",
        "target",
        "unit",
        "direction",
        "allocation_pct",
        "minimum",
        "earn_back",
    )


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "organisation",
        "vendor",
        "model",
        "status",
        "start_date",
        "end_date",
        "annual_value",
        "currency",
    )
    list_filter = ("status", "model", "renewal_type", "organisation")
    search_fields = ("title", "reference", "vendor__name")
    raw_id_fields = ("vendor", "sourcing_event", "award", "owner")
    filter_horizontal = ("processes",)
    inlines = [SlaInline]


@admin.register(Sla)
class SlaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "contract", "category", "target", "unit", "direction", "allocation_pct")
    list_filter = ("category", "direction")
    search_fields = ("name", "contract__title")
    raw_id_fields = ("contract",)


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ("sla", "period", "actual", "source", "recorded_by", "recorded_at")
    list_filter = ("source",)
    search_fields = ("sla__name", "sla__contract__title")
    raw_id_fields = ("sla", "recorded_by")
    date_hierarchy = "period"


@admin.register(CreditComputation)
class CreditComputationAdmin(admin.ModelAdmin):
    list_display = ("contract", "computed_at", "computed_by", "rules_version", "reason")
    raw_id_fields = ("contract", "computed_by")
    readonly_fields = ("inputs",)


@admin.register(ServiceCredit)
class ServiceCreditAdmin(admin.ModelAdmin):
    list_display = (
        "contract",
        "period",
        "breaches",
        "critical",
        "total",
        "earned_back",
        "net_total",
    )
    raw_id_fields = ("contract", "computation")
    readonly_fields = ("result",)


@admin.register(ContractDocument)
class ContractDocumentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "contract", "kind", "size", "uploaded_by", "uploaded_at")
    raw_id_fields = ("contract", "uploaded_by")


@admin.register(GovernanceReview)
class GovernanceReviewAdmin(admin.ModelAdmin):
    list_display = ("contract", "held_on", "level", "next_review_on")
    raw_id_fields = ("contract", "recorded_by")


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("title", "contract", "severity", "status", "due_on", "escalation_level")
    list_filter = ("severity", "status")
    raw_id_fields = ("contract", "owner")


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ("description", "contract", "status", "due_on")
    raw_id_fields = ("contract", "owner")


@admin.register(RealisedSaving)
class RealisedSavingAdmin(admin.ModelAdmin):
    list_display = ("contract", "period", "vendor_cost", "governance_cost")
    raw_id_fields = ("contract", "recorded_by")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "subject",
        "recipient",
        "kind",
        "key_date",
        "created_at",
        "emailed_at",
        "read_at",
    )
    list_filter = ("kind",)
    raw_id_fields = ("organisation", "recipient", "contract")
