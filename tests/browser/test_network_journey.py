"""The network forum's journey in Chromium: Montigny's admin opens the network from the town's
back office (no new sign-in) and asks a question; Saint-Dizier's admin, from their own back
office, finds it and answers; Montigny's admin is told by e-mail and keeps the answer."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context
from playwright.sync_api import expect

from network.models import Post, Thread
from tenants.models import Tenant
from tenants.services import town_create
from tests.browser.conftest import town_drop
from tests.browser.test_accessibility import _blocking_violations
from tests.factories import PASSWORD
from tests.participation.factories import AdminFactory

TOWNS = (
    ("montigny-parcours", "Montigny-le-Bretonneux", "Mairie de Montigny"),
    ("saint-dizier-parcours", "Saint-Dizier", "Mairie de Saint-Dizier"),
)
QUESTION = "Quel plafond par projet pour le budget participatif ?"


@pytest.fixture
def two_towns(live_server_port, django_db_blocker):
    """Two committed towns with an admin each; dropped afterwards with their forum posts."""
    made = []
    with django_db_blocker.unblock():
        for slug, name, admin_name in TOWNS:
            town = town_create(
                slug=slug, name=name, kind=Tenant.Kind.COMMUNE, population=40_000,
                status=Tenant.Status.ACTIVE,
            ).tenant  # fmt: skip
            with tenant_context(town):
                AdminFactory(email=f"admin@{slug}.fr", display_name=admin_name)
            made.append(town)
        connection.set_schema_to_public()
    yield made
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        Thread.objects.filter(author__tenant__in=made).delete()
        Post.objects.filter(author__tenant__in=made).delete()
        for town in made:
            town_drop(town)


def enter_the_network(chromium, port: int, slug: str):
    """A phone's browser signed in to the town's site, then in the network through the back
    office's button. Port 80 is where the platform's host answers in production: a proxy
    rule sends it to the live server's port, as nginx would."""
    context = chromium.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    context.route(
        "http://localhost/reseau/**",
        lambda route: route.fulfill(
            status=302,
            headers={"Location": route.request.url.replace("//localhost/", f"//localhost:{port}/")},
        ),
    )
    page = context.new_page()
    site = f"http://{slug}.localhost:{port}"
    page.goto(f"{site}/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(f"admin@{slug}.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{site}/gestion/")
    page.get_by_role("link", name="Ouvrir le réseau des collectivités").click()
    expect(page.get_by_role("heading", name="Réseau des collectivités", level=1)).to_be_visible()
    assert page.url == f"http://localhost:{port}/reseau/"
    return page


def test_montigny_asks_and_saint_dizier_answers(chromium, live_server_port, two_towns):
    montigny = enter_the_network(chromium, live_server_port, TOWNS[0][0])
    assert _blocking_violations(montigny) == []
    montigny.get_by_role("link", name="Budget participatif").click()
    montigny.get_by_role("link", name="Nouvelle discussion").click()
    assert _blocking_violations(montigny) == []
    montigny.get_by_label("Titre de la discussion").fill(QUESTION)
    montigny.get_by_label("Message").fill("Les gros projets ont tout raflé l'an dernier.")
    montigny.get_by_role("button", name="Publier").click()
    expect(montigny.get_by_text("Discussion publiée.")).to_be_visible()
    question_url = montigny.url

    saint_dizier = enter_the_network(chromium, live_server_port, TOWNS[1][0])
    saint_dizier.get_by_role("link", name=QUESTION).click()
    expect(saint_dizier.get_by_text("Mairie de Montigny").first).to_be_visible()
    saint_dizier.get_by_label("Votre réponse").fill("Chez nous : **30 %** de l'enveloppe au plus.")
    saint_dizier.get_by_role("button", name="Publier la réponse").click()
    expect(saint_dizier.get_by_text("Réponse publiée.")).to_be_visible()
    expect(saint_dizier.locator("strong", has_text="30 %")).to_be_visible()
    expect(
        saint_dizier.get_by_text("Administrateur de la collectivité · Saint-Dizier")
    ).to_be_visible()
    saint_dizier.context.close()

    told = [m for m in mail.outbox if "admin@montigny-parcours.fr" in m.to]
    assert told and "Nouvelle réponse" in told[-1].subject
    montigny.goto(question_url)
    montigny.get_by_role("button", name="Retenir comme réponse").click()
    expect(montigny.get_by_text("Réponse retenue.")).to_be_visible()
    expect(montigny.get_by_text("Résolue")).to_be_visible()
    montigny.context.close()
