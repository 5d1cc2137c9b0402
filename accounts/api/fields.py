"""Money in the API: an exact decimal string with its currency, never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

CENT = Decimal("0.01")


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "amount": {"type": "string", "format": "decimal", "example": "125000.00"},
            "currency": {"type": "string", "example": "EUR", "minLength": 3, "maxLength": 3},
        },
        "required": ["amount", "currency"],
    }
)
class MoneyField(serializers.Field):
    """Read-only: ``{"amount": "125000.00", "currency": "EUR"}``, rounded half-up to the
    cent. ``currency`` names the attribute (or a callable of the object) holding it."""

    def __init__(self, *, currency: str = "currency", **kwargs: Any) -> None:
        kwargs["read_only"] = True
        self.currency = currency
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        value = super().get_attribute(instance)
        currency = instance
        for part in self.currency.split("."):
            currency = getattr(currency, part)
        return value, currency() if callable(currency) else currency

    def to_representation(self, value: Any) -> dict[str, str] | None:
        amount, currency = value
        if amount is None:
            return None
        exact = amount if isinstance(amount, Decimal) else Decimal(str(amount))
        return {
            "amount": str(exact.quantize(CENT, rounding=ROUND_HALF_UP)),
            "currency": str(currency),
        }
