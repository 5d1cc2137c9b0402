"""The contracts API's exit plan: /api/v1/contracts/{contract_pk}/exit-plan/.

A read is the exit plan page's (``contracts.selectors.exit_plans.exit_plan_view``): the
checklist, the readiness score with its parts and reasons, and the transition-out cost,
for a plan never saved too (its default items, ``saved`` false). Nothing is recomputed
here: every figure is the selector's.

A change (PATCH) is what the page's edit form would send: the form starts from the plan as
shown, the body changes some of it (an item by its key, and within it only the fields
given), and the page's own form (``ExitPlanForm``) checks the whole plan, with its
messages, before the page's service (``exit_plan_save``) stores it. Nothing is saved
unless every item is right.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.errors import form_checked, form_errors
from accounts.api.fields import MoneyField
from accounts.api.serializers import StrictSerializer
from contracts.api.serializers import person_name
from contracts.api.views import (
    CONTRACT,
    MAX_ID,
    READ_NOTE,
    WRITE_NOTE,
    ContractChildViewSet,
    caller,
)
from contracts.engine import exit_readiness as rules
from contracts.forms.exit_plans import ExitPlanForm
from contracts.selectors.exit_plans import ExitItemRow, ExitPlanView, exit_plan_view
from contracts.services.exit_plans import exit_plan_save

ITEM_FIELDS = ("status", "owner", "due_on", "notes")
# What the page's form may add to the body's own checks, for the schema: a choice it does
# not offer (not applicable where it cannot be, an owner who is not a member), a due date
# out of range ("invalid"), a line break in an item's notes, the notes' lengths.
FORM_CODES = ["invalid", "invalid_choice", "control_characters", "max_length"]

# ---------------------------------------------------------------- reading


class ExitPenaltySerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(rules.TERM_PENALTIES))
    points = serializers.IntegerField(help_text="Taken off the checklist's score.")
    reason = serializers.CharField()


class ExitReadinessSerializer(serializers.Serializer):
    """``contracts.engine.exit_readiness.Readiness``, as the selector computed it."""

    score = serializers.IntegerField(help_text="0 to 100, a whole number.")
    level = serializers.ChoiceField(choices=list(rules.LEVEL_LABELS.items()))
    level_label = serializers.CharField()
    checklist_score = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        help_text="100 x (done + half the partly done) / applicable items, before penalties.",
    )
    done = serializers.IntegerField(help_text="Items done.")
    applicable = serializers.IntegerField(help_text="Items not marked not applicable.")
    penalty_points = serializers.IntegerField(help_text="The penalties' points added up.")
    penalties = ExitPenaltySerializer(many=True)
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Every reason, the penalties' last."
    )
    near_renewal = serializers.BooleanField(
        help_text="The last day to give notice is 180 days away or less, or notice is given."
    )


class ExitItemSerializer(serializers.Serializer):
    """One line of the checklist, as the exit plan page shows it."""

    item = serializers.ChoiceField(source="spec.key", choices=list(rules.ITEM_KEYS))
    label = serializers.CharField(source="spec.label")  # type: ignore[assignment]  # a field
    done_means = serializers.CharField(source="spec.done_means")
    may_be_not_applicable = serializers.BooleanField(source="spec.may_skip")
    status = serializers.ChoiceField(choices=list(rules.STATUS_LABELS.items()))
    status_label = serializers.CharField()
    owner = serializers.SerializerMethodField()
    owner_name = serializers.SerializerMethodField()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField(help_text="Neither done nor not applicable, past due.")
    notes = serializers.CharField()

    def get_owner(self, row: ExitItemRow) -> int | None:
        return None if row.owner is None else row.owner.pk

    def get_owner_name(self, row: ExitItemRow) -> str | None:
        return person_name(row.owner)


class ExitRangeSerializer(serializers.Serializer):
    low = MoneyField()
    most_likely = MoneyField()
    high = MoneyField()


class ExitMonthsSerializer(serializers.Serializer):
    low = serializers.IntegerField()
    most_likely = serializers.IntegerField()
    high = serializers.IntegerField()


class ExitCostSerializer(serializers.Serializer):
    """``contracts.engine.exit_readiness.TransitionOutCost``: the projection's transition,
    run in reverse, in the contract's currency."""

    annual_cost = MoneyField(help_text="The annual cost it starts from.")
    basis = serializers.CharField(help_text="Which annual cost that is, in words.")
    low = MoneyField(help_text="One-time cost and parallel run, at the low end.")
    most_likely = MoneyField()
    high = MoneyField()
    one_time = ExitRangeSerializer()
    parallel_run = ExitRangeSerializer()
    months = ExitMonthsSerializer(help_text="The exit transition's whole months.")


def _range(values: tuple[Any, Any, Any], currency: str | None = None) -> SimpleNamespace:
    low, most_likely, high = values
    return SimpleNamespace(low=low, most_likely=most_likely, high=high, currency=currency)


class ExitPlanSerializer(serializers.Serializer):
    """``contracts.selectors.exit_plans.ExitPlanView``."""

    contract = serializers.IntegerField(source="contract.pk")
    saved = serializers.BooleanField(
        help_text="False: the default plan every contract starts with, shown and scored the "
        "same way; nothing is stored until someone saves it."
    )
    notes = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True, help_text="null until saved.")
    readiness = ExitReadinessSerializer()
    items = ExitItemSerializer(many=True)
    transition_out_cost = serializers.SerializerMethodField()
    exit_transition_months = serializers.IntegerField(
        source="exit_months", help_text="The most likely length of an exit transition."
    )

    @extend_schema_field(ExitCostSerializer)
    def get_transition_out_cost(self, view: ExitPlanView) -> dict[str, Any]:
        cost, currency = view.cost, view.contract.currency
        return ExitCostSerializer(
            SimpleNamespace(
                annual_cost=cost.annual_cost,
                basis=view.cost_basis,
                low=cost.low,
                most_likely=cost.mode,
                high=cost.high,
                one_time=_range(cost.one_time, currency),
                parallel_run=_range(cost.parallel_run, currency),
                months=_range(cost.months),
                currency=currency,
            )
        ).data


