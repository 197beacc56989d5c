from django.urls import path

from . import lifecycle, officials, views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("espaces/", views.space_list, name="spaces"),
    path("espaces/<slug:slug>/", views.space_detail, name="space"),
    path("espaces/<slug:slug>/publier/", views.space_publish, name="space_publish"),
    path("espaces/<slug:slug>/deplacer/", views.space_move, name="space_move"),
    path("modules/", lifecycle.module_list, name="modules"),
    path("espaces/<slug:slug>/archiver/", lifecycle.space_archive, name="space_archive"),
    path("espaces/<slug:slug>/supprimer/", lifecycle.space_delete, name="space_delete"),
    path("espaces/<slug:slug>/modules/", views.component_add, name="component_add"),
    path(
        "espaces/<slug:slug>/modules/<int:component_id>/retirer/",
        lifecycle.component_remove,
        name="component_remove",
    ),
    path(
        "espaces/<slug:slug>/modules/<int:component_id>/deplacer/",
        views.component_move,
        name="component_move",
    ),
    path(
        "espaces/<slug:slug>/modules/<int:component_id>/phases/",
        views.phase_add,
        name="phase_add",
    ),
    path(
        "espaces/<slug:slug>/phases/<int:phase_id>/clore/",
        views.phase_close,
        name="phase_close",
    ),
    path(
        "espaces/<slug:slug>/phases/<int:phase_id>/supprimer/",
        views.phase_delete,
        name="phase_delete",
    ),
    path("quartiers/", views.neighbourhood_list, name="neighbourhoods"),
    path("elus/", officials.official_list, name="officials"),
    path("elus/<int:official_id>/", officials.official_edit, name="official"),
    path("elus/<int:official_id>/deplacer/", officials.official_move, name="official_move"),
    path("elus/<int:official_id>/retirer/", officials.official_delete, name="official_delete"),
    path("services/", officials.service_list, name="municipal_services"),
    path("services/<int:service_id>/", officials.service_edit, name="municipal_service"),
    path(
        "services/<int:service_id>/deplacer/",
        officials.service_move,
        name="municipal_service_move",
    ),
]
