"""Forms for vendor selection: they validate and normalise in words; services save."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from accounts.countries import COUNTRY_CHOICES, LANGUAGE_CHOICES

from .models import CriteriaSet, Criterion, Proficiency, SourcedModel, Vendor
from .models.events import MAX_SCORE, MAX_TERM_MONTHS, MIN_SCORE
from .models.registry import CERTIFICATION_CHOICES, SERVICE_LINE_CHOICES
from .ranking import InvalidMatrix, ahp, weights_from_percentages
from .selectors import WaveChoice
from .services import VendorDetails

MONEY = {"max_digits": 14, "decimal_places": 2}


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "\u2014"), *choices]


# ---------------------------------------------------------------- registry


class VendorForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)
    models = forms.MultipleChoiceField(
        label="Sourcing models offered", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("ITO", "ITO"), ("BPO", "BPO"), ("KPO", "KPO")],
    )
    service_lines = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, choices=SERVICE_LINE_CHOICES,
    )

    class Meta:
        model = Vendor
        fields = ["name", "website", "headquarters_country", "headcount", "founded",
                  "financial_stability", "references", "notes", "active"]
        widgets = {"references": forms.Textarea(attrs={"rows": 3}),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("models", list(self.instance.offered_models))
            self.initial.setdefault(
                "service_lines", [line.code for line in self.instance.service_lines.all()])

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def vendor_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        offered = set(self.cleaned_data["models"])
        data.update(offers_ito="ITO" in offered, offers_bpo="BPO" in offered,
                    offers_kpo="KPO" in offered)
        return data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=_blank(LANGUAGE_CHOICES), required=False)
    proficiency = forms.ChoiceField(choices=_blank(Proficiency.choices), required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("language") and not data.get("proficiency"):
            self.add_error("proficiency", "Say whether the vendor delivers natively or fluently.")
        if data.get("proficiency") and not data.get("language"):
            self.add_error("language", "Pick the language this proficiency is for.")
        return data


class CertificationForm(forms.Form):
    code = forms.ChoiceField(label="Certification", choices=_blank(CERTIFICATION_CHOICES),
                             required=False)
    expires_on = forms.DateField(label="Expires on", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("code") and not data.get("expires_on") and "expires_on" not in self.errors:
            self.add_error("expires_on", "Give the expiry date printed on the certificate.")
        if data.get("expires_on") and not data.get("code"):
            self.add_error("code", "Pick the certification this expiry date is for.")
        return data


class CentreForm(forms.Form):
    country = forms.ChoiceField(choices=_blank(COUNTRY_CHOICES), required=False)
    city = forms.CharField(max_length=100, required=False)

    def clean(self) -> dict:
        data = super().clean()
        data["city"] = " ".join((data.get("city") or "").split())
        if data.get("country") and not data["city"]:
            self.add_error("city", "Give the city of this delivery centre.")
        if data["city"] and not data.get("country"):
            self.add_error("country", "Pick the country of this delivery centre.")
        return data


class _UniqueRowsFormSet(forms.BaseFormSet):
    key_fields: tuple[str, ...] = ()
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

    def rows(self) -> list[tuple]:
        return [tuple(form.cleaned_data[f] for f in self.value_fields) for form in self.forms
                if form.cleaned_data.get(self.value_fields[0])]


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
CertificationFormSet = forms.formset_factory(CertificationForm, formset=_CertificationFormSet,
                                             extra=2)
CentreFormSet = forms.formset_factory(CentreForm, formset=_CentreFormSet, extra=2)


def vendor_formsets(data=None, vendor: Vendor | None = None) -> dict[str, forms.BaseFormSet]:
    initial = {"languages": [], "certifications": [], "centres": []}
    if vendor is not None and vendor.pk:
        initial = {
            "languages": [{"language": v.language, "proficiency": v.proficiency}
                          for v in vendor.languages.all()],
            "certifications": [{"code": c.code, "expires_on": c.expires_on}
                               for c in vendor.certifications.all()],
            "centres": [{"country": c.country, "city": c.city}
                        for c in vendor.delivery_centres.all()],
        }
    return {
        "languages": LanguageFormSet(data, prefix="languages", initial=initial["languages"]),
        "certifications": CertificationFormSet(data, prefix="certifications",
                                               initial=initial["certifications"]),
        "centres": CentreFormSet(data, prefix="centres", initial=initial["centres"]),
    }


def vendor_details(form: VendorForm, formsets: dict[str, forms.BaseFormSet]) -> VendorDetails:
    return VendorDetails(
        service_lines=form.cleaned_data["service_lines"],
        languages=formsets["languages"].rows(),
        certifications=formsets["certifications"].rows(),
        centres=formsets["centres"].rows(),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000,
                           help_text="Seen only by your organisation.")


# ---------------------------------------------------------------- criteria and weights


class CriteriaSetForm(forms.Form):
    name = forms.CharField(max_length=200,
                           help_text="It starts with the default criteria and weights.")

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if CriteriaSet.objects.for_org(self.organisation).filter(name__iexact=name).exists():
            raise forms.ValidationError(
                f"There is already a criteria set called \u201c{name}\u201d.")
        return name


class WeightsForm(forms.Form):
    """One percentage per criterion; together they must make 100."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[criterion.code] = forms.DecimalField(
                label=f"{criterion.label} (%)", max_digits=7, decimal_places=3,
                initial=format(criterion.percent.normalize(), "f"),
                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
                error_messages={"required": f"Give a weight for {criterion.label}, 0 if it "
                                            "should not count."},
            )

    def clean(self) -> dict:
        data = super().clean()
        if all(c.code in data for c in self.criteria):
            try:
                weights_from_percentages([float(data[c.code]) for c in self.criteria],
                                         labels=[c.label for c in self.criteria])
            except ValueError as error:
                raise forms.ValidationError(str(error)) from None
        return data

    def percents(self) -> dict[str, Decimal]:
        return {c.code: self.cleaned_data[c.code] for c in self.criteria}


