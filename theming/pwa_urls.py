"""At the root of a town's site: a service worker's scope is the folder it is served from."""

from django.urls import path

from . import pwa_views

app_name = "pwa"

urlpatterns = [
    path("manifest.webmanifest", pwa_views.manifest, name="manifest"),
    path("icone-<int:size>.png", pwa_views.icon, name="icon"),
    path("sw.js", pwa_views.service_worker, name="sw"),
    path("hors-ligne/", pwa_views.offline, name="offline"),
]
