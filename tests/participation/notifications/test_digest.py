import datetime

from django.core import mail
from django.utils import timezone

from participation.models import SpaceFollow
from participation.news.models import NewsPost
from participation.notifications.selectors import digest_content
from participation.notifications.services import weekly_digest_send
from participation.notifications.tasks import weekly_digest_send as weekly_digest_task
from tests.factories import UserFactory
from tests.participation.factories import (
    ComponentFactory,
    ParticipantFactory,
    PhaseFactory,
    SpaceFactory,
)

from .conftest import html_part, sent_to


def _news(component, title, days_ago):
    return NewsPost.objects.create(
        component=component,
        title=title,
        body="…",
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def _week():
    until = timezone.now()
    return until - datetime.timedelta(days=7), until


def test_digest_content_lists_the_weeks_phases_and_news_of_followed_spaces(in_town_a):
    followed = SpaceFactory(title="Budget participatif 2027")
    other = SpaceFactory(title="Espace non suivi")
    resident = ParticipantFactory()
    SpaceFollow.objects.create(user=resident, space=followed)
    news = ComponentFactory(space=followed, title="Actualités du budget")
    now = timezone.now()
    PhaseFactory(
        component=news,
        title="Dépôt des projets",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=20),
    )
    PhaseFactory(
        component=ComponentFactory(space=followed),
        title="Phase ancienne",
        starts_at=now - datetime.timedelta(days=30),
        ends_at=now - datetime.timedelta(days=10),
    )
    _news(news, "Les projets retenus", days_ago=1)
    _news(news, "Nouvelle trop ancienne", days_ago=9)
    _news(ComponentFactory(space=other), "Nouvelle d'un autre espace", days_ago=1)

    since, until = _week()
    sections = digest_content(resident, since=since, until=until)

    assert [section.key for section in sections] == ["phases", "news"]
    phases, posts = sections
    assert [item.title for item in phases.items] == ["Actualités du budget : Dépôt des projets"]
    assert [item.title for item in posts.items] == ["Les projets retenus"]
    assert posts.items[0].space == "Budget participatif 2027"
    assert "/espaces/" in posts.items[0].link


def test_digest_is_sent_to_those_who_want_it_and_skipped_when_nothing_is_new(
    in_town_a, django_capture_on_commit_callbacks
):
    lively = SpaceFactory(title="Quartier des Halles")
    quiet = SpaceFactory(title="Espace calme")
    component = ComponentFactory(space=lively)
    _news(component, "Fête de quartier samedi", days_ago=2)
    _news(ComponentFactory(space=quiet), "Vieille nouvelle", days_ago=12)

    reader = ParticipantFactory(email="lectrice@exemple.fr", display_name="Inès")
    bored = ParticipantFactory(email="rien-de-neuf@exemple.fr")
    no_digest = ParticipantFactory(email="sans-lettre@exemple.fr", profile__notify_digest=False)
    unverified = UserFactory(email="non-verifie@exemple.fr", email_verified_at=None)
    ParticipantFactory(email="ne-suit-rien@exemple.fr")
    for user, space in (
        (reader, lively),
        (bored, quiet),
        (no_digest, lively),
        (unverified, lively),
    ):
        SpaceFollow.objects.create(user=user, space=space)

    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_digest_task() == 1

    assert [message.to for message in mail.outbox] == [["lectrice@exemple.fr"]]
    (message,) = sent_to("lectrice@exemple.fr")
    assert message.subject == "Ville A : les nouvelles de la semaine"
    assert "Bonjour Inès" in message.body
    assert "Fête de quartier samedi" in message.body
    assert "Quartier des Halles" in message.body
    assert "Vieille nouvelle" not in message.body
    assert "Gérer mes notifications" in message.body
    html = html_part(message)
    assert "Fête de quartier samedi" in html and "Ville A" in html


def test_digest_sends_nothing_in_a_quiet_week(in_town_a, django_capture_on_commit_callbacks):
    space = SpaceFactory()
    SpaceFollow.objects.create(user=ParticipantFactory(), space=space)
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_digest_send() == 0
    assert mail.outbox == []
