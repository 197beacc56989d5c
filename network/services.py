"""What changes the network forum: threads and replies (with quotes, mentions and
attachments), the answer to a question, subscriptions, and the vendor's moderation. Each
acts for a NetworkMember and checks the permission strings of network.rules."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.errors import Conflict, Invalid, NotAllowed, NotFound
from core.ratelimit import rate_limit
from core.rules import why_not
from core.text import clean_text

from . import markup
from .files import attachments_check, stored_name
from .models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Attachment,
    Category,
    Mention,
    NetworkMember,
    Post,
    Subscription,
    Thread,
)
from .notifications import post_notify


def ensure_perm(member: NetworkMember, perm: str, obj=None) -> None:
    reason = why_not(member, perm, obj)
    if reason is not None:
        raise NotAllowed(reason)


def _clean_body(body: str) -> str:
    body = clean_text(body, label=_("Message"), max_length=BODY_MAX_LENGTH, field="body")
    if markup.ACTIVE_HTML.search(body):
        raise Invalid(
            _(
                "Le message contient une balise HTML (<script>, <iframe>, <style>…), qui "
                "n'est pas acceptée : écrivez en texte, avec la mise en forme simple "
                "(**gras**, *italique*, listes, liens)."
            ),
            field="body",
        )
    return body


def thread_search_update(*, thread_id: int) -> None:
    """The thread's search vector from its title and its visible posts, in the same
    transaction as the change that made it stale."""
    bodies = (
        Post.objects.filter(thread=OuterRef("pk"), hidden=False)
        .order_by()
        .values("thread")
        .annotate(text=StringAgg("body", delimiter="\n"))
        .values("text")
    )
    Thread.objects.filter(pk=thread_id).update(
        search_vector=SearchVector("title", weight="A", config="french")
        + SearchVector(
            Coalesce(Subquery(bodies), Value(""), output_field=TextField()),
            weight="B",
            config="french",
        )
    )


def _post_create(
    *,
    thread: Thread,
    author: NetworkMember,
    body: str,
    attachments: Sequence[tuple[UploadedFile, str]],
    quote: Post | None = None,
    is_opening: bool = False,
) -> Post:
    mentioned = list(
        NetworkMember.objects.filter(handle__in=markup.mentioned_handles(body)).order_by("pk")
    )
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        html=markup.render(body, handles={member.handle for member in mentioned}),
        quote=quote,
        is_opening=is_opening,
    )
    for upload, content_type in attachments:
        original = (upload.name or "")[:200]
        upload.name = stored_name(content_type)
        Attachment.objects.create(
            post=post, file=upload, name=original, content_type=content_type, size=upload.size
        )
    Mention.objects.bulk_create(
        [Mention(post=post, member=member) for member in mentioned], ignore_conflicts=True
    )
    Subscription.objects.get_or_create(member=author, thread=thread)
    thread_search_update(thread_id=thread.pk)
    post_notify(post=post, mentioned=mentioned)
    return post


def thread_start(
    *,
    actor: NetworkMember,
    category: Category,
    title: str,
    body: str,
    attachments: Sequence[UploadedFile] = (),
) -> Thread:
    """A new thread in ``category`` with its opening post; its author follows it."""
    ensure_perm(actor, "network.add_thread")
    rate_limit("network_post", account=actor.pk)
    title = clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH, field="title")
    body = _clean_body(body)
    checked = attachments_check(attachments)
    with transaction.atomic():
        thread = Thread.objects.create(category=category, author=actor, title=title)
        _post_create(thread=thread, author=actor, body=body, attachments=checked, is_opening=True)
    return thread


def post_reply(
    *,
    actor: NetworkMember,
    thread: Thread,
    body: str,
    quote_id: int | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Post:
    """A reply in ``thread`` (quoting one of its visible posts, if ``quote_id``)."""
    rate_limit("network_post", account=actor.pk)
    body = _clean_body(body)
    checked = attachments_check(attachments)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        ensure_perm(actor, "network.add_post", thread)
        quote = None
        if quote_id is not None:
            quote = thread.posts.filter(pk=quote_id, hidden=False).first()
            if quote is None:
                raise Invalid(_("Le message cité n'est plus visible."), field="body")
        post = _post_create(
            thread=thread, author=actor, body=body, attachments=checked, quote=quote
        )
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=F("reply_count") + 1, last_post_at=post.created_at
        )
    return post


def answer_mark(*, actor: NetworkMember, thread: Thread, post: Post | None) -> None:
    """``post`` (a visible reply of ``thread``) becomes its answer; None: no answer any more."""
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        ensure_perm(actor, "network.mark_answer", thread)
        if post is not None and (post.thread_id != thread.pk or post.is_opening or post.hidden):
            raise Invalid(_("Seule une réponse visible de cette discussion peut être choisie."))
        thread.answer = post
        thread.save(update_fields=["answer"])


def thread_subscribe(*, actor: NetworkMember, thread: Thread, subscribed: bool) -> None:
    if not subscribed:
        Subscription.objects.filter(member=actor, thread=thread).delete()
        return
    if thread.hidden:
        raise NotFound(_("Cette discussion n'existe plus."))
    try:
        Subscription.objects.get_or_create(member=actor, thread=thread)
    except IntegrityError as exc:
        raise Conflict(_("Vous suivez déjà cette discussion.")) from exc


def member_set_digest(*, actor: NetworkMember, digest: bool) -> None:
    NetworkMember.objects.filter(pk=actor.pk).update(digest=digest)


def post_set_hidden(*, actor: NetworkMember, post: Post, hidden: bool) -> None:
    """Moderation: hide a post (its thread with it, when it is the opening one) or show it
    again. A hidden post leaves the search and stops being the answer."""
    ensure_perm(actor, "network.moderate")
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        post = Post.objects.select_for_update().get(pk=post.pk)
        post.hidden, post.hidden_by = hidden, actor if hidden else None
        post.save(update_fields=["hidden", "hidden_by"])
        if post.is_opening:
            thread.hidden = hidden
        if hidden and thread.answer_id == post.pk:
            thread.answer = None
        thread.save(update_fields=["hidden", "answer"])
        thread_search_update(thread_id=thread.pk)


def thread_set_locked(*, actor: NetworkMember, thread: Thread, locked: bool) -> None:
    ensure_perm(actor, "network.moderate")
    Thread.objects.filter(pk=thread.pk).update(locked=locked)
