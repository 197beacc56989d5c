"""The template library (public schema): spaces towns publish as templates for the others,
their versions, who reused them and how they rated them.

A version is a snapshot: its blueprint (``participation.blueprints``) and its pictures are
stored here, so copying it reads nothing of the source town, and neither a later version nor
the source space's deletion changes a version or the spaces already copied from it."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 5000
TAG_MAX_LENGTH = 40
MAX_TAGS = 8


class SpaceTemplate(models.Model):
    """A space a town publishes for the others; publishing the same space again adds a
    version."""

    source_tenant = models.ForeignKey(
        Tenant, verbose_name=_("collectivité"), on_delete=models.CASCADE, related_name="+"
    )
    # The space in the source town's schema (no foreign key from one schema to another).
    source_space_id = models.BigIntegerField()
    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    tags = ArrayField(
        models.CharField(max_length=TAG_MAX_LENGTH), verbose_name=_("mots-clés"), default=list
    )
    current_version = models.ForeignKey(
        "SpaceTemplateVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("modèle d'espace")
        constraints = [
            models.UniqueConstraint(
                fields=["source_tenant", "source_space_id"], name="library_template_space_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SpaceTemplateVersion(models.Model):
    template = models.ForeignKey(SpaceTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    blueprint = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = _("version de modèle")
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="library_version_once"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="library_version_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class SpaceTemplateImage(models.Model):
    """A picture of a version, kept in the database with the version (one transaction: no
    version without its pictures); each WebP rendition by width in ``files``."""

    version = models.ForeignKey(
        SpaceTemplateVersion, on_delete=models.CASCADE, related_name="images"
    )
    ref = models.CharField(max_length=40)
    alt = models.CharField(max_length=250)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "ref"], name="library_image_ref_once"),
        ]

    def __str__(self) -> str:
        return self.alt


class SpaceTemplateImageFile(models.Model):
    image = models.ForeignKey(SpaceTemplateImage, on_delete=models.CASCADE, related_name="files")
    rendition_width = models.PositiveIntegerField()
    content = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["image", "rendition_width"], name="library_image_file_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.image} {self.rendition_width}"


class TemplateReuse(models.Model):
    """A town copied a version into its schema: the space it made is its own from then on."""

    version = models.ForeignKey(
        SpaceTemplateVersion, on_delete=models.CASCADE, related_name="reuses"
    )
    target_tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    created_space_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("réutilisation")

    def __str__(self) -> str:
        return f"{self.version} → {self.target_tenant_id}"


class TemplateRating(models.Model):
    """One rating per town and template (the town changes it, never adds a second)."""

    template = models.ForeignKey(SpaceTemplate, on_delete=models.CASCADE, related_name="ratings")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(_("note"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("note")
        constraints = [
            models.UniqueConstraint(fields=["template", "tenant"], name="library_rating_once"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="library_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.stars}"


class TownFigures(models.Model):
    """A town's participation figures as shared with the network: kept only for towns that
    opted in, gathered each night from their usage snapshots (network.library.figures), shown
    to the other towns only as an anonymised distribution of their size band."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+")
    opted_in = models.BooleanField(_("partage ses chiffres avec le réseau"), default=False)
    population = models.PositiveIntegerField(default=0)
    # Registered citizens / population (0.12: 12 %).
    registered_share = models.FloatField(null=True, blank=True)
    # Contributions of the last 30 days per 1,000 residents.
    contributions_per_1000 = models.FloatField(null=True, blank=True)
    # Median days to answer residents' questions this last year (the questions module).
    answer_days = models.FloatField(null=True, blank=True)
    computed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("chiffres partagés d'une collectivité")

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.registered_share}"
