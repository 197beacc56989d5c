"""The demo installation `./agora up` seeds once: a vendor staff login and three towns.

Invented content only: real residents' votes (shared/pabulib) never become a demo town's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import User
from core.hosts import console_url, town_url
from participation.demo import demo_content_seed
from tenants.models import Tenant
from tenants.services import platform_tenant_ensure, town_create
from theming.services import theme_update

from .demo_console import demo_console_seed

VENDOR_STAFF = ("equipe@agora.localhost", "agora-demo-equipe", "Équipe Agora")


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
                demo_content_seed(admin=admin, residents=residents)
        towns.append(tenant)
        lines.append(
            f"{demo.name:<24} {town_url(tenant)}  admin : {demo.admin_email} / "
            f"{demo.admin_password}  habitant : {demo.citizen_email} / {demo.citizen_password}"
        )
    with schema_context(get_public_schema_name()):
        demo_console_seed(staff=staff, towns=towns)
    return lines
