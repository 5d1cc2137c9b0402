"""Forms for curating the shared registry and for an organisation's private vendor data."""

from __future__ import annotations

from django import forms
from django.utils.datastructures import MultiValueDict

from accounts.fields import model_choice_field
from accounts.pickers import SearchableSelect
from vendors.forms.registry import VendorForm, formset_rows, vendor_formsets
from vendors.models import Vendor
from vendors.models.registry import MAX_TAGS, RATING_MAX, RATING_MIN, TAG_MAX_LENGTH
from vendors.snapshots import Snapshot, canonical

REASON_MAX = 2000


def snapshot_from_forms(form: VendorForm, formsets: dict[str, forms.BaseFormSet]) -> Snapshot:
    """The validated vendor form and its row formsets as a JSON-ready snapshot."""
    data = form.cleaned_data
    return canonical(
        {
            **{name: data[name] for name in VendorForm.Meta.fields},
            "models": list(data["models"]),
            "service_lines": list(data["service_lines"]),
            "languages": [list(row) for row in formset_rows(formsets["languages"])],
            "certifications": [
                [code, day.isoformat()] for code, day in formset_rows(formsets["certifications"])
            ],
            "centres": [list(row) for row in formset_rows(formsets["centres"])],
        }
    )


def bind_snapshot(
    snapshot: Snapshot, vendor: Vendor | None
) -> tuple[VendorForm, dict[str, forms.BaseFormSet]]:
    """The vendor form and formsets bound to ``snapshot``, as if a person had posted it.

    A stored proposal is validated again this way before it is applied: the registry may
    have changed since (another vendor took the name, say).
    """
    data: MultiValueDict[str, str] = MultiValueDict()
    for name in VendorForm.Meta.fields:
        value = snapshot.get(name)
        if name == "active":
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    data.setlist("models", list(snapshot.get("models") or []))
    data.setlist("service_lines", list(snapshot.get("service_lines") or []))
    rows = {
        "languages": [{"language": a, "proficiency": b} for a, b in snapshot["languages"]],
        "certifications": [{"code": a, "expires_on": b} for a, b in snapshot["certifications"]],
        "centres": [{"country": a, "city": b} for a, b in snapshot["centres"]],
    }
    for prefix, items in rows.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(items))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, item in enumerate(items):
            for key, value in item.items():
                data[f"{prefix}-{index}-{key}"] = value
    # No initial rows: every posted row is then validated and kept, as in a fresh form.
    return VendorForm(data, instance=vendor), vendor_formsets(data, None)


def form_errors_in_words(form: forms.BaseForm, formsets: dict[str, forms.BaseFormSet]) -> str:
    problems = [
        f"{form.fields[name].label if name in form.fields else 'Record'}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    ]
    for formset in formsets.values():
        problems.extend(str(error) for error in formset.non_form_errors())
        for row in formset.forms:  # formset.errors, one ErrorDict per row (no deleting)
            problems.extend(str(error) for errors in row.errors.values() for error in errors)
    return " ".join(problems)


class ChangeReasonForm(forms.Form):
    """Why the record changes: kept with the proposal, or in the record's history."""

    reason = forms.CharField(
        label="Reason for the change",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say where the information comes from (a credit report, the vendor's "
        "site, a call).",
    )

    def __init__(self, *args, required: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].error_messages["required"] = (
            "Say why the record should change: a curator reads the reason before deciding."
        )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("reject", "Reject")],
        error_messages={
            "required": "Choose to accept or reject.",
            "invalid_choice": "Choose to accept or reject.",
        },
    )
    note = forms.CharField(
        label="Decision note",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The proposing organisation reads it. On acceptance it is also kept in "
        "the record's history, which every organisation's admins can read.",
    )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        data["note"] = (data.get("note") or "").strip()
        if data.get("decision") == "reject" and not data["note"]:
            self.add_error("note", "Say why the proposal is rejected: the proposer reads it.")
        return data


class CuratorReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        error_messages={"required": "Say why: the reason is kept in the record's history."},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why: the reason is kept in the record's history.")
        return reason


class MergeForm(CuratorReasonForm):
    target = forms.ModelChoiceField(
        label="Merge into",
        queryset=Vendor.objects.none(),
        widget=SearchableSelect(placeholder="Type a vendor name…"),
        error_messages={
            "required": "Pick the record to keep.",
            "invalid_choice": "Pick the record to keep from the list.",
        },
    )

    def __init__(self, *args, source: Vendor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "target").queryset = (
            Vendor.objects.exclude(pk=source.pk).filter(merged_into__isnull=True).order_by("name")
        )


class PrivateDataForm(forms.Form):
    """An organisation's own rating and tags for a vendor."""

    rating = forms.TypedChoiceField(
        label="Internal rating",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", "not rated"),
            *((n, f"{n} of {RATING_MAX}") for n in range(RATING_MIN, RATING_MAX + 1)),
        ],
        error_messages={
            "invalid_choice": f"Rate from {RATING_MIN} to {RATING_MAX}, or leave it unrated."
        },
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=MAX_TAGS * (TAG_MAX_LENGTH + 2),
        help_text=f"Separated by commas, at most {MAX_TAGS}. Seen only by your organisation.",
    )

    def clean_tags(self) -> list[str]:
        tags: dict[str, str] = {}
        for raw in self.cleaned_data["tags"].split(","):
            tag = " ".join(raw.split())
            if not tag:
                continue
            if len(tag) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    f"\u201c{tag[:20]}\u2026\u201d is longer than {TAG_MAX_LENGTH} characters."
                )
            tags.setdefault(tag.casefold(), tag)
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"At most {MAX_TAGS} tags; there are {len(tags)}.")
        return sorted(tags.values(), key=str.casefold)
