"""Shapes of what the questions' pages receive; the services decide what is allowed and valid
(their messages name the problem), so text fields here only carry the browser's hints."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import ImageFields
from participation.forms import text_field as _text
from participation.models import MunicipalService, Official

from .models import (
    ADDRESS_MAX_LENGTH,
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    THEME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Question,
    Theme,
)


def _coordinate(label):
    return forms.DecimalField(
        label=label,
        required=False,
        localize=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class QuestionForm(ImageFields):
    title = _text(
        _("Titre de votre question"),
        TITLE_MAX_LENGTH,
        help_text=_("En une phrase (%(max)d caractères au plus).") % {"max": TITLE_MAX_LENGTH},
    )
    body = _text(
        _("Votre question"),
        BODY_MAX_LENGTH,
        rows=6,
        help_text=_("Elle sera publiée avec votre nom d'affichage (%(max)d caractères au plus).")
        % {"max": BODY_MAX_LENGTH},
    )
    addressed_to = forms.ModelChoiceField(
        label=_("À quel élu ?"),
        queryset=Official.objects.none(),
        required=False,
        empty_label=_("— Je ne sais pas : la collectivité choisira —"),
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"), queryset=Theme.objects.none(), required=False, empty_label=_("— Aucun —")
    )
    address = _text(
        _("Lieu concerné (facultatif)"),
        ADDRESS_MAX_LENGTH,
        required_hint=False,
        help_text=_("Par exemple : « rue Trivalle, devant le n° 12 »."),
    )
    latitude = _coordinate(_("Latitude"))
    longitude = _coordinate(_("Longitude"))

    field_order = ["title", "body", "addressed_to", "theme", "address", "latitude", "longitude"]

    def __init__(self, *args, officials, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_to"].queryset = officials
        self.fields["theme"].queryset = themes


class RouteForm(forms.Form):
    official = forms.ModelChoiceField(
        label=_("À un élu"), queryset=Official.objects.all(), required=False
    )
    service = forms.ModelChoiceField(
        label=_("Ou à un service"), queryset=MunicipalService.objects.all(), required=False
    )


class AnswerForm(forms.Form):
    answer = _text(_("Réponse publique"), ANSWER_MAX_LENGTH, rows=8)


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motif (public)"), choices=Question.DeclineReason.choices, widget=forms.RadioSelect
    )
    note = _text(
        _("Explication publique (facultative)"), NOTE_MAX_LENGTH, required_hint=False, rows=3
    )
    duplicate_of = forms.ModelChoiceField(
        label=_("Question déjà posée (pour un doublon)"),
        queryset=Question.objects.none(),
        required=False,
    )

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate_of"].queryset = others


class ThemeForm(forms.Form):
    name = _text(_("Nouveau thème"), THEME_MAX_LENGTH)


class SettingsForm(forms.Form):
    answer_target_days = forms.IntegerField(
        label=_("Délai de réponse annoncé (en jours)"),
        help_text=_("La page publique mesure les réponses à ce délai."),
        min_value=1,
        max_value=365,
    )


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous")), *Question.Status.choices], required=False
    )
