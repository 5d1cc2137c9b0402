"""JSON bodies that are nested too deeply, not numbers or not JSON get a 400 in words."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.engine.json_bodies import JsonBodyError, load_json
from tests.api.conftest import token_for
from tests.assessments.factories import scored_assessment
from tests.contracts.builders import add_worked_slas, make_contract
from vendors import services as vendor_services

DEEP = ("[" * 100_000 + "]" * 100_000).encode()


def deep_object(key: str, depth: int = 3_000) -> bytes:
    """Deep enough to exhaust Python's recursion limit, small enough for any size cap."""
    return (f'{{"{key}": ' + "[" * depth + "]" * depth + "}").encode()


@pytest.mark.parametrize("body", [DEEP, b"[" * 40 + b"]" * 40])
def test_json_nested_past_the_limit_is_refused_in_words(body):
    with pytest.raises(JsonBodyError, match="nested too deeply"):
        load_json(body)


@pytest.mark.parametrize("body", [b"NaN", b'{"x": Infinity}', b"[-Infinity]"])
def test_nan_and_infinity_are_not_numbers_json_allows(body):
    with pytest.raises(JsonBodyError, match="not a number JSON allows"):
        load_json(body)


@pytest.mark.parametrize("body", [b"", b"{", b"\xff\xfe", b"1" * 5000])
def test_what_is_not_json_says_so(body):
    with pytest.raises(JsonBodyError, match="not valid JSON"):
        load_json(body)


def test_ordinary_json_within_the_limit_is_read_as_is():
    assert load_json(b'{"a": [1, 2.5, {"b": null}], "c": "x"}') == {
        "a": [1, 2.5, {"b": None}],
        "c": "x",
    }


def test_a_deep_what_if_body_is_a_400_not_a_server_error(cast):
    assessment = scored_assessment(cast.org, cast.manager.user)
    process = assessment.processes.get(name="Payroll processing")
    response = cast.client_for("manager").post(
        reverse("assessments:what-if", args=[assessment.pk, process.pk]),
        deep_object("answers"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.content.decode()


def test_a_deep_ahp_preview_body_is_a_400_not_a_server_error(cast):
    criteria_set = vendor_services.criteria_set_default(organisation=cast.org)
    response = cast.client_for("manager").post(
        reverse("vendors:ahp-preview", kwargs={"pk": criteria_set.pk}),
        deep_object("matrix"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Send JSON" in response.json()["error"]
    assert not criteria_set.judgements.exists()


@pytest.mark.parametrize("body", [DEEP, b'{"contract": NaN}'])
def test_a_hostile_api_body_is_a_400_with_a_reason(cast, body):
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    response = Client().post(
        reverse("contracts:api-measurements"),
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token_for(cast.manager)}",
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert not contract.slas.filter(measurements__isnull=False).exists()
