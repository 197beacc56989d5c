from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.survey_index, name="index"),
    path("<int:survey_id>/", backoffice.survey_edit, name="survey"),
    path(
        "<int:survey_id>/nouvelle-version/",
        backoffice.survey_new_version,
        name="new_version",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/",
        backoffice.question_edit,
        name="question",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/deplacer/",
        backoffice.question_move,
        name="question_move",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/supprimer/",
        backoffice.question_delete,
        name="question_delete",
    ),
    path("<int:survey_id>/export.<str:fmt>", backoffice.survey_export, name="export"),
]
