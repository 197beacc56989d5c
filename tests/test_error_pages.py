"""Error pages speak French on citizens' pages (and English when asked)."""

from tests.conftest import client_for
from tests.factories import UserFactory


def test_a_missing_page_says_so_in_french(town_a):
    response = client_for(town_a).get("/espaces/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_a_forbidden_page_says_so_in_french(town_a):
    from django_tenants.utils import tenant_context

    client = client_for(town_a)
    with tenant_context(town_a):
        client.force_login(UserFactory())
    response = client.get("/gestion/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_error_pages_follow_the_language(town_a):
    response = client_for(town_a).get("/espaces/nulle-part/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert "Page introuvable" not in html
