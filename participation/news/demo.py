import datetime

from django.utils import timezone

from accounts.models import User
from participation.comments.services import comment_add
from participation.models import Component

from .models import NewsPost

DEMO_POSTS = [
    (
        "Compte rendu du conseil de quartier du 14 octobre",
        "Trente habitants étaient présents. Points abordés : la sécurisation du passage piéton "
        "devant l'école, le calendrier des travaux de la place du marché et la fête de quartier "
        "du printemps. Le compte rendu complet est dans les documents de l'espace.",
    ),
    (
        "Réunion publique sur le réaménagement de la place du marché",
        "La mairie présentera les trois scénarios d'aménagement le jeudi 4 décembre à 19 h, "
        "salle des fêtes. Venez donner votre avis !",
    ),
]


def news_seed(component: Component) -> None:
    now = timezone.now()
    for offset, (title, body) in enumerate(DEMO_POSTS):
        NewsPost.objects.create(
            component=component,
            title=title,
            body=body,
            published_at=now - datetime.timedelta(days=7 * (offset + 1)),
        )
    _conversation(NewsPost.objects.filter(component=component).order_by("-published_at").first())


def _conversation(post: NewsPost) -> None:
    """The demo town's residents (verified, charter accepted; oldest accounts first)
    comment on the latest post and the town answers officially; a town without them gets
    the posts alone."""
    residents = list(
        User.objects.filter(
            role=User.Role.CITIZEN,
            email_verified_at__isnull=False,
            profile__charter_accepted_at__isnull=False,
        ).order_by("pk")[:2]
    )
    admin = User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    if not residents or admin is None:
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
