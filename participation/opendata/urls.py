"""Mounted at /donnees/ by participation.urls (namespace "participation:opendata")."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalogue.jsonld", views.catalogue, name="catalogue"),
    path("<slug:key>.<str:fmt>", views.dataset_file, name="file"),
]
