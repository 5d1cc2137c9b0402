"""Serializer pieces the vendor endpoints share: ids and money written to the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import MoneyField
from accounts.engine.currencies import is_currency

# The largest id a database integer column holds: a bigger number is refused in words
# instead of overflowing the query.
ID_MAX = 2**63 - 1
MONEY_DIGITS, MONEY_PLACES = 14, 2  # as Proposal.annual_price and the proposal form


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


MONEY_SCHEMA = {
    "type": "object",
    "properties": {
        "amount": {
            "type": "string",
            "format": "decimal",
            "example": "125000.00",
            "description": "A decimal string with at most 2 decimal places.",
        },
        "currency": {"type": "string", "example": "GBP", "minLength": 3, "maxLength": 3},
    },
    "required": ["amount", "currency"],
}


@extend_schema_field(MONEY_SCHEMA)
class MoneyInputField(serializers.Field):
    """Money written to the API: ``{"amount": "125000.00", "currency": "GBP"}``.

    The amount is a decimal string (never a JSON number, so no float rounding) with at
    most two decimal places; the view checks the currency is the one it expects.
    Read back as ``accounts.api.fields.MoneyField`` shows it.
    """

    default_error_messages = {
        # Formatted by DRF's ``fail``: the braces are doubled.
        "shape": 'Give money as {{"amount": "125000.00", "currency": "GBP"}}.',
        "amount": 'Give the amount as a decimal string, e.g. "125000.00".',
        "currency": "Give the currency as a three-letter ISO 4217 code in capitals, e.g. GBP.",
    }

    def to_internal_value(self, data: Any) -> Money:
        if not isinstance(data, Mapping) or set(data) != {"amount", "currency"}:
            self.fail("shape")
        if not isinstance(data["amount"], str):
            raise serializers.ValidationError({"amount": [self.error_messages["amount"]]})
        if not isinstance(data["currency"], str) or not is_currency(data["currency"]):
            raise serializers.ValidationError({"currency": [self.error_messages["currency"]]})
        decimal = serializers.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
        try:
            amount = decimal.run_validation(data["amount"].strip())
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"amount": error.detail}) from None
        return Money(amount, data["currency"])

    def to_representation(self, value: Money) -> dict[str, str] | None:
        return MoneyField().to_representation((value.amount, value.currency))


def money(amount: Decimal | None, currency: str) -> dict[str, str] | None:
    """An amount as the API shows money: rounded half-up to the cent, with its currency."""
    return MoneyField().to_representation((amount, currency))
