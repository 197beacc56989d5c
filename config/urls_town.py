"""A town's site: SLUG.<PLATFORM_DOMAIN> or one of its verified custom domains."""

from django.urls import include, path
from django.views.i18n import set_language

from accounts.api import MeView, TokenObtainView
from core.api_docs import DocsView, SchemaView
from participation import api as participation_api
from participation.comments.api import CommentListView
from participation.urls import module_urlpatterns
from participation.views import home
from tenants.api import TownView
from tenants.views import healthz, language_switch, local_mail, town_media
from theming.backoffice import style_guide

api_v1 = [
    path("", participation_api.IndexView.as_view(), name="index"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("espaces/", participation_api.SpaceListView.as_view(), name="spaces"),
    path("espaces/<slug:slug>/", participation_api.SpaceDetailView.as_view(), name="space"),
    path(
        "commentaires/<int:content_type_id>/<int:object_id>/",
        CommentListView.as_view(),
        name="comments",
    ),
    path("town/", TownView.as_view(), name="town"),
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", TokenObtainView.as_view(), name="token"),
]

urlpatterns = [
    # The API first: its calls (votes, searches) are the hottest requests, and Django tries the
    # patterns in order.
    path("api/v1/espaces/", include(module_urlpatterns("api_urls"))),
    path("api/v1/", include((api_v1, "api"))),
    path("", home, name="home"),
    path("", include("participation.urls")),
    path("gestion/style/", style_guide, name="style_guide"),
    path("gestion/", include("participation.backoffice.urls")),
    path("gestion/accueil/", include("participation.home.urls")),
    path("gestion/site/", include("theming.backoffice_urls")),
    path("gestion/integrations/", include("participation.integrations.urls")),
    # The template library shared by the towns (vendor side, public schema).
    path("gestion/modeles/", include("network.library.urls")),
    path("gestion/reseau/chiffres/", include("network.library.figures_urls")),
    # The hand-over to the network forum on the platform's host.
    path("gestion/reseau/", include("network.town_urls")),
    path("", include("participation.team.urls")),
    path("", include("theming.urls")),
    path("", include("theming.pwa_urls")),
    path("", include("theming.asset_urls")),
    path("espaces/", include(module_urlpatterns("urls"))),
    path("gestion/espaces/", include(module_urlpatterns("backoffice_urls"))),
    path("compte/", include("accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("langue/<str:code>/", language_switch, name="language"),
    path("healthz", healthz, name="healthz"),
    path("courriels/", local_mail, name="local_mail"),
    path("media/<str:schema>/<path:path>", town_media, name="media"),
]

# The database unreachable is a 503 page with Retry-After (core.unavailable).
handler500 = "core.unavailable.server_error"
