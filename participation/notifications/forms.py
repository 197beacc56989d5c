from django import forms

from .kinds import KINDS


class PreferencesForm(forms.Form):
    """One checkbox per kind of e-mail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, kind in KINDS.items():
            self.fields[key] = forms.BooleanField(label=kind.label, required=False)
