from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.views import run_action, run_form_action

from . import identity, services
from .forms import (
    ApiTokenForm,
    LoginForm,
    SignupForm,
    TownPasswordChangeForm,
    TownPasswordResetForm,
    TownSetPasswordForm,
)
from .models import ApiToken
from .tokens import password_reset_tokens


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether the address had an account or not (the service e-mails
        # its owner): no sign-in here, the link of the e-mail signs the new resident in.
        run_form_action(form, lambda: services.citizen_register(**form.cleaned_data))
        if not form.errors:
            return redirect("accounts:signup_done")
    return render(
        request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200
    )


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html")


def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = services.email_verify(uidb64=uidb64, token=token)
    except ApplicationError as exc:
        return render(
            request, "accounts/verify_email_failed.html", {"message": str(exc)}, status=400
        )
    if not request.user.is_authenticated:
        # The link reached the address's owner: it opens the account it confirms (sign-up
        # no longer signs in, so that it says nothing about who has an account).
        login(request, user, backend="accounts.backends.EmailPasswordBackend")
    messages.success(request, _("Votre adresse e-mail est confirmée. Merci !"))
    return redirect("accounts:profile")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    links = {link.provider_id: link for link in request.user.identity_links.all()}
    providers = [
        (provider, links.get(provider.pk))
        for provider in identity.sign_in_providers(staff=request.user.is_town_staff)
    ]
    return render(request, "accounts/profile.html", {"identity_providers": providers})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    if not request.user.is_email_verified:
        services.email_verification_resend(user=request.user)
        messages.success(request, _("Un nouvel e-mail de confirmation vous a été envoyé."))
    return redirect("accounts:profile")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not connection.tenant.is_platform:  # the console signs in by password and TOTP
            context["identity_providers"] = identity.sign_in_providers()
        return context


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = TownPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    token_generator = password_reset_tokens
    form_class = TownSetPasswordForm
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe est enregistré. Connectez-vous."))
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = TownPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(
            self.request,
            _("Votre nouveau mot de passe est enregistré. Vos jetons d'API ont été révoqués."),
        )
        return super().form_valid(form)


@login_required
@never_cache
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The account's API tokens: listed, made (the key shown once, on this answer only),
    revoked. The town's integration tokens are its administrators' (participation.integrations,
    /gestion/integrations/)."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key, "now": timezone.now()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    run_action(
        request,
        lambda: services.api_token_revoke(user=request.user, token_id=token_id),
        _("Le jeton est révoqué : il ne donne plus accès à l'API."),
    )
    return redirect("accounts:api_tokens")
