"""Shapes of what volunteering's pages receive; services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import ImageFields
from participation.models import Neighbourhood

from .models import AVAILABILITY_CHOICES, Category, HelpRequest, Membership, Mission, Skill

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _neighbourhood_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Quartier"), queryset=Neighbourhood.objects.all(), required=False
    )


def _ticks(label, choices, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class AssociationForm(ImageFields):
    """An association's page; its logo is ImageFields' picture (re-encoded like every other
    image by ``participation.images``)."""

    name = forms.CharField(label=_("Nom de l'association"), max_length=200)
    description = forms.CharField(
        label=_("Présentation"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    categories = _ticks(_("Catégories"), Category.choices)
    neighbourhood = _neighbourhood_field()
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    rna = forms.CharField(
        label=_("Numéro RNA (facultatif)"),
        help_text=_("W suivi de 9 chiffres, par exemple W512345678."),
        max_length=20,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].label = (
            _("Logo (facultatif)") if self.current_image is None else _("Remplacer le logo")
        )
        self.fields["image_alt"].label = _("Ce que montre le logo")
        if "remove_image" in self.fields:
            self.fields["remove_image"].label = _("Retirer le logo")

    def association_arguments(self) -> dict:
        """The cleaned fields as the services take them (the picture apart)."""
        data = dict(self.cleaned_data)
        for name in ("image", "image_alt", "remove_image"):
            data.pop(name, None)
        return {**data, "logo": self.image_arguments()}


class MissionForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )
    skills = _ticks(_("Compétences souhaitées"), Skill.choices)
    schedule = forms.ChoiceField(
        label=_("Rythme"), choices=Mission.Schedule.choices, widget=forms.RadioSelect
    )
    recurrence = forms.CharField(
        label=_("Fréquence (mission régulière)"),
        help_text=_("Par exemple : tous les mercredis après-midi."),
        max_length=200,
        required=False,
    )
    starts_at = forms.DateTimeField(label=_("Début"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Fin"), widget=DATETIME)
    place = forms.CharField(label=_("Lieu"), max_length=300)
    neighbourhood = _neighbourhood_field()
    places = forms.IntegerField(label=_("Nombre de bénévoles recherchés"))
    min_age = forms.IntegerField(label=_("Âge minimum"), initial=0)


class EventForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )
    category = forms.ChoiceField(
        label=_("Catégorie"), choices=[("", "—"), *Category.choices], required=False
    )
    starts_at = forms.DateTimeField(label=_("Début"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Fin"), widget=DATETIME)
    place = forms.CharField(label=_("Lieu"), max_length=300)
    neighbourhood = _neighbourhood_field()
    capacity = forms.IntegerField(
        label=_("Places (inscription sur le site)"),
        help_text=_("Laissez vide si l'événement est sans inscription."),
        required=False,
    )


class VolunteerProfileForm(forms.Form):
    skills = _ticks(_("Compétences"), Skill.choices)
    interests = _ticks(_("Centres d'intérêt"), Category.choices)
    availability = _ticks(
        _("Disponibilités"),
        AVAILABILITY_CHOICES,
        _("Les moments de la semaine où vous pouvez donner un coup de main."),
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Quartiers"),
        queryset=Neighbourhood.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bio = forms.CharField(
        label=_("Quelques mots"),
        help_text=_("Ne donnez ni téléphone ni adresse : les associations vous écrivent ici."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
    )
    visible = forms.BooleanField(
        label=_("Les associations peuvent trouver mon profil"), required=False, initial=True
    )


class VolunteerSearchForm(forms.Form):
    skill = forms.ChoiceField(
        label=_("Compétence"), choices=[("", _("Toutes")), *Skill.choices], required=False
    )
    availability = forms.ChoiceField(
        label=_("Disponible"),
        choices=[("", _("Quand vous voulez")), *AVAILABILITY_CHOICES],
        required=False,
    )
    neighbourhood = _neighbourhood_field()
    text = forms.CharField(label=_("Mots-clés"), max_length=100, required=False)


class AgendaFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Catégorie"), choices=[("", _("Toutes")), *Category.choices], required=False
    )
    neighbourhood = _neighbourhood_field()
    month = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False, widget=forms.HiddenInput)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message au bénévole"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class ApplyForm(forms.Form):
    message = forms.CharField(
        label=_("Un mot pour l'association (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class HoursForm(forms.Form):
    hours = forms.DecimalField(label=_("Heures données"), max_digits=6, decimal_places=1)


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail du compte"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Membership.Role.choices)


class HandOverForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Nouveau ou nouvelle responsable"), coerce=int)

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(m.user_id, m.user.display_name) for m in memberships]


class HelpRequestForm(forms.Form):
    association = forms.TypedChoiceField(label=_("Au nom de"), coerce=int)
    kind = forms.ChoiceField(label=_("Besoin"), choices=HelpRequest.Kind.choices)
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, associations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].choices = [(a.pk, a.name) for a in associations]


class HelpAnswerForm(HelpRequestForm):
    kind = None
    title = None
    description = None
    message = forms.CharField(
        label=_("Votre réponse"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    questions = forms.CharField(
        label=_("Questions"),
        help_text=_("Une question par ligne."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines()]
