"""A question of a resident to the town's officials, its public life (received → routed →
answered, or declined with a public reason) and the themes residents may address."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participation.models import Component, ComponentItem, Image, MunicipalService, Official

TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 1000
ADDRESS_MAX_LENGTH = 300
THEME_MAX_LENGTH = 80


class Theme(models.Model):
    """What a question may be about when the resident does not know whom to ask."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nom"), max_length=THEME_MAX_LENGTH)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("thème")
        constraints = [
            models.UniqueConstraint(fields=["component", "name"], name="questions_theme_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Question(ComponentItem):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Reçue")
        ROUTED = "routed", _("Transmise")
        ANSWERED = "answered", _("Répondue")
        DECLINED = "declined", _("Non retenue")

    class DeclineReason(models.TextChoices):
        DUPLICATE = "duplicate", _("Question déjà posée")
        OUT_OF_SCOPE = "out_of_scope", _("Hors des compétences de la collectivité")
        INSULTING = "insulting", _("Propos injurieux ou contraires à la charte")

    OPEN = (Status.RECEIVED, Status.ROUTED)

    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("question"), max_length=BODY_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whom the resident asked: an official, a theme, or neither ("la mairie").
    addressed_to = models.ForeignKey(
        Official,
        verbose_name=_("élu interpellé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("thème"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    image = models.ForeignKey(
        Image,
        verbose_name=_("photo"),
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
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    # Who holds it once routed: an official (their account and their services answer) or a
    # service (its members answer).
    routed_official = models.ForeignKey(
        Official,
        verbose_name=_("transmise à l'élu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    routed_service = models.ForeignKey(
        MunicipalService,
        verbose_name=_("transmise au service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    routed_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("réponse"), max_length=ANSWER_MAX_LENGTH, blank=True)
    # Who answered, in words fixed at the time (the official's name and title, or the
    # service's name): stays right when the official leaves office.
    answered_as = models.CharField(_("réponse de"), max_length=400, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(
        _("motif"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(
        _("explication publique"), max_length=NOTE_MAX_LENGTH, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("doublon de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    # Overdue questions are recalled to whoever holds them, at most once per interval.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question")
        indexes = [
            models.Index(fields=["component", "status"], name="questions_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="questions_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="routed")
                | Q(routed_official__isnull=False)
                | Q(routed_service__isnull=False),
                name="questions_routed_has_holder",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="questions_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined")
                | (Q(declined_at__isnull=False) & ~Q(decline_reason="")),
                name="questions_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("pk")), name="questions_not_own_duplicate"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from participation.components import component_url

        return component_url(self.component, "question", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def closed_at(self):
        return self.answered_at or self.declined_at


class QuestionEvent(models.Model):
    """One step of a question's public timeline (received, routed to whom, answered,
    declined)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("statut"), max_length=10, choices=Question.Status.choices)
    # What the step says publicly: to whom it was routed, why it was declined.
    note = models.CharField(_("précision"), max_length=400, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("étape d'une question")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.status}"
