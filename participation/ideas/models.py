"""Call for ideas (appel à idées): residents submit proposals, the town's services analyse
them, eligible ones may go to a participatory budget vote, then are followed until done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.models import Component, ComponentItem, Image, Neighbourhood

TITLE_MAX_LENGTH = 150
DESCRIPTION_MAX_LENGTH = 5000
ADDRESS_MAX_LENGTH = 300
CATEGORY_MAX_LENGTH = 80
SERVICE_MAX_LENGTH = 150
REASON_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 5000
COST_MAX_DIGITS = 12


class Category(models.Model):
    """A theme of the proposals of one component, managed in the back office."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nom"), max_length=CATEGORY_MAX_LENGTH)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("catégorie")
        constraints = [
            models.UniqueConstraint(fields=["component", "name"], name="ideas_category_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Proposal(ComponentItem):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Déposée")
        UNDER_ANALYSIS = "under_analysis", _("En analyse")
        ELIGIBLE = "eligible", _("Recevable")
        INELIGIBLE = "ineligible", _("Non recevable")
        PUT_TO_VOTE = "put_to_vote", _("Soumise au vote")
        SELECTED = "selected", _("Retenue")
        NOT_SELECTED = "not_selected", _("Non retenue")
        IN_PROGRESS = "in_progress", _("En cours de réalisation")
        DONE = "done", _("Réalisée")

    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    category = models.ForeignKey(
        Category,
        verbose_name=_("catégorie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("adresse ou lieu"), max_length=ADDRESS_MAX_LENGTH, blank=True)
    image = models.ForeignKey(
        Image,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    estimated_cost = models.DecimalField(
        _("coût estimé par l'auteur (€)"),
        max_digits=COST_MAX_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("co-auteurs"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # A duplicate merged into another proposal keeps its status; it is hidden from lists.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionnée avec"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_proposals",
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    # Analysis by the town's staff.
    assigned_service = models.CharField(
        _("service municipal"), max_length=SERVICE_MAX_LENGTH, blank=True
    )
    # The town's own service (participation.MunicipalService) instructing the proposal: its
    # analysts see and instruct it (ideas.rules). ``assigned_service`` then holds its name.
    service = models.ForeignKey(
        "participation.MunicipalService",
        verbose_name=_("service instructeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    feasibility_note = models.TextField(
        _("note de faisabilité (interne)"), max_length=NOTE_MAX_LENGTH, blank=True
    )
    cost_estimate = models.DecimalField(
        _("coût estimé par les services (€)"),
        max_digits=COST_MAX_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
    )
    ineligibility_reason = models.TextField(
        _("motif de non-recevabilité (public)"), max_length=REASON_MAX_LENGTH, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idée")
        indexes = [models.Index(fields=["component", "status"], name="ideas_proposal_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_cost__isnull=True) | models.Q(estimated_cost__gte=0),
                name="ideas_proposal_estimated_cost_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(cost_estimate__isnull=True) | models.Q(cost_estimate__gte=0),
                name="ideas_proposal_cost_estimate_positive",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
                name="ideas_proposal_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="ideas_proposal_not_merged_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from participation.components import component_url

        return component_url(self.component, "proposal", self.pk)

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ProposalStatusChange(models.Model):
    """One step of a proposal's public timeline; the reason is shown to everyone."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("statut précédent"), max_length=20, choices=Proposal.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("nouveau statut"), max_length=20, choices=Proposal.Status.choices
    )
    reason = models.TextField(_("explication publique"), max_length=REASON_MAX_LENGTH, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("changement de statut")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class ProposalProject(models.Model):
    """The budget project a proposal became when put to the vote. Plain ids rather than
    foreign keys: this module's migrations do not depend on the budgets module's."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="project_link")
    project_id = models.BigIntegerField(_("projet"), unique=True)
    budget_id = models.BigIntegerField(_("budget"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("projet issu d'une idée")

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.budget_id}:{self.project_id}"
