from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .emails import email_send_on_commit
from .models import User
from .services import DISPLAY_NAME_MAX_LENGTH, password_reset_link


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


class TownPasswordResetForm(PasswordResetForm):
    """Sends the reset link through the town's own e-mail path (Celery, after commit)."""

    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)

    def save(self, *args, **kwargs):
        from django.db import connection

        for user in self.get_users(self.cleaned_data["email"]):
            email_send_on_commit(
                to=user.email,
                subject=_("%(town)s : réinitialisation de votre mot de passe")
                % {"town": connection.tenant.name},
                template="accounts/emails/password_reset.txt",
                context={
                    "user": user,
                    "link": password_reset_link(user),
                    "town": connection.tenant,
                },
            )
