import datetime

from django.utils import timezone

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
