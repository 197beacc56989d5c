"""Mounted at /gestion/integrations/ by config/urls_town.py (namespace "integrations")."""

from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:token_id>/", views.token_detail, name="token"),
    path("<int:token_id>/revoquer/", views.token_revoke, name="revoke"),
]
