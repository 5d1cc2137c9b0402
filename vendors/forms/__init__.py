"""Forms for vendor selection: they validate and normalise in words; services save."""

from vendors.forms.criteria import (
    CriteriaSetForm,
    PairwiseForm,
    WeightsForm,
    pair_field_name,
    saaty_label,
)
from vendors.forms.curation import (
    ChangeReasonForm,
    CuratorReasonForm,
    DecisionForm,
    MergeForm,
    PrivateDataForm,
    bind_snapshot,
    form_errors_in_words,
    snapshot_from_forms,
)
from vendors.forms.events import EventFromProcessesForm, EventFromWaveForm, ScopeForm
from vendors.forms.proposals import AwardForm, ProposalForm, ReasonForm, ScoreForm
from vendors.forms.registry import NoteForm, VendorForm, vendor_details, vendor_formsets

__all__ = [
    "AwardForm",
    "ChangeReasonForm",
    "CriteriaSetForm",
    "CuratorReasonForm",
    "DecisionForm",
    "EventFromProcessesForm",
    "EventFromWaveForm",
    "MergeForm",
    "NoteForm",
    "PairwiseForm",
    "PrivateDataForm",
    "ProposalForm",
    "ReasonForm",
    "ScopeForm",
    "ScoreForm",
    "VendorForm",
    "WeightsForm",
    "bind_snapshot",
    "form_errors_in_words",
    "pair_field_name",
    "saaty_label",
    "snapshot_from_forms",
    "vendor_details",
    "vendor_formsets",
]
