"""The console side of invoices a public body can pay: the town's billing details (SIRET,
Chorus Pro service code, commitment number), the PDF, credit notes, the deposits on Chorus Pro
and their statuses (audit-logged), quotes signed into a subscription."""

from __future__ import annotations

import datetime
import html
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from billing.models import BillingDetails, ChorusDeposit, Invoice, Quote, Subscription
from console.models import AuditEntry

from .conftest import SIRET_A

pytestmark = pytest.mark.usefixtures("manual_mode")

TODAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _url(name: str, *args) -> str:
    return reverse(f"billing:{name}", args=args, urlconf="config.urls_public")


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _details_form(**overrides) -> dict:
    return {
        "legal_name": "Commune de Ville A",
        "siret": "217 800 002 37570",
        "address": "1 place de la Mairie",
        "postal_code": "78000",
        "city": "Ville A",
        "service_code": "FINANCES",
        "commitment_number": "EJ-2026/17",
        **overrides,
    }


@pytest.fixture
def subscribed(console_client, town_a, plan):
    with time_machine.travel(TODAY):
        response = console_client.post(_url("town_details", town_a.slug), _details_form())
        assert response.status_code == 302
        console_client.post(
            _url("subscription_start", town_a.slug),
            {
                "plan": plan.pk,
                "billing_email": "compta@ville-a.fr",
                "days_until_due": 30,
                "grace_days": 15,
            },
        )
    return Subscription.objects.get(tenant=town_a)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "21780000237571", "n'est pas valide (14 chiffres, clé de Luhn)"),
        ("siret", "", "Le SIRET de la collectivité est obligatoire"),
        ("commitment_number", "EJ 2026;17", "n'est pas accepté par Chorus Pro"),
        ("commitment_number", "É" * 3, "lettres sans accent"),
        ("commitment_number", "A" * 51, "50 caractères au plus"),
        ("service_code", "FIN<script>", "Le code service Chorus Pro"),
        ("postal_code", "780", "Le code postal compte 5 chiffres"),
    ],
)
def test_bad_billing_details_get_a_message_and_keep_the_previous_ones(
    console_client, town_a, field, value, message
):
    assert (
        console_client.post(_url("town_details", town_a.slug), _details_form()).status_code == 302
    )

    response = console_client.post(
        _url("town_details", town_a.slug), _details_form(**{field: value})
    )

    assert response.status_code == 400
    assert message in _text(response)
    details = BillingDetails.objects.get(tenant=town_a)
    assert (details.siret, details.commitment_number) == (SIRET_A, "EJ-2026/17")
    assert AuditEntry.objects.filter(action="billing.details_save").count() == 1


def test_a_siret_of_another_siren_is_refused(console_client, town_a):
    town_a.siren = "200035715"
    town_a.save(update_fields=["siren"])
    try:
        response = console_client.post(_url("town_details", town_a.slug), _details_form())
    finally:
        town_a.siren = ""
        town_a.save(update_fields=["siren"])
    assert response.status_code == 400
    assert "n'est pas celui d'un établissement du SIREN 200035715" in _text(response)
    assert not BillingDetails.objects.exists()


def test_subscribing_without_siret_shows_why_and_creates_nothing(console_client, town_a, plan):
    response = console_client.post(
        _url("subscription_start", town_a.slug),
        {
            "plan": plan.pk,
            "billing_email": "compta@ville-a.fr",
            "days_until_due": 30,
            "grace_days": 15,
        },
    )
    assert response.status_code == 400
    assert "son SIRET n'est pas renseigné" in _text(response)
    assert not Subscription.objects.exists() and not Invoice.objects.exists()


