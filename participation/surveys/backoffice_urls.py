from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.survey_index, name="index"),
    path("<int:survey_id>/", backoffice.survey_edit, name="survey"),
    path("<int:survey_id>/export.<str:fmt>", backoffice.survey_export, name="export"),
]
