"""The citizens' participation site; each registered module is mounted under its component."""

from django.urls import Resolver404, URLResolver, include, path
from django.urls.resolvers import RoutePattern

from . import views
from .registry import registry
from .selectors import component_mounted

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


class ComponentResolver(URLResolver):
    """A module's URLs under one component: none of them answers (404, pages and API alike)
    unless the component is shown (not removed, its module switched on for the town). Checked
    here, once for every URL the module has or will have."""

    def __init__(self, route: str, urlconf: str, namespace: str, type_key: str) -> None:
        urlconf_module, app_name, namespace = include((urlconf, namespace))
        super().__init__(
            RoutePattern(route, is_endpoint=False),
            urlconf_module,
            app_name=app_name,
            namespace=namespace,
        )
        self.type_key = type_key

    def resolve(self, path):
        match = super().resolve(path)
        if not (
            registry.is_on(self.type_key)
            and component_mounted(
                component_id=match.kwargs["component_id"],
                space_slug=match.kwargs["space_slug"],
                type_key=self.type_key,
            )
        ):
            raise Resolver404({"path": path})
        return match


def module_urlpatterns(mount: str) -> list:
    """Each registered module's URLs under its component, for one mount: the citizens' pages
    (``"urls"``, under espaces/; namespace = the key, e.g. ``polls:detail``), the back office
    (``"backoffice_urls"``, under gestion/espaces/; ``polls_admin:...``) or the API
    (``"api_urls"``, under api/v1/espaces/; ``polls_api:...``). The mount's prefix is the
    caller's (one ``include`` each): a URL is matched against a prefix once, not once per
    module."""
    suffix = {"urls": "", "backoffice_urls": "_admin", "api_urls": "_api"}[mount]
    return [
        ComponentResolver(
            f"<slug:space_slug>/{component_type.key}/<int:component_id>/",
            getattr(component_type, mount),
            component_type.key + suffix,
            component_type.key,
        )
        for component_type in registry
        if getattr(component_type, mount)
    ]
