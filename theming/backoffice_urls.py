"""Mounted at /gestion/site/: the theme, the map's centre and the legal pages, for the town's
administrators."""

from django.urls import path

from . import backoffice

app_name = "site_admin"

urlpatterns = [
    path("", backoffice.overview, name="overview"),
    path("theme/", backoffice.theme_edit, name="theme"),
    path("theme/apercu/", backoffice.theme_preview, name="theme_preview"),
    path("theme/modele/", backoffice.theme_preset, name="theme_preset"),
    path("carte/", backoffice.map_location_edit, name="map"),
    path("pages/<slug:slug>/", backoffice.legal_page_edit, name="legal_page"),
    path("pages/<slug:slug>/publier/", backoffice.legal_page_publish, name="legal_page_publish"),
]
