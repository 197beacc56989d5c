"""The demo installation `./agora up` seeds once: a vendor staff login and three towns.

Invented content only: real residents' votes (shared/pabulib) never become a demo town's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import User
from core.hosts import console_url, town_url
from participation.demo import DemoSpace, demo_content_seed
from participation.models import Space
from tenants.models import Tenant
from tenants.services import (
    MapLocation,
    platform_tenant_ensure,
    town_create,
    town_set_map_location,
)
from theming.services import theme_update

from .demo_console import demo_console_seed
from .demo_home import DemoHome, demo_home_seed

VENDOR_STAFF = ("equipe@agora.localhost", "agora-demo-equipe", "Équipe Agora")

# What upper apps add to the demo once its towns exist (the template library publishes a demo
# town's space): callable(towns), idempotent. Registered from their AppConfig.ready().
_demo_extras: dict[str, Callable[[list[Tenant]], None]] = {}


def register_demo_extra(key: str, seed: Callable[[list[Tenant]], None]) -> None:
    _demo_extras[key] = seed


@dataclass(frozen=True)
class DemoTown:
    slug: str
    name: str
    kind: str
    population: int
    insee_code: str = ""
    siren: str = ""
    primary_colour: str = "#1d4ed8"
    accent_colour: str = "#b45309"
    tagline: str = ""
    # The town centre, where its maps open.
    map_location: MapLocation | None = None
    home_page: DemoHome | None = None
    # Spaces of its own after the one of each kind (Montigny's second neighbourhood council).
    extra_spaces: tuple[DemoSpace, ...] = ()

    @property
    def admin_email(self) -> str:
        return f"admin@{self.slug}.localhost"

    @property
    def admin_password(self) -> str:
        return f"demo-{self.slug}-admin"

    @property
    def citizen_email(self) -> str:
        return f"habitant@{self.slug}.localhost"

    @property
    def citizen_password(self) -> str:
        return f"demo-{self.slug}-habitant"

    @property
    def neighbour_email(self) -> str:
        """A second resident, so that the demo's comments have a conversation."""
        return f"voisin@{self.slug}.localhost"


DEMO_TOWNS = [
    DemoTown(
        slug="montigny",
        name="Montigny-le-Bretonneux",
        kind=Tenant.Kind.COMMUNE,
        population=33_000,
        insee_code="78423",
        primary_colour="#0b5394",
        accent_colour="#a14400",
        tagline="Votre ville, vos idées : 10 000 € par quartier pour vos projets.",
        map_location=MapLocation(Decimal("48.7715"), Decimal("2.0335"), 14),
        home_page=DemoHome(
            hero_title="10 000 € par quartier pour vos projets",
            hero_text="Le vote du budget participatif est ouvert : choisissez les projets de "
            "votre quartier. Et déposez vos idées pour l'an prochain !",
            hero_alt="La mairie de Montigny entourée de maisons, sous un ciel bleu.",
            blocks=(
                ("consultations", "En ce moment"),
                ("figures", "La participation en chiffres"),
                ("spaces", "Nos espaces de participation"),
                ("map", "Les idées sur la carte"),
                ("news", "Actualités"),
                ("events", "À venir"),
            ),
        ),
        extra_spaces=(
            DemoSpace(
                Space.Kind.NEIGHBOURHOOD_COUNCIL,
                "Conseil de quartier Pas-du-Lac",
                "Réunions, comptes rendus et commerces du Pas-du-Lac.",
                neighbourhood="Pas-du-Lac",
            ),
        ),
    ),
    DemoTown(
        slug="carcassonne-agglo",
        name="Carcassonne Agglo",
        kind=Tenant.Kind.INTERCOMMUNALITE,
        population=111_000,
        siren="200035715",
        primary_colour="#7a1f2b",
        accent_colour="#1f5f3a",
        tagline="Construisons ensemble l'agglomération de demain.",
        map_location=MapLocation(Decimal("43.2130"), Decimal("2.3491"), 12),
        home_page=DemoHome(
            hero_title="Construisons ensemble l'agglomération de demain",
            hero_text="De Carcassonne aux villages de l'agglo, donnez votre avis sur les "
            "mobilités, proposez vos idées et votez pour les projets de votre quartier.",
            hero_alt="Un hôtel de ville aux toits bordeaux entre les collines.",
            blocks=(
                ("spaces", "Participer"),
                ("consultations", "Ouvert en ce moment"),
                ("map", "Carte des idées"),
                ("text", "Comment ça marche ?"),
                ("news", "Dernières nouvelles"),
                ("figures", "En chiffres"),
            ),
            text="1. Vous déposez une idée ou donnez votre avis en ligne, ou en mairie.\n\n"
            "2. Les services de l'agglomération étudient chaque idée et vous répondent.\n\n"
            "3. Les habitants votent ; les projets retenus sont réalisés dans l'année.",
        ),
    ),
    DemoTown(
        slug="saint-dizier",
        name="Saint-Dizier",
        kind=Tenant.Kind.COMMUNE,
        population=23_000,
        insee_code="52448",
        primary_colour="#1f5f3a",
        accent_colour="#6d28d9",
        tagline="Conseils de quartier, sondages et budget participatif.",
        map_location=MapLocation(Decimal("48.6383"), Decimal("4.9497"), 14),
        home_page=DemoHome(
            hero_title="Saint-Dizier, ville participative",
            hero_text="Conseils de quartier, sondages et budget participatif : la ville se "
            "construit avec vous.",
            hero_alt="La mairie de Saint-Dizier au bout d'une allée arborée.",
            blocks=(
                ("news", "Les nouvelles des quartiers"),
                ("consultations", "Donnez votre avis"),
                ("events", "Prochaines dates"),
                ("figures", "Vous avez participé"),
                ("spaces", "Tous les espaces"),
                ("text", "Les conseils de quartier"),
            ),
            text="Chaque quartier a son conseil, ouvert à tous les habitants. Ses réunions "
            "sont publiques ; leurs comptes rendus sont en ligne dans l'espace du conseil.",
        ),
    ),
]


