"""Console forms: they read what was typed; the services decide what is acceptable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant
from tenants.selectors import towns

from .files import EXTENSIONS
from .models import TrainingInvitee, TrainingSession
from .selectors import trainers

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class SessionEditForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=1, initial=120)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=TrainingSession.Format.choices,
        initial=TrainingSession.Format.ON_SITE,
    )
    place = forms.CharField(
        label=_("Lieu (sur place)"), required=False, max_length=300, help_text=_("Salle, adresse.")
    )
    video_url = forms.CharField(
        label=_("Lien de la visioconférence (à distance)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    trainer = forms.ModelChoiceField(label=_("Formateur"), queryset=trainers())
    topics = forms.CharField(
        label=_("Programme"),
        help_text=_("Un sujet par ligne."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notes = forms.CharField(
        label=_("Notes internes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionPlanForm(SessionEditForm):
    town = forms.ModelChoiceField(
        label=_("Collectivité"),
        queryset=towns().exclude(status=Tenant.Status.ARCHIVED),
        to_field_name="slug",
    )
    field_order = ["town"]


class InviteeForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.CharField(label=_("Adresse e-mail"), max_length=254, widget=forms.EmailInput())
    service = forms.CharField(label=_("Service municipal"), max_length=150, required=False)


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        required=False,
        help_text=_("Pour un fichier, son nom s'il est laissé vide."),
    )
    file = forms.FileField(
        label=_("Fichier"),
        required=False,
        help_text=_("PDF, PPTX, ODP, DOCX ou ODT, 20 Mo au plus."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in EXTENSIONS.values())}
        ),
    )
    url = forms.CharField(
        label=_("ou lien"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Présents"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, invitees: list[TrainingInvitee], **kwargs):
        kwargs.setdefault(
            "initial", {"present": [invitee.pk for invitee in invitees if invitee.attended]}
        )
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (
                invitee.pk,
                f"{invitee.name} ({invitee.service})" if invitee.service else invitee.name,
            )
            for invitee in invitees
        ]
