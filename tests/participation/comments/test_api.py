"""An item's comments through the API: read as the page shows them, written by a resident
through the same service and permission as the page's form, once per Idempotency-Key."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from participation.comments import services
from participation.comments.models import Comment
from tests.conftest import client_for
from tests.factories import api_key_for
from tests.participation.factories import ParticipantFactory


def _url(post) -> str:
    content_type = ContentType.objects.get_for_model(post)
    return f"/api/v1/commentaires/{content_type.pk}/{post.pk}/"


@pytest.fixture
def resident(post):
    return ParticipantFactory()


def _post(town, post, who, data, **headers):
    return client_for(town).post(
        _url(post),
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {api_key_for(who)}",
        **headers,
    )


def test_a_resident_comments_and_replies_and_reads_the_thread(post, resident, town_a):
    first = _post(town_a, post, resident, {"body": "Enfin !"})
    assert first.status_code == 201, first.content
    reply = _post(town_a, post, ParticipantFactory(), {"body": "Oui", "parent": first.json()["id"]})
    assert reply.status_code == 201, reply.content
    assert reply.json()["parent"] == first.json()["id"]
    assert reply.json()["depth"] == 1

    listed = client_for(town_a).get(_url(post)).json()
    assert [c["body"] for c in listed["results"]] == ["Enfin !", "Oui"]
    assert listed["count"] == 2


def test_a_retried_request_with_the_same_key_writes_one_comment(post, resident, town_a):
    answers = [
        _post(town_a, post, resident, {"body": "Une fois"}, HTTP_IDEMPOTENCY_KEY="k-1")
        for _ in range(3)
    ]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert Comment.objects.filter(object_id=post.pk).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [({"body": ""}, "body"), ({}, "body"), ({"body": "a\x00b"}, "body")],
)
def test_bad_bodies_are_refused_in_the_kernel_shape(post, resident, town_a, data, field):
    answer = _post(town_a, post, resident, data)
    assert answer.status_code == 400, answer.content
    assert answer.json()["detail"] and answer.json()["code"]
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_of_another_item_is_refused(post, resident, town_a, component):
    other = type(post).objects.create(
        component=component, title="Autre", body="Autre.", published_at=post.published_at
    )
    elsewhere = services.comment_add(author=resident, item=other, body="Ailleurs")
    answer = _post(town_a, post, resident, {"body": "Oui", "parent": elsewhere.pk})
    assert answer.status_code == 400
    assert "n'existe pas sur ce contenu" in answer.json()["detail"]
    assert Comment.objects.count() == 1


def test_an_anonymous_visitor_cannot_comment(post, town_a):
    answer = client_for(town_a).post(
        _url(post), {"body": "Anonyme"}, content_type="application/json"
    )
    assert answer.status_code in (401, 403)
    assert answer.json()["detail"]
    assert not Comment.objects.exists()
