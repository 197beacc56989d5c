"""Invented participation content for a demo town: neighbourhoods, residents' profiles, one
published space per kind that some module asks for, and in it one component of each module
that declares a ``demo`` placement, filled by the module's own ``seed_demo``. Every piece goes
through the same services as the site; nothing here names a module."""

from __future__ import annotations

import datetime
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import services
from .images import image_store
from .models import Neighbourhood, Space
from .registry import ComponentType, registry

# The demo spaces, by kind: (title, summary, description, in the first neighbourhood).
DEMO_SPACES: dict[str, tuple[str, str, str, bool]] = {
    Space.Kind.CONSULTATION: (
        "Mobilités douces en centre-ville",
        "Comment voulez-vous vous déplacer demain dans le centre ?",
        "La ville prépare son plan vélo et piétons 2027-2032. Répondez au questionnaire et au "
        "sondage : vos réponses seront présentées au conseil municipal de mars, avec les "
        "suites données.",
        False,
    ),
    Space.Kind.NEIGHBOURHOOD_COUNCIL: (
        "Conseil de quartier Centre-ville",
        "Actualités, comptes rendus et échanges du conseil de quartier.",
        "",
        True,
    ),
    Space.Kind.BUDGET_CAMPAIGN: (
        "Budget participatif : 10 000 € par quartier",
        "Votez pour les projets de votre quartier, et déposez vos idées pour l'an prochain.",
        "Chaque quartier dispose de 10 000 € pour des projets proposés par ses habitants et "
        "étudiés par les services de la ville. Le vote est ouvert : choisissez jusqu'à deux "
        "projets dans votre quartier. Les idées déposées maintenant nourriront l'édition "
        "suivante.",
        False,
    ),
    Space.Kind.VOLUNTEERING_HUB: (
        "J'aime, je m'engage",
        "Les associations de la ville, leurs missions de bénévolat et leur agenda.",
        "Les bénévoles d'aujourd'hui s'engagent pour un événement, une action, un week-end. "
        "Trouvez une mission près de chez vous, que vous habitiez la commune ou non, et "
        "échangez avec les associations sur la plateforme : votre adresse reste privée.",
        False,
    ),
}
NEIGHBOURHOODS = ("Centre-ville", "Quartiers Nord", "Quartiers Sud")

# The demo town's centre (latitude, longitude) while its content is seeded: the modules'
# seeds place their items around it (None: no place given).
_centre: ContextVar[tuple[Decimal, Decimal] | None] = ContextVar("demo_centre", default=None)


def demo_centre() -> tuple[Decimal, Decimal] | None:
    """Where the demo town being seeded is, for the modules' seeds that place items."""
    return _centre.get()


def demo_picture(path: Path, *, alt: str):
    """A picture shipped with the repository (a module's ``demo_images/``), stored through the
    image service like an upload."""
    with path.open("rb") as handle:
        return image_store(upload=File(handle, name=path.name), alt=alt)


def _space(*, admin: User, kind: str, centre: Neighbourhood) -> Space:
    title, summary, description, in_centre = DEMO_SPACES[kind]
    return services.space_create(
        actor=admin,
        kind=kind,
        title=title,
        summary=summary,
        description=description,
        neighbourhood=centre if in_centre else None,
        publish=True,
    )


def _component(*, admin: User, space: Space, component_type: ComponentType) -> None:
    placement = component_type.demo
    component = services.component_add(
        actor=admin, space=space, type_key=component_type.key, title=placement.title
    )
    now = timezone.now()
    services.phase_add(
        actor=admin,
        component=component,
        kind=placement.phase,
        starts_at=now - datetime.timedelta(days=7),
        ends_at=now + datetime.timedelta(days=placement.days),
    )
    component.type.seed_demo(component)


def demo_content_seed(
    *, admin: User, residents: list[User], centre: tuple[Decimal, Decimal] | None = None
) -> None:
    """Fill a town that has no space yet; do nothing on a town that has some. The residents
    accept the charter and live in the centre, so that the modules' seeds can make them
    contribute; ``centre`` is where the town is, for the seeds that place items on a map."""
    if Space.objects.exists():
        return
    placed = [ct for ct in registry if ct.demo is not None and ct.seed_demo is not None]
    token = _centre.set(centre)
    try:
        _seed(admin=admin, residents=residents, placed=placed)
    finally:
        _centre.reset(token)


def _seed(*, admin: User, residents: list[User], placed: list[ComponentType]) -> None:
    with transaction.atomic():
        centre, *_others = [
            services.neighbourhood_create(name=name, position=position)
            for position, name in enumerate(NEIGHBOURHOODS)
        ]
        for resident in residents:
            services.charter_accept(user=resident)
            services.profile_update(user=resident, neighbourhood=centre, birth_year=1985, phone="")
        for kind in DEMO_SPACES:
            here = [ct for ct in placed if ct.demo.space_kind == kind]
            if not here:
                continue
            space = _space(admin=admin, kind=kind, centre=centre)
            for component_type in here:
                _component(admin=admin, space=space, component_type=component_type)
