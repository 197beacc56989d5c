"""/healthz: the database, Redis and the schema a host is served from."""

import pytest

from tests.conftest import client_for


def _health(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_healthz_on_platform_host_reports_public_schema(platform):
    data = _health(client_for(platform))
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["redis"]["ok"] is True
    assert data["schema"] == "public"
    assert data["town"] == "agora"


@pytest.mark.parametrize(("fixture", "schema", "slug"), [
    ("town_a", "ville_a", "ville-a"),
    ("town_b", "ville_b", "ville-b"),
])  # fmt: skip
def test_healthz_on_town_host_reports_its_schema(request, fixture, schema, slug):
    town = request.getfixturevalue(fixture)
    data = _health(client_for(town))
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["redis"]["ok"] is True
    assert data["schema"] == schema
    assert data["town"] == slug
    assert data["town_status"] == "active"


def test_healthz_reports_latencies(town_a):
    data = _health(client_for(town_a))
    assert data["database"]["latency_ms"] >= 0
    assert data["redis"]["latency_ms"] >= 0


def test_healthz_is_never_cached(town_a):
    response = client_for(town_a).get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_on_unknown_host_is_not_found(db):
    from django.test import Client

    assert Client(HTTP_HOST="inconnue.localhost").get("/healthz").status_code == 404
