import pytest
from django.utils import timezone

from participation.news.models import NewsPost
from tests.participation.factories import PhaseFactory


@pytest.fixture
def phase(in_town_a):
    """The news component's "publication" phase (comments and supports), running now."""
    return PhaseFactory(component__title="Actualités du conseil")


@pytest.fixture
def component(phase):
    return phase.component


@pytest.fixture
def post(component):
    return NewsPost.objects.create(
        component=component,
        title="Travaux de la place du marché",
        body="Les travaux commencent lundi.",
        published_at=timezone.now(),
    )


def post_url(post) -> str:
    return f"/espaces/{post.component.space.slug}/news/{post.component.pk}/{post.pk}/"
