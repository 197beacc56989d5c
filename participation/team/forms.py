from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import TeamRole
from participation.models import MunicipalService, Official, Space


class RolesForm(forms.Form):
    """A member's roles and their scopes; the choices offered are those ``grantable`` (the
    service refuses any other, with its reason)."""

    roles = forms.MultipleChoiceField(
        label=_("Rôles"),
        choices=TeamRole.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    spaces = forms.ModelMultipleChoiceField(
        label=_("Espaces gérés"),
        help_text=_("Pour un responsable d'espaces."),
        queryset=Space.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    service = forms.ModelChoiceField(
        label=_("Service municipal"),
        help_text=_("Pour un analyste : il voit et instruit les idées confiées à ce service."),
        queryset=MunicipalService.objects.all(),
        required=False,
    )
    official = forms.ModelChoiceField(
        label=_("Élu"),
        help_text=_("Pour un élu : il répond aux questions qui lui sont adressées."),
        queryset=Official.objects.all(),
        required=False,
    )

    def __init__(self, *args, grantable: set[str], spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [
            (kind, label) for kind, label in TeamRole.Kind.choices if kind in grantable
        ]
        if spaces is not None:
            self.fields["spaces"].queryset = spaces
        if TeamRole.Kind.ANALYST not in grantable:
            del self.fields["service"]
        if TeamRole.Kind.OFFICIAL not in grantable:
            del self.fields["official"]


class InvitationForm(RolesForm):
    field_order = ["email", "roles", "spaces", "service", "official"]

    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)


class JournalFilterForm(forms.Form):
    actor = forms.CharField(label=_("Compte"), max_length=254, required=False)
    action = forms.ChoiceField(label=_("Rubrique"), required=False)
    since = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Toutes")), *((a, a) for a in actions)]


class AcceptForm(forms.Form):
    display_name = forms.CharField(label=_("Votre nom"), max_length=80)
    password = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("12 caractères au moins."),
    )
