"""Vendor staff in Chromium: password then TOTP code, the onboarding wizard, then the invited
admin sets a password and signs in on the new town's own subdomain."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import expect

from onboarding.models import OnboardingJob
from onboarding.offboarding import town_erase
from tenants.models import Tenant
from tests.browser.conftest import CONSOLE_PLAN, console_sign_in

NEW_SLUG = "villeneuve-parcours"
ADMIN_EMAIL = "dgs@villeneuve-parcours.fr"
ADMIN_PASSWORD = "Un-nouveau-mot-de-passe-2026"


@pytest.fixture
def new_town_erased(django_db_blocker):
    """The town the journey creates, and its job, removed afterwards."""
    yield
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        town = Tenant.objects.filter(slug=NEW_SLUG).first()
        if town is not None:
            town_erase(tenant=town)
        OnboardingJob.objects.filter(slug=NEW_SLUG).delete()


def _invitation_link(port: int) -> str:
    """The link of the e-mail, on the live server's port."""
    message = next(m for m in reversed(mail.outbox) if ADMIN_EMAIL in m.to)
    link = re.search(r"https?://\S+", message.body).group(0)
    assert f"//{NEW_SLUG}.localhost/" in link
    return link.replace(f"{NEW_SLUG}.localhost/", f"{NEW_SLUG}.localhost:{port}/")


def test_staff_onboards_a_town_whose_admin_then_signs_in(
    page, live_server_port, console_staff, new_town_erased
):
    # Password, then the code of the staff member's authenticator app.
    console_sign_in(page, live_server_port, console_staff)
    expect(page.get_by_role("heading", name="Collectivités")).to_be_visible()

    # The wizard: one form, checked whole, then the creation runs as a job with its progress.
    page.get_by_role("link", name="Nouvelle collectivité").click()
    page.get_by_label("Nom de la collectivité").fill("Villeneuve-du-Parcours")
    page.get_by_label("Type de collectivité").select_option("commune")
    page.get_by_label("Code INSEE").fill("33550")
    page.get_by_label("Population").fill("8400")
    page.get_by_label("Identifiant (sous-domaine)").fill(NEW_SLUG)
    page.get_by_label("Formule").select_option(CONSOLE_PLAN)
    page.get_by_label("Vert").check()
    page.get_by_label("Nom du premier administrateur").fill("Camille Martin")
    page.get_by_label("E-mail du premier administrateur").fill(ADMIN_EMAIL)
    page.get_by_role("button", name="Créer la collectivité").click()

    expect(page.get_by_text("Villeneuve-du-Parcours est en service.")).to_be_visible(timeout=20_000)
    expect(page.get_by_text(ADMIN_EMAIL).first).to_be_visible()
    town = Tenant.objects.get(slug=NEW_SLUG)
    assert (town.name, town.plan, town.status) == (
        "Villeneuve-du-Parcours",
        CONSOLE_PLAN,
        Tenant.Status.TRIAL,
    )

    # The invited admin, in another browser: the one-time link on the town's own subdomain.
    link = _invitation_link(live_server_port)
    admin = page.context.browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    admin_page = admin.new_page()
    admin_page.goto(link)
    admin_page.get_by_label("Nouveau mot de passe", exact=True).fill(ADMIN_PASSWORD)
    admin_page.get_by_label("Confirmation du nouveau mot de passe").fill(ADMIN_PASSWORD)
    admin_page.get_by_role("button", name="Enregistrer le mot de passe").click()
    town_site = f"http://{NEW_SLUG}.localhost:{live_server_port}"
    admin_page.goto(f"{town_site}/compte/connexion/")
    admin_page.get_by_label("Adresse e-mail").fill(ADMIN_EMAIL)
    admin_page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    admin_page.get_by_role("button", name="Se connecter").click()
    admin_page.goto(f"{town_site}/gestion/")
    expect(admin_page.get_by_text("Villeneuve-du-Parcours").first).to_be_visible()
    expect(admin_page.get_by_role("heading", name="Avant l'ouverture du site")).to_be_visible()
    admin.close()

    # The same link cannot serve twice.
    page.goto(link)
    expect(page.get_by_text("Ce lien n'est pas valide")).to_be_visible()
