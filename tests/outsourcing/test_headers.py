"""Every response carries a Permissions-Policy; nothing a signed-in person sees is cached."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contracts import services as contract_services
from tests.api.conftest import token_for
from tests.assessments.factories import scored_assessment
from tests.contracts.builders import add_worked_slas, make_contract
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DENIED = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "midi",
    "display-capture",
    "xr-spatial-tracking",
)


def policy(response) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.fixture
def signed_in_urls(cast, settings, tmp_path):
    """A page, a JSON reply, exports and downloads, all of organisation A."""
    settings.MEDIA_ROOT = tmp_path / "media"
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    document = contract_services.document_upload(
        contract=contract,
        file=SimpleUploadedFile("Agreement.pdf", b"%PDF-1.4\n%%EOF\n"),
        kind="pdf",
        description="Signed",
        user=cast.manager.user,
    )
    assessment = scored_assessment(cast.org, cast.manager.user)
    return {
        "home page": reverse("home"),
        "contract page": contract.get_absolute_url(),
        "CSV download": reverse("contracts:measurement-template", args=[contract.pk]),
        "document download": reverse(
            "contracts:document-download", args=[contract.pk, document.pk]
        ),
        "XLSX export": reverse("assessments:export", args=[assessment.pk, "xlsx"]),
        "CSV export": reverse("assessments:export", args=[assessment.pk, "csv"]),
        "inventory template": reverse("assessments:inventory-template"),
        "not found": "/contracts/999999/",
    }


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/no-such-page/"])
def test_anonymous_responses_deny_powerful_browser_features(db, path):
    response = Client().get(path)
    for feature in DENIED:
        assert policy(response)[feature] == "()", (path, feature)


def test_signed_in_pages_deny_powerful_browser_features_too(cast):
    response = cast.client_for("manager").get("/")
    assert response.status_code == 200
    assert set(DENIED) <= {name for name, allowed in policy(response).items() if allowed == "()"}


def test_every_response_to_a_signed_in_person_is_private_and_not_stored(cast, signed_in_urls):
    client = cast.client_for("manager")
    for what, address in signed_in_urls.items():
        response = client.get(address)
        assert response.status_code == (404 if what == "not found" else 200), what
        assert {"private", "no-store"} <= cache_directives(response), what
        assert "public" not in cache_directives(response), what


def test_the_redirect_after_logging_in_is_not_stored(cast):
    response = Client().post("/accounts/login/", {"username": "a-manager", "password": PASSWORD})
    assert response.status_code == 302
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_json_reply_to_an_api_token_is_not_stored(cast):
    response = Client().post(
        reverse("contracts:api-measurements"),
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token_for(cast.manager)}",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert {"private", "no-store"} <= cache_directives(response)


def test_the_django_admin_is_not_stored_either(cast):
    operator = cast.admin.user
    operator.is_superuser = True  # Django admin is for platform operators only
    operator.save()
    response = cast.client_for("admin").get("/admin/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


def test_anonymous_public_pages_are_not_marked_private(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert "no-store" not in cache_directives(response)
