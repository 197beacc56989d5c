from django.urls import path

from . import api

urlpatterns = [
    path("", api.PollListView.as_view(), name="polls"),
    path("<int:poll_id>/reponses/", api.PollAnswerView.as_view(), name="answer"),
]
