"""Vendor staff on a phone, in Chromium: the town's billing details (a commitment number Chorus
Pro would refuse, then a good one), a quote signed into the subscription, the invoice's
Factur-X PDF downloaded, its deposit on Chorus Pro recorded."""

from __future__ import annotations

import facturx
import pytest
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import expect

from tests.browser.conftest import console_sign_in

SIRET = "21780000237570"


@pytest.fixture
def billing_cleaned(browser_town, django_db_blocker):
    """What the journey bills to the browser town, removed afterwards (before the plan is)."""
    yield browser_town
    from billing.models import (
        BillingDetails,
        ChorusDeposit,
        Invoice,
        InvoiceNumberSequence,
        Quote,
        Subscription,
    )

    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        town = {"subscription__tenant": browser_town}
        ChorusDeposit.objects.filter(invoice__subscription__tenant=browser_town).delete()
        Invoice.objects.filter(kind="credit_note", **town).delete()
        Invoice.objects.filter(**town).delete()
        Quote.objects.filter(tenant=browser_town).delete()
        Subscription.objects.filter(tenant=browser_town).delete()
        BillingDetails.objects.filter(tenant=browser_town).delete()
        InvoiceNumberSequence.objects.all().delete()


def test_staff_bills_a_town_that_pays_through_chorus_pro(
    page, live_server_port, console_staff, billing_cleaned, settings, tmp_path
):
    settings.STRIPE_SECRET_KEY = ""
    town = billing_cleaned
    console_sign_in(page, live_server_port, console_staff)
    page.goto(f"http://localhost:{live_server_port}/facturation/collectivites/{town.slug}/")
    expect(page.get_by_text("Pas encore de SIRET")).to_be_visible()

    page.get_by_role("link", name="Renseigner les coordonnées de facturation").click()
    page.get_by_label("Raison sociale").fill("Commune du Parcours")
    page.get_by_label("SIRET de l'établissement payeur").fill(SIRET)
    page.get_by_label("Adresse").fill("1 place de la Mairie")
    page.get_by_label("Code postal").fill("33000")
    page.get_by_label("Commune").fill("Parcours")
    page.get_by_label("Code service Chorus Pro").fill("FINANCES")
    page.get_by_label("Numéro d'engagement (bon de commande)").fill("EJ 2026;7")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("n'est pas accepté par Chorus Pro").first).to_be_visible()
    page.get_by_label("Numéro d'engagement (bon de commande)").fill("EJ-2026-7")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Coordonnées de facturation enregistrées.")).to_be_visible()

    # A quote for the plan, then signed: the subscription and its first invoice.
    page.get_by_label("Formule").nth(1).select_option(label="Commune (parcours)")
    page.get_by_label("E-mail de facturation").nth(1).fill("compta@parcours.fr")
    page.get_by_role("button", name="Établir le devis").click()
    expect(page.get_by_text("Devis DEVIS-").first).to_be_visible()
    page.get_by_role("button", name="signé : souscrire").click()
    expect(page.get_by_text("abonnement souscrit, première facture émise")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF Factur-X").click()
    pdf = tmp_path / "facture.pdf"
    download.value.save_as(pdf)
    _filename, xml = facturx.get_xml_from_pdf(pdf.read_bytes(), check_xsd=True)
    assert SIRET.encode() in xml and b"EJ-2026-7" in xml

    # Chorus Pro: deposited by hand in its portal, recorded here.
    page.goto(f"http://localhost:{live_server_port}/facturation/chorus-pro/")
    page.get_by_label("Déposée le").fill("01/01/2099")
    page.get_by_label("Numéro Chorus Pro").fill("FA-77")
    page.get_by_role("button", name="Enregistrer le dépôt").click()
    expect(page.get_by_text("La date ne peut pas être dans le futur.")).to_be_visible()
    page.get_by_label("Déposée le").fill(_today())
    page.get_by_role("button", name="Enregistrer le dépôt").click()
    expect(page.get_by_text("Rien à déposer.")).to_be_visible()
    expect(page.get_by_text("n° Chorus Pro FA-77")).to_be_visible()


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().strftime("%d/%m/%Y")