def _account(email: str, password: str, name: str, role: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, password, display_name=name, role=role, email_verified_at=timezone.now()
        )
    return user


def demo_seed() -> list[str]:
    """Create what is missing of the demo; return the lines to print (URLs and logins)."""
    platform_tenant_ensure()
    lines = []
    with schema_context(get_public_schema_name()), transaction.atomic():
        email, password, name = VENDOR_STAFF
        staff = _account(email, password, name, User.Role.VENDOR_STAFF)
    lines.append(
        f"Console opérateur  {console_url()}  {email} / {password}"
        "  (double authentification : ouvrez le lien d'activation affiché plus bas)"
    )
    towns = []
    for demo in DEMO_TOWNS:
        tenant = Tenant.objects.filter(slug=demo.slug).first()
        if tenant is None:
            tenant = town_create(
                slug=demo.slug,
                name=demo.name,
                kind=demo.kind,
                population=demo.population,
                insee_code=demo.insee_code,
                siren=demo.siren,
                status=Tenant.Status.ACTIVE,
                map_location=demo.map_location,
            ).tenant
            with tenant_context(tenant), transaction.atomic():
                theme_update(
                    primary_colour=demo.primary_colour,
                    accent_colour=demo.accent_colour,
                    tagline=demo.tagline,
                )
                admin = _account(demo.admin_email, demo.admin_password, "Mairie", User.Role.ADMIN)
                residents = [
                    _account(
                        demo.citizen_email, demo.citizen_password, "Camille", User.Role.CITIZEN
                    ),
                    _account(
                        demo.neighbour_email, demo.citizen_password, "Karim", User.Role.CITIZEN
                    ),
                ]
                demo_content_seed(
                    admin=admin,
                    residents=residents,
                    centre=(demo.map_location.latitude, demo.map_location.longitude)
                    if demo.map_location
                    else None,
                    extra_spaces=demo.extra_spaces,
                )
                if demo.home_page is not None:
                    demo_home_seed(admin=admin, slug=demo.slug, home_page=demo.home_page)
        elif demo.map_location and not tenant.has_map_location:
            # A demo town made before towns had a map centre gets its own.
            town_set_map_location(tenant=tenant, location=demo.map_location)
        towns.append(tenant)
        lines.append(
            f"{demo.name:<24} {town_url(tenant)}  admin : {demo.admin_email} / "
            f"{demo.admin_password}  habitant : {demo.citizen_email} / {demo.citizen_password}"
        )
    with schema_context(get_public_schema_name()):
        demo_console_seed(staff=staff, towns=towns)
    for seed in _demo_extras.values():
        seed(towns)
    return lines
