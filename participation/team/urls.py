"""Mounted at the site's root by config/urls_town.py (namespace "team")."""

from django.urls import path

from . import views

app_name = "team"

urlpatterns = [
    path("gestion/equipe/", views.team, name="team"),
    path("gestion/equipe/<int:user_id>/", views.member, name="member"),
    path("gestion/equipe/<int:user_id>/retirer/", views.member_remove, name="member_remove"),
    path("gestion/journal/", views.journal, name="journal"),
    path("equipe/invitation/<str:key>/", views.accept, name="accept"),
]
