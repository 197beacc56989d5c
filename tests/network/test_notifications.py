"""E-mails: mentions (once per post and person), followers, the weekly digest."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from accounts.models import User
from network import services
from network.notifications import digest_send
from tests.network.conftest import town_member

pytestmark = pytest.mark.django_db


def recipients(mailoutbox) -> list[str]:
    return sorted(mail.to[0] for mail in mailoutbox)


def test_a_mention_notifies_once_even_named_twice_and_followed(
    member_a, member_b, category, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(
            actor=member_a, category=category, title="Vote", body="Une question"
        )
        services.thread_subscribe(actor=member_b, thread=thread, subscribed=True)
    mailoutbox.clear()
    body = f"Merci @{member_b.handle} ! Et encore @{member_b.handle.upper()}."
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_reply(actor=member_a, thread=thread, body=body)
    assert recipients(mailoutbox) == [member_b.email]
    assert "mentionné" in mailoutbox[0].subject
    # The link goes through member B's own back office, which hands over to the thread.
    link = f"http://ville-b.localhost/gestion/reseau/?suite=%2Freseau%2Fdiscussion%2F{thread.pk}%2F"
    assert f"{link}#message-{post.pk}" in mailoutbox[0].body
    assert post.mentions.count() == 1
    assert f"<strong>@{member_b.handle}</strong>" in post.html


def test_followers_hear_of_replies_but_not_their_author(
    town_a, member_a, member_b, category, mailoutbox, django_capture_on_commit_callbacks
):
    third = town_member(town_a, User.Role.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(
            actor=member_a, category=category, title="Vote", body="Une question"
        )
        services.thread_subscribe(actor=third, thread=thread, subscribed=True)
        services.post_reply(actor=member_b, thread=thread, body="Ma réponse")
    assert recipients(mailoutbox) == sorted([member_a.email, third.email])
    assert all("Nouvelle réponse" in mail.subject for mail in mailoutbox)


def test_an_unknown_or_own_mention_notifies_nobody(
    member_a, category, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(
            actor=member_a,
            category=category,
            title="Vote",
            body=f"@personne et moi @{member_a.handle}",
        )
    assert mailoutbox == []
    assert "@personne" in thread.posts.get().html


def test_the_weekly_digest_goes_once_a_week_to_those_who_want_it(
    member_a, member_b, category, mailoutbox, django_capture_on_commit_callbacks
):
    services.thread_start(actor=member_a, category=category, title="Vote", body="Question")
    services.member_set_digest(actor=member_b, digest=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send() == 1
    assert recipients(mailoutbox) == [member_a.email]
    assert "Vote" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send() == 0
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=6, hours=1)
    with time_machine.travel(later):
        # Nothing new since the last digest: nothing to send.
        assert digest_send() == 0
        services.thread_start(
            actor=member_b, category=category, title="Subventions", body="Question"
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert digest_send() == 1
    assert "Subventions" in mailoutbox[-1].body and "Vote" not in mailoutbox[-1].body
