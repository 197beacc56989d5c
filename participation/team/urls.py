"""Mounted at the site's root by config/urls_town.py (namespace "team")."""

from django.urls import path

from . import views

app_name = "team"

urlpatterns = [
    path("gestion/equipe/", views.team, name="team"),
    path("gestion/equipe/<int:user_id>/", views.member, name="member"),
    path("gestion/equipe/<int:user_id>/retirer/", views.member_remove, name="member_remove"),
    path(
        "gestion/equipe/invitations/<int:invitation_id>/retirer/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("gestion/journal/", views.journal, name="journal"),
    path(
        "gestion/equipe/double-authentification/",
        views.admin_totp_required,
        name="admin_totp_required",
    ),
    path("gestion/double-authentification/", views.otp_verify, name="otp_verify"),
    path("gestion/double-authentification/activer/", views.otp_enrol, name="otp_enrol"),
    path("gestion/double-authentification/retirer/", views.otp_disable, name="otp_disable"),
    path("equipe/invitation/<str:key>/", views.accept, name="accept"),
]
