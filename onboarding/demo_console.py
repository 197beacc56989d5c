"""The vendor console's side of the demo: plans on sale, a subscription with its invoices, a
training session to come and today's usage figures, so that `./agora up` opens a console
with something in it. Made once: what exists already is left as it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from billing.models import AddOn, Plan, Subscription
from billing.services.catalogue import addon_create, plan_create
from billing.services.details import billing_details_save
from billing.services.subscriptions import addon_add, billing_mode, subscription_start
from participation.registry import registry
from participation.usage.services import usage_snapshot_take
from tenants.models import Tenant
from tenants.validators import luhn_valid

from .training.models import TrainingSession
from .training.services import invitee_add, session_plan


@dataclass(frozen=True)
class DemoPlan:
    code: str
    name: str
    annual_price_cents: int
    included_modules: tuple[str, ...]


DEMO_PLANS = (
    DemoPlan("commune", "Commune", 1_500_000, ("news", "documents", "polls", "surveys", "ideas")),
    DemoPlan(
        "commune-budget",
        "Commune + budget participatif",
        2_100_000,
        ("news", "documents", "polls", "surveys", "ideas", "budgets"),
    ),
)
NEIGHBOURHOOD_SPACE = ("conseil-quartier", "Espace de conseil de quartier", 60_000)
SUBSCRIBED_TOWN = "montigny"
TRAINED_TOWN = "montigny"
TRAINEES = (
    ("Claire Dubois", "c.dubois@montigny.example", "Communication"),
    ("Marc Lefèvre", "m.lefevre@montigny.example", "Démocratie participative"),
    ("Inès Haddad", "i.haddad@montigny.example", "Services techniques"),
)


def _catalogue_seed(staff: User) -> None:
    for plan in DEMO_PLANS:
        if not Plan.objects.filter(code=plan.code).exists():
            plan_create(
                actor=staff,
                code=plan.code,
                name=plan.name,
                annual_price_cents=plan.annual_price_cents,
                # A module this installation leaves out (AGORA_DISABLED_MODULES) is not on sale.
                included_modules=[key for key in plan.included_modules if key in registry],
            )
    code, name, price = NEIGHBOURHOOD_SPACE
    if not AddOn.objects.filter(code=code).exists():
        addon_create(
            actor=staff,
            code=code,
            name=name,
            kind=AddOn.Kind.NEIGHBOURHOOD_SPACE,
            annual_unit_price_cents=price,
        )


def _demo_siret(siren: str) -> str:
    """A SIRET of the town's SIREN (or of a made-up one) that passes the Luhn check."""
    base = siren or "217800002"
    return next(
        f"{base}{suffix:05d}" for suffix in range(1, 100_000) if luhn_valid(f"{base}{suffix:05d}")
    )


def _subscription_seed(staff: User, town: Tenant) -> None:
    # Only in manual mode: the demo must never create customers in a real Stripe account.
    if (
        billing_mode() != Subscription.Mode.MANUAL
        or Subscription.objects.filter(tenant=town).exists()
    ):
        return
    billing_details_save(  # our invoices carry the town's SIRET
        actor=staff,
        tenant=town,
        legal_name=f"Commune de {town.name}",
        siret=_demo_siret(town.siren),
        address="Hôtel de ville, place de la Mairie",
        postal_code="78000",
        city=town.name,
        service_code="FINANCES",
        commitment_number=f"EJ-{timezone.localdate().year}-0001",
    )
    subscription = subscription_start(
        actor=staff,
        tenant=town,
        plan=Plan.objects.get(code="commune-budget"),
        billing_email=f"finances@{town.slug}.example",
    )
    addon_add(
        actor=staff,
        subscription=subscription,
        addon=AddOn.objects.get(code=NEIGHBOURHOOD_SPACE[0]),
        quantity=2,
    )


def _training_seed(staff: User, town: Tenant) -> None:
    if TrainingSession.objects.filter(town=town).exists():
        return
    starts_at = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    session = session_plan(
        actor=staff,
        town=town,
        starts_at=starts_at + datetime.timedelta(days=10),
        duration_minutes=180,
        format=TrainingSession.Format.ON_SITE,
        trainer=staff,
        topics="Ouvrir un espace et ses phases\nModérer les commentaires\nPublier les résultats",
        place="Hôtel de ville, salle du conseil",
    )
    for name, email, service in TRAINEES:
        invitee_add(actor=staff, session=session, name=name, email=email, service=service)


def demo_console_seed(*, staff: User, towns: list[Tenant]) -> None:
    _catalogue_seed(staff)
    by_slug = {town.slug: town for town in towns}
    if SUBSCRIBED_TOWN in by_slug:
        _subscription_seed(staff, by_slug[SUBSCRIBED_TOWN])
    if TRAINED_TOWN in by_slug:
        _training_seed(staff, by_slug[TRAINED_TOWN])
    for town in towns:
        with tenant_context(town):
            usage_snapshot_take()
