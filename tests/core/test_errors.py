"""One error shape: the same ApplicationError says the same thing on a page and in the API."""

import pytest
from django.contrib.messages import get_messages
from rest_framework.exceptions import NotFound as DRFNotFound

from core.api import error_payload, exception_handler
from core.errors import Conflict, Invalid, NotAllowed, NotFound, Unavailable
from tests.conftest import client_for
from tests.core.urls import TAKEN


@pytest.fixture
def core_urls(settings):
    settings.ROOT_URLCONF = "tests.core.urls"


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (Invalid("x"), 400, "invalid"),
        (NotAllowed("x"), 403, "not_allowed"),
        (Conflict("x"), 409, "conflict"),
        (NotFound("x"), 404, "not_found"),
        (Unavailable("x"), 503, "unavailable"),
    ],
)
def test_each_error_answers_json_with_its_status_and_code(error, status, code):
    response = exception_handler(error, {})
    assert response.status_code == status
    assert response.data == {"detail": "x", "code": code}


def test_the_json_names_the_field_when_the_error_has_one():
    error = Invalid("Trop long.", field="title")
    assert error_payload(error) == {"detail": "Trop long.", "code": "invalid", "field": "title"}


def test_drfs_own_refusals_take_the_kernel_shape_and_bugs_are_left_to_the_500_page():
    response = exception_handler(DRFNotFound(), {})
    assert response.status_code == 404
    assert response.data["code"] == "not_found"
    assert response.data["detail"]
    assert exception_handler(ValueError("bug"), {}) is None


def test_the_same_error_says_the_same_on_a_page_and_in_the_api(town_a, core_urls):
    client = client_for(town_a)
    page = client.get("/refus/")
    api = client.get("/refus-api/")
    assert page.status_code == api.status_code == 409
    assert TAKEN in page.content.decode()
    assert "Action impossible" in page.content.decode()  # a page of the site, not a 500
    assert api.json() == {"detail": TAKEN, "code": "conflict"}


def test_form_page_puts_a_refusal_on_the_form_and_redirects_on_success(town_a, core_urls):
    client = client_for(town_a)
    refused = client.post("/creer/", {"name": "pris"})
    assert refused.status_code == 400
    assert refused.context["form"].non_field_errors() == [TAKEN]
    on_field = client.post("/creer/", {"name": "court"})
    assert on_field.status_code == 400
    assert on_field.context["form"].errors == {"name": ["Trop court."]}
    done = client.post("/creer/", {"name": "neuf"})
    assert done.status_code == 302 and done["Location"] == "/fait/neuf/"
    assert [str(m) for m in get_messages(done.wsgi_request)] == ["Créé."]
