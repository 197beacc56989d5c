"""Comments are limited per author (and per address): the limit is in comment_add."""

from django.contrib.contenttypes.models import ContentType

from participation.comments.models import Comment
from tests.participation.conftest import logged_in
from tests.participation.factories import ParticipantFactory

WAIT = "Trop de tentatives en peu de temps. Par sécurité, réessayez dans"


def test_an_author_commenting_in_a_row_is_throttled(town_a, post, rate_limits):
    rate_limits.limit("comment", account=(2, 3600), ip=(1000, 3600))
    browser = logged_in(town_a, ParticipantFactory())
    add = f"/commentaires/{ContentType.objects.get_for_model(post).pk}/{post.pk}/"

    answers = [browser.post(add, {"body": f"Avis n° {n}"}) for n in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert WAIT in answers[-1].content.decode()
    assert answers[-1]["Retry-After"]
    assert Comment.objects.count() == 2
    # Another resident, from the same address, still comments.
    other = logged_in(town_a, ParticipantFactory())
    assert other.post(add, {"body": "Moi aussi"}).status_code == 302
