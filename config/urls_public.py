"""The platform's own host (PLATFORM_DOMAIN): the vendor console."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views import LoginView
from console import urls as console_urls
from console.views import town_list
from core.views import static_redirect
from onboarding import urls as onboarding_urls
from tenants.views import healthz, language_switch, local_mail, tls_certificate_allowed

account_urls = [
    # A signed-in account that is not vendor staff is sent here by the console: show the form
    # (to sign in with another account) instead of bouncing back to "/" in an endless loop.
    path("connexion/", LoginView.as_view(redirect_authenticated_user=False), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
]

urlpatterns = [
    path("", town_list, name="home"),
    # One "console" namespace for the console's pages and onboarding's (console:wizard, …).
    path("", include(([*console_urls.urlpatterns, *onboarding_urls.urlpatterns], "console"))),
    path("formations/", include("onboarding.training.urls")),
    path("facturation/", include("billing.urls")),
    path("reseau/", include("network.urls")),
    path("compte/", include((account_urls, "accounts"))),
    path("i18n/setlang/", set_language, name="set_language"),
    path("langue/<str:code>/", language_switch, name="language"),
    path("healthz", healthz, name="healthz"),
    path("tls/autorise/", tls_certificate_allowed, name="tls_certificate_allowed"),
    path("courriels/", local_mail, name="local_mail"),
    path("favicon.ico", static_redirect("favicon.svg"), name="favicon"),
]

# The database unreachable is a 503 page with Retry-After (core.unavailable).
handler500 = "core.unavailable.server_error"
