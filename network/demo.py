"""The network's side of the demo: the demo towns' admins (and the vendor's staff) have a few
threads and replies, so that `./agora up` opens a forum with something in it. Made once:
with threads already there, nothing is added."""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.models import Tenant

from . import services
from .members import member_sync
from .models import Category, NetworkMember, Thread


def _admin_member(town: Tenant, email: str) -> NetworkMember | None:
    with schema_context(town.schema_name):
        admin = User.objects.filter(email=email).first()
    return member_sync(tenant=town, town_user=admin) if admin is not None else None


def demo_network_seed(*, towns: dict[str, tuple[Tenant, str]], staff: User) -> None:
    """``towns``: the demo towns by slug, each with its admin's e-mail."""
    if Thread.objects.exists():
        return
    members = {slug: _admin_member(town, email) for slug, (town, email) in towns.items()}
    montigny, saint_dizier, carcassonne = (
        members.get("montigny"),
        members.get("saint-dizier"),
        members.get("carcassonne-agglo"),
    )
    if not (montigny and saint_dizier and carcassonne):
        return
    vendor = member_sync(vendor_user=staff)
    category = {category.slug: category for category in Category.objects.all()}
    with transaction.atomic():
        budget = services.thread_start(
            actor=montigny,
            category=category["budget-participatif"],
            title="Budget participatif : quel plafond par projet ?",
            body=(
                "Nous préparons notre deuxième édition (enveloppe de 300 000 €).\n\n"
                "Plafonnez-vous le coût d'un projet ? Les gros projets ont tout raflé "
                "l'an dernier."
            ),
        )
        answer = services.post_reply(
            actor=saint_dizier,
            thread=budget,
            body=(
                "Chez nous : **30 % de l'enveloppe au plus** par projet, et une part réservée "
                "aux quartiers prioritaires.\n\n- règlement voté en conseil\n- analyse "
                "technique en deux semaines"
            ),
        )
        services.post_reply(
            actor=carcassonne,
            thread=budget,
            quote_id=answer.pk,
            body=f"Même règle à l'agglomération, elle marche bien. @{montigny.handle}, "
            "le vote par approbation aide aussi.",
        )
        services.answer_mark(actor=montigny, thread=budget, post=answer)
        youth = services.thread_start(
            actor=saint_dizier,
            category=category["communication"],
            title="Toucher les jeunes : vos idées ?",
            body="Nos consultations attirent surtout les plus de 50 ans. Qu'avez-vous essayé ?",
        )
        services.post_reply(
            actor=montigny,
            thread=youth,
            body="Des ateliers dans les lycées, avec vote sur téléphone en fin de séance.",
        )
        services.thread_start(
            actor=vendor,
            category=category["vie-du-reseau"],
            title="Bienvenue dans le réseau des collectivités",
            body=(
                "Présentez-vous ici : votre collectivité, vos projets de participation, "
                "ce que vous aimeriez apprendre des autres."
            ),
        )