# ---------------------------------------------------------------- writing


class ExitItemWriteSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=list(rules.STATUSES), required=False)
    owner = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        required=False,
        help_text=(
            "A member of your organisation, by user id (or the item's current owner, who "
            "may have left); null: no owner yet."
        ),
    )
    due_on = serializers.DateField(allow_null=True, required=False)
    notes = serializers.CharField(max_length=500, allow_blank=True, required=False)


class ExitItemsWriteSerializer(StrictSerializer):
    """The items to change, by key; an item left out keeps what it has."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # One optional field per checklist item, from the engine's one list of items.
        return {
            item.key: ExitItemWriteSerializer(
                required=False,
                help_text=item.label + ("." if item.may_skip else ": it cannot be not applicable."),
            )
            for item in rules.ITEMS
        }


class ExitPlanWriteSerializer(StrictSerializer):
    items = ExitItemsWriteSerializer(required=False)
    notes = serializers.CharField(
        max_length=5000,
        allow_blank=True,
        required=False,
        help_text="The exit strategy in a few lines: to whom the service would go, who decides.",
    )


def _shown(value: Any) -> str:
    """A value as the page's form holds it (what the browser would send back)."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def form_data(view: ExitPlanView, changes: dict[str, Any]) -> dict[str, str]:
    """The edit form's data: the plan as shown (the form's initial values) with the
    changes of the body, by the form's names (``<item>-<field>``, ``notes``)."""
    data = {"notes": view.notes}
    for row in view.items:
        key = row.spec.key
        shown = {
            "status": row.status,
            "owner": None if row.owner is None else row.owner.pk,
            "due_on": row.due_on,
            "notes": row.notes,
        }
        shown |= changes.get("items", {}).get(key, {})
        data |= {f"{key}-{name}": _shown(shown[name]) for name in ITEM_FIELDS}
    if "notes" in changes:
        data["notes"] = changes["notes"]
    return data


def plan_errors(form: ExitPlanForm) -> dict[str, Any]:
    """The form's messages, word for word: an item's under ``items.<key>.<field>``."""
    errors: dict[str, Any] = {}
    items = {row.spec.key: form_errors(row) for row in form.items if row.errors}
    if items:
        errors["items"] = items
    errors |= form_errors(form.plan)
    return errors


EXAMPLE = {
    "items": {
        "data_return": {
            "status": "partial",
            "due_on": "2027-03-31",
            "notes": "CSV every month; the deletion certificate still to agree",
        },
        "people": {"status": "not_applicable", "owner": None},
    },
    "notes": "Back in-house with the shared-services team; the CIO decides.",
}


@form_checked(
    ["notes", *(f"items.{key}.{name}" for key in rules.ITEM_KEYS for name in ITEM_FIELDS)],
    actions=["partial_update"],
    codes=FORM_CODES,
)
class ExitPlanViewSet(ContractChildViewSet):
    serializer_class = ExitPlanSerializer
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(
        summary="A contract's exit plan",
        parameters=[CONTRACT],
        description="The exit plan page's figures (`contracts.selectors.exit_plans`): "
        "each checklist item with its status, owner, due date, notes and whether it is "
        "overdue; the exit-readiness score, its level, the checklist's score, the "
        "penalties of the contract's terms and every reason; and the transition-out cost "
        "with the annual cost it starts from. A contract whose plan was never saved has "
        "the default plan, shown and scored the same way, with `saved` false. " + READ_NOTE,
    )
    def retrieve(self, request: Request, contract_pk: str) -> Response:
        view = exit_plan_view(self.contract(), timezone.localdate())
        return Response(ExitPlanSerializer(view).data)

    @extend_schema(
        summary="Change a contract's exit plan",
        parameters=[CONTRACT],
        request=ExitPlanWriteSerializer,
        responses={200: ExitPlanSerializer},
        examples=[OpenApiExample("A change", value=EXAMPLE, request_only=True)],
        description="As the page's edit form: it starts from the plan as shown (the "
        "default one if it was never saved), the body changes items by their key (only the "
        "fields given; `owner` and `due_on` null clear them) and the plan's notes, and the "
        "page's form checks the whole plan (a member as owner, a due date within 20 years, "
        "only tooling and people not applicable) before the page's service saves every "
        "item. The reply is the plan as read afterwards. " + WRITE_NOTE,
    )
    def partial_update(self, request: Request, contract_pk: str) -> Response:
        contract = self.contract(write=True)
        body = ExitPlanWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        today = timezone.localdate()
        view = exit_plan_view(contract, today)
        form = ExitPlanForm(
            form_data(view, body.validated_data),
            organisation=contract.organisation,
            today=today,
            current_owners=view.owners,
        )
        if not form.is_valid():
            raise ValidationError(plan_errors(form))
        with transaction.atomic():
            exit_plan_save(
                contract=contract,
                items=form.changes(),
                notes=form.notes,
                user=caller(request),
                today=today,
            )
        return Response(ExitPlanSerializer(exit_plan_view(contract, today)).data)
