"""The participation engine: neighbourhoods, residents' profiles, spaces, components, phases."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Manager
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .registry import ComponentType, PhaseKind, registry


class Neighbourhood(models.Model):
    """A town's quarter (quartier), used by spaces, residents and proposals."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("quartier")

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What a resident tells the town about themself. E-mail and phone are never shown to
    other users; only the display name (on the account) is."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    charter_accepted_at = models.DateTimeField(
        _("charte de participation acceptée le"), null=True, blank=True
    )
    # E-mails the resident agreed to receive; each can be switched off from their profile.
    notify_replies = models.BooleanField(_("réponses à mes commentaires"), default=True)
    notify_moderation = models.BooleanField(_("modération de mes contributions"), default=True)
    notify_phases = models.BooleanField(
        _("ouverture d'une phase dans un espace suivi"), default=True
    )
    notify_digest = models.BooleanField(_("lettre hebdomadaire"), default=True)

    class Meta:
        verbose_name = _("profil")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="profile_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Image(models.Model):
    """An uploaded picture as stored: WebP renditions re-encoded by ``core.images`` under
    ``images/<key>/<width>.webp`` in the town's media, and the words that replace it for
    those who cannot see it. Spaces, ideas, budget projects and homepage blocks point to it;
    ``participation.images`` stores and deletes it."""

    key = models.CharField(max_length=32, unique=True, editable=False)
    widths = models.JSONField(default=list, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt = models.CharField(_("texte alternatif"), max_length=250)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")

    def __str__(self) -> str:
        return self.alt

    def path(self, width: int) -> str:
        return f"images/{self.key}/{width}.webp"


class MunicipalService(models.Model):
    """A department of the town (voirie, espaces verts…): it answers residents' questions for
    the officials it serves and instructs the ideas assigned to it; its members are town
    accounts."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agents"),
        blank=True,
        related_name="municipal_services",
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("service municipal")
        verbose_name_plural = _("services municipaux")

    def __str__(self) -> str:
        return self.name


class Official(models.Model):
    """An elected official the town publishes (maire, adjoint, conseiller délégué), with the
    services that answer for them and, when they answer themselves, their town account."""

    name = models.CharField(_("nom"), max_length=120)
    title = models.CharField(_("fonction"), max_length=200)
    delegations = models.TextField(_("délégations"), blank=True)
    photo = models.ForeignKey(
        Image,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officials",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official",
    )
    services = models.ManyToManyField(
        MunicipalService,
        verbose_name=_("services qui répondent pour cet élu"),
        blank=True,
        related_name="officials",
    )
    published = models.BooleanField(_("publié"), default=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("élu")

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"


class Space(models.Model):
    """Where participation happens, with an ordered list of components."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Concertation")
        NEIGHBOURHOOD_COUNCIL = "neighbourhood_council", _("Conseil de quartier")
        BUDGET_CAMPAIGN = "budget_campaign", _("Budget participatif")
        VOLUNTEERING_HUB = "volunteering_hub", _("Bénévolat")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")

    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    image = models.ForeignKey(
        Image,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spaces",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modérateurs"),
        blank=True,
        related_name="moderated_spaces",
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="SpaceFollow",
        blank=True,
        related_name="followed_spaces",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Archived: still public, read-only (participation.rules refuses every contribution).
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    class Meta:
        ordering = ["position", "-created_at"]
        verbose_name = _("espace")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class SpaceFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    space = models.ForeignKey(Space, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "space"], name="spacefollow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.space}"


class LiveComponents(models.Manager):
    """The components shown anywhere: not removed, of a module switched on for the town
    (``registry.live_q``). Space pages, the back office, maps, digests and the URL guard all
    read components through it; ``Component.all_objects`` sees the hidden ones too (restore,
    deletion of a space), as do foreign keys followed from an item (Django's base manager)."""

    def get_queryset(self):
        return super().get_queryset().filter(registry.live_q())


