"""Forms for criteria sets: direct weights and pairwise (AHP) judgements."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from vendors.engine.ranking import InvalidMatrix, ahp, weights_from_percentages
from vendors.models import CriteriaSet, Criterion


class CriteriaSetForm(forms.Form):
    name = forms.CharField(
        max_length=200, help_text="It starts with the default criteria and weights."
    )

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if CriteriaSet.objects.for_org(self.organisation).filter(name__iexact=name).exists():
            raise forms.ValidationError(
                f"There is already a criteria set called \u201c{name}\u201d."
            )
        return name


class WeightsForm(forms.Form):
    """One percentage per criterion; together they must make 100."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[criterion.code] = forms.DecimalField(
                label=f"{criterion.label} (%)",
                max_digits=7,
                decimal_places=3,
                initial=format(criterion.percent.normalize(), "f"),
                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
                error_messages={
                    "required": f"Give a weight for {criterion.label}, 0 if it should not count."
                },
            )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if all(c.code in data for c in self.criteria):
            try:
                weights_from_percentages(
                    [float(data[c.code]) for c in self.criteria],
                    labels=[c.label for c in self.criteria],
                )
            except ValueError as error:
                raise forms.ValidationError(str(error)) from None
        return data

    def percents(self) -> dict[str, Decimal]:
        return {c.code: self.cleaned_data[c.code] for c in self.criteria}


# Saaty's scale for "row criterion compared with column criterion".
SAATY_VALUES = (
    "9",
    "8",
    "7",
    "6",
    "5",
    "4",
    "3",
    "2",
    "1",
    "1/2",
    "1/3",
    "1/4",
    "1/5",
    "1/6",
    "1/7",
    "1/8",
    "1/9",
)
_SAATY_WORDS = {
    1: "equally important",
    3: "moderately more important",
    5: "strongly more important",
    7: "very strongly more important",
    9: "extremely more important",
}


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
                    label=f"{criteria[i].label} vs {criteria[j].label}",
                    choices=choices,
                    initial=initial,
                    error_messages={"invalid_choice": "Pick a value on Saaty's 1/9 to 9 scale."},
                )
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
        super().clean()
        data = self.cleaned_data
        if not self.errors:
            try:
                ahp(self.matrix(), labels=[c.label for c in self.criteria])
            except InvalidMatrix as error:
                raise forms.ValidationError(str(error)) from None
        return data


def _closest_saaty(value: float) -> str:
    return min(SAATY_VALUES, key=lambda v: abs(float(Fraction(v)) - value))
