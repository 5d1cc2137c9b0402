"""Forms validate and normalise; the services save."""

from .contracts import ContractForm, DocumentForm
from .relationship import ActionForm, IssueForm, ReviewForm
from .slas import MeasurementImportForm, MeasurementMonthForm, SavingForm, SlaForm

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
