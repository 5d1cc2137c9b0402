"""Forms for shortlist reasons, proposals, evaluators' scores and the award."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from accounts.fields import choice_field
from vendors.forms.widgets import MONEY
from vendors.models import Criterion
from vendors.models.events import MAX_SCORE, MAX_TERM_MONTHS, MIN_SCORE


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Say why: the reason is kept on record."},
    )


class ProposalForm(forms.Form):
    annual_price = forms.DecimalField(
        **MONEY,
        min_value=Decimal("0.01"),
        label="Annual price",
        error_messages={"min_value": "The annual price must be above zero."},
    )
    transition_cost = forms.DecimalField(
        **MONEY,
        min_value=Decimal("0"),
        initial=Decimal("0"),
        label="One-time transition cost",
        error_messages={"min_value": "The transition cost cannot be negative."},
    )
    term_months = forms.IntegerField(
        label="Term (months)",
        min_value=1,
        max_value=MAX_TERM_MONTHS,
        initial=36,
        error_messages={
            "min_value": "The term is at least one month.",
            "max_value": f"The term is at most {MAX_TERM_MONTHS} months.",
        },
    )
    proposed_slas = forms.CharField(
        label="Proposed SLAs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, e.g. \u201cP1 resolved in 4 h, 95 %\u201d.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    evaluator = forms.CharField(max_length=100, help_text="Whose scores these are.")

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if not c.is_cost]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.label,
                min_value=MIN_SCORE,
                max_value=MAX_SCORE,
                widget=forms.NumberInput(attrs={"min": MIN_SCORE, "max": MAX_SCORE}),
                error_messages={
                    "required": f"Score {criterion.label} from 1 to 10.",
                    "min_value": "Scores are 1 to 10; 1 is the lowest.",
                    "max_value": "Scores are 1 to 10; 10 is the highest.",
                    "invalid": "Type a whole number from 1 to 10.",
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {criterion.label.lower()}", required=False, max_length=2000
            )

    def clean_evaluator(self) -> str:
        return " ".join(self.cleaned_data["evaluator"].split())

    def rows(self):
        for criterion in self.criteria:
            yield criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"]

    def scores(self) -> dict[Criterion, tuple[int, str]]:
        return {
            c: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class AwardForm(forms.Form):
    proposal = forms.ChoiceField(label="Winning proposal", widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text="Why this vendor: kept with the award and the snapshot of scores.",
        error_messages={"required": "Write the rationale for the decision."},
    )
    early_reason = forms.CharField(
        label="Why award before the deadline",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Needed while proposals may still arrive or change; kept with the award.",
    )

    def __init__(self, *args, rows, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = {str(row.proposal.pk): row.proposal for row in rows}
        choice_field(self, "proposal").choices = [
            (
                str(row.proposal.pk),
                f"{row.vendor_name} \u00b7 weighted sum rank {row.weighted_rank}, "
                f"TOPSIS rank {row.topsis_rank}",
            )
            for row in rows
        ]
        if rows:
            self.fields["proposal"].initial = str(rows[0].proposal.pk)
        self.fields["proposal"].error_messages["invalid_choice"] = (
            "Pick one of the ranked proposals."
        )

    def chosen(self):
        return self.proposals[self.cleaned_data["proposal"]]
