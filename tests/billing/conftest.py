"""Billing tests: the catalogue, manual mode, and Stripe mode against a local fake Stripe."""

from __future__ import annotations

import factory
import pytest
from django.conf import settings
from django.test import Client

from billing.models import AddOn, Plan

from .fake_stripe import FakeStripe, WebhookSender

WEBHOOK_SECRET = "whsec_test_agora"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    code = factory.Sequence(lambda n: f"formule-{n}")
    name = factory.Sequence(lambda n: f"Formule {n}")
    annual_price_cents = 365_000  # 3 650 €: 10 € a day, easy prorata arithmetic


class AddOnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AddOn

    code = factory.Sequence(lambda n: f"option-{n}")
    name = factory.Sequence(lambda n: f"Conseil de quartier {n}")
    kind = AddOn.Kind.NEIGHBOURHOOD_SPACE
    annual_unit_price_cents = 73_000  # 730 €: 2 € a day


@pytest.fixture
def plan(db) -> Plan:
    return PlanFactory(name="Commune standard", code="commune-standard")


@pytest.fixture
def addon(db) -> AddOn:
    return AddOnFactory(name="Espace conseil de quartier", code="conseil-quartier")


@pytest.fixture
def manual_mode(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = fake.api_key
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield fake
    fake.stop()


class StripeWebhooks:
    """Stripe's deliveries: the fake's events, signed and posted to our endpoint, and the
    processing Celery task run on commit (eagerly, in the test process)."""

    def __init__(self, fake: FakeStripe, capture) -> None:
        self.fake = fake
        self.sender = WebhookSender(Client(HTTP_HOST=settings.PLATFORM_DOMAIN), WEBHOOK_SECRET)
        self._capture = capture
        self._cursor = 0

    def pending(self) -> list[dict]:
        """The events not handed out yet, in the order Stripe made them."""
        events = self.fake.events_since(self._cursor)
        self._cursor += len(events)
        return events

    def deliver(self, events: list[dict]) -> None:
        with self._capture(execute=True):
            self.sender.deliver(events)

    def deliver_pending(self) -> list[dict]:
        events = self.pending()
        self.deliver(events)
        return events


@pytest.fixture
def stripe_webhooks(fake_stripe, platform, django_capture_on_commit_callbacks) -> StripeWebhooks:
    return StripeWebhooks(fake_stripe, django_capture_on_commit_callbacks)


# SIRETs that pass the Luhn check (14 digits), as French towns' establishments have.
SIRET_A = "21780000237570"
SIRET_B = "21330000720629"


def billing_details_create(town, *, siret: str, commitment_number: str = "", service_code=""):
    from billing.models import BillingDetails

    return BillingDetails.objects.create(
        tenant=town,
        legal_name=f"Commune de {town.name}",
        siret=siret,
        address="1 place de la Mairie",
        postal_code="78000",
        city=town.name,
        commitment_number=commitment_number,
        service_code=service_code,
    )


@pytest.fixture
def billing_details(town_a, town_b, db):
    """Both towns can be invoiced (our invoices need the buyer's SIRET)."""
    return (
        billing_details_create(
            town_a, siret=SIRET_A, commitment_number="EJ-2026/0042", service_code="SERV-FIN"
        ),
        billing_details_create(town_b, siret=SIRET_B),
    )
