"""Forms for vendor selection: they validate and normalise in words; services save."""

from .criteria import CriteriaSetForm, PairwiseForm, WeightsForm, pair_field_name, saaty_label
from .events import EventFromProcessesForm, EventFromWaveForm, ScopeForm
from .proposals import AwardForm, ProposalForm, ReasonForm, ScoreForm
from .registry import NoteForm, VendorForm, vendor_details, vendor_formsets

__all__ = [
    "AwardForm",
    "CriteriaSetForm",
    "EventFromProcessesForm",
    "EventFromWaveForm",
    "NoteForm",
    "PairwiseForm",
    "ProposalForm",
    "ReasonForm",
    "ScopeForm",
    "ScoreForm",
    "VendorForm",
    "WeightsForm",
    "pair_field_name",
    "saaty_label",
    "vendor_details",
    "vendor_formsets",
]
