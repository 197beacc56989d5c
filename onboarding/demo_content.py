"""Invented participation content for a demo town: a town-wide consultation with a survey and
a poll, a neighbourhood council with news and documents, and comments on items. Every piece
goes through the same services as the site, and each module fills its own component through
its registered ``seed_demo``."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from participation import services
from participation.comments.services import comment_add
from participation.models import Component, Space
from participation.news.models import NewsPost


def _component(*, admin: User, space: Space, type_key: str, title: str, phase: str, days: int):
    component = services.component_add(actor=admin, space=space, type_key=type_key, title=title)
    now = timezone.now()
    services.phase_add(
        actor=admin,
        component=component,
        kind=phase,
        starts_at=now - datetime.timedelta(days=7),
        ends_at=now + datetime.timedelta(days=days),
    )
    component.type.seed_demo(component)
    return component


def demo_content_seed(*, admin: User, residents: list[User]) -> None:
    """Fill a town that has no space yet; do nothing on a town that has some."""
    if Space.objects.exists():
        return
    with transaction.atomic():
        centre = services.neighbourhood_create(name="Centre-ville", position=0)
        services.neighbourhood_create(name="Quartiers Nord", position=1)
        services.neighbourhood_create(name="Quartiers Sud", position=2)
        for resident in residents:
            services.charter_accept(user=resident)
            services.profile_update(user=resident, neighbourhood=centre, birth_year=1985, phone="")
        consultation = services.space_create(
            actor=admin,
            kind=Space.Kind.CONSULTATION,
            title="Mobilités douces en centre-ville",
            summary="Comment voulez-vous vous déplacer demain dans le centre ?",
            description=(
                "La ville prépare son plan vélo et piétons 2027-2032. Répondez au "
                "questionnaire et au sondage : vos réponses seront présentées au conseil "
                "municipal de mars, avec les suites données."
            ),
            publish=True,
        )
        _component(
            admin=admin,
            space=consultation,
            type_key="surveys",
            title="Questionnaire",
            phase="answer",
            days=30,
        )
        _component(
            admin=admin,
            space=consultation,
            type_key="polls",
            title="Sondage express",
            phase="answer",
            days=30,
        )
        council = services.space_create(
            actor=admin,
            kind=Space.Kind.NEIGHBOURHOOD_COUNCIL,
            title="Conseil de quartier Centre-ville",
            summary="Actualités, comptes rendus et échanges du conseil de quartier.",
            neighbourhood=centre,
            publish=True,
        )
        news = _component(
            admin=admin,
            space=council,
            type_key="news",
            title="Actualités du conseil",
            phase="publication",
            days=365,
        )
        _component(
            admin=admin,
            space=council,
            type_key="documents",
            title="Comptes rendus",
            phase="publication",
            days=365,
        )
        _comments(news=news, admin=admin, residents=residents)


def _comments(*, news: Component, admin: User, residents: list[User]) -> None:
    post = NewsPost.objects.filter(component=news).order_by("-published_at").first()
    if post is None or not residents:
        return
    first = comment_add(
        author=residents[0],
        item=post,
        body="Merci pour ce compte rendu. Le passage piéton devant l'école est vraiment "
        "dangereux le matin : à quand les travaux ?",
    )
    comment_add(
        author=admin,
        item=post,
        parent=first,
        official=True,
        body="Les travaux sont programmés pendant les vacances de février. Un plateau "
        "surélevé sera installé.",
    )
    if len(residents) > 1:
        comment_add(
            author=residents[1],
            item=post,
            body="Très bonne nouvelle pour la fête de quartier ! Qui veut aider à l'organiser ?",
        )
