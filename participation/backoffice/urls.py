from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("espaces/", views.space_list, name="spaces"),
    path("espaces/<slug:slug>/", views.space_detail, name="space"),
    path("espaces/<slug:slug>/publier/", views.space_publish, name="space_publish"),
    path("espaces/<slug:slug>/deplacer/", views.space_move, name="space_move"),
    path("espaces/<slug:slug>/modules/", views.component_add, name="component_add"),
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
]
