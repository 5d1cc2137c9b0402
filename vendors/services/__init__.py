"""Writes for vendor selection: typed, keyword-only ``<entity>_<action>`` functions.

Each runs in one transaction, so a failure leaves nothing half-saved. A rule broken by
the caller raises ``SelectionError`` with a message meant for the person, in words.
"""

from vendors.services.awards import award_create, award_is_early
from vendors.services.criteria import (
    DEFAULT_CRITERIA_SET,
    criteria_set_apply_judgements,
    criteria_set_create,
    criteria_set_default,
    criteria_set_set_weights,
    judgement_delete,
    judgement_save,
)
from vendors.services.curation import (
    change_proposal_accept,
    change_proposal_reject,
    change_proposal_submit,
    vendor_deactivate,
    vendor_delete,
    vendor_merge,
    vendor_private_save,
)
from vendors.services.errors import SelectionError
from vendors.services.events import (
    PROPOSAL_FIELDS,
    candidate_decide,
    evaluation_record,
    event_cancel,
    event_create,
    event_run_shortlist,
    event_set_service_lines,
    proposal_save,
    shortlist_accept,
)
from vendors.services.registry import (
    VENDOR_FIELDS,
    VendorDetails,
    vendor_note_add,
    vendor_replace_details,
    vendor_save,
)

__all__ = [
    "DEFAULT_CRITERIA_SET",
    "PROPOSAL_FIELDS",
    "VENDOR_FIELDS",
    "SelectionError",
    "VendorDetails",
    "award_create",
    "award_is_early",
    "candidate_decide",
    "change_proposal_accept",
    "change_proposal_reject",
    "change_proposal_submit",
    "criteria_set_apply_judgements",
    "criteria_set_create",
    "criteria_set_default",
    "criteria_set_set_weights",
    "evaluation_record",
    "event_cancel",
    "event_create",
    "event_run_shortlist",
    "event_set_service_lines",
    "judgement_delete",
    "judgement_save",
    "proposal_save",
    "shortlist_accept",
    "vendor_deactivate",
    "vendor_delete",
    "vendor_merge",
    "vendor_note_add",
    "vendor_private_save",
    "vendor_replace_details",
    "vendor_save",
]
