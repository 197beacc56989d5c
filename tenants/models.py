from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .validators import SLUG_MAX_LENGTH, validate_insee_code, validate_siren, validate_town_slug

# Zoom levels of the web maps' tiles: 5 shows a region, 13 a town, 18 a street.
MAP_ZOOM_MIN, MAP_ZOOM_MAX, DEFAULT_MAP_ZOOM = 5, 18, 13


class Tenant(TenantMixin):
    """A collectivité served by the platform, with its own PostgreSQL schema.

    The public schema has one row too (kind ``platform``): the vendor console's.
    """

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        INTERCOMMUNALITE = "intercommunalite", _("Intercommunalité")
        DEPARTEMENT = "departement", _("Département")
        REGION = "region", _("Région")
        PLATFORM = "platform", _("Plateforme (opérateur)")

    class Status(models.TextChoices):
        TRIAL = "trial", _("Essai")
        ACTIVE = "active", _("Actif")
        READ_ONLY = "read_only", _("Lecture seule")
        SUSPENDED = "suspended", _("Suspendu")
        ARCHIVED = "archived", _("Archivé")

    # Towns whose site is served (read-only ones serve pages but take no contribution).
    SERVED_STATUSES = (Status.TRIAL, Status.ACTIVE, Status.READ_ONLY)

    slug = models.CharField(
        _("identifiant"), max_length=SLUG_MAX_LENGTH, unique=True, validators=[validate_town_slug]
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    insee_code = models.CharField(
        _("code INSEE"), max_length=5, blank=True, validators=[validate_insee_code]
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    population = models.PositiveIntegerField(_("population"), default=0)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.TRIAL
    )
    plan = models.CharField(_("formule"), max_length=60, blank=True)
    # The participation modules switched on for the town (participation.modules, within its
    # plan); None: every installed module (a town whose modules nobody chose).
    enabled_modules = ArrayField(
        models.CharField(max_length=40), verbose_name=_("modules"), null=True, blank=True
    )
    # Where the town's maps open; none: a map of France (tenants.services.town_set_map_location).
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    map_zoom = models.PositiveSmallIntegerField(_("zoom de la carte"), default=DEFAULT_MAP_ZOOM)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("statut modifié le"), auto_now_add=True)

    # Schemas are made by tenants.services.town_create (a clone of the template), never as a
    # side effect of save(); deleting a row never drops a schema by accident.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("collectivité")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="platform", schema_name="public")
                | (~models.Q(kind="platform") & ~models.Q(schema_name="public")),
                name="tenant_platform_kind_is_public_schema",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="tenant_map_location_whole_and_on_earth",
            ),
            models.CheckConstraint(
                condition=models.Q(map_zoom__gte=MAP_ZOOM_MIN, map_zoom__lte=MAP_ZOOM_MAX),
                name="tenant_map_zoom_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.kind == self.Kind.PLATFORM

    @property
    def is_served(self) -> bool:
        return self.status in self.SERVED_STATUSES

    @property
    def has_map_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def accepts_contributions(self) -> bool:
        return self.status in (self.Status.TRIAL, self.Status.ACTIVE)


class Domain(DomainMixin):
    """A host name that serves a tenant: SLUG.<PLATFORM_DOMAIN>, or a custom domain that is
    served only once verified."""

    is_custom = models.BooleanField(_("domaine personnalisé"), default=False)
    verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    # A custom domain's proof of ownership: the TXT record tenants.domains asks for.
    verification_token = models.CharField(max_length=64, blank=True, editable=False)
    requested_at = models.DateTimeField(_("demandé le"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("dernière vérification"), null=True, blank=True)
    last_check_error = models.TextField(_("résultat de la dernière vérification"), blank=True)

    class Meta:
        verbose_name = _("domaine")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=models.functions.Lower("domain")),
                name="domain_is_lower_case",
            ),
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def is_served(self) -> bool:
        return not self.is_custom or self.verified_at is not None


class SpareSchema(models.Model):
    """A schema cloned from the template in advance, not yet a town's (tenants.spares).

    ``town_create`` renames one into the new town's schema instead of cloning, when its
    ``migration_state`` (tenants.clone.template_state) is the template's current one. A spare
    has no Tenant row: it is never served, migrated or listed; ``spare_schemas_refill`` drops
    the outdated ones and clones new ones."""

    schema_name = models.CharField(max_length=63, unique=True)
    migration_state = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("schéma de réserve")

    def __str__(self) -> str:
        return self.schema_name


class TaskOutbox(models.Model):
    """A Celery task that could not be sent because the broker (Redis) was unreachable: kept
    here, in the public schema, with the schema of the town that sent it, and sent again by
    ``tenants.outbox_flush`` once the broker answers (tenants.outbox). A sign-up made while
    Redis is down still gets its e-mail."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    # The schema the task must run in (tenant-schemas-celery's header when it is sent).
    schema_name = models.CharField(max_length=63)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tâche en attente d'envoi")

    def __str__(self) -> str:
        return f"{self.task_name} ({self.schema_name})"
