from django.urls import path

from . import console_views, offboarding_views, otp_views, wizard_views

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
    # Onboarding wizard (onboarding.wizard)
    path("nouvelle-collectivite/", wizard_views.wizard, name="wizard"),
    path("mises-en-service/<int:pk>/", wizard_views.onboarding_job, name="onboarding_job"),
    path(
        "mises-en-service/<int:pk>/progression/",
        wizard_views.onboarding_job_progress_fragment,
        name="onboarding_job_progress",
    ),
    # Offboarding (onboarding.offboarding)
    path(
        "collectivites/<slug:slug>/fin-de-service/",
        offboarding_views.town_offboarding,
        name="town_offboarding",
    ),
    path(
        "collectivites/<slug:slug>/fin-de-service/exports/",
        offboarding_views.town_exports_fragment,
        name="town_exports",
    ),
    path(
        "collectivites/<slug:slug>/fin-de-service/exporter/",
        offboarding_views.town_export_start,
        name="town_export_start",
    ),
    path(
        "collectivites/<slug:slug>/fin-de-service/archiver/",
        offboarding_views.town_archive_view,
        name="town_archive",
    ),
    path(
        "collectivites/<slug:slug>/fin-de-service/supprimer/",
        offboarding_views.town_delete_view,
        name="town_delete",
    ),
    path("exports/<int:pk>/", offboarding_views.town_export_detail, name="town_export"),
    path(
        "exports/<int:pk>/telecharger/",
        offboarding_views.town_export_download,
        name="town_export_download",
    ),
]
