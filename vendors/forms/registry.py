"""Forms for curating vendor records and noting vendors."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.engine.countries import COUNTRY_CHOICES, LANGUAGE_CHOICES
from assessments.engine.vocabulary import OUTSOURCED_MODELS, choices
from vendors.forms.widgets import blank, date_input
from vendors.models import Proficiency, Vendor
from vendors.models.registry import CERTIFICATION_CHOICES, SERVICE_LINE_CHOICES
from vendors.services import VendorDetails


class VendorForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)
    models = forms.MultipleChoiceField(
        label="Sourcing models offered",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=choices(OUTSOURCED_MODELS),
    )
    service_lines = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=SERVICE_LINE_CHOICES,
    )

    class Meta:
        model = Vendor
        fields = [
            "name",
            "website",
            "headquarters_country",
            "headcount",
            "founded",
            "financial_stability",
            "references",
            "notes",
            "active",
        ]
        widgets = {
            "references": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("models", list(self.instance.offered_models))
            self.initial.setdefault(
                "service_lines", [line.code for line in self.instance.service_lines.all()]
            )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def vendor_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        offered = set(self.cleaned_data["models"])
        data.update(
            offers_ito="ITO" in offered, offers_bpo="BPO" in offered, offers_kpo="KPO" in offered
        )
        return data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=blank(LANGUAGE_CHOICES), required=False)
    proficiency = forms.ChoiceField(choices=blank(Proficiency.choices), required=False)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("language") and not data.get("proficiency"):
            self.add_error("proficiency", "Say whether the vendor delivers natively or fluently.")
        if data.get("proficiency") and not data.get("language"):
            self.add_error("language", "Pick the language this proficiency is for.")
        return data


class CertificationForm(forms.Form):
    code = forms.ChoiceField(
        label="Certification", choices=blank(CERTIFICATION_CHOICES), required=False
    )
    expires_on = forms.DateField(label="Expires on", required=False, widget=date_input())

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("code") and not data.get("expires_on") and "expires_on" not in self.errors:
            self.add_error("expires_on", "Give the expiry date printed on the certificate.")
        if data.get("expires_on") and not data.get("code"):
            self.add_error("code", "Pick the certification this expiry date is for.")
        return data


class CentreForm(forms.Form):
    country = forms.ChoiceField(choices=blank(COUNTRY_CHOICES), required=False)
    city = forms.CharField(max_length=100, required=False)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        data["city"] = " ".join((data.get("city") or "").split())
        if data.get("country") and not data["city"]:
            self.add_error("city", "Give the city of this delivery centre.")
        if data["city"] and not data.get("country"):
            self.add_error("country", "Pick the country of this delivery centre.")
        return data


class _UniqueRowsFormSet(forms.BaseFormSet):
    key_fields: tuple[str, ...] = ()
    value_fields: tuple[str, ...] = ()
    what = "row"

    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            key = tuple(form.cleaned_data.get(f) for f in self.key_fields)
            if not key[0]:
                continue
            if key in seen:
                raise forms.ValidationError(f"The same {self.what} is listed twice.")
            seen.add(key)

    def rows(self) -> list[tuple[Any, ...]]:
        return [
            tuple(form.cleaned_data[f] for f in self.value_fields)
            for form in self.forms
            if form.cleaned_data.get(self.value_fields[0])
        ]


class _LanguageFormSet(_UniqueRowsFormSet):
    key_fields = ("language",)
    value_fields = ("language", "proficiency")
    what = "language"


class _CertificationFormSet(_UniqueRowsFormSet):
    key_fields = ("code",)
    value_fields = ("code", "expires_on")
    what = "certification"


class _CentreFormSet(_UniqueRowsFormSet):
    key_fields = value_fields = ("country", "city")
    what = "delivery centre"


LanguageFormSet = forms.formset_factory(LanguageForm, formset=_LanguageFormSet, extra=2)
CertificationFormSet = forms.formset_factory(
    CertificationForm, formset=_CertificationFormSet, extra=2
)
CentreFormSet = forms.formset_factory(CentreForm, formset=_CentreFormSet, extra=2)


def formset_rows(formset: forms.BaseFormSet) -> list[tuple[Any, ...]]:
    """The filled rows of one of ``vendor_formsets``' formsets, as tuples of values."""
    if not isinstance(formset, _UniqueRowsFormSet):
        raise TypeError(f"{type(formset).__name__} is not one of the vendor row formsets.")
    return formset.rows()


def vendor_formsets(data=None, vendor: Vendor | None = None) -> dict[str, forms.BaseFormSet]:
    initial: dict[str, list[dict[str, Any]]] = {
        "languages": [],
        "certifications": [],
        "centres": [],
    }
    if vendor is not None and vendor.pk:
        initial = {
            "languages": [
                {"language": v.language, "proficiency": v.proficiency}
                for v in vendor.languages.all()
            ],
            "certifications": [
                {"code": c.code, "expires_on": c.expires_on} for c in vendor.certifications.all()
            ],
            "centres": [
                {"country": c.country, "city": c.city} for c in vendor.delivery_centres.all()
            ],
        }
    return {
        "languages": LanguageFormSet(data, prefix="languages", initial=initial["languages"]),
        "certifications": CertificationFormSet(
            data, prefix="certifications", initial=initial["certifications"]
        ),
        "centres": CentreFormSet(data, prefix="centres", initial=initial["centres"]),
    }


def vendor_details(form: VendorForm, formsets: dict[str, forms.BaseFormSet]) -> VendorDetails:
    return VendorDetails(
        service_lines=form.cleaned_data["service_lines"],
        languages=formset_rows(formsets["languages"]),
        certifications=formset_rows(formsets["certifications"]),
        centres=formset_rows(formsets["centres"]),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Seen only by your organisation.",
    )
