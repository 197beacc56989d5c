"""Invented participation content for a demo town: neighbourhoods, residents' profiles, one
published space per kind that some module asks for, and in it one component of each module
that declares a ``demo`` placement, filled by the module's own ``seed_demo``. Every piece goes
through the same services as the site; nothing here names a module."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import services
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
}
NEIGHBOURHOODS = ("Centre-ville", "Quartiers Nord", "Quartiers Sud")


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


def demo_content_seed(*, admin: User, residents: list[User]) -> None:
    """Fill a town that has no space yet; do nothing on a town that has some. The residents
    accept the charter and live in the centre, so that the modules' seeds can make them
    contribute."""
    if Space.objects.exists():
        return
    placed = [ct for ct in registry if ct.demo is not None and ct.seed_demo is not None]
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
