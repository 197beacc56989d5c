"""The axe rules in Chromium: no violation of impact serious or critical on the pages
residents and staff use most."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import ADMIN_EMAIL, console_sign_in
from tests.factories import PASSWORD

BLOCKING_IMPACTS = {"serious", "critical"}


def _blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def _pages(consultation) -> dict[str, str]:
    survey, space = consultation["survey"], consultation["space"]
    return {
        "home": "/",
        "space": f"/espaces/{space.slug}/",
        "survey": f"/espaces/{space.slug}/surveys/{survey.component_id}/{survey.pk}/",
        "signup": "/compte/inscription/",
    }


@pytest.mark.parametrize("name", ["home", "space", "survey", "signup"])
def test_public_page_has_no_serious_accessibility_violation(page, town_url, consultation, name):
    page.goto(town_url(_pages(consultation)[name]))
    assert _blocking_violations(page) == []


def _admin_sign_in(page, town_url) -> None:
    page.goto(town_url("/compte/connexion/?next=/gestion/"))
    page.get_by_label("Adresse e-mail").fill(ADMIN_EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_contain_text("Tableau de bord")


def test_backoffice_dashboard_has_no_serious_accessibility_violation(page, town_url, consultation):
    _admin_sign_in(page, town_url)
    assert _blocking_violations(page) == []


def test_modules_and_space_lifecycle_pages_have_no_serious_violation(page, town_url, consultation):
    """The town's modules, a space's page with its archive and delete buttons, and the
    confirmation pages, on a phone's screen."""
    space, component_id = consultation["space"].slug, consultation["survey"].component_id
    page.set_viewport_size({"width": 375, "height": 812})
    _admin_sign_in(page, town_url)
    found = {}
    for path in (
        "/gestion/modules/",
        f"/gestion/espaces/{space}/",
        f"/gestion/espaces/{space}/supprimer/",
        f"/gestion/espaces/{space}/modules/{component_id}/retirer/",
    ):
        response = page.goto(town_url(path))
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        found[path] = _blocking_violations(page)
    assert found == {path: [] for path in found}


CONSOLE_PAGES = [
    "/",
    "/collectivites/parcours/",
    "/nouvelle-collectivite/",
    "/facturation/",
    "/facturation/catalogue/",
    "/facturation/chorus-pro/",
    "/facturation/collectivites/parcours/",
    "/facturation/collectivites/parcours/coordonnees/",
    "/formations/",
    "/journal/",
]


def test_console_pages_have_no_serious_accessibility_violation(
    page, live_server_port, browser_town, console_staff
):
    console_sign_in(page, live_server_port, console_staff)
    expect(page.locator("h1")).to_contain_text("Collectivités")
    found = {}
    for path in CONSOLE_PAGES:
        response = page.goto(f"http://localhost:{live_server_port}{path}")
        assert response.status == 200, path
        found[path] = _blocking_violations(page)
    assert found == {path: [] for path in CONSOLE_PAGES}


def test_the_check_finds_a_violation_when_there_is_one(page, town_url, consultation):
    """The check can fail: an image without alternative text is a critical violation."""
    page.goto(town_url("/"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x>')")
    assert any(v.startswith("image-alt") for v in _blocking_violations(page))
