"""Forms for a contract's terms and its documents. They validate; services save."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from accounts.engine.currencies import normalise_currency
from accounts.fields import RecordsChoiceField, model_choice_field
from accounts.models import Organisation
from accounts.pickers import SearchableSelect, SearchableSelectMultiple, grouped_choices
from assessments.engine.vocabulary import model_label
from assessments.models import Process, Status
from contracts.engine.documents import (
    MAX_DOCUMENT_BYTES,
    DocumentProblem,
    check_document,
    megabytes,
)
from contracts.engine.renewals import validate_terms
from contracts.forms.fields import (
    ChecksOnCopy,
    DateInput,
    PersonChoiceField,
    SingleLineText,
    members_of,
)
from contracts.models import Contract
from vendors.models import SourcingEvent, Vendor


class ProcessChoiceField(RecordsChoiceField):
    def label_from_instance(self, obj: Process) -> str:
        return process_label(obj)


def process_label(process: Process) -> str:
    rec = getattr(process, "recommendation", None)
    return (
        f"{process.name} · recommended {model_label(rec.effective_model)}" if rec else process.name
    )


class ContractForm(SingleLineText, ChecksOnCopy, forms.ModelForm):
    owner = PersonChoiceField(queryset=None)
    processes = ProcessChoiceField(
        queryset=None,
        required=False,
        widget=SearchableSelectMultiple(placeholder="Type a process name…"),
        help_text="The assessed processes this contract covers, from one submitted "
        "assessment (grouped by assessment); used for the in-house baseline and the "
        "projected savings.",
    )

    # Wider than a code, so the browser never cuts "pounds" to "pou": the check names
    # what was typed and the code meant.
    currency = forms.CharField(
        max_length=60,
        help_text="Three-letter ISO 4217 code, e.g. GBP, EUR or USD.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Contract
        fields = [
            "title",
            "reference",
            "vendor",
            "sourcing_event",
            "processes",
            "model",
            "location",
            "start_date",
            "end_date",
            "annual_value",
            "currency",
            "payment_terms",
            "renewal_type",
            "renewal_term_months",
            "notice_days",
            "termination_terms",
            "owner",
            "status",
            "at_risk_pct",
            "baseline_annual_cost",
            "ramp_months",
        ]
        widgets = {
            "vendor": SearchableSelect(placeholder="Type a vendor name…"),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "termination_terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        vendors = Vendor.objects.filter(active=True)
        if self.instance.vendor_id:
            vendors = vendors | Vendor.objects.filter(pk=self.instance.vendor_id)
        model_choice_field(self, "vendor").queryset = vendors.order_by("name")
        model_choice_field(self, "sourcing_event").queryset = SourcingEvent.objects.for_org(
            organisation
        )
        # The processes of submitted assessments (a draft's can still change), and any the
        # contract already covers; grouped by assessment, newest first.
        covered = Q(pk__in=self.instance.processes.values("pk")) if self.instance.pk else Q()
        processes = (
            Process.objects.filter(assessment__organisation=organisation)
            .filter(Q(assessment__status=Status.SUBMITTED) | covered)
            .select_related("assessment", "recommendation")
            .order_by("-assessment__submitted_at", "assessment__pk", "position", "pk")
        )
        field = model_choice_field(self, "processes")
        field.queryset = processes
        field.choices = grouped_choices(
            processes, group=lambda p: p.assessment.name, label=process_label
        )
        model_choice_field(self, "owner").queryset = members_of(organisation)
        if not self.instance.pk:
            self.fields["currency"].initial = organisation.currency

    def clean_currency(self) -> str:
        try:
            return normalise_currency(self.cleaned_data.get("currency") or "")
        except ValueError as problem:
            raise forms.ValidationError(str(problem), code="invalid") from None

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        start, end, notice = data.get("start_date"), data.get("end_date"), data.get("notice_days")
        if start and end:
            term_start = self.instance.current_term_start or start
            if end < start:
                self.add_error(
                    "end_date",
                    f"The end date ({end:%d %b %Y}) is before the start date ({start:%d %b %Y}).",
                )
            elif notice is not None:
                try:
                    validate_terms(min(term_start, end), end, notice)
                except ValueError as error:
                    self.add_error("notice_days", str(error))
        processes = data.get("processes") or []
        if len({p.assessment_id for p in processes}) > 1:
            self.add_error("processes", "Pick processes from one assessment.")
        event = data.get("sourcing_event")
        if event and any(p.assessment_id != event.assessment_id for p in processes):
            self.add_error(
                "processes",
                f"The sourcing event “{event.name}” came from another "
                "assessment; pick processes from that one.",
            )
        return data

    def checked_copy(self) -> Contract:
        return Contract(
            pk=self.instance.pk,
            organisation=self.organisation,
            current_term_start=self.instance.current_term_start,
        )


class DocumentForm(SingleLineText, forms.Form):
    file = forms.FileField(
        help_text=f"PDF, Word (.docx) or Excel (.xlsx), up to {megabytes(MAX_DOCUMENT_BYTES)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )
    description = forms.CharField(
        max_length=200, required=False, help_text="e.g. Master services agreement, signed."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.cleaned_data["kind"] = check_document(upload.name, upload.size, upload)
        except DocumentProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        return upload
