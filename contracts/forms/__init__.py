"""Forms validate and normalise; the services save."""

from contracts.forms.contracts import ContractForm, DocumentForm
from contracts.forms.relationship import ActionForm, IssueForm, ReviewForm
from contracts.forms.slas import MeasurementImportForm, MeasurementMonthForm, SavingForm, SlaForm

__all__ = [
    "ActionForm",
    "ContractForm",
    "DocumentForm",
    "IssueForm",
    "MeasurementImportForm",
    "MeasurementMonthForm",
    "ReviewForm",
    "SavingForm",
    "SlaForm",
]
