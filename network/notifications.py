"""E-mails of the network: a new post to those who follow its thread, a mention to each
member named with @ (once per post, even named twice, and instead of the follower's e-mail),
and the weekly digest. Written in French (the towns' staff), sent on commit."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.emails import email_send_on_commit
from tenants.models import Tenant

from .links import member_url
from .models import NetworkMember, Post, Thread

MENTION = "mention"
REPLY = "reply"
DIGEST_DAYS = 7
DIGEST_THREADS = 20


def post_notify(*, post: Post, mentioned: list[NetworkMember]) -> None:
    """One e-mail per person: the mentioned members, then the thread's followers (a reply
    only); never its author."""
    recipients: dict[int, tuple[NetworkMember, str]] = {
        member.pk: (member, MENTION) for member in mentioned if member.pk != post.author_id
    }
    if not post.is_opening:
        followers = NetworkMember.objects.filter(subscriptions__thread=post.thread_id).exclude(
            pk=post.author_id
        )
        for member in followers:
            recipients.setdefault(member.pk, (member, REPLY))
    thread = post.thread
    with translation.override(settings.LANGUAGE_CODE):
        for member, kind in recipients.values():
            subject = (
                _("%(name)s vous a mentionné dans « %(title)s »")
                if kind == MENTION
                else _("Nouvelle réponse dans « %(title)s »")
            ) % {"name": post.author.display_name, "title": thread.title}
            email_send_on_commit(
                to=member.email,
                subject=subject,
                template="network/emails/post.txt",
                context={
                    "kind": kind,
                    "post": post,
                    "thread": thread,
                    "url": member_url(member, "thread", thread.pk, fragment=f"message-{post.pk}"),
                },
            )


def _digest_members(now: datetime.datetime):
    return NetworkMember.objects.filter(
        Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - datetime.timedelta(days=6)),
        Q(tenant__isnull=True) | Q(tenant__status__in=Tenant.SERVED_STATUSES),
        digest=True,
    )


def digest_send() -> int:
    """To each member who wants the digest and has not had it for six days (so a second run
    the same week sends nothing): the threads active since their last digest (a week at
    most), when there are any. How many were sent."""
    now = timezone.now()
    week_ago = now - datetime.timedelta(days=DIGEST_DAYS)
    recent = list(
        Thread.objects.filter(hidden=False, last_post_at__gt=week_ago)
        .select_related("category", "author__tenant")
        .order_by("-last_post_at")[: DIGEST_THREADS * 5]
    )
    if not recent:
        return 0
    sent = 0
    for member_id in _digest_members(now).values_list("pk", flat=True):
        with transaction.atomic():
            member = (
                _digest_members(now)
                .select_for_update(skip_locked=True, of=("self",))
                .filter(pk=member_id)
                .first()
            )
            if member is None:  # sent meanwhile by another run
                continue
            since = max(member.digest_sent_at or week_ago, week_ago)
            threads = [thread for thread in recent if thread.last_post_at > since]
            if not threads:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                email_send_on_commit(
                    to=member.email,
                    subject=_("Réseau des collectivités : les discussions de la semaine"),
                    template="network/emails/digest.txt",
                    context={
                        "member": member,
                        "links": [
                            (thread, member_url(member, "thread", thread.pk))
                            for thread in threads[:DIGEST_THREADS]
                        ],
                        "preferences_url": member_url(member, "home"),
                    },
                )
            member.digest_sent_at = now
            member.save(update_fields=["digest_sent_at"])
            sent += 1
    return sent
