import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scopes import scope_choices
from .services import NAME_MAX_LENGTH

DEFAULT_LIFETIME_DAYS = 90


class IntegrationTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("L'outil qui s'en sert, par exemple « Site de la mairie »."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Portées"),
        help_text=_("Ce que l'outil peut lire, ou lire et modifier, module par module."),
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("Expire le"),
        help_text=_("Au plus dans un an. Le jeton cesse de fonctionner à la fin de ce jour."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices()
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(
            days=DEFAULT_LIFETIME_DAYS
        )
