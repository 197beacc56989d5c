"""The citizens' participation site; each registered module is mounted under its component."""

from django.urls import include, path

from . import views
from .registry import registry

app_name = "participation"

urlpatterns = [
    path("espaces/<slug:slug>/", views.space_detail, name="space"),
    path("espaces/<slug:slug>/suivre/", views.space_follow, name="space_follow"),
    path("elus/", views.officials, name="officials"),
    path("carte/", views.town_map, name="map"),
    path("carte/lieux.geojson", views.town_map_points, name="map_points"),
    path("charte/", views.charter, name="charter"),
    path("donnees/", include("participation.opendata.urls")),
    path("mon-profil/", views.profile_edit, name="profile"),
    path("mon-profil/notifications/", include("participation.notifications.urls")),
    path("mes-donnees/", include("participation.privacy.urls")),
    path("commentaires/", include("participation.comments.urls")),
    path("gestion/moderation/", include("participation.comments.backoffice_urls")),
]


def module_urlpatterns() -> list:
    """Each registered module's URLs under its component: the citizens' pages (namespace =
    the key, e.g. ``polls:detail``), the back office (``polls_admin:...``) and the API
    (``polls_api:...``)."""
    mounts = (
        ("urls", "espaces", ""),
        ("backoffice_urls", "gestion/espaces", "_admin"),
        ("api_urls", "api/v1/espaces", "_api"),
    )
    return [
        path(
            f"{prefix}/<slug:space_slug>/{component_type.key}/<int:component_id>/",
            include((getattr(component_type, attribute), component_type.key + suffix)),
        )
        for attribute, prefix, suffix in mounts
        for component_type in registry
        if getattr(component_type, attribute)
    ]
