from django.urls import path

from . import api

urlpatterns = [
    path("", api.SurveyListView.as_view(), name="list"),
    path("<int:survey_id>/", api.SurveyDetailView.as_view(), name="survey"),
    path("<int:survey_id>/reponses/", api.SurveyAnswerView.as_view(), name="answer"),
]
