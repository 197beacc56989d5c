"""Shapes of what the polls' pages receive; services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CHOICE_MAX_LENGTH, MAX_CHOICES, QUESTION_MAX_LENGTH, Poll


class ChoiceIdsField(forms.Field):
    """The ticked choices: a list of ids (the radio buttons or checkboxes named ``choice``)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            return [int(item) for item in values]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(
                _("Ce choix ne fait pas partie de la question."), code="invalid_choice"
            ) from exc


class AnswerForm(forms.Form):
    choice = ChoiceIdsField(required=False)


class PollCreateForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(label=_("Type de réponse"), choices=Poll.Kind.choices)
    choices = forms.CharField(
        label=_("Choix proposés"),
        help_text=_("Un choix par ligne, de 2 à %(max)d choix de %(length)d caractères au plus.")
        % {"max": MAX_CHOICES, "length": CHOICE_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    max_choices = forms.IntegerField(
        label=_("Nombre de choix maximum"),
        help_text=_("Pour un choix multiple ; vide = autant que de choix proposés."),
        required=False,
        min_value=1,
        max_value=MAX_CHOICES,
    )
    results_visibility = forms.ChoiceField(
        label=_("Résultats visibles"), choices=Poll.ResultsVisibility.choices
    )

    def clean_choices(self) -> list[str]:
        lines = (line.strip() for line in self.cleaned_data["choices"].splitlines())
        return [line for line in lines if line]
