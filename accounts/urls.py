from django.urls import path

from . import oidc_views, views

app_name = "accounts"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_done, name="signup_done"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", oidc_views.LogoutView.as_view(), name="logout"),
    path("identite/<int:provider_id>/", oidc_views.oidc_start, name="oidc_start"),
    path("identite/retour/", oidc_views.oidc_callback, name="oidc_callback"),
    path("identite/<int:provider_id>/delier/", oidc_views.oidc_unlink, name="oidc_unlink"),
    path("", views.profile, name="profile"),
    path("confirmer/renvoyer/", views.resend_verification, name="resend_verification"),
    path("confirmer/<uidb64>/<token>/", views.verify_email, name="verify_email"),
    path("mot-de-passe/changer/", views.PasswordChangeView.as_view(), name="password_change"),
    path("jetons/", views.api_tokens, name="api_tokens"),
    path("jetons/<int:token_id>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
