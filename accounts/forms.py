from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from core.ratelimit import sign_in_check, sign_in_failed, sign_in_succeeded

from .services import (
    API_TOKEN_NAME_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    password_reset_request,
    password_set,
)


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_("Visible des autres participants. Votre adresse e-mail ne l'est jamais."),
    )
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 8 caractères, pas uniquement des chiffres."),
    )


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autofocus": True})
    )
    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
    }

    def clean(self):
        """The town's, the console's and the API's sign-in: refused while the account typed
        or the client's address is locked out (core.ratelimit), each failure counted."""
        email = self.cleaned_data.get("username") or ""
        sign_in_check(email)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            sign_in_failed(email)
            raise
        if self.user_cache is not None:
            sign_in_succeeded(email)
        return cleaned


class TownPasswordResetForm(PasswordResetForm):
    """Sends the reset link through the town's own e-mail path (Celery, after commit)."""

    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)

    def save(self, *args, **kwargs):
        password_reset_request(email=self.cleaned_data["email"])


class TownSetPasswordForm(SetPasswordForm):
    """The new password of a reset link: saved by the service that also revokes the
    account's API tokens."""

    def save(self, commit=True):
        password_set(user=self.user, password=self.cleaned_data["new_password1"])
        return self.user


class TownPasswordChangeForm(PasswordChangeForm):
    def save(self, commit=True):
        password_set(user=self.user, password=self.cleaned_data["new_password1"])
        return self.user


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=API_TOKEN_NAME_MAX_LENGTH,
        help_text=_(
            "Pour le reconnaître dans la liste, par exemple le nom de l'outil qui s'en sert."
        ),
    )
