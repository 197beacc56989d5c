"""The back office's forms: shape only. The services decide (dates in order, hours readable,
one president, a PDF by its content) and their messages land on the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .hours import DAYS, LINE_MAX_LENGTH
from .models import (
    ADDRESS_MAX_LENGTH,
    AGENDA_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    SHOP_TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Attendance,
    CouncilMember,
)
from .selectors import officials

ABSENT = "absent"


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=CouncilMember.Role.choices)
    account = forms.EmailField(
        label=_("Adresse e-mail de son compte sur le site"),
        required=False,
        help_text=_("Pour un membre qui a un compte ; sinon, indiquez seulement son nom."),
    )
    name = forms.CharField(
        label=_("Nom (membre sans compte)"), max_length=NAME_MAX_LENGTH, required=False
    )
    official = forms.ModelChoiceField(
        label=_("Élu (pour l'élu référent)"), queryset=officials(), required=False
    )
    joined_on = forms.DateField(
        label=_("Membre depuis le"),
        required=False,
        help_text=_("Par défaut, aujourd'hui."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_account(self) -> User | None:
        email = self.cleaned_data["account"]
        if not email:
            return None
        account = User.objects.filter(email__iexact=email).first()
        if account is None:
            raise forms.ValidationError(_("Aucun compte du site n'a cette adresse."))
        return account


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Nouveau rôle"),
        choices=[(v, label) for v, label in CouncilMember.Role.choices if v != "referent"],
    )


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Titre"), max_length=TITLE_MAX_LENGTH, initial=_("Séance plénière du conseil")
    )
    starts_at = forms.DateTimeField(
        label=_("Début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Fin"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Lieu"), max_length=PLACE_MAX_LENGTH)
    agenda = forms.CharField(
        label=_("Ordre du jour"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=AGENDA_MAX_LENGTH,
        required=False,
        help_text=_("Un point par ligne."),
    )


class MinutesForm(forms.Form):
    file = forms.FileField(
        label=_("Compte rendu (PDF)"),
        help_text=_("Un fichier PDF, 20 Mo au plus ; il remplace le compte rendu déjà publié."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class AttendanceForm(forms.Form):
    """One question per member seated that day (present, excused, absent), then the count of
    other residents."""

    public_attendance = forms.IntegerField(
        label=_("Habitants présents en plus des membres"), min_value=0, initial=0
    )

    def __init__(self, *args, members, recorded: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [*Attendance.Status.choices, (ABSENT, _("Absent"))]
        self.member_fields = {}
        for member in members:
            name = f"member_{member.pk}"
            self.fields[name] = forms.ChoiceField(
                label=member.display_name,
                choices=choices,
                initial=recorded.get(member.pk, ABSENT),
                widget=forms.RadioSelect,
            )
            self.member_fields[name] = member.pk
        # The count last, after the members.
        self.order_fields([*self.member_fields, "public_attendance"])

    def attendance(self) -> dict:
        """The service's arguments: present and excused members' ids, and the count."""
        statuses = {pk: self.cleaned_data[name] for name, pk in self.member_fields.items()}
        return {
            "present": [pk for pk, status in statuses.items() if status == "present"],
            "excused": [pk for pk, status in statuses.items() if status == "excused"],
            "public_attendance": self.cleaned_data["public_attendance"],
        }


class ShopForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=NAME_MAX_LENGTH)
    address = forms.CharField(label=_("Adresse"), max_length=ADDRESS_MAX_LENGTH)
    description = forms.CharField(
        label=_("Présentation courte"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=SHOP_TEXT_MAX_LENGTH,
        required=False,
    )
    latitude = forms.CharField(label=_("Latitude"), required=False, max_length=30)
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=30,
        help_text=_("Pour placer le commerce sur la carte, par exemple 48,7715 et 2,0335."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in DAYS:
            self.fields[f"hours_{key}"] = forms.CharField(
                label=_("Horaires du %(day)s") % {"day": label},
                required=False,
                max_length=LINE_MAX_LENGTH,
                help_text=_("Par exemple 9h-12h, 14h-19h ; laissez vide si le commerce est fermé.")
                if key == "mon"
                else "",
            )

    def shop_data(self) -> dict:
        """The service's arguments, the week's lines gathered in ``opening_hours``."""
        data = dict(self.cleaned_data)
        data["opening_hours"] = {key: data.pop(f"hours_{key}", "") for key, _label in DAYS}
        return data
