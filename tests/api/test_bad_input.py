"""Bad input to the API: a clear answer in the kernel's error shape, never a 500."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from participation import services
from tests.conftest import client_for
from tests.participation.factories import AdminFactory

SPACES = "/api/v1/espaces/"


@pytest.fixture
def spaces(town_a):
    with tenant_context(town_a):
        admin = AdminFactory()
        for n in range(3):
            services.space_create(
                actor=admin, kind="consultation", title=f"Espace {n}", publish=True
            )
    return client_for(town_a)


def _is_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    return body


def test_a_huge_page_size_is_clamped(spaces):
    response = spaces.get(SPACES, {"page_size": 10**9})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 3


def test_a_page_size_of_one_pages(spaces):
    body = spaces.get(SPACES, {"page_size": 1, "page": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 1
    assert body["next"] and body["previous"]


@pytest.mark.parametrize("size", ["0", "-1", "abc", "1e9", "٣"])
def test_a_page_size_that_is_not_a_positive_number_is_a_400(spaces, size):
    body = _is_error(spaces.get(SPACES, {"page_size": size}), 400)
    assert body["field"] == "page_size"


def test_a_page_past_the_end_is_a_404_in_the_same_shape(spaces):
    _is_error(spaces.get(SPACES, {"page": 99}), 404)


def test_an_unknown_filter_is_a_400_naming_it(spaces):
    body = _is_error(spaces.get(SPACES, {"quartier": "nord"}), 400)
    assert body["field"] == "quartier"
    assert "quartier" in body["detail"]


def test_an_unknown_ordering_is_a_400(spaces):
    body = _is_error(spaces.get(SPACES, {"ordering": "password"}), 400)
    assert body["field"] == "ordering"


def test_a_bad_filter_value_is_a_400_with_its_errors(spaces):
    body = _is_error(spaces.get(SPACES, {"kind": "casino"}), 400)
    assert body["field"] == "kind" and "kind" in body["errors"]


def test_ordering_and_filter_apply(spaces):
    titles = [s["title"] for s in spaces.get(SPACES, {"ordering": "-title"}).json()["results"]]
    assert titles == ["Espace 2", "Espace 1", "Espace 0"]
    assert spaces.get(SPACES, {"kind": "budget_campaign"}).json()["count"] == 0


def test_malformed_json_is_a_400_in_the_kernel_shape(town_a):
    response = client_for(town_a).post(
        "/api/v1/auth/token/", "{not json", content_type="application/json"
    )
    _is_error(response, 400)


def test_a_refusal_of_drf_itself_has_the_same_shape(town_a):
    body = _is_error(client_for(town_a).get("/api/v1/me/"), 401)
    assert body["code"] == "not_authenticated"
    body = _is_error(
        client_for(town_a).get("/api/v1/me/", HTTP_AUTHORIZATION="Token nimportequoi"), 401
    )
    assert body["code"] == "authentication_failed"
    _is_error(client_for(town_a).delete(SPACES), 405)


def test_too_many_calls_are_a_429_with_retry_after(town_a, rate_limits):
    rate_limits.limit("api", ip=(2, 60))
    client = client_for(town_a)
    answers = [client.get("/api/v1/town/") for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [200, 200]
    body = _is_error(answers[2], 429)
    assert body["code"] == "throttled"
    assert int(answers[2]["Retry-After"]) > 0