# Saaty's scale for "row criterion compared with column criterion".
SAATY_VALUES = ("9", "8", "7", "6", "5", "4", "3", "2", "1",
                "1/2", "1/3", "1/4", "1/5", "1/6", "1/7", "1/8", "1/9")
_SAATY_WORDS = {1: "equally important", 3: "moderately more important",
                5: "strongly more important", 7: "very strongly more important",
                9: "extremely more important"}


def saaty_label(value: str) -> str:
    number = Fraction(value)
    if number == 1:
        return "1 \u00b7 equally important"
    if number > 1:
        words = _SAATY_WORDS.get(int(number), "in between")
        return f"{value} \u00b7 left is {words}"
    words = _SAATY_WORDS.get(int(1 / number), "in between")
    return f"{value} \u00b7 right is {words}"


def pair_field_name(i: int, j: int) -> str:
    return f"pair_{i}_{j}"


class PairwiseForm(forms.Form):
    """The upper triangle of a pairwise matrix: how much more the left criterion matters."""

    def __init__(self, *args, criteria: list[Criterion], matrix=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.pairs = []
        choices = [(v, saaty_label(v)) for v in SAATY_VALUES]
        for i in range(len(criteria)):
            for j in range(i + 1, len(criteria)):
                name = pair_field_name(i, j)
                initial = "1"
                if matrix is not None:
                    initial = _closest_saaty(matrix[i][j])
                self.fields[name] = forms.ChoiceField(
                    label=f"{criteria[i].label} vs {criteria[j].label}", choices=choices,
                    initial=initial,
                    error_messages={"invalid_choice": "Pick a value on Saaty's 1/9 to 9 scale."})
                self.pairs.append((criteria[i], criteria[j], name))

    def pair_rows(self):
        for left, right, name in self.pairs:
            yield left, right, self[name]

    def matrix(self) -> list[list[float]]:
        n = len(self.criteria)
        matrix = [[1.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                value = float(Fraction(self.cleaned_data[pair_field_name(i, j)]))
                matrix[i][j], matrix[j][i] = value, 1 / value
        return matrix

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            try:
                ahp(self.matrix(), labels=[c.label for c in self.criteria])
            except InvalidMatrix as error:
                raise forms.ValidationError(str(error)) from None
        return data


def _closest_saaty(value: float) -> str:
    return min(SAATY_VALUES, key=lambda v: abs(float(Fraction(v)) - value))


# ---------------------------------------------------------------- events


class _EventForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="e.g. \u201cITO wave 1 RFP 2027\u201d.")
    deadline = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="Last day for vendors' proposals.")
    planned_start = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the chosen vendor would start; certificates must be valid then.")
    criteria_set = forms.ModelChoiceField(queryset=CriteriaSet.objects.none(),
                                          empty_label=None)

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = CriteriaSet.objects.for_org(organisation)
        today = timezone.localdate()
        self.fields["deadline"].initial = date.fromordinal(today.toordinal() + 42)
        self.fields["planned_start"].initial = date.fromordinal(today.toordinal() + 120)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict:
        data = super().clean()
        deadline, start = data.get("deadline"), data.get("planned_start")
        if deadline and deadline < timezone.localdate():
            self.add_error("deadline", "The deadline has passed; pick today or a later day.")
        if deadline and start and start <= deadline:
            self.add_error("planned_start", "The vendor can only start after the deadline for "
                                            "proposals.")
        return data


class EventFromWaveForm(_EventForm):
    wave = forms.ChoiceField(label="Roadmap wave", widget=forms.RadioSelect)
    field_order = ["wave", "name", "deadline", "planned_start", "criteria_set"]

    def __init__(self, *args, waves: list[WaveChoice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.waves = {wave.key: wave for wave in waves}
        self.fields["wave"].choices = [(w.key, w.label) for w in waves]
        self.fields["wave"].error_messages["invalid_choice"] = (
            "Pick one of the waves listed; the roadmap may have changed since the page loaded.")

    def chosen_wave(self) -> WaveChoice:
        return self.waves[self.cleaned_data["wave"]]


class ProcessChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        rec = getattr(obj, "recommendation", None)
        model = f" \u00b7 recommended {rec.effective_model}" if rec is not None else ""
        return f"{obj.assessment.name}: {obj.name}{model}"


class EventFromProcessesForm(_EventForm):
    processes = ProcessChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple,
                                   help_text="All from the same assessment.")
    model = forms.ChoiceField(label="Model sourced", choices=SourcedModel.choices)
    field_order = ["processes", "model", "name", "deadline", "planned_start", "criteria_set"]

    def __init__(self, *args, processes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["processes"].queryset = processes

    def clean_processes(self):
        processes = self.cleaned_data["processes"]
        assessments = {p.assessment_id for p in processes}
        if len(assessments) > 1:
            raise forms.ValidationError("Pick processes from one assessment only: an event "
                                        "buys for one organisation context.")
        return processes


class ScopeForm(forms.Form):
    """The service line sought for each process in scope."""

    def __init__(self, *args, items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"line_{item.pk}"] = forms.ChoiceField(
                label=item.process.name, choices=_blank(SERVICE_LINE_CHOICES), required=False,
                initial=item.service_line)

    def rows(self):
        for item in self.items:
            yield item, self[f"line_{item.pk}"]

    def lines(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"line_{item.pk}"] for item in self.items}


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             error_messages={"required": "Say why: the reason is kept on "
                                                         "record."})


class ProposalForm(forms.Form):
    annual_price = forms.DecimalField(
        **MONEY, min_value=Decimal("0.01"), label="Annual price",
        error_messages={"min_value": "The annual price must be above zero."})
    transition_cost = forms.DecimalField(
        **MONEY, min_value=Decimal("0"), initial=Decimal("0"), label="One-time transition cost",
        error_messages={"min_value": "The transition cost cannot be negative."})
    term_months = forms.IntegerField(
        label="Term (months)", min_value=1, max_value=MAX_TERM_MONTHS, initial=36,
        error_messages={"min_value": "The term is at least one month.",
                        "max_value": f"The term is at most {MAX_TERM_MONTHS} months."})
    proposed_slas = forms.CharField(label="Proposed SLAs", required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text="One per line, e.g. \u201cP1 resolved in 4 h, "
                                              "95 %\u201d.")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    evaluator = forms.CharField(max_length=100, help_text="Whose scores these are.")

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if not c.is_cost]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.label, min_value=MIN_SCORE, max_value=MAX_SCORE,
                widget=forms.NumberInput(attrs={"min": MIN_SCORE, "max": MAX_SCORE}),
                error_messages={
                    "required": f"Score {criterion.label} from 1 to 10.",
                    "min_value": "Scores are 1 to 10; 1 is the lowest.",
                    "max_value": "Scores are 1 to 10; 10 is the highest.",
                    "invalid": "Type a whole number from 1 to 10."})
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {criterion.label.lower()}", required=False, max_length=2000)

    def clean_evaluator(self) -> str:
        return " ".join(self.cleaned_data["evaluator"].split())

    def rows(self):
        for criterion in self.criteria:
            yield criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"]

    def scores(self) -> dict[Criterion, tuple[int, str]]:
        return {c: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
                for c in self.criteria}


class AwardForm(forms.Form):
    proposal = forms.ChoiceField(label="Winning proposal", widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=10000,
        help_text="Why this vendor: kept with the award and the snapshot of scores.",
        error_messages={"required": "Write the rationale for the decision."})

    def __init__(self, *args, rows, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = {str(row.proposal.pk): row.proposal for row in rows}
        self.fields["proposal"].choices = [
            (str(row.proposal.pk),
             f"{row.vendor_name} \u00b7 weighted sum rank {row.weighted_rank}, "
             f"TOPSIS rank {row.topsis_rank}") for row in rows]
        if rows:
            self.fields["proposal"].initial = str(rows[0].proposal.pk)
        self.fields["proposal"].error_messages["invalid_choice"] = (
            "Pick one of the ranked proposals.")

    def chosen(self):
        return self.proposals[self.cleaned_data["proposal"]]
