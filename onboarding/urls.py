from django.urls import path

from . import console_views, otp_views

app_name = "console"

urlpatterns = [
    path("collectivites/<slug:slug>/", console_views.town_detail, name="town"),
    path(
        "collectivites/<slug:slug>/frequentation/",
        console_views.town_usage_refresh,
        name="town_usage_refresh",
    ),
    path("journal/", console_views.audit_log, name="audit"),
    path("double-authentification/", otp_views.otp_verify, name="otp_verify"),
    path("double-authentification/activer/", otp_views.otp_enrol, name="otp_enrol"),
]
