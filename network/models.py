"""The inter-city network forum, in the public schema: its own identity for the people who
meet there (town accounts live in each town's schema), categories, threads, posts and what
hangs on them (attachments, quotes, mentions, subscriptions), and the single-use record of
each hand-over from a town's back office."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tenants.models import Tenant

BODY_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 150


class NetworkMember(models.Model):
    """A person of the network: a town's staff (known by their town and their account's id in
    that town's schema, refreshed at each hand-over) or the vendor's staff (a public-schema
    account). Posts show the name, role and town kept here."""

    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.CASCADE, related_name="network_members"
    )
    town_user_id = models.BigIntegerField(null=True, blank=True)
    vendor_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="network_member",
    )
    display_name = models.CharField(_("nom"), max_length=80)
    role = models.CharField(_("rôle"), max_length=20, choices=User.Role.choices)
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    # What others type after @ to mention this person (unique, made from the name).
    handle = models.SlugField(_("identifiant de mention"), max_length=60, unique=True)
    digest = models.BooleanField(_("résumé hebdomadaire par e-mail"), default=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    # What core.rules.why_not asks of whoever acts: a member is always someone signed in.
    is_authenticated = True
    is_active = True

    class Meta:
        verbose_name = _("membre du réseau")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "town_user_id"],
                condition=Q(tenant__isnull=False),
                name="network_member_town_user_unique",
            ),
            # Either a town's staff or the vendor's, never both nor neither.
            models.CheckConstraint(
                condition=(
                    Q(tenant__isnull=False, town_user_id__isnull=False, vendor_user__isnull=True)
                    | Q(tenant__isnull=True, town_user_id__isnull=True, vendor_user__isnull=False)
                ),
                name="network_member_one_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_vendor(self) -> bool:
        return self.vendor_user_id is not None

    @property
    def town_name(self) -> str:
        return self.tenant.name if self.tenant_id else "Agora"


class Category(models.Model):
    name = models.CharField(_("nom"), max_length=80)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("catégorie")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Thread(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads")
    author = models.ForeignKey(NetworkMember, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    locked = models.BooleanField(_("verrouillée"), default=False)
    # Hidden with its opening post by the vendor's moderators.
    hidden = models.BooleanField(_("masquée"), default=False)
    answer = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Title (weight A) and visible posts (weight B) in PostgreSQL's french configuration,
    # rewritten by the services whenever one of them changes (network.search).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("discussion")
        indexes = [
            GinIndex(fields=["search_vector"], name="network_thread_search"),
            models.Index(fields=["category", "-last_post_at"], name="network_thread_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """The opening message of a thread or a reply. ``body`` is what was typed (the small
    markup of network.markup); ``html`` its sanitised rendering, made once when posted."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(NetworkMember, on_delete=models.PROTECT, related_name="posts")
    is_opening = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    html = models.TextField()
    quote = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(_("masqué"), default=False)
    hidden_by = models.ForeignKey(
        NetworkMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("message")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread"], condition=Q(is_opening=True), name="network_post_one_opening"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), BODY_MAX_LENGTH),
                name="network_post_body_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="network/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("pièce jointe")

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    """A member named with @ in a post: one row (and one notification) per post and member."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="network_mention_once")
        ]

    def __str__(self) -> str:
        return f"@{self.member_id} #{self.post_id}"


class Subscription(models.Model):
    """A member told by e-mail of each new reply in a thread."""

    member = models.ForeignKey(
        NetworkMember, on_delete=models.CASCADE, related_name="subscriptions"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="network_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.thread_id}"


class HandoverUse(models.Model):
    """A hand-over token once used: the nonce it carried, so that it opens one session only."""

    nonce = models.CharField(max_length=64, primary_key=True)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    town_user_id = models.BigIntegerField()
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.nonce
