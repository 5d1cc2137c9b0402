"""A contract's currency is an ISO 4217 code: forms, the model and the API refuse other text
in words, and the page keeps what was typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework import serializers

from accounts.engine.currencies import ISO_4217, currency_problem, normalise_currency
from contracts.models import Contract
from tests.contracts.builders import make_contract
from tests.contracts.test_contract_views import form_data
from vendors.api.fields import MoneyInputField


def test_codes_in_any_case_with_spaces_around_are_normalised():
    assert normalise_currency(" gbp ") == "GBP"
    assert normalise_currency("EUR") == "EUR"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("pounds", "“pounds” is not an ISO 4217 currency code"),
        ("pounds", "For pound sterling, enter GBP."),
        ("POU", "“POU” is not an ISO 4217 currency code"),
        ("euro", "For euro, enter EUR."),
        ("", "Enter the currency as a three-letter ISO 4217 code"),
        ("x" * 500, "“" + "x" * 40 + "…”"),
    ],
)
def test_other_text_is_refused_with_the_code_it_most_likely_means(typed, words):
    problem = currency_problem(typed)
    assert problem is not None and words in problem
    with pytest.raises(ValueError, match="ISO 4217"):
        normalise_currency(typed)


def test_the_list_holds_the_codes_people_use():
    assert {"GBP", "EUR", "USD", "CHF", "JPY", "INR", "PLN", "ZAR"} <= set(ISO_4217)
    assert all(len(code) == 3 and code.isupper() for code in ISO_4217)


@pytest.mark.django_db
def test_the_contract_form_refuses_pounds_keeps_it_and_saves_nothing(cast):
    response = cast.client_for("manager").post(
        reverse("contracts:create"), form_data(cast, currency="pounds")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not an ISO 4217 currency code" in page and "enter GBP" in page
    # What was typed is shown back whole (the box is wide enough: no "pou").
    assert 'name="currency" value="pounds"' in page
    assert not Contract.objects.exists()


@pytest.mark.django_db
def test_a_code_typed_in_small_letters_is_saved_in_capitals(cast):
    response = cast.client_for("manager").post(
        reverse("contracts:create"), form_data(cast, currency=" eur ")
    )
    assert response.status_code == 302
    assert Contract.objects.get().currency == "EUR"


@pytest.mark.django_db
def test_the_model_refuses_a_code_iso_4217_does_not_know(cast):
    contract = make_contract(cast.manager)
    contract.currency = "POU"
    with pytest.raises(ValidationError) as refused:
        contract.full_clean()
    assert "not an ISO 4217 currency code" in str(refused.value.message_dict["currency"])


@pytest.mark.parametrize("code", ["POU", "gbp", "GB", 5])
def test_money_written_to_the_api_needs_an_iso_4217_code(code):
    with pytest.raises(serializers.ValidationError) as refused:
        MoneyInputField().run_validation({"amount": "100.00", "currency": code})
    assert "ISO 4217" in str(refused.value.detail)


def test_money_written_to_the_api_with_a_real_code_is_accepted():
    money = MoneyInputField().run_validation({"amount": "100.00", "currency": "CHF"})
    assert money.currency == "CHF"
