"""Forms for creating a sourcing event and choosing its scope."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from accounts.fields import RecordsChoiceField, choice_field, model_choice_field
from accounts.pickers import SearchableSelectMultiple, grouped_choices
from assessments.engine.vocabulary import model_label
from vendors.engine.criteria import DEFAULT_CRITERIA_SET
from vendors.forms.widgets import blank, date_input
from vendors.models import CriteriaSet, SourcedModel
from vendors.models.registry import SERVICE_LINE_CHOICES
from vendors.selectors.events import WaveChoice


class _EventForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="e.g. \u201cITO wave 1 RFP 2027\u201d.")
    deadline = forms.DateField(widget=date_input(), help_text="Last day for vendors' proposals.")
    planned_start = forms.DateField(
        widget=date_input(),
        help_text="When the chosen vendor would start; certificates must be valid then.",
    )
    criteria_set = forms.ModelChoiceField(queryset=CriteriaSet.objects.none(), empty_label=None)

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        sets = CriteriaSet.objects.for_org(organisation)
        model_choice_field(self, "criteria_set").queryset = sets
        if not sets.exists():
            # Before the organisation's first set, the event creates the default one.
            self.fields["criteria_set"].required = False
            model_choice_field(
                self, "criteria_set"
            ).empty_label = f"{DEFAULT_CRITERIA_SET} (created with the event)"
        today = timezone.localdate()
        self.fields["deadline"].initial = date.fromordinal(today.toordinal() + 42)
        self.fields["planned_start"].initial = date.fromordinal(today.toordinal() + 120)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        deadline, start = data.get("deadline"), data.get("planned_start")
        if deadline and deadline < timezone.localdate():
            self.add_error("deadline", "The deadline has passed; pick today or a later day.")
        if deadline and start and start <= deadline:
            self.add_error(
                "planned_start", "The vendor can only start after the deadline for proposals."
            )
        return data


class EventFromWaveForm(_EventForm):
    wave = forms.ChoiceField(label="Roadmap wave", widget=forms.RadioSelect)
    field_order = ["wave", "name", "deadline", "planned_start", "criteria_set"]

    def __init__(self, *args, waves: list[WaveChoice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.waves = {wave.key: wave for wave in waves}
        choice_field(self, "wave").choices = [(w.key, w.label) for w in waves]
        self.fields["wave"].error_messages["invalid_choice"] = (
            "Pick one of the waves listed; the roadmap may have changed since the page loaded."
        )

    def chosen_wave(self) -> WaveChoice:
        return self.waves[self.cleaned_data["wave"]]


class ProcessChoiceField(RecordsChoiceField):
    def label_from_instance(self, obj) -> str:
        rec = getattr(obj, "recommendation", None)
        model = ""
        if rec is not None:
            model = f" \u00b7 recommended {model_label(rec.effective_model)}"
        return f"{obj.assessment.name}: {obj.name}{model}"


class EventFromProcessesForm(_EventForm):
    processes = ProcessChoiceField(
        queryset=None,
        widget=SearchableSelectMultiple(placeholder="Type a process name…"),
        help_text="All from the same assessment (the list is grouped by assessment).",
    )
    model = forms.ChoiceField(label="Model sourced", choices=SourcedModel.choices)
    field_order = ["processes", "model", "name", "deadline", "planned_start", "criteria_set"]

    def __init__(self, *args, processes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "processes")
        field.queryset = processes
        field.choices = grouped_choices(
            processes, group=lambda p: p.assessment.name, label=field.label_from_instance
        )

    def clean_processes(self):
        processes = self.cleaned_data["processes"]
        assessments = {p.assessment_id for p in processes}
        if len(assessments) > 1:
            raise forms.ValidationError(
                "Pick processes from one assessment only: an event "
                "buys for one organisation context."
            )
        return processes


class ScopeForm(forms.Form):
    """The service line sought for each process in scope."""

    def __init__(self, *args, items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"line_{item.pk}"] = forms.ChoiceField(
                label=item.process.name,
                choices=blank(SERVICE_LINE_CHOICES),
                required=False,
                initial=item.service_line,
            )

    def rows(self):
        for item in self.items:
            yield item, self[f"line_{item.pk}"]

    def lines(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"line_{item.pk}"] for item in self.items}
