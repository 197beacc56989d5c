"""Commenting, flagging, moderating and supporting items of any module."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid, NotAllowed
from core.ratelimit import rate_limit
from core.text import clean_text
from participation.models import Component
from participation.services import ensure_perm

from . import notifications
from .models import BODY_MAX_LENGTH, MAX_DEPTH, Comment, Flag, Support

HIDDEN_REASON_MAX_LENGTH = 300


def _item_component(item) -> Component:
    """The component of an item of a module; refuses anything else (an account, a space...)."""
    component = getattr(item, "component", None)
    if item is None or getattr(item, "pk", None) is None or not isinstance(component, Component):
        raise Invalid(_("On ne peut commenter ou soutenir que les contenus d'un module."))
    return component


def comment_add(
    *,
    author: User,
    item,
    body: str,
    parent: Comment | None = None,
    official: bool = False,
) -> Comment:
    """A comment on ``item``, or a reply to ``parent`` (a comment on the same item).
    Replies deeper than MAX_DEPTH join the thread at MAX_DEPTH, beside the one they answer.
    An official reply (town staff) is open whatever the phase."""
    rate_limit("comment", account=author.pk)
    component = _item_component(item)
    perm = "comments.add_official_reply" if official else "comments.add_comment"
    ensure_perm(author, perm, item)
    body = clean_text(body, label=_("Commentaire"), max_length=BODY_MAX_LENGTH)
    content_type = ContentType.objects.get_for_model(item)
    with transaction.atomic():
        if parent is not None:
            # Locked so that a moderator hiding it meanwhile is seen.
            parent = Comment.objects.select_for_update().get(pk=parent.pk)
            if parent.content_type_id != content_type.pk or parent.object_id != item.pk:
                raise Invalid(
                    _("Réponse impossible : le commentaire n° %(id)d porte sur un autre contenu.")
                    % {"id": parent.pk}
                )
            if parent.is_hidden:
                raise NotAllowed(
                    _("Ce commentaire a été masqué par la modération : on ne peut plus y répondre.")
                )
            replied_to = parent
            if parent.depth >= MAX_DEPTH:
                parent = Comment.objects.get(pk=parent.parent_id)
        comment = Comment.objects.create(
            component=component,
            content_type=content_type,
            object_id=item.pk,
            parent=parent,
            depth=parent.depth + 1 if parent is not None else 0,
            author=author,
            body=body,
            is_official=official,
        )
        if parent is not None:
            comment.replied_to = replied_to
            notifications.comment_reply_notify(comment)
    return comment


def comment_flag(*, user: User, comment: Comment, reason: str) -> Flag:
    """Report a comment to the moderators: once per account, never one's own."""
    ensure_perm(user, "comments.flag_comment", comment)
    if reason not in Flag.Reason.values:
        raise Invalid(_("Choisissez le motif du signalement."))
    if comment.author_id == user.pk:
        raise Invalid(_("Vous ne pouvez pas signaler votre propre commentaire."))
    try:
        with transaction.atomic():
            comment = Comment.objects.select_for_update().get(pk=comment.pk)
            if comment.is_hidden:
                raise Conflict(_("Ce commentaire a déjà été masqué par la modération."))
            if Flag.objects.filter(comment=comment, user=user).exists():
                raise Conflict(_("Vous avez déjà signalé ce commentaire."))
            return Flag.objects.create(comment=comment, user=user, reason=reason)
    except IntegrityError as exc:
        raise Conflict(_("Vous avez déjà signalé ce commentaire.")) from exc


def comment_hide(*, moderator: User, comment: Comment, reason: str) -> Comment:
    """Hide a comment; the reason is shown to everyone in its place."""
    ensure_perm(moderator, "comments.moderate_comment", comment)
    reason = clean_text(reason, label=_("Motif du masquage"), max_length=HIDDEN_REASON_MAX_LENGTH)
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("author")
            .get(pk=comment.pk)
        )
        if comment.is_hidden:
            raise Conflict(_("Ce commentaire est déjà masqué."))
        now = timezone.now()
        comment.status = Comment.Status.HIDDEN
        comment.hidden_reason = reason
        comment.hidden_by = moderator
        comment.hidden_at = now
        comment.reviewed_at = now
        comment.save(
            update_fields=["status", "hidden_reason", "hidden_by", "hidden_at", "reviewed_at"]
        )
        notifications.comment_hidden_notify(comment)
    return comment


def comment_restore(*, moderator: User, comment: Comment) -> Comment:
    """Show a hidden comment again; the flags received so far count as dealt with."""
    ensure_perm(moderator, "comments.moderate_comment", comment)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if not comment.is_hidden:
            raise Conflict(_("Ce commentaire n'est pas masqué."))
        comment.status = Comment.Status.VISIBLE
        comment.hidden_reason = ""
        comment.hidden_by = None
        comment.hidden_at = None
        comment.reviewed_at = timezone.now()
        comment.save(
            update_fields=["status", "hidden_reason", "hidden_by", "hidden_at", "reviewed_at"]
        )
    return comment


def support_toggle(*, user: User, item, support: bool | None = None) -> bool:
    """Support ``item`` or withdraw the support; returns whether the user supports it now.
    ``support`` names the wanted state (a form sent twice then changes nothing); None flips."""
    component = _item_component(item)
    ensure_perm(user, "comments.add_support", item)
    content_type = ContentType.objects.get_for_model(item)
    mine = Support.objects.filter(content_type=content_type, object_id=item.pk, user=user)
    try:
        with transaction.atomic():
            # One account's clicks take turns: each sees what the previous one did.
            User.objects.select_for_update().filter(pk=user.pk).first()
            existing = mine.first()
            wanted = existing is None if support is None else support
            if wanted and existing is None:
                Support.objects.create(
                    component=component, content_type=content_type, object_id=item.pk, user=user
                )
            elif not wanted and existing is not None:
                existing.delete()
    except IntegrityError as exc:  # the same account, at the same moment (a double click)
        if support:
            return True
        raise Conflict(_("Vous soutenez déjà ce contenu.")) from exc
    return wanted