class Component(models.Model):
    """One registered module type placed in a space."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="components")
    type_key = models.CharField(_("module"), max_length=40)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    settings = models.JSONField(_("réglages"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Removed by the town (participation.lifecycle): hidden everywhere, its data kept until
    # the vendor's staff restore it.
    removed_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    all_objects = Manager()
    objects = LiveComponents()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("composant")
        default_manager_name = "objects"
        base_manager_name = "all_objects"

    def __str__(self) -> str:
        return self.title

    @cached_property
    def type(self) -> ComponentType:
        return registry.get(self.type_key)

    def setting(self, name: str):
        return self.settings.get(name, self.type.default_settings.get(name))

    def active_phase(self, now=None) -> Phase | None:
        """The phase running now: phases of a component do not overlap (services check it)."""
        now = now or timezone.now()
        phases = getattr(self, "_prefetched_objects_cache", {}).get("phases")
        candidates = phases if phases is not None else self.phases.all()
        return next((p for p in candidates if p.starts_at <= now < p.ends_at), None)

    def phase_allows(self, action: str, now=None) -> bool:
        phase = self.active_phase(now)
        return phase is not None and action in phase.features


class Phase(models.Model):
    """A dated step of a component. What users may do depends on the phase running now:
    phases change by date, never by a hand-edited flag."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("étape"), max_length=40)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    opening_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("phase")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="phase_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.kind

    @property
    def kind_spec(self) -> PhaseKind | None:
        return self.component.type.phase_kind(self.kind)

    @property
    def features(self) -> frozenset[str]:
        spec = self.kind_spec
        return spec.features if spec else frozenset()

    @property
    def display_title(self) -> str:
        spec = self.kind_spec
        return self.title or (spec.label if spec else self.kind)


class ComponentItem(models.Model):
    """Base of every module's items (a poll, a news post, a survey...)."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class HomeBlock(models.Model):
    """One block of the town's homepage (a hero, the running consultations, free text...). The
    homepage exists twice: the draft the town's staff edit and preview (``published`` false),
    and the copy the public home shows, replaced by a copy of the draft when they publish. A
    block's ``kind`` is a key of ``participation.home.blocks``; the fields below are those the
    kinds use (each kind says which)."""

    kind = models.CharField(_("type de bloc"), max_length=40)
    published = models.BooleanField(default=False)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    text = models.TextField(_("texte"), blank=True)
    link_label = models.CharField(_("texte du bouton"), max_length=80, blank=True)
    link_url = models.CharField(_("adresse du bouton"), max_length=300, blank=True)
    image = models.ForeignKey(
        Image,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    spaces = models.ManyToManyField(
        Space, verbose_name=_("espaces mis en avant"), blank=True, related_name="+"
    )
    limit = models.PositiveSmallIntegerField(_("nombre d'éléments"), default=3)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("bloc de la page d'accueil")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(limit__gte=1, limit__lte=12), name="homeblock_limit_1_to_12"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.kind


class Submission(models.Model):
    """One submission of a form (or API request) by one person, named by the one-time key the
    form carried (or the Idempotency-Key header): a double click or a retried request finds
    the row of the first and gets its result instead of creating a second contribution. The
    unique key makes it hold under concurrent requests (participation.submissions)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="participation_submission_once")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def result(self):
        if self.content_type is None:
            return None
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class SecretBallotVoter(models.Model):
    """Who has voted in a secret ballot box (``participation.secret_ballots``): one row per
    elector, never anything about what they voted. ``box`` names the election or budget;
    ``voter_key`` the elector in the module's own terms (a roll entry, an account)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("en ligne")
        PAPER = "paper", _("bureau de vote")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.CharField(max_length=60)
    voter_key = models.CharField(max_length=80)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("émargement")
        constraints = [
            models.UniqueConstraint(fields=["box", "voter_key"], name="secret_voter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.box} · {self.voter_key}"


class SecretBallot(models.Model):
    """What was voted, without who: a random id, the box, the choices, a random receipt, the
    channel. Nothing here is shared with ``SecretBallotVoter`` (no key, no sequence, no time,
    not even the day): written only when the box closes, every ballot of the box in one
    shuffled batch (``secret_ballots.box_close``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.CharField(max_length=60)
    choices = models.JSONField()
    receipt = models.CharField(max_length=20)
    channel = models.CharField(max_length=10, choices=SecretBallotVoter.Channel.choices)

    class Meta:
        verbose_name = _("bulletin secret")
        constraints = [
            models.UniqueConstraint(fields=["box", "receipt"], name="secret_ballot_receipt_once"),
        ]
        indexes = [models.Index(fields=["box"], name="secret_ballot_box")]

    def __str__(self) -> str:
        return self.receipt


class PendingSecretBallot(models.Model):
    """A ballot waiting for the close, written in the same transaction as its elector's
    ``SecretBallotVoter`` row (so they share a transaction id): ``sealed`` holds its choices,
    receipt and channel encrypted (AES-GCM, padded) with a key derived from the settings'
    ``SECRET_KEY``, which is not in the database. Read only through ``secret_ballots``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.CharField(max_length=60)
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("bulletin secret en attente")
        indexes = [models.Index(fields=["box"], name="secret_pending_box")]

    def __str__(self) -> str:
        return self.box


class SecretBallotSeal(models.Model):
    """A box closed by ``secret_ballots.box_close``: no online ballot is accepted in it any
    more, even one sent at the last moment (the vote's SQL reads this row)."""

    box = models.CharField(max_length=60, primary_key=True)

    class Meta:
        verbose_name = _("urne close")

    def __str__(self) -> str:
        return self.box
