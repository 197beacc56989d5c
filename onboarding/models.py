from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import DEFAULT_MAP_ZOOM


class BackgroundWork(models.Model):
    """Work asked for in the console and done by a Celery task: who asked, where it stands,
    why it failed. The task takes it from queued to running once (``claim``), then finishes it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("erreur"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fini le"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_finished(self) -> bool:
        return self.status not in self.ACTIVE_STATUSES

    @classmethod
    def claim(cls, pk: int) -> bool:
        """Take queued work to running; False when another run has taken it already."""
        return bool(
            cls.objects.filter(pk=pk, status=cls.Status.QUEUED).update(
                status=cls.Status.RUNNING, started_at=timezone.now()
            )
        )

    def finish(self, status: str, *, error: str = "", also_saved: tuple[str, ...] = ()) -> None:
        """Mark the work done or failed and save that (with the fields ``also_saved``)."""
        self.status, self.error, self.finished_at = status, error, timezone.now()
        self.save(update_fields=["status", "error", "finished_at", *also_saved])


class OnboardingJob(BackgroundWork):
    """A town's creation asked for in the wizard and carried out by a Celery task
    (onboarding.wizard): what was asked, where it stands, what came of it."""

    # What was asked (tenants.Tenant's fields, the starting theme and the first administrator).
    slug = models.CharField(_("identifiant"), max_length=40)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    population = models.PositiveIntegerField(_("population"))
    custom_domain = models.CharField(_("domaine personnalisé"), max_length=253, blank=True)
    plan = models.CharField(_("formule"), max_length=60)
    enabled_modules = ArrayField(
        models.CharField(max_length=40), verbose_name=_("modules"), default=list, blank=True
    )
    theme_preset = models.CharField(_("thème de départ"), max_length=40)
    admin_email = models.EmailField(_("e-mail de l'administrateur"))
    admin_name = models.CharField(_("nom de l'administrateur"), max_length=80, blank=True)
    # Where the town's maps will open (checked by tenants.services.map_location_checked).
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    map_zoom = models.PositiveSmallIntegerField(_("zoom de la carte"), default=DEFAULT_MAP_ZOOM)

    # [{"key": <onboarding.wizard.STEPS key>, "at": ISO 8601 datetime}, ...] in order.
    steps = models.JSONField(_("étapes faites"), default=list, blank=True)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("collectivité créée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(BackgroundWork.Meta):
        verbose_name = _("mise en service")
        constraints = [
            # Two submissions of one slug at the same moment: the second insert waits for the
            # first and fails, before any task runs.
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(status__in=["queued", "running"]),
                name="onboarding_job_one_active_per_slug",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} ({self.get_status_display()})"


class TownExport(BackgroundWork):
    """An archive of all of a town's data (its schema's dump and its media files), built by a
    Celery task (onboarding.offboarding) and kept outside MEDIA_ROOT. It outlives the town."""

    tenant = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exports",
    )
    # Kept as text too: the export stays identifiable once the town is deleted.
    town_slug = models.CharField(_("identifiant"), max_length=40)
    town_name = models.CharField(_("nom de la collectivité"), max_length=200)
    schema_name = models.CharField(_("schéma"), max_length=63)
    # Relative to onboarding.offboarding.exports_root().
    file_name = models.CharField(_("fichier"), max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)

    class Meta(BackgroundWork.Meta):
        verbose_name = _("export de collectivité")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(status__in=["queued", "running"]),
                name="onboarding_export_one_active_per_town",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(file_name=""),
                name="onboarding_export_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.town_slug} {self.created_at:%Y-%m-%d %H:%M}"
