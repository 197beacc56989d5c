"""The OpenAPI schema: generated with no warning, served per town, with its docs page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

from tenants.models import Tenant
from tests.conftest import client_for

SCHEMA = "/api/v1/schema/?format=json"


def test_the_schema_generates_with_no_warning_and_validates(tmp_path):
    # --fail-on-warn raises SchemaGenerationError on any warning or error of the generator.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")
    assert "openapi: 3" in (tmp_path / "s.yaml").read_text()


def test_each_town_serves_its_schema(town_a):
    response = client_for(town_a).get(SCHEMA)
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert "/api/v1/espaces/" in schema["paths"]
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status in ("400", "401", "403", "404", "429"):
                assert status in operation["responses"], operation["operationId"]


def test_a_town_schema_describes_only_its_modules(town_a):
    Tenant.objects.filter(pk=town_a.pk).update(enabled_modules=["polls"])
    paths = client_for(town_a).get(SCHEMA).json()["paths"]
    assert any("/polls/" in path for path in paths)
    assert not any("/budgets/" in path or "/ideas/" in path for path in paths)
    assert "/api/v1/espaces/" in paths


def test_the_index_links_the_schema_the_docs_and_the_resources(town_a):
    response = client_for(town_a).get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"].endswith("/api/v1/schema/")
    assert body["docs"].endswith("/api/v1/docs/")
    assert body["resources"]["spaces"].endswith("/api/v1/espaces/")


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/docs/?script="])
def test_the_docs_page_is_served_from_our_own_files(town_a, path):
    response = client_for(town_a).get(path)
    assert response.status_code == 200
    text = response.content.decode()
    assert "http://" not in text.replace("http://testserver", "") and "https://" not in text
    if "script" not in path:
        assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in text
        assert "<script>" not in text  # no inline script: the CSP stays strict
