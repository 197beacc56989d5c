from django.urls import path

from . import api

urlpatterns = [
    path("", api.QuestionListView.as_view(), name="questions"),
    path("<int:question_id>/", api.QuestionDetailView.as_view(), name="question"),
    path("<int:question_id>/reponse/", api.QuestionAnswerView.as_view(), name="answer"),
    path("<int:question_id>/transmission/", api.QuestionRouteView.as_view(), name="route"),
    path("<int:question_id>/refus/", api.QuestionDeclineView.as_view(), name="decline"),
]
