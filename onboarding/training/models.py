"""Training sessions the vendor gives to a town's staff (public schema): who is invited, who
came, and the materials handed out."""

import datetime
import uuid
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def materials_storage() -> FileSystemStorage:
    """Outside MEDIA_ROOT (served to anyone by nginx): only the download views serve these."""
    return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / "training")


def material_path(material: "TrainingMaterial", filename: str) -> str:
    # A random directory: the stored name reveals nothing and two uploads never collide.
    return f"{material.session.town_id}/{uuid.uuid4().hex}/{filename}"


class TrainingSession(models.Model):
    class Format(models.TextChoices):
        ON_SITE = "on_site", _("Sur place")
        REMOTE = "remote", _("À distance")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévue")
        DONE = "done", _("Réalisée")
        CANCELLED = "cancelled", _("Annulée")

    town = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="training_sessions",
    )
    starts_at = models.DateTimeField(_("début"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_url = models.URLField(_("lien de la visioconférence"), max_length=500, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = models.TextField(_("programme"), help_text=_("Un sujet par ligne."))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("notes internes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("séance de formation")
        verbose_name_plural = _("séances de formation")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0, duration_minutes__lte=24 * 60),
                name="trainingsession_duration_within_a_day",
            ),
            models.CheckConstraint(
                condition=(Q(format="on_site") & ~Q(place=""))
                | (Q(format="remote") & ~Q(video_url="")),
                name="trainingsession_place_or_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.town} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def attendance_due(self) -> bool:
        """Over, and who came is not recorded yet."""
        return self.status == self.Status.PLANNED and self.ends_at <= timezone.now()

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class TrainingInvitee(models.Model):
    """A person of the town invited to a session; ``attended`` stays unknown (null) until the
    attendance is recorded."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("séance"), on_delete=models.CASCADE, related_name="invitees"
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    service = models.CharField(_("service municipal"), max_length=150, blank=True)
    attended = models.BooleanField(_("présent"), null=True)
    invited_at = models.DateTimeField(_("invité le"), auto_now_add=True)
    # Each reminder is sent once: the daily task skips those already stamped.
    reminded_7d_at = models.DateTimeField(_("rappel à J-7 envoyé le"), null=True, blank=True)
    reminded_1d_at = models.DateTimeField(_("rappel à J-1 envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("personne invitée")
        verbose_name_plural = _("personnes invitées")
        constraints = [
            models.UniqueConstraint(
                F("session"), Lower("email"), name="traininginvitee_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class TrainingMaterial(models.Model):
    """A document of a session: an uploaded file or a link, never both."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(
        _("fichier"), storage=materials_storage, upload_to=material_path, max_length=300, blank=True
    )
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("taille"), null=True, blank=True)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    added_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("support de formation")
        verbose_name_plural = _("supports de formation")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="trainingmaterial_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def file_summary(self) -> str:
        """Like "PDF, 1,2 Mo"."""
        extension = PurePath(self.file.name).suffix.lstrip(".").upper()
        return f"{extension}, {filesizeformat(self.size or 0)}"
