"""Questionnaires: a survey has ordered sections of ordered questions; each account answers
once (a Response holding one AnswerValue per answered question)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.models import ComponentItem

SHORT_TEXT_MAX_LENGTH = 300
LONG_TEXT_MAX_LENGTH = 5000
SCALE_MIN, SCALE_MAX = 1, 5


class Survey(ComponentItem):
    title = models.CharField(_("titre"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("questionnaire")

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titre"), max_length=200)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("partie")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Texte court")
        LONG_TEXT = "long_text", _("Texte long")
        SINGLE_CHOICE = "single_choice", _("Choix unique")
        MULTIPLE_CHOICE = "multiple_choice", _("Choix multiples")
        RANKING = "ranking", _("Classement")
        SCALE = "scale", _("Échelle de 1 à 5")
        MATRIX = "matrix", _("Tableau (lignes × colonnes)")
        NUMBER = "number", _("Nombre")
        DATE = "date", _("Date")

    CHOICE_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.RANKING})
    TEXT_KINDS = frozenset({Kind.SHORT_TEXT, Kind.LONG_TEXT})
    # Kinds whose answer can be the condition of a later question.
    CONDITION_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE})

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("intitulé"), max_length=300)
    help_text = models.CharField(_("aide"), max_length=500, blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    # Multiple choice: most options one may tick; ranking: how many to rank (None: all).
    max_choices = models.PositiveSmallIntegerField(
        _("nombre de choix maximum"), null=True, blank=True
    )
    min_value = models.DecimalField(
        _("valeur minimale"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("valeur maximale"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    # Shown only when the earlier question ``condition_question`` was answered with
    # ``condition_option`` (a single or multiple choice question of the same survey).
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("condition : question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependent_questions",
    )
    condition_option = models.ForeignKey(
        "Option",
        verbose_name=_("condition : réponse"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["section__position", "section_id", "position", "pk"]
        verbose_name = _("question")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(max_value__gte=models.F("min_value")),
                name="surveys_question_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def has_condition(self) -> bool:
        return self.condition_question_id is not None and self.condition_option_id is not None

    def order_key(self) -> tuple[int, int, int, int]:
        return (self.section.position, self.section_id, self.position, self.pk or 0)


class Option(models.Model):
    """A choice of a choice/ranking question, or a row or column of a matrix question."""

    class Role(models.TextChoices):
        CHOICE = "choice", _("choix")
        ROW = "row", _("ligne")
        COLUMN = "column", _("colonne")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.CHOICE)
    label = models.CharField(_("libellé"), max_length=200)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("choix")

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # A deleted account leaves its answers, anonymised.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("envoyée le"), default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("réponse")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="surveys_response_once"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.submitted_at:%Y-%m-%d}"


class AnswerValue(models.Model):
    """One answer, stored as typed: ``text`` for text kinds, ``number`` for scale and number,
    ``date``, and ``choices`` (JSON) for the others: a list of option ids (single, multiple,
    ranking in rank order) or an object {row id: column id} (matrix)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="values")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="values")
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    choices = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("valeur de réponse")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="surveys_value_once"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} · {self.question_id}"
