"""Polls (sondages): a question with choices; one answer per account, enforced by the database."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.models import ComponentItem

QUESTION_MAX_LENGTH = 1000
CHOICE_MAX_LENGTH = 200
MIN_CHOICES = 2
MAX_CHOICES = 20


class Poll(ComponentItem):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiple")

    class ResultsVisibility(models.TextChoices):
        AFTER_ANSWER = "after_answer", _("Aux participants, dès qu'ils ont répondu")
        AFTER_CLOSE = "after_close", _("À tous, une fois la phase de réponse terminée")

    question = models.TextField(_("question"), max_length=QUESTION_MAX_LENGTH)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    # How many choices one answer may tick: always 1 for a single-choice poll.
    max_choices = models.PositiveSmallIntegerField(_("nombre de choix maximum"), default=1)
    results_visibility = models.CharField(
        _("visibilité des résultats"),
        max_length=20,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_ANSWER,
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("sondage")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_choices__gte=1), name="polls_poll_max_choices_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="single") | models.Q(max_choices=1),
                name="polls_poll_single_means_one",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


class Choice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("intitulé"), max_length=CHOICE_MAX_LENGTH)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        constraints = [
            models.UniqueConstraint(fields=["poll", "label"], name="polls_choice_label_once"),
        ]

    def __str__(self) -> str:
        return self.label


class Answer(models.Model):
    """One account's answer to a poll. A deleted account leaves its answer, anonymised."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    choices = models.ManyToManyField(Choice, through="AnswerChoice", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("réponse")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="polls_answer_once_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.poll_id}"


class AnswerChoice(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="answer_choices")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="answer_choices")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "choice"], name="polls_answerchoice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} → {self.choice_id}"