def test_invoice_pdf_from_the_console_and_credit_note(console_client, subscribed):
    invoice = subscribed.invoices.get()
    response = console_client.get(_url("invoice_pdf", invoice.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert SIRET_A in text and "EJ-2026/17" in text and "FINANCES" in text

    with time_machine.travel(TODAY + datetime.timedelta(days=1)):
        console_client.post(_url("credit_note", invoice.pk), {"reason": "Mauvaise formule"})

    invoice.refresh_from_db()
    credit_note = invoice.credit_notes.get()
    assert invoice.status == Invoice.Status.VOID
    page = _text(console_client.get(_url("town", subscribed.tenant.slug)))
    assert f"Avoir {credit_note.number}" in page and f"annule {invoice.number}" in page


def test_chorus_pro_deposit_and_statuses_are_recorded_and_audited(
    console_client, subscribed, vendor_staff
):
    invoice = subscribed.invoices.get()
    page = _text(console_client.get(_url("chorus")))
    assert f"Facture {invoice.number}" in page.split("Déposées")[0]
    prefix = f"d{invoice.pk}"

    with time_machine.travel(TODAY + datetime.timedelta(days=1)):
        refused = console_client.post(
            _url("chorus_deposit", invoice.pk),
            {f"{prefix}-deposited_on": "03/03/2026", f"{prefix}-chorus_number": " "},
        )
        assert refused.status_code == 400
        assert "Indiquez le numéro donné par Chorus Pro" in _text(refused)
        assert not ChorusDeposit.objects.exists()
        future = console_client.post(
            _url("chorus_deposit", invoice.pk),
            {f"{prefix}-deposited_on": "04/03/2026", f"{prefix}-chorus_number": "FA123"},
        )
        assert "La date ne peut pas être dans le futur" in _text(future)
        ok = console_client.post(
            _url("chorus_deposit", invoice.pk),
            {f"{prefix}-deposited_on": "03/03/2026", f"{prefix}-chorus_number": "FA-2026-889"},
        )
        assert ok.status_code == 302
    deposit = ChorusDeposit.objects.get()
    assert (deposit.chorus_number, deposit.deposited_on, deposit.recorded_by) == (
        "FA-2026-889",
        datetime.date(2026, 3, 3),
        vendor_staff,
    )
    page = _text(console_client.get(_url("chorus")))
    assert "Rien à déposer." in page

    status = f"s{invoice.pk}"
    with time_machine.travel(TODAY + datetime.timedelta(days=10)):
        for value, expected in [("made_available", 302), ("mandated", 302), ("deposited", 400)]:
            response = console_client.post(
                _url("chorus_status", deposit.pk),
                {f"{status}-status": value, f"{status}-changed_on": "10/03/2026"},
            )
            assert response.status_code == expected, value
        assert "un statut ne revient pas en arrière" in _text(response)
        no_reason = console_client.post(
            _url("chorus_status", deposit.pk),
            {f"{status}-status": "rejected", f"{status}-changed_on": "11/03/2026"},
        )
        assert "Indiquez le motif du rejet" in _text(no_reason)
        console_client.post(
            _url("chorus_status", deposit.pk),
            {
                f"{status}-status": "rejected",
                f"{status}-changed_on": "11/03/2026",
                f"{status}-rejection_reason": "Code service inconnu",
            },
        )
    deposit.refresh_from_db()
    assert (deposit.status, deposit.rejection_reason) == ("rejected", "Code service inconnu")
    assert f"Facture {invoice.number}" in _text(console_client.get(_url("chorus")))  # again
    actions = list(
        AuditEntry.objects.filter(action__startswith="billing.chorus")
        .order_by("pk")
        .values_list("action", "details__status")
    )
    assert actions == [
        ("billing.chorus_deposit", None),
        ("billing.chorus_status", "made_available"),
        ("billing.chorus_status", "mandated"),
        ("billing.chorus_status", "rejected"),
    ]


def test_quote_as_pdf_then_signed_into_the_subscription(console_client, town_a, plan):
    console_client.post(_url("town_details", town_a.slug), _details_form())
    with time_machine.travel(TODAY):
        response = console_client.post(
            _url("quote_create", town_a.slug),
            {"quote-plan": plan.pk, "quote-billing_email": "compta@ville-a.fr"},
        )
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert (quote.number, quote.subtotal_cents, quote.total_cents) == (
        "DEVIS-2026-00001",
        365_000,
        438_000,
    )
    assert quote.valid_until == datetime.date(2026, 5, 31)
    pdf = console_client.get(_url("quote_pdf", quote.pk))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Devis n° DEVIS-2026-00001" in text and "31/05/2026" in text

    with time_machine.travel(TODAY + datetime.timedelta(days=100)):  # too late
        console_client.post(_url("quote_sign", quote.pk))
    assert not Subscription.objects.exists()
    with time_machine.travel(TODAY + datetime.timedelta(days=20)):
        console_client.post(_url("quote_sign", quote.pk))
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SIGNED and quote.subscription.plan == plan
    assert quote.subscription.invoices.get().buyer_siret == SIRET_A
    with time_machine.travel(TODAY + datetime.timedelta(days=21)):
        console_client.post(_url("quote_sign", quote.pk))
    assert Subscription.objects.count() == 1
