"""Invented participation content for a demo town: neighbourhoods, residents' profiles, one
published space per kind that some module asks for, and in it one component of each module
that declares a ``demo`` placement, filled by the module's own ``seed_demo``. Every piece goes
through the same services as the site; nothing here names a module."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import services
from .images import image_store
from .models import Neighbourhood, Space
from .officials.services import municipal_service_save, official_save
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
# The demo town's services (name, description) and officials (name, title, delegations, the
# indexes of the services answering for them, in the first neighbourhood).
DEMO_SERVICES = (
    ("Voirie et éclairage public", "Routes, trottoirs, éclairage et signalisation."),
    ("Propreté et déchets", "Collecte, dépôts sauvages, nettoyage des rues."),
    ("Mobilités", "Bus, vélo, stationnement."),
)
DEMO_OFFICIALS = (
    ("Claire Fabre", "Présidente", "Finances, relations avec les communes.", (), False),
    (
        "Henri Marty",
        "Vice-président chargé des travaux",
        "Voirie, éclairage public, bâtiments.",
        (0,),
        False,
    ),
    (
        "Inès Bousquet",
        "Vice-présidente chargée de l'environnement",
        "Propreté, collecte des déchets, espaces verts.",
        (1,),
        False,
    ),
    (
        "Paul Rouquette",
        "Conseiller délégué au centre-ville",
        "Mobilités et commerce du centre-ville.",
        (2,),
        True,
    ),
)


@dataclass(frozen=True)
class DemoSpace:
    """One more published space of ``kind`` for a demo town (a second neighbourhood council),
    in ``neighbourhood`` (a quarter of the town, made with the others), with the same modules
    as the kind's first space, each seeded again by its module."""

    kind: str
    title: str
    summary: str
    neighbourhood: str


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
    *,
    admin: User,
    residents: list[User],
    centre: tuple[Decimal, Decimal] | None = None,
    extra_spaces: Sequence[DemoSpace] = (),
) -> None:
    """Fill a town that has no space yet; do nothing on a town that has some. The residents
    accept the charter and live in the centre, so that the modules' seeds can make them
    contribute; ``centre`` is where the town is, for the seeds that place items on a map;
    ``extra_spaces`` are the town's own spaces after the one of each kind."""
    if Space.objects.exists():
        return
    placed = [ct for ct in registry if ct.demo is not None and ct.seed_demo is not None]
    token = _centre.set(centre)
    try:
        _seed(admin=admin, residents=residents, placed=placed, extra_spaces=extra_spaces)
    finally:
        _centre.reset(token)


def _seed(
    *,
    admin: User,
    residents: list[User],
    placed: list[ComponentType],
    extra_spaces: Sequence[DemoSpace] = (),
) -> None:
    with transaction.atomic():
        # The extra spaces' quarters too, before the modules seed: a module that seeds one
        # item per quarter (a budget each) finds them all.
        names = dict.fromkeys([*NEIGHBOURHOODS, *(extra.neighbourhood for extra in extra_spaces)])
        centre, *_others = [
            services.neighbourhood_create(name=name, position=position)
            for position, name in enumerate(names)
        ]
        _officials(admin=admin, centre=centre)
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
        for extra in extra_spaces:
            _extra_space(admin=admin, extra=extra, placed=placed)


def _officials(*, admin: User, centre: Neighbourhood) -> None:
    """The town's services (the admin answers for each) and its officials."""
    town_services = [
        municipal_service_save(actor=admin, name=name, description=description, members=[admin])
        for name, description in DEMO_SERVICES
    ]
    for name, title, delegations, serving, in_centre in DEMO_OFFICIALS:
        official_save(
            actor=admin,
            name=name,
            title=title,
            delegations=delegations,
            neighbourhood=centre if in_centre else None,
            services=[town_services[index] for index in serving],
        )


def _extra_space(*, admin: User, extra: DemoSpace, placed: list[ComponentType]) -> None:
    space = services.space_create(
        actor=admin,
        kind=extra.kind,
        title=extra.title,
        summary=extra.summary,
        neighbourhood=Neighbourhood.objects.get(name=extra.neighbourhood),
        publish=True,
    )
    for component_type in placed:
        if component_type.demo.space_kind == extra.kind:
            _component(admin=admin, space=space, component_type=component_type)
