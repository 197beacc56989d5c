"""The console's own pages. Their names are in the "console" namespace, which
config.urls_public shares with onboarding's pages (the wizard, offboarding)."""

from django.urls import path

from . import otp_views, views

urlpatterns = [
    path("collectivites/<slug:slug>/", views.town_detail, name="town"),
    path(
        "collectivites/<slug:slug>/frequentation/",
        views.town_usage_refresh,
        name="town_usage_refresh",
    ),
    path("journal/", views.audit_log, name="audit"),
    path("double-authentification/", otp_views.otp_verify, name="otp_verify"),
    path("double-authentification/sans-appareil/", otp_views.otp_no_device, name="otp_no_device"),
    path("double-authentification/activer/<str:key>/", otp_views.otp_enrol, name="otp_enrol"),
    path("equipe/", views.staff_list, name="staff"),
    path("equipe/<int:user_id>/lien-activation/", views.staff_enrolment_link, name="staff_link"),
]
