"""Mounted at /gestion/site/: the theme, the map's centre, the custom domains and the legal
pages, for the town's administrators."""

from django.urls import path

from . import backoffice, domains_backoffice, identity_backoffice

app_name = "site_admin"

urlpatterns = [
    path("", backoffice.overview, name="overview"),
    path("theme/", backoffice.theme_edit, name="theme"),
    path("theme/apercu/", backoffice.theme_preview, name="theme_preview"),
    path("theme/modele/", backoffice.theme_preset, name="theme_preset"),
    path("carte/", backoffice.map_location_edit, name="map"),
    path("domaines/", domains_backoffice.domain_list, name="domains"),
    path(
        "domaines/<int:domain_id>/verifier/", domains_backoffice.domain_verify, name="domain_verify"
    ),
    path(
        "domaines/<int:domain_id>/principal/",
        domains_backoffice.domain_prefer,
        name="domain_prefer",
    ),
    path(
        "domaines/<int:domain_id>/supprimer/",
        domains_backoffice.domain_remove,
        name="domain_remove",
    ),
    path("connexion/", identity_backoffice.identity_providers, name="identity_providers"),
    path(
        "connexion/<int:provider_id>/",
        identity_backoffice.identity_providers,
        name="identity_provider",
    ),
    path("pages/<slug:slug>/", backoffice.legal_page_edit, name="legal_page"),
    path("pages/<slug:slug>/publier/", backoffice.legal_page_publish, name="legal_page_publish"),
]
