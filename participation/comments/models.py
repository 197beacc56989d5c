"""Comments (threaded, moderated) and supports ("je soutiens") on any module's item.

Items are reached through a generic relation: ``django.contrib.contenttypes`` lives in the
public schema, so a content type has the same id in every town.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.models import Component

BODY_MAX_LENGTH = 3000
# Top-level comments are at depth 0; replies, replies to replies... down to this depth.
MAX_DEPTH = 3


class Comment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Masqué par la modération")

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("commentaire"), max_length=BODY_MAX_LENGTH)
    is_official = models.BooleanField(_("réponse officielle"), default=False)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.VISIBLE
    )
    # Shown to everyone in place of the body: moderation is public.
    hidden_reason = models.CharField(_("motif du masquage"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Last moderation decision (hide or restore): flags older than this have been dealt with.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("commentaire")
        indexes = [models.Index(fields=["content_type", "object_id"], name="comment_item_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(depth__lte=MAX_DEPTH), name="comment_depth_at_most_3"
            ),
            models.CheckConstraint(
                condition=models.Q(status="visible") | ~models.Q(hidden_reason=""),
                name="comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author or _('Compte supprimé')} : {self.body[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.status == self.Status.HIDDEN


class Flag(models.Model):
    """A resident's report of a comment to the moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Publicité ou spam")
        ABUSE = "abuse", _("Propos injurieux, haineux ou diffamatoires")
        PERSONAL = "personal", _("Données personnelles d'autrui")
        OFF_TOPIC = "off_topic", _("Hors sujet")
        OTHER = "other", _("Autre motif")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signalement")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="flag_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.comment_id} ({self.reason})"


class Support(models.Model):
    """« Je soutiens » on an item: once per account."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("soutien")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="support_once_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.content_type_id}:{self.object_id}"
