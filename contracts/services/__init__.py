"""Writes: typed, keyword-only ``<entity>_<action>`` functions, each in one transaction."""

from contracts.services.contracts import (
    contract_create,
    contract_create_from_award,
    contract_update,
    document_delete,
    document_upload,
)
from contracts.services.credits import credits_recompute, credits_recompute_many
from contracts.services.notices import (
    contract_roll_forward,
    notifications_email_pending,
    renewal_notices_send,
    sla_breaches_check,
)
from contracts.services.relationship import action_save, issue_save, review_save, saving_record
from contracts.services.slas import (
    MeasurementError,
    measurements_import,
    measurements_record,
    sla_create,
    sla_delete,
    sla_record_measurement,
    sla_update,
)

__all__ = [
    "MeasurementError",
    "action_save",
    "contract_create",
    "contract_create_from_award",
    "contract_roll_forward",
    "contract_update",
    "credits_recompute",
    "credits_recompute_many",
    "document_delete",
    "document_upload",
    "issue_save",
    "measurements_import",
    "measurements_record",
    "notifications_email_pending",
    "renewal_notices_send",
    "review_save",
    "saving_record",
    "sla_breaches_check",
    "sla_create",
    "sla_delete",
    "sla_record_measurement",
    "sla_update",
]
