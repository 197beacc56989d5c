from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.views import run_form_action

from . import services
from .forms import LoginForm, SignupForm, TownPasswordResetForm
from .tokens import password_reset_tokens


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = run_form_action(form, lambda: services.citizen_register(**form.cleaned_data))
        if not form.errors:
            login(request, user, backend="accounts.backends.EmailPasswordBackend")
            messages.success(
                request,
                _("Bienvenue ! Un e-mail de confirmation vient de vous être envoyé à %(email)s.")
                % {"email": user.email},
            )
            return redirect("accounts:profile")
    return render(
        request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200
    )


def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        services.email_verify(uidb64=uidb64, token=token)
    except ApplicationError as exc:
        return render(
            request, "accounts/verify_email_failed.html", {"message": str(exc)}, status=400
        )
    messages.success(request, _("Votre adresse e-mail est confirmée. Merci !"))
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html")


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    if not request.user.is_email_verified:
        services.email_verification_send(user=request.user)
        messages.success(request, _("Un nouvel e-mail de confirmation vous a été envoyé."))
    return redirect("accounts:profile")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = TownPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    token_generator = password_reset_tokens
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe est enregistré. Connectez-vous."))
        return super().form_valid(form)
