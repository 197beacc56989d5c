"""E-mails about comments, through the general notifications (preferences, town layout,
unsubscribe links)."""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext as _

from core.hosts import current_town_url
from participation.notifications.kinds import MODERATION, REPLIES
from participation.notifications.services import notify

from .models import Comment


def comment_link(comment: Comment) -> str:
    """An absolute link to the comment on its item's page (or its component's page)."""
    from participation.components import component_url

    item = comment.item
    path = (
        item.get_absolute_url()
        if item is not None and hasattr(item, "get_absolute_url")
        else component_url(comment.component)
    )
    return current_town_url(f"{path}#comment-{comment.pk}")


def comment_reply_notify(comment: Comment) -> None:
    """Tell the author of the comment answered that there is a reply (the one replied to,
    even when the reply joined the thread higher up because of the depth limit)."""
    parent = getattr(comment, "replied_to", None) or comment.parent
    recipient = parent.author if parent is not None else None
    if recipient is None or recipient.pk == comment.author_id:
        return
    notify(
        recipient,
        REPLIES,
        _("%(town)s : nouvelle réponse à votre commentaire") % {"town": connection.tenant.name},
        "comments/emails/reply.txt",
        {"comment": comment, "link": comment_link(comment)},
    )


def comment_hidden_notify(comment: Comment) -> None:
    """Tell the author that their comment was hidden, and why."""
    if comment.author is None:
        return
    notify(
        comment.author,
        MODERATION,
        _("%(town)s : votre commentaire a été masqué") % {"town": connection.tenant.name},
        "comments/emails/hidden.txt",
        {"comment": comment, "link": comment_link(comment)},
    )
