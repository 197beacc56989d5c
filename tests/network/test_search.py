"""Full-text search in French: stemmed, ranked, kept up to date by the services."""

from __future__ import annotations

import pytest

from network import selectors, services

pytestmark = pytest.mark.django_db


def test_a_word_of_a_reply_finds_its_thread_with_french_stemming(member_a, member_b, category):
    thread = services.thread_start(
        actor=member_a, category=category, title="Calendrier", body="Quand ouvrir le vote ?"
    )
    assert selectors.thread_search(member_a, "budgets") == []
    services.post_reply(actor=member_b, thread=thread, body="Nous votons le budget en mai.")
    assert selectors.thread_search(member_a, "budgets") == [thread]


def test_a_word_of_the_title_ranks_first(member_a, category):
    in_body = services.thread_start(
        actor=member_a, category=category, title="Calendrier", body="Le budget de la ville."
    )
    in_title = services.thread_start(
        actor=member_a, category=category, title="Budget participatif", body="Vos retours ?"
    )
    assert selectors.thread_search(member_a, "budgets") == [in_title, in_body]


def test_hidden_posts_and_threads_are_not_found(member_a, member_b, vendor_member, category):
    thread = services.thread_start(
        actor=member_a, category=category, title="Calendrier", body="Quand ouvrir le vote ?"
    )
    reply = services.post_reply(actor=member_b, thread=thread, body="Pensez aux subventions.")
    services.post_set_hidden(actor=vendor_member, post=reply, hidden=True)
    assert selectors.thread_search(member_a, "subvention") == []
    services.post_set_hidden(
        actor=vendor_member, post=thread.posts.get(is_opening=True), hidden=True
    )
    assert selectors.thread_search(member_a, "calendrier") == []
    assert selectors.thread_search(vendor_member, "calendrier") == [thread]
