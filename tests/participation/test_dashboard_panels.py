"""What the vendor side shows on a town's back-office dashboard goes through
participation.backoffice.panels: a registered panel shows in its place, for the town shown,
and the dashboard stands without the vendor's panels."""

from __future__ import annotations

import html

from participation.backoffice import panels
from participation.backoffice.panels import DashboardPanel, Place
from tests.participation.conftest import logged_in
from tests.participation.factories import AdminFactory


def _dashboard(town) -> str:
    response = logged_in(town, AdminFactory()).get("/gestion/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_registered_panels_show_in_their_place_for_the_town_shown(
    in_town_a, town_a, monkeypatch, extra_templates
):
    extra_templates(
        {
            "hooked/top.html": "<p>en haut pour {{ name }}</p>",
            "hooked/bottom.html": "<p>en bas pour {{ name }} ({{ request.path }})</p>",
        }
    )
    monkeypatch.setitem(
        panels._panels,
        "top",
        DashboardPanel(Place.TOP, "hooked/top.html", lambda town: {"name": town.name}),
    )
    monkeypatch.setitem(
        panels._panels,
        "bottom",
        DashboardPanel(Place.BOTTOM, "hooked/bottom.html", lambda town: {"name": town.name}),
    )

    page = _dashboard(town_a)

    top = page.index("<p>en haut pour Ville A</p>")
    bottom = page.index("<p>en bas pour Ville A (/gestion/)</p>")
    figures = page.index('<div class="figures">')
    assert top < figures < page.index("Contributions par semaine") < bottom


def test_the_dashboard_stands_without_the_vendors_panels(in_town_a, town_a, monkeypatch):
    monkeypatch.setattr(panels, "_panels", {})

    page = _dashboard(town_a)

    assert "Tableau de bord de la participation" in page
    assert "Avant l'ouverture du site" not in page
    assert "Formations à la plateforme" not in page


def test_onboarding_training_and_network_register_their_panels_on_start_up():
    assert {key: panel.place for key, panel in panels._panels.items()} == {
        "golive_checklist": Place.TOP,
        "training": Place.BOTTOM,
        "template_library": Place.BOTTOM,
        "network": Place.TOP,
    }
