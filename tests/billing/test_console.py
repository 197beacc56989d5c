"""The console's billing pages: vendor staff only, every action through a service."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import Invoice, Plan, Subscription
from console.models import AuditEntry

from .conftest import PlanFactory

pytestmark = pytest.mark.usefixtures("manual_mode", "billing_details")


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _url(name: str, *args) -> str:
    return reverse(f"billing:{name}", args=args, urlconf="config.urls_public")


def test_webhook_endpoint_address():
    assert _url("stripe_webhook") == "/facturation/stripe/webhook/"


@pytest.mark.parametrize("name", ["home", "catalogue", "plan_create", "addon_create"])
def test_pages_need_signed_in_vendor_staff(platform, name):
    response = Client(HTTP_HOST="localhost").get(_url(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_town_page_needs_vendor_staff(platform, town_a):
    response = Client(HTTP_HOST="localhost").post(
        _url("subscription_start", town_a.slug), {"billing_email": "x@exemple.fr"}
    )
    assert response.status_code == 302
    assert not Subscription.objects.exists()


def test_plan_form_without_price_shows_the_message_and_creates_nothing(console_client):
    response = console_client.post(
        _url("plan_create"), {"code": "sans-prix", "name": "Sans prix", "annual_price": ""}
    )

    assert response.status_code == 400
    assert "Indiquez un prix annuel supérieur à zéro" in _text(response)
    assert not Plan.objects.exists()


def test_plan_created_with_a_price_typed_in_french(console_client):
    response = console_client.post(
        _url("plan_create"),
        {
            "code": "commune-plus",
            "name": "Commune plus",
            "annual_price": "4 800,50",
            "included_modules": ["ideas", "budgets"],
            "active": "on",
        },
    )

    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.annual_price_cents, plan.included_modules) == (480_050, ["ideas", "budgets"])
    page = _text(console_client.get(_url("catalogue")))
    assert "Commune plus" in page
    assert "4\xa0800,50\xa0€" in page


def test_plan_edit_keeps_the_code(console_client):
    plan = PlanFactory(code="commune", name="Commune")
    page = console_client.get(_url("plan_edit", plan.pk))
    assert page.status_code == 200

    response = console_client.post(
        _url("plan_edit", plan.pk),
        {"code": "autre-code", "name": "Commune 2027", "annual_price": "5000"},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.code, plan.name, plan.annual_price_cents, plan.active) == (
        "commune",
        "Commune 2027",
        500_000,
        False,
    )


def test_addon_form(console_client):
    response = console_client.post(
        _url("addon_create"),
        {
            "code": "conseil-quartier",
            "name": "Conseil de quartier",
            "kind": "neighbourhood_space",
            "annual_unit_price": "730",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert "Conseil de quartier" in _text(console_client.get(_url("catalogue")))


def test_town_billing_from_subscription_to_payment(console_client, town_a, plan, addon):
    page = console_client.get(_url("town", town_a.slug))
    assert page.status_code == 200
    assert "Souscrire un abonnement" in _text(page)

    bad = console_client.post(
        _url("subscription_start", town_a.slug),
        {
            "plan": plan.pk,
            "billing_email": "pas-une-adresse",
            "days_until_due": 30,
            "grace_days": 15,
        },
    )
    assert bad.status_code == 400
    assert not Subscription.objects.exists()

    started = console_client.post(
        _url("subscription_start", town_a.slug),
        {"plan": plan.pk, "billing_email": "finances@ville-a.fr", "days_until_due": 45,
         "grace_days": 10},
    )  # fmt: skip
    assert started.status_code == 302
    subscription = Subscription.objects.get(tenant=town_a)
    assert (subscription.days_until_due, subscription.grace_days) == (45, 10)

    added = console_client.post(_url("addon_add", town_a.slug), {"addon": addon.pk, "quantity": 2})
    assert added.status_code == 302
    assert subscription.addons.get().quantity == 2

    invoice = subscription.invoices.get(billing_reason=Invoice.Reason.SUBSCRIPTION_CREATE)
    paid = console_client.post(_url("invoice_paid", invoice.pk), {"reference": "VIR-123"})
    assert paid.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID

    page = _text(console_client.get(_url("town", town_a.slug), follow=True))
    assert "Commune standard" in page
    assert "2 × Espace conseil de quartier" in page
    assert "VIR-123" in page
    assert "Marquer payée la facture AGORA-" in page  # the prorated one, still open
    assert [entry.action for entry in AuditEntry.objects.order_by("pk")] == [
        "billing.subscription_start",
        "billing.addon_add",
        "billing.invoice_mark_paid",
    ]


def test_marking_a_paid_invoice_again_is_a_message(console_client, town_a, plan, vendor_staff):
    from billing.services.invoices import invoice_mark_paid
    from billing.services.subscriptions import subscription_start

    subscription = subscription_start(
        actor=vendor_staff, tenant=town_a, plan=plan, billing_email="f@ville-a.fr"
    )
    invoice = subscription.invoices.get()
    invoice_mark_paid(actor=vendor_staff, invoice=invoice)

    response = console_client.post(_url("invoice_paid", invoice.pk), follow=True)

    assert response.status_code == 200
    assert "n'est pas à payer" in _text(response)


def test_invoice_list_filters_by_status(console_client, town_a, town_b, plan, vendor_staff):
    from billing.services.invoices import invoice_mark_paid
    from billing.services.subscriptions import subscription_start

    for town in (town_a, town_b):
        subscription_start(actor=vendor_staff, tenant=town, plan=plan, billing_email="f@x.fr")
    invoice_mark_paid(actor=vendor_staff, invoice=Invoice.objects.get(subscription__tenant=town_b))

    everything = _text(console_client.get(_url("home")))
    paid_only = _text(console_client.get(_url("home"), {"statut": "paid"}))
    unknown = console_client.get(_url("home"), {"statut": "n'importe quoi"})

    assert "Ville A" in everything and "Ville B" in everything
    assert "Mode manuel" in everything
    assert "Ville B" in paid_only and "Ville A" not in paid_only
    assert unknown.status_code == 200


def test_unknown_town_or_platform_has_no_billing_page(console_client, platform):
    assert console_client.get(_url("town", "inconnue")).status_code == 404
    assert console_client.get(_url("town", platform.slug)).status_code == 404
