from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["neighbourhood", "birth_year", "phone"]
        help_texts = {
            "phone": _("Jamais montré aux autres participants."),
            "birth_year": _("Facultatif : sert à vérifier l'âge minimum de certains votes."),
        }
