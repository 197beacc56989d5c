"""Onboarding's console pages, in the console's "console" namespace (config.urls_public)."""

from django.urls import path

from . import offboarding_views, wizard_views

urlpatterns = [
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
