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


def test_the_local_setup_shows_the_site_404_page_with_debug_on(town_a, settings):
    """`./agora up` runs with DEBUG on, where Django would answer with its technical page:
    the local settings add the middleware that shows the site's own page."""
    from config.settings import local

    settings.DEBUG = True
    settings.MIDDLEWARE = local.MIDDLEWARE
    for path in ("/nulle-part/", "/espaces/nulle-part/"):  # no URL; a view's Http404
        response = client_for(town_a).get(path)
        assert response.status_code == 404
        html = response.content.decode()
        assert "<h1>Page introuvable</h1>" in html, path
        assert "Using the URLconf" not in html and "technical_404" not in html
