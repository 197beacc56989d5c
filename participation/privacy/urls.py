"""Mounted at /mes-donnees/ by participation/urls.py."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("supprimer-mon-compte/", views.delete_account, name="delete_account"),
]
