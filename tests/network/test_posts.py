"""Threads and replies: what is kept, what is refused (with a message, nothing half-saved),
quotes, the answer, moderation."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import Invalid, NotAllowed
from network import services
from network.models import Attachment, Post, Thread

pytestmark = pytest.mark.django_db


def start(member, category, body="Comment organisez-vous le vote ?", **extra) -> Thread:
    return services.thread_start(
        actor=member, category=category, title="Vote du budget", body=body, **extra
    )


def pdf(name="reglement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * 100, content_type="application/pdf")


def test_a_thread_starts_with_its_opening_post_and_its_author_follows_it(member_a, category):
    thread = start(member_a, category)
    opening = thread.posts.get()
    assert opening.is_opening and opening.author == member_a
    assert thread.subscriptions.filter(member=member_a).exists()


def test_a_script_tag_is_refused_with_a_message_and_nothing_is_saved(member_a, category):
    with pytest.raises(Invalid, match="balise HTML") as refused:
        start(member_a, category, body="Bonjour <script>alert(1)</script>")
    assert refused.value.field == "body"
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_two_hundred_thousand_characters_are_refused_and_nothing_is_saved(member_a, category):
    with pytest.raises(Invalid, match="200000 caractères, 20000 au plus"):
        start(member_a, category, body="a" * 200_000)
    assert not Thread.objects.exists()
    thread = start(member_a, category)
    with pytest.raises(Invalid):
        services.post_reply(actor=member_a, thread=thread, body="b" * 200_000)
    thread.refresh_from_db()
    assert thread.posts.count() == 1 and thread.reply_count == 0


def test_html_typed_is_shown_as_text(member_a, category):
    thread = start(member_a, category, body='<img src=x onerror="alert(1)"> **gras**')
    html = thread.posts.get().html
    assert "<img" not in html and "&lt;img" in html and "<strong>gras</strong>" in html


def test_an_attachment_is_checked_by_its_content(member_a, category, media_root):
    thread = start(member_a, category, attachments=[pdf()])
    attachment = Attachment.objects.get(post__thread=thread)
    assert (attachment.name, attachment.content_type) == ("reglement.pdf", "application/pdf")
    assert not attachment.file.name.endswith("reglement.pdf")  # a name that says nothing
    fake = SimpleUploadedFile("faux.pdf", b"<html><script>", content_type="application/pdf")
    with pytest.raises(Invalid, match=r"faux\.pdf"):
        services.post_reply(actor=member_a, thread=thread, body="Voici", attachments=[fake])
    assert thread.posts.count() == 1


def test_a_reply_quotes_a_post_of_its_own_thread_only(member_a, member_b, category):
    thread = start(member_a, category)
    other = start(member_b, category)
    opening = thread.posts.get()
    reply = services.post_reply(actor=member_b, thread=thread, body="Oui", quote_id=opening.pk)
    assert reply.quote == opening
    with pytest.raises(Invalid, match="cité"):
        services.post_reply(
            actor=member_b, thread=thread, body="Non", quote_id=other.posts.get().pk
        )
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_the_author_or_the_vendor_marks_the_answer(member_a, member_b, vendor_member, category):
    thread = start(member_a, category)
    reply = services.post_reply(actor=member_b, thread=thread, body="Nous votons en ligne.")
    with pytest.raises(NotAllowed, match="auteur"):
        services.answer_mark(actor=member_b, thread=thread, post=reply)
    with pytest.raises(Invalid):
        services.answer_mark(actor=member_a, thread=thread, post=thread.posts.get(is_opening=True))
    services.answer_mark(actor=member_a, thread=thread, post=reply)
    thread.refresh_from_db()
    assert thread.answer == reply
    services.answer_mark(actor=vendor_member, thread=thread, post=None)
    thread.refresh_from_db()
    assert thread.answer is None


def test_only_the_vendor_moderates(member_a, member_b, vendor_member, category):
    thread = start(member_a, category)
    reply = services.post_reply(actor=member_b, thread=thread, body="Hors sujet")
    with pytest.raises(NotAllowed, match="équipe Agora"):
        services.post_set_hidden(actor=member_a, post=reply, hidden=True)
    with pytest.raises(NotAllowed):
        services.thread_set_locked(actor=member_a, thread=thread, locked=True)
    services.answer_mark(actor=member_a, thread=thread, post=reply)
    services.post_set_hidden(actor=vendor_member, post=reply, hidden=True)
    thread.refresh_from_db()
    assert thread.answer is None and not thread.hidden
    services.thread_set_locked(actor=vendor_member, thread=thread, locked=True)
    with pytest.raises(NotAllowed, match="fermée"):
        services.post_reply(actor=member_b, thread=thread, body="Encore")
    services.post_set_hidden(
        actor=vendor_member, post=thread.posts.get(is_opening=True), hidden=True
    )
    thread.refresh_from_db()
    assert thread.hidden


def test_the_quote_of_a_hidden_post_is_refused(member_a, member_b, vendor_member, category):
    thread = start(member_a, category)
    reply = services.post_reply(actor=member_b, thread=thread, body="Hors sujet")
    services.post_set_hidden(actor=vendor_member, post=reply, hidden=True)
    with pytest.raises(Invalid):
        services.post_reply(actor=member_a, thread=thread, body="Cité", quote_id=reply.pk)


def test_too_many_attachments_are_refused(member_a, category):
    with pytest.raises(Invalid, match="3 pièces jointes"):
        start(member_a, category, attachments=[pdf(f"{n}.pdf") for n in range(4)])
    assert not Thread.objects.exists()


def test_posting_is_rate_limited_per_member(member_a, category, rate_limits):
    from core.errors import TooManyRequests

    rate_limits.limit("network_post", account=(2, 60))
    thread = start(member_a, category)
    services.post_reply(actor=member_a, thread=thread, body="Deux")
    with pytest.raises(TooManyRequests):
        services.post_reply(actor=member_a, thread=thread, body="Trois")
    assert thread.posts.count() == 2
