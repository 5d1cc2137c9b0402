"""The OpenAPI 3 schema is valid, covers /api/v1/, and its docs work offline."""

from __future__ import annotations

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_covers_only_the_public_api_and_describes_tokens(schema):
    assert schema["paths"], "no endpoint is described"
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert "/api/v1/me/" in schema["paths"]
    scheme = schema["components"]["securitySchemes"]["apiToken"]
    assert scheme["type"] == "http" or scheme["type"] == "apiKey"


def test_the_docs_load_swagger_ui_from_the_app_itself(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in page.lower()
    assert "cdn" not in page.lower() and "https://" not in page.split("<body")[1][:2000]
