"""Telling an account something: a line in its volunteering inbox on the site and an e-mail
(sent by Celery once the transaction commits) to its own address. Neither names the other
side's address: people reach each other only through the platform."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from accounts.emails import email_send_on_commit
from accounts.models import User
from core.hosts import current_town_url

from .models import Association, Membership, Notice


def notice_send(*, users: Iterable[User], text: str, link: str) -> None:
    users = [user for user in users if user is not None and user.is_active]
    Notice.objects.bulk_create(Notice(user=user, text=text, link=link) for user in users)
    for user in users:
        email_send_on_commit(
            to=user.email,
            subject=text,
            template="volunteering/email/notice.txt",
            context={
                "text": text,
                "link": current_town_url(link),
                "town": connection.tenant,
                "recipient": user,
            },
        )


def association_accounts(association: Association) -> list[User]:
    """Everyone acting for the association: they all hear of its volunteers."""
    return [
        membership.user
        for membership in Membership.objects.filter(association=association).select_related("user")
    ]
